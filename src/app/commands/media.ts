import { switchCommand } from './post-style.js';

export const media = switchCommand('media', {
  en: 'Show or set whether briefs of a feed come with their image',
  it: 'Mostra o decidi se le notizie di un feed arrivano con la loro immagine',
});
