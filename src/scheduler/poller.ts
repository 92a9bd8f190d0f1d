/**
 * Polls feeds: conditional GET, parse, dedupe against the store, a brief per new item,
 * routed to the subscriptions whose filters it passes, and stored with its deliveries in
 * one transaction (store.ingest). Failures back off exponentially; after
 * `polling.maxConsecutiveFailures` in a row the feed is paused and the chats subscribed to
 * it get one notice each.
 */
import type { Config } from '../config/index.js';
import { briefArticle } from '../core/brief.js';
import type { Brief } from '../core/types.js';
import {
  contentHash,
  firstPollPolicy,
  type KeyedItem,
  keyItems,
  newItems,
} from '../feeds/dedupe.js';
import { FeedError } from '../feeds/errors.js';
import { fetchFeed } from '../feeds/fetch.js';
import type { FeedItem, ParsedFeed } from '../feeds/parse.js';
import { backoffAfterFailure, nextPollAt, shouldPause } from '../feeds/schedule.js';
import { readFeed } from '../input/read.js';
import type { FeedRecord, IngestItem, Store } from '../store/port.js';
import { errorLine, type Log, silentLog } from './log.js';
import type { OutboxMessage } from './outbox.js';
import { eachLimited } from './pool.js';
import { destinationsFor, passes } from './routing.js';
import { type FeedSettings, feedSettings } from './settings.js';
import { destinationLanguage, failuresText, textsFor } from './texts.js';

export interface PollDeps {
  store: Store;
  config: Pick<Config, 'feeds' | 'polling' | 'http'> & Partial<Pick<Config, 'destinations'>>;
  now: () => Date;
  /** The fetcher (tests swap it); default src/feeds fetchFeed. */
  fetch?: typeof fetchFeed;
  /** [0, 1) for the interval's jitter; default Math.random. */
  rng?: () => number;
  /** Cancels fetches in flight (shutdown); a cancelled poll changes nothing. */
  signal?: AbortSignal;
  log?: Log;
  /** Told how long each article took to brief, in seconds (metrics). */
  onBriefed?: (seconds: number) => void;
}

export type PollResult =
  | {
      feedId: number;
      status: 'ok';
      /** The feed's first successful poll: its backlog was marked seen. */
      firstPoll: boolean;
      /** Items the feed lists. */
      items: number;
      /** Briefs stored (new items that passed the feed's filters). */
      stored: number;
      /** Deliveries queued for those briefs. */
      deliveries: number;
      nextPollAt: Date;
    }
  | { feedId: number; status: 'not-modified'; nextPollAt: Date }
  | {
      feedId: number;
      status: 'failed';
      /** One line. */
      error: string;
      failures: number;
      /** This failure paused the feed. */
      paused: boolean;
      /** Notices queued about the pause. */
      notices: number;
      nextPollAt: Date;
    }
  /** Not polled: the feed is paused, or the poll was cancelled. */
  | { feedId: number; status: 'skipped'; reason: string };

/** What pollDueFeeds did. */
export interface PollSummary {
  polled: number;
  ok: number;
  notModified: number;
  failed: number;
  /** Feeds paused by this round. */
  paused: number;
  stored: number;
  deliveries: number;
  results: PollResult[];
}

const MAX_JITTER = 0.999;

function intervalMs(feed: FeedRecord): number {
  return Math.max(1000, feed.intervalSeconds * 1000);
}

function scheduleNext(feed: FeedRecord, deps: PollDeps, at: Date): Date {
  const jitter = Math.min(Math.max(deps.config.polling.jitter, 0), MAX_JITTER);
  return new Date(nextPollAt(at.getTime(), intervalMs(feed), jitter, deps.rng ?? Math.random));
}

/** Dedupe keys of an item, never none (ingest needs one): the content hash stands in. */
/** A successful poll (new items or 304): remember the validators, schedule the next one. */
async function markPolled(
  feed: FeedRecord,
  fetched: { etag: string | null; lastModified: string | null },
  deps: PollDeps,
): Promise<Date> {
  const at = deps.now();
  const next = scheduleNext(feed, deps, at);
  await deps.store.feeds.updatePollState(feed.id, {
    etag: fetched.etag,
    lastModified: fetched.lastModified,
    lastPolledAt: at,
    nextPollAt: next,
    consecutiveFailures: 0,
    lastError: null,
  });
  return next;
}

function keysOf(keyed: KeyedItem<FeedItem>): string[] {
  if (keyed.keys.length > 0) return keyed.keys;
  return [`h:${contentHash(keyed.item.title, keyed.item.text) ?? keyed.item.title}`];
}

function makeBrief(item: FeedItem, source: string, feed: FeedRecord, deps: PollDeps): Brief {
  const started = performance.now();
  const brief = briefArticle({
    title: item.title,
    text: item.text || item.title,
    url: item.link,
    source,
    publishedAt: item.publishedAt,
    language: feed.languageHint ?? item.language,
  });
  deps.onBriefed?.((performance.now() - started) / 1000);
  return brief;
}

/** Polls one feed and records the outcome in the store. Never throws. */
export async function pollFeed(feed: FeedRecord, deps: PollDeps): Promise<PollResult> {
  if (feed.paused) return { feedId: feed.id, status: 'skipped', reason: 'paused' };
  const log = deps.log ?? silentLog;
  try {
    return await poll(feed, deps, log);
  } catch (error) {
    if (deps.signal?.aborted) return { feedId: feed.id, status: 'skipped', reason: 'cancelled' };
    try {
      return await recordFailure(feed, error, deps, log);
    } catch (storeError) {
      log.error(
        `poll: feed ${feed.id}: ${errorLine(error)}; not recorded: ${errorLine(storeError)}`,
      );
      return {
        feedId: feed.id,
        status: 'failed',
        error: errorLine(error),
        failures: feed.consecutiveFailures,
        paused: false,
        notices: 0,
        nextPollAt: feed.nextPollAt,
      };
    }
  }
}

async function poll(feed: FeedRecord, deps: PollDeps, log: Log): Promise<PollResult> {
  const { store, config } = deps;
  const settings = feedSettings(feed, config);
  const fetcher = deps.fetch ?? fetchFeed;
  const fetched = await fetcher(feed.url, {
    etag: feed.etag,
    lastModified: feed.lastModified,
    allowPrivate: settings.allowPrivate,
    allowFile: settings.allowFile,
    maxBytes: config.http.maxBytes,
    timeoutMs: config.http.timeoutMs,
    maxRedirects: config.http.maxRedirects,
    userAgent: config.http.userAgent,
    signal: deps.signal,
    now: () => deps.now().getTime(),
  });
  if (fetched.status === 'not-modified') {
    const next = await markPolled(feed, fetched, deps);
    return { feedId: feed.id, status: 'not-modified', nextPollAt: next };
  }
  // A big feed is read in a worker: an item of hostile HTML stalls no other feed or chat.
  const parsed = await readFeed(fetched.bytes, {
    url: fetched.finalUrl,
    contentType: fetched.contentType,
    label: feed.url,
    signal: deps.signal,
  });
  for (const problem of parsed.problems) log.warn(`poll: feed ${feed.id}: ${problem}`);
  const { stored, deliveries } = await ingestItems(feed, parsed, settings, deps, log);
  const next = await markPolled(feed, fetched, deps);
  if (settings.autoName && parsed.title && parsed.title !== feed.name) {
    await store.feeds.updateSettings(feed.id, { name: parsed.title.slice(0, 200) });
  }
  return {
    feedId: feed.id,
    status: 'ok',
    firstPoll: feed.lastPolledAt === null,
    items: parsed.items.length,
    stored,
    deliveries,
    nextPollAt: next,
  };
}

async function ingestItems(
  feed: FeedRecord,
  parsed: ParsedFeed,
  settings: FeedSettings,
  deps: PollDeps,
  log: Log,
): Promise<{ stored: number; deliveries: number }> {
  const { store } = deps;
  const keyed = keyItems(parsed.items);
  const allKeys = [...new Set(keyed.flatMap(keysOf))];
  if (allKeys.length === 0) return { stored: 0, deliveries: 0 };
  const unseen = new Set(await store.seen.unseenKeys(feed.id, allKeys));
  const isSeen = (key: string): boolean => !unseen.has(key);
  const isNew = (keys: readonly string[]): boolean => !keys.some(isSeen);

  // Oldest first, so deliveries go out in the order the feed published them.
  const fresh =
    feed.lastPolledAt === null
      ? firstPollPolicy(parsed.items, settings.firstPollPosts).post
      : newItems(parsed.items, isSeen);

  const source = (settings.autoName ? parsed.title : '') || feed.name || parsed.title;
  const subscriptions = fresh.length > 0 ? await store.subscriptions.listByFeed(feed.id) : [];
  const toIngest: IngestItem[] = [];
  for (const entry of fresh) {
    const keys = keysOf(entry);
    if (!isNew(keys)) continue;
    let brief: Brief;
    try {
      brief = makeBrief(entry.item, source, feed, deps);
    } catch (error) {
      log.warn(`poll: feed ${feed.id}: no brief for "${entry.item.title}": ${errorLine(error)}`);
      continue;
    }
    if (!passes(brief, settings.filters, log, `feed ${feed.id} filters`)) continue;
    toIngest.push({ keys, brief, destinations: destinationsFor(brief, subscriptions, log) });
  }

  let stored = 0;
  let deliveries = 0;
  if (toIngest.length > 0) {
    for (const outcome of await store.ingest(feed.id, toIngest)) {
      if (outcome.status !== 'stored') continue;
      stored++;
      deliveries += outcome.deliveryIds.length;
    }
  }
  // Every key of every item still listed: the backlog of a first poll, items filtered out,
  // and the keys an edited item gained, so none of them comes back as new; and the keys
  // of old items are refreshed, so pruning does not forget what the feed still lists.
  await store.seen.markSeen(feed.id, allKeys);
  return { stored, deliveries };
}

async function recordFailure(
  feed: FeedRecord,
  error: unknown,
  deps: PollDeps,
  log: Log,
): Promise<PollResult> {
  const { store, config } = deps;
  const { polling } = config;
  const reason = errorLine(error);
  const failures = feed.consecutiveFailures + 1;
  const retryAfterMs = error instanceof FeedError ? error.retryAfterMs : null;
  // Exponential backoff, never sooner than the interval; a server's Retry-After wins when
  // it asks for longer (up to a day).
  const wait = Math.max(
    intervalMs(feed),
    backoffAfterFailure(failures, polling.backoffBaseMs, polling.backoffMaxMs, retryAfterMs),
  );
  const at = deps.now();
  const next = new Date(at.getTime() + wait);
  const pause = shouldPause(failures, polling.maxConsecutiveFailures);
  await store.feeds.updatePollState(feed.id, {
    consecutiveFailures: failures,
    lastError: reason,
    nextPollAt: next,
    ...(pause
      ? { paused: true, pausedReason: `${failuresText(failures)} in a row: ${reason}` }
      : {}),
  });
  let notices = 0;
  if (pause) {
    log.warn(
      `poll: feed ${feed.id} (${feed.name}) paused after ${failuresText(failures)}: ${reason}`,
    );
    notices = await notifyPaused(feed, failures, reason, deps);
  } else {
    log.warn(`poll: feed ${feed.id} (${feed.name}) failed (${failures} in a row): ${reason}`);
  }
  return {
    feedId: feed.id,
    status: 'failed',
    error: reason,
    failures,
    paused: pause,
    notices,
    nextPollAt: next,
  };
}

/** One notice to each chat subscribed to the feed (paused subscriptions aside). */
async function notifyPaused(
  feed: FeedRecord,
  failures: number,
  reason: string,
  deps: PollDeps,
): Promise<number> {
  const subscriptions = await deps.store.subscriptions.listByFeed(feed.id);
  const destinations = [
    ...new Set(subscriptions.filter((s) => !s.paused).map((s) => s.destination)),
  ];
  for (const destination of destinations) {
    const texts = textsFor(await destinationLanguage(deps.store, deps.config, destination));
    const message: OutboxMessage = {
      kind: 'notice',
      event: 'feed-paused',
      text: texts.feedPaused(feed.name, failures, reason),
      feedId: feed.id,
      feedName: feed.name,
      feedUrl: feed.url,
      failures,
      reason,
    };
    await deps.store.outbox.enqueue(destination, message);
  }
  return destinations.length;
}

/**
 * Polls every feed due at `now`, `polling.concurrency` at a time. One feed's failure is
 * recorded on that feed and never stops the others.
 */
export async function pollDueFeeds(deps: PollDeps, now: Date = deps.now()): Promise<PollSummary> {
  const due = await deps.store.feeds.due(now);
  const summary: PollSummary = {
    polled: 0,
    ok: 0,
    notModified: 0,
    failed: 0,
    paused: 0,
    stored: 0,
    deliveries: 0,
    results: [],
  };
  await eachLimited(
    due,
    deps.config.polling.concurrency,
    async (feed) => {
      const result = await pollFeed(feed, deps);
      summary.results.push(result);
      if (result.status === 'skipped') return;
      summary.polled++;
      if (result.status === 'ok') {
        summary.ok++;
        summary.stored += result.stored;
        summary.deliveries += result.deliveries;
      } else if (result.status === 'not-modified') {
        summary.notModified++;
      } else {
        summary.failed++;
        if (result.paused) summary.paused++;
      }
    },
    () => deps.signal?.aborted === true,
  );
  return summary;
}
