import { feedEntries } from './chat-feeds.js';
import { ANYONE, type Context, defineCommand, localized, NO_ARGS, text } from './define.js';
import { toOpml } from './opml.js';
import type { Reply } from './types.js';

/** `telegram:-100123` → `briefwire-telegram-100123.opml`. */
export function exportFilename(destination: string): string {
  const slug = destination
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `briefwire-${slug || 'chat'}.opml`;
}

async function exportOpml(ctx: Context): Promise<Reply> {
  const entries = await feedEntries(ctx);
  if (entries.length === 0) return text(ctx, ctx.m.exportEmpty);
  const opml = toOpml(
    entries.map((e) => ({ xmlUrl: e.url, title: e.name, filters: e.filters })),
    { title: `briefwire: ${ctx.chat.destination}`, created: ctx.deps.now() },
  );
  const filename = exportFilename(ctx.chat.destination);
  return {
    kind: 'export',
    language: ctx.language,
    filename,
    opml,
    text: `${ctx.m.exported(entries.length, filename)}\n\n${opml}`,
  };
}

export const exportCommand = defineCommand({
  name: 'export',
  args: NO_ARGS,
  policy: ANYONE,
  description: localized('command.export'),
  options: [],
  listed: true,
  run: exportOpml,
});
