/**
 * Makes the store's feeds, subscriptions and digests match the config file: adds what is
 * missing, updates settings, removes what the config used to add and no longer lists.
 * Feeds and subscriptions made from a chat are left alone.
 */
import type { Config, FeedConfig } from '../config/index.js';
import type { FeedRecord, FeedSettingsPatch, Store } from '../store/port.js';
import { type Log, silentLog } from './log.js';
import { isConfigSubscription, joinFilterTerms, type SubscriptionFilters } from './routing.js';
import { DISABLED_REASON, optionsOf } from './settings.js';

export interface SyncResult {
  feeds: { added: number; updated: number; removed: number };
  subscriptions: { added: number; updated: number; removed: number };
  digests: number;
  /** Filter terms of the config the filter language refuses (left out), one line each. */
  warnings: string[];
}

/** A name for a feed the config names none for, until its first poll gives its title. */
function provisionalName(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'file:')
      return decodeURIComponent(parsed.pathname.split('/').pop() ?? url);
    return parsed.hostname || url;
  } catch {
    return url;
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function settingsPatch(existing: FeedRecord, feed: FeedConfig): FeedSettingsPatch {
  const patch: FeedSettingsPatch = {};
  // With no name in the config, the name the feed's title gave it stays.
  if (feed.name !== null && feed.name !== existing.name) patch.name = feed.name;
  const intervalSeconds = Math.max(1, Math.round(feed.intervalMs / 1000));
  if (intervalSeconds !== existing.intervalSeconds) patch.intervalSeconds = intervalSeconds;
  if (feed.languageHint !== existing.languageHint) patch.languageHint = feed.languageHint;
  const options = optionsOf(feed);
  if (!sameJson(options, existing.options)) patch.options = options;
  return patch;
}

export async function syncConfig(
  store: Store,
  config: Pick<Config, 'feeds' | 'subscriptions' | 'digests'>,
  log: Log = silentLog,
): Promise<SyncResult> {
  const result: SyncResult = {
    feeds: { added: 0, updated: 0, removed: 0 },
    subscriptions: { added: 0, updated: 0, removed: 0 },
    digests: 0,
    warnings: [],
  };
  const warn = (where: string, items: readonly string[]): void => {
    for (const { item, reason } of joinFilterTerms(items).refused) {
      const line = `${where}: filter ${JSON.stringify(item)} left out: ${reason}`;
      result.warnings.push(line);
      log.warn(`config: ${line}`);
    }
  };

  const feedIds = new Map<string, number>();
  for (const [index, feed] of config.feeds.entries()) {
    warn(`feeds[${index}]`, feed.filters);
    let record = await store.feeds.getByUrl(feed.url);
    if (!record) {
      const added = await store.feeds.add({
        url: feed.url,
        name: feed.name ?? provisionalName(feed.url),
        intervalSeconds: Math.max(1, Math.round(feed.intervalMs / 1000)),
        languageHint: feed.languageHint,
        origin: 'config',
        options: optionsOf(feed),
      });
      record = added.feed;
      if (added.created) result.feeds.added++;
    } else {
      const patch = settingsPatch(record, feed);
      if (Object.keys(patch).length > 0) {
        record = (await store.feeds.updateSettings(record.id, patch)) ?? record;
        result.feeds.updated++;
      }
    }
    if (!feed.enabled && !record.paused) {
      await store.feeds.updatePollState(record.id, { paused: true, pausedReason: DISABLED_REASON });
    } else if (feed.enabled && record.paused && record.pausedReason === DISABLED_REASON) {
      await store.feeds.updatePollState(record.id, { paused: false, pausedReason: null });
    }
    feedIds.set(feed.url, record.id);
  }

  const wanted = new Set<string>();
  for (const [index, sub] of config.subscriptions.entries()) {
    const feedId = feedIds.get(sub.feedUrl);
    if (feedId === undefined) continue;
    warn(`subscriptions[${index}]`, sub.filters);
    const value: SubscriptionFilters = {
      filters: joinFilterTerms(sub.filters).text,
      origin: 'config',
      template: sub.template,
    };
    wanted.add(`${feedId} ${sub.destination}`);
    const { subscription, created } = await store.subscriptions.add(feedId, sub.destination, value);
    if (created) {
      result.subscriptions.added++;
    } else if (!sameJson(subscription.filters, value)) {
      await store.subscriptions.setFilters(subscription.id, value);
      result.subscriptions.updated++;
    }
  }

  // What an earlier config added and this one no longer lists.
  const configured = new Set(config.feeds.map((feed) => feed.url));
  for (const feed of await store.feeds.list()) {
    const subscriptions = await store.subscriptions.listByFeed(feed.id);
    let left = subscriptions.length;
    for (const sub of subscriptions) {
      if (isConfigSubscription(sub) && !wanted.has(`${feed.id} ${sub.destination}`)) {
        await store.subscriptions.remove(sub.id);
        result.subscriptions.removed++;
        left--;
      }
    }
    // A config feed still followed from a chat stays (and keeps being polled).
    if (feed.origin === 'config' && !configured.has(feed.url) && left === 0) {
      await store.feeds.remove(feed.id);
      result.feeds.removed++;
    }
  }

  for (const digest of config.digests) {
    await store.digests.set(digest.destination, digest.cron, digest.timezone);
    result.digests++;
  }
  return result;
}
