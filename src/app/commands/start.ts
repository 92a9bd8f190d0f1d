import { ANYONE, defineCommand } from './define.js';
import { helpReply } from './help.js';

export const start = defineCommand({
  name: 'start',
  args: { en: '', it: '' },
  policy: ANYONE,
  description: { en: 'What this bot does', it: 'Cosa fa questo bot' },
  options: [],
  listed: false,
  run: (ctx) => helpReply(ctx, true),
});
