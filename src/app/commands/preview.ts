import { switchCommand } from './post-style.js';

export const preview = switchCommand('preview', {
  en: 'Show or set the link preview under briefs of a feed (Telegram)',
  it: "Mostra o decidi l'anteprima del link sotto le notizie di un feed (Telegram)",
});
