/**
 * Makes the store's feeds, subscriptions and digests match the config file: adds what is
 * missing, updates settings, removes what the config used to add and no longer lists.
 * Feeds and subscriptions made from a chat are left alone.
 *
 * The config seeds a chat's subscriptions; the chat may change them. A subscription the
 * chat changed or left (/filter, /unsubscribe: a ChatOverride) stays as the chat made it for
 * as long as the config's entry for it stays the same; when the entry changes (or goes),
 * the config applies again and the override is forgotten.
 */
import { createHash } from 'node:crypto';
import type { Config, FeedConfig, SubscriptionConfig } from '../../config/index.js';
import { type Log, silentLog } from '../../shared/log.js';
import type { FeedRecord, FeedSettingsPatch, Store } from '../../store/port.js';
import { isConfigSubscription, joinFilterTerms, type SubscriptionFilters } from '../routing.js';
import { DISABLED_REASON, optionsOf } from '../settings.js';

export interface SyncResult {
  feeds: { added: number; updated: number; removed: number };
  /** `kept`: left as their chats changed them, the config's entries being the same. */
  subscriptions: { added: number; updated: number; removed: number; kept: number };
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

/**
 * A config subscription entry's fingerprint: what it says (feed, destination, filters as the
 * filter language reads them, template), so rewording the YAML around it changes nothing.
 */
export function configEntryKey(sub: SubscriptionConfig, filterText: string): string {
  // media and preview count only when turned off, so entries written before they existed
  // keep their fingerprint (and the chats' changes to them).
  const off = [sub.media === false ? 'media off' : '', sub.preview === false ? 'preview off' : ''];
  const style = off.some(Boolean) ? [off] : [];
  const what = JSON.stringify([sub.feedUrl, sub.destination, filterText, sub.template, ...style]);
  return createHash('sha256').update(what).digest('hex').slice(0, 16);
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
    subscriptions: { added: 0, updated: 0, removed: 0, kept: 0 },
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
    const filters = joinFilterTerms(sub.filters).text;
    const entry = configEntryKey(sub, filters);
    const value: SubscriptionFilters = {
      filters,
      origin: 'config',
      template: sub.template,
      ...(sub.media === false ? { media: false } : {}),
      ...(sub.preview === false ? { preview: false } : {}),
      entry,
    };
    wanted.add(`${feedId} ${sub.destination}`);
    const override = await store.subscriptions.overrideOf(feedId, sub.destination);
    if (override?.configEntry === entry) {
      result.subscriptions.kept++;
      log.info(
        `config: subscriptions[${index}] (${sub.feedUrl} to ${sub.destination}): left as the chat changed it, until this entry changes`,
      );
      continue;
    }
    // The entry changed since the chat's change: the config applies again.
    if (override) await store.subscriptions.dropOverride(feedId, sub.destination);
    const { subscription, created } = await store.subscriptions.add(feedId, sub.destination, value);
    if (created) {
      result.subscriptions.added++;
    } else if (!sameJson(subscription.filters, value)) {
      await store.subscriptions.setFilters(subscription.id, value);
      result.subscriptions.updated++;
    }
  }
  // A chat's change to an entry the config no longer has: forgotten with the entry.
  for (const override of await store.subscriptions.listOverrides()) {
    if (!wanted.has(`${override.feedId} ${override.destination}`)) {
      await store.subscriptions.dropOverride(override.feedId, override.destination);
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
