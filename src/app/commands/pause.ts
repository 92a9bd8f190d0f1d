import { feedEntries, feedOption, findEntry, noSuchFeed, PAUSED_BY_ADMIN } from './chat-feeds.js';
import { ADMINS, type Context, defineCommand, localized, text } from './define.js';
import type { Reply } from './types.js';

async function pauseFeeds(ctx: Context): Promise<Reply> {
  const entries = await feedEntries(ctx);
  if (entries.length === 0) return text(ctx, ctx.m.nothingToPause);
  let targets = entries;
  if (ctx.args !== '') {
    const entry = findEntry(entries, ctx.args);
    if (entry === null) return noSuchFeed(ctx, ctx.args, entries);
    targets = [entry];
  }
  for (const entry of targets) {
    // One paused for another reason (the bot was blocked) keeps that reason.
    if (!entry.paused)
      await ctx.deps.store.subscriptions.pause(entry.subscriptionId, PAUSED_BY_ADMIN);
  }
  return text(ctx, ctx.m.paused(targets.map((e) => e.name)));
}

export const pause = defineCommand({
  name: 'pause',
  args: localized('command.feed.args'),
  policy: ADMINS,
  description: localized('command.pause'),
  options: [feedOption(false)],
  listed: true,
  run: pauseFeeds,
});
