import { ANYONE, defineCommand, localized, NO_ARGS } from './define.js';
import { helpReply } from './help.js';

export const start = defineCommand({
  name: 'start',
  args: NO_ARGS,
  policy: ANYONE,
  description: localized('command.start'),
  options: [],
  listed: false,
  run: (ctx) => helpReply(ctx, true),
});
