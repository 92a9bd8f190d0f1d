/**
 * The feeds a chat follows, as /feeds numbers them, and how a command names one (`2`, a
 * URL or a name): shared by /feeds, /unsubscribe, /filter, /pause, /resume and /export.
 */
import { feedText } from '../../core/render/index.js';
import type { Store, SubscribedFeed, SubscriptionRecord } from '../../store/port.js';
import { type CommandOption, type Context, error, localized } from './define.js';
import type { Messages } from './reply-texts.js';
import { feedLabel, filterText } from './subscribe.js';
import type { FeedEntry, Reply } from './types.js';

/** The reason /pause stores; shown in the chat's language by /feeds. */
export const PAUSED_BY_ADMIN = 'paused by an admin';

/** The option of the commands that take one of the chat's feeds. */
export const feedOption = (required: boolean): CommandOption => ({
  name: 'feed',
  type: 'string',
  required,
  description: localized('command.feed.option.feed'),
});

export async function feedEntries(ctx: Context): Promise<FeedEntry[]> {
  // The subscriptions and their feeds in one query: a chat may have thousands.
  return toEntries(await ctx.deps.store.subscriptions.listWithFeeds(ctx.chat.destination));
}

/** Subscriptions as /feeds shows them, numbered 1, 2, … in the order given. */
export async function entriesOf(
  store: Pick<Store, 'feeds'>,
  subscriptions: readonly SubscriptionRecord[],
): Promise<FeedEntry[]> {
  // One query for the chat's feeds, not one per subscription: a chat may have thousands.
  const feeds = new Map(
    (await store.feeds.getMany(subscriptions.map((s) => s.feedId))).map((f) => [f.id, f]),
  );
  return toEntries(
    subscriptions.flatMap((subscription) => {
      const feed = feeds.get(subscription.feedId);
      return feed === undefined ? [] : [{ subscription, feed }];
    }),
  );
}

function toEntries(subscribed: readonly SubscribedFeed[]): FeedEntry[] {
  return subscribed.map(({ subscription, feed }, index) => ({
    number: index + 1,
    subscriptionId: subscription.id,
    feedId: feed.id,
    name: feedLabel(feed),
    url: feed.url,
    filters: filterText(subscription.filters),
    paused: subscription.paused,
    pausedReason: subscription.pausedReason,
    feedPaused: feed.paused,
    feedPausedReason: feed.pausedReason,
    consecutiveFailures: feed.consecutiveFailures,
    // What the feed's server answered, as any feed text.
    lastError: feedText(feed.lastError) || null,
    lastPolledAt: feed.lastPolledAt,
    lastNewItemAt: feed.lastNewItemAt,
  }));
}

/** Why a subscription or feed is paused, in the chat's language where it is ours. */
export function pausedReason(m: Messages, stored: string | null): string {
  if (stored === null || stored === PAUSED_BY_ADMIN) return m.pausedByAdmin;
  // A platform's refusal or a feed's failure, in their words.
  return feedText(stored) || m.pausedByAdmin;
}

/** The feed a chat means by `2`, a URL or a name; null when none. */
export function findEntry(entries: readonly FeedEntry[], ref: string): FeedEntry | null {
  const wanted = ref.trim();
  if (/^\d{1,6}$/.test(wanted)) return entries[Number(wanted) - 1] ?? null;
  let href: string | null = null;
  try {
    href = new URL(wanted).href;
  } catch {
    // Not a URL: a name, perhaps.
  }
  const folded = wanted.toLowerCase();
  return (
    entries.find((e) => e.url === wanted || e.url === href) ??
    entries.find((e) => e.name.toLowerCase() === folded) ??
    null
  );
}

export function noSuchFeed(ctx: Context, ref: string, entries: readonly FeedEntry[]): Reply {
  return error(ctx, 'not-found', ctx.m.noSuchFeed(ref, entries.length));
}
