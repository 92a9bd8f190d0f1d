import { DISABLED_REASON } from '../settings.js';
import { feedEntries, feedOption, findEntry, noSuchFeed } from './chat-feeds.js';
import { ADMINS, type Context, defineCommand, localized, text } from './define.js';
import type { Reply } from './types.js';

async function resumeFeeds(ctx: Context): Promise<Reply> {
  const entries = await feedEntries(ctx);
  let targets = entries;
  if (ctx.args !== '') {
    const entry = findEntry(entries, ctx.args);
    if (entry === null) return noSuchFeed(ctx, ctx.args, entries);
    targets = [entry];
  }
  const { store, now } = ctx.deps;
  const resumed: string[] = [];
  const feedLines: string[] = [];
  for (const entry of targets) {
    if (entry.paused) {
      await store.subscriptions.resume(entry.subscriptionId);
      resumed.push(entry.name);
    }
    if (entry.feedPaused && entry.feedPausedReason !== DISABLED_REASON) {
      // Paused after failures in a row: polled again at once, the count starting afresh.
      await store.feeds.updatePollState(entry.feedId, {
        paused: false,
        pausedReason: null,
        consecutiveFailures: 0,
        nextPollAt: now(),
      });
      feedLines.push(ctx.m.resumedFeed(entry.name, entry.consecutiveFailures));
    }
  }
  if (resumed.length === 0 && feedLines.length === 0) return text(ctx, ctx.m.nothingPaused);
  const lines = resumed.length > 0 ? [ctx.m.resumed(resumed), ...feedLines] : feedLines;
  return text(ctx, lines.join('\n'));
}

export const resume = defineCommand({
  name: 'resume',
  args: localized('command.feed.args'),
  policy: ADMINS,
  description: localized('command.resume'),
  options: [feedOption(false)],
  listed: true,
  run: resumeFeeds,
});
