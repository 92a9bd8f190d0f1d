import { destinationPlace, parentDestination, parseDestination } from '../../config/schema.js';
import { feedText } from '../../core/render/index.js';
import type { Destination } from '../../store/port.js';
import { DISABLED_REASON } from '../settings.js';
import { entriesOf, feedEntries, pausedReason } from './chat-feeds.js';
import { ANYONE, type Context, defineCommand, localized, NO_ARGS } from './define.js';
import { digestSetting } from './digest.js';
import type { FeedEntry, Reply } from './types.js';

async function listFeeds(ctx: Context): Promise<Reply> {
  const entries = await feedEntries(ctx);
  const topics = await topicFeeds(ctx);
  const digestRecord = await ctx.deps.store.digests.get(ctx.chat.destination);
  const { m } = ctx;
  const lines: string[] = [];
  if (entries.length > 0) lines.push(m.feedsTitle);
  else if (topics.length === 0) lines.push(m.noFeeds);
  for (const e of entries) lines.push(`${e.number}. ${e.name} — ${e.url}`, ...entryDetails(ctx, e));
  // Not numbered: /unsubscribe 2 here acts on this chat's own feeds; a topic's are changed
  // from inside the topic.
  for (const topic of topics) {
    lines.push('', m.feedsOfTopic(topic.where, topic.name, topic.destination));
    for (const e of topic.feeds) lines.push(`- ${e.name} — ${e.url}`, ...entryDetails(ctx, e));
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

/** The lines under a feed: last new item, filters, pauses, failures. */
function entryDetails(ctx: Context, e: FeedEntry): string[] {
  const { m } = ctx;
  const lines: string[] = [];
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
  return lines;
}

interface TopicFeeds {
  destination: Destination;
  where: 'topic' | 'thread';
  /** The thread's name where the platform tells it, else the topic's or thread's id. */
  name: string;
  feeds: FeedEntry[];
}

/**
 * In a forum group or a Discord channel, the subscriptions of its topics or threads, one
 * group per topic in topic order; none in a topic itself (it has no topics) or the console.
 */
async function topicFeeds(ctx: Context): Promise<TopicFeeds[]> {
  const here = ctx.chat.destination;
  if (here === 'console' || parentDestination(here) !== null) return [];
  const { store } = ctx.deps;
  const subscriptions = await store.subscriptions.listInTopicsOf(here);
  const entryOf = new Map(
    (await entriesOf(store, subscriptions)).map((e) => [e.subscriptionId, e]),
  );
  const byTopic = new Map<Destination, FeedEntry[]>();
  for (const subscription of subscriptions) {
    const entry = entryOf.get(subscription.id);
    if (entry === undefined) continue;
    const list = byTopic.get(subscription.destination);
    if (list) list.push(entry);
    else byTopic.set(subscription.destination, [entry]);
  }
  const topics = [...byTopic].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  return Promise.all(
    topics.map(async ([destination, feeds]) => ({
      destination,
      where: destinationPlace(destination) === 'thread' ? ('thread' as const) : ('topic' as const),
      name: (await topicName(ctx, destination)) ?? parseDestination(destination)?.topic ?? '',
      feeds,
    })),
  );
}

/** A thread's name as the platform tells it (its own text: shown as feed text), else null. */
async function topicName(ctx: Context, destination: Destination): Promise<string | null> {
  const name = await ctx.chat.topicName?.(destination).catch(() => null);
  return name ? feedText(name, 100) || null : null;
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
