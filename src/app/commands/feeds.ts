import { destinationPlace } from '../../config/schema.js';
import { DISABLED_REASON } from '../settings.js';
import { feedEntries, pausedReason } from './chat-feeds.js';
import { ANYONE, type Context, defineCommand, localized, NO_ARGS } from './define.js';
import { digestSetting } from './digest.js';
import type { Reply } from './types.js';

async function listFeeds(ctx: Context): Promise<Reply> {
  const entries = await feedEntries(ctx);
  const digestRecord = await ctx.deps.store.digests.get(ctx.chat.destination);
  const { m } = ctx;
  const lines: string[] = [];
  if (entries.length === 0) lines.push(m.noFeeds);
  else lines.push(m.feedsTitle);
  for (const e of entries) {
    lines.push(`${e.number}. ${e.name} — ${e.url}`);
    if (e.lastNewItemAt !== null) {
      const age = ctx.deps.now().getTime() - e.lastNewItemAt.getTime();
      lines.push(`   ${m.lastNewItem(age)}`);
    }
    if (e.filters) lines.push(`   ${m.feedFilters(e.filters)}`);
    if (e.paused) lines.push(`   ${m.pausedHere(pausedReason(m, e.pausedReason))}`);
    if (e.feedPaused) {
      // A feed the config disables stays paused whatever /resume says: the config decides.
      const resumable = e.feedPausedReason !== DISABLED_REASON;
      lines.push(`   ${m.pausedFeed(pausedReason(m, e.feedPausedReason), resumable)}`);
    } else if (e.consecutiveFailures > 0 && e.lastError) {
      lines.push(`   ${m.failing(e.consecutiveFailures, e.lastError)}`);
    }
  }
  lines.push('', digestSetting(m, digestRecord));
  // What a config file calls this chat (subscriptions, destinations): hard to find otherwise.
  if (ctx.chat.destination !== 'console') {
    lines.push(m.chatDestination(ctx.chat.destination, destinationPlace(ctx.chat.destination)));
  }
  return {
    kind: 'feeds',
    language: ctx.language,
    feeds: entries,
    digest: digestRecord,
    text: lines.join('\n'),
  };
}

export const feeds = defineCommand({
  name: 'feeds',
  args: NO_ARGS,
  policy: ANYONE,
  description: localized('command.feeds'),
  options: [],
  listed: true,
  run: listFeeds,
});
