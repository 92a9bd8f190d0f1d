import { switchCommand } from './post-style.js';

export const media = switchCommand('media');
