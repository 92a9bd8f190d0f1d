import { ANYONE, type Context, defineCommand, localized, NO_ARGS, usageOf } from './define.js';
import type { HelpEntry, Reply } from './types.js';

/** The commands this user may run here, with a welcome before them for /start. */
export async function helpReply(ctx: Context, welcome: boolean): Promise<Reply> {
  let isAdmin = false;
  try {
    isAdmin = await ctx.chat.isAdmin();
  } catch {
    // Not knowing is not being one: the list shows what anyone may do.
  }
  const commands: HelpEntry[] = ctx.commands
    .filter((c) => c.listed && (!c.admin || isAdmin))
    .map((c) => ({
      name: c.name,
      usage: usageOf(c, ctx.language),
      description: c.description[ctx.language],
      admin: c.admin,
    }));
  const lines = [ctx.m.helpTitle, ...commands.map((c) => `${c.usage} — ${c.description}`)];
  if (!isAdmin) lines.push('', ctx.m.helpAdminNote);
  if (welcome) lines.unshift(ctx.m.welcome, '');
  return { kind: 'help', language: ctx.language, text: lines.join('\n'), commands };
}

export const help = defineCommand({
  name: 'help',
  args: NO_ARGS,
  policy: ANYONE,
  description: localized('command.help'),
  options: [],
  listed: true,
  run: (ctx) => helpReply(ctx, false),
});
