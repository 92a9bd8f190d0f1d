import { keepChatChange, withNote } from './changes.js';
import { feedEntries, feedOption, findEntry, noSuchFeed } from './chat-feeds.js';
import { ADMINS, type Context, defineCommand, localized, text, usage } from './define.js';
import type { Reply } from './types.js';

async function leaveFeed(ctx: Context): Promise<Reply> {
  if (ctx.args === '') return usage(ctx);
  const entries = await feedEntries(ctx);
  const entry = findEntry(entries, ctx.args);
  if (entry === null) return noSuchFeed(ctx, ctx.args, entries);
  const { store } = ctx.deps;
  const note = await keepChatChange(ctx, await store.subscriptions.get(entry.subscriptionId));
  await store.subscriptions.remove(entry.subscriptionId);
  // A feed added from a chat goes when its last chat leaves: nobody would read its polls.
  const feed = await store.feeds.get(entry.feedId);
  if (feed?.origin === 'chat' && (await store.subscriptions.listByFeed(feed.id)).length === 0) {
    await store.feeds.remove(feed.id);
  }
  return text(ctx, withNote(ctx.m.unsubscribed(entry.name), note));
}

export const unsubscribe = defineCommand({
  name: 'unsubscribe',
  args: localized('command.unsubscribe.args'),
  policy: ADMINS,
  description: localized('command.unsubscribe'),
  options: [feedOption(true)],
  listed: true,
  run: leaveFeed,
});
