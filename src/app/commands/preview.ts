import { switchCommand } from './post-style.js';

export const preview = switchCommand('preview');
