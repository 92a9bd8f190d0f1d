/**
 * Polls feeds: conditional GET, parse, dedupe against the store, a brief per new item,
 * routed to the subscriptions whose filters it passes, and stored with its deliveries in
 * one transaction (store.ingest). Failures back off exponentially; after
 * `polling.maxConsecutiveFailures` in a row the feed is paused and the chats subscribed to
 * it get one notice each.
 *
 * Nothing new is lost to the engine: an item it fails on (a bug, whatever the cause) is
 * stored and posted at once as its headline and link, the failure logged and counted, and
 * the item is kept as a retry: each later poll that still lists it briefs it again, and
 * the first that succeeds puts the full brief in place of the headline — for /brief,
 * /actor, digests and any post still queued — without posting it a second time (the
 * chats already have its headline and link).
 *
 * Floods are capped: a feed that changes every item's id lists its whole content as new
 * at every poll. At most `polling.maxNewItemsPerPoll` new items, the newest, are taken
 * from a poll, and at most `polling.maxNewItemsPerHour` briefs are stored for a feed in
 * any hour; the rest are marked seen and never posted. The feed's chats get one notice
 * per episode — from the first poll that holds items back to the next that holds none.
 *
 * Silence is told too, once an episode: a feed that lists no new item for longer than
 * `polling.quietAfter` (src/app/quiet.ts) gets one notice to its chats, and one more
 * when it lists a new item again; a feed that fails `polling.warnAfterFailures` polls in a
 * row gets one early warning before the pause, and one notice when a poll works again.
 */
import { setImmediate } from 'node:timers/promises';
import type { Config } from '../../config/index.js';
import { briefArticle, headlineBrief } from '../../core/brief.js';
import { loadLanguageDetectorFor } from '../../core/language.js';
import { feedText } from '../../core/render/index.js';
import type { Article, Brief } from '../../core/types.js';
import {
  contentHash,
  firstPollPolicy,
  idKeys,
  type KeyedItem,
  keyItems,
  newKeyedItems,
} from '../../feeds/dedupe.js';
import { fetchFeed } from '../../feeds/fetch.js';
import { PAGE_IMAGE_TIMEOUT_MS } from '../../feeds/page-image.js';
import { type FeedItem, itemToArticle, type ParsedFeed } from '../../feeds/parse.js';
import { backoffAfterFailure, nextPollAt, shouldPause } from '../../feeds/schedule.js';
import { readFeed } from '../../input/read.js';
import { FeedError } from '../../net/errors.js';
import { formatDuration } from '../../shared/duration.js';
import { errorLine, type Log, silentLog } from '../../shared/log.js';
import { eachLimited } from '../../shared/pool.js';
import {
  type FeedPollPatch,
  type FeedRecord,
  type IngestItem,
  type Store,
  seenRefreshMs,
} from '../../store/port.js';
import { GAP_SAMPLE, quietSpanMs } from '../quiet.js';
import { destinationsFor, passes } from '../routing.js';
import { type FeedSettings, feedSettings } from '../settings.js';
import {
  destinationLanguage,
  type FloodNotice,
  failuresText,
  type SchedulerTexts,
  textsFor,
} from '../texts.js';
import { defaultInstance, type Instance } from './instance.js';
import type { OutboxMessage } from './outbox.js';
import { withPageImages } from './page-images.js';

export interface PollDeps {
  store: Store;
  config: Pick<Config, 'feeds' | 'polling' | 'http' | 'prune'> &
    Partial<Pick<Config, 'destinations'>>;
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
  /** The engine (tests make it fail); default src/core briefArticle. */
  brief?: (article: Article) => Brief;
  /** This process's name on claims, and how long they last (a store several instances share). */
  instance?: Instance;
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
      /** New items the engine failed on, stored and posted as headline and link. */
      briefFailures: number;
      /** Headline-and-link briefs of earlier polls the engine has now briefed. */
      completed: number;
      /** New items over the flood caps, marked seen and never posted. */
      heldBack: number;
      /**
       * Notices queued: a flood that started with this poll, a quiet feed (silent too long,
       * or posting again), a feed that works again after the warning about its failures.
       */
      notices: number;
      nextPollAt: Date;
    }
  | {
      feedId: number;
      status: 'not-modified';
      /** Notices queued: the feed has gone quiet, or works again after failures. */
      notices: number;
      nextPollAt: Date;
    }
  | {
      feedId: number;
      status: 'failed';
      /** One line. */
      error: string;
      failures: number;
      /** This failure paused the feed. */
      paused: boolean;
      /** Notices queued about the pause, or the early warning before it. */
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
  /** New items posted as headline and link because the engine failed on them. */
  briefFailures: number;
  /** New items held back by the flood caps. */
  heldBack: number;
  /** Notices queued to chats (feeds failing, paused, recovered, quiet, flooding). */
  notices: number;
  results: PollResult[];
}

const MAX_JITTER = 0.999;
const HOUR_MS = 3_600_000;

function intervalMs(feed: FeedRecord): number {
  return Math.max(1000, feed.intervalSeconds * 1000);
}

function scheduleNext(feed: FeedRecord, deps: PollDeps, at: Date): Date {
  const jitter = Math.min(Math.max(deps.config.polling.jitter, 0), MAX_JITTER);
  return new Date(nextPollAt(at.getTime(), intervalMs(feed), jitter, deps.rng ?? Math.random));
}

/** A successful poll (new items or 304): remember the validators, schedule the next one. */
async function markPolled(
  feed: FeedRecord,
  fetched: { etag: string | null; lastModified: string | null },
  deps: PollDeps,
  extra: FeedPollPatch = {},
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
    ...extra,
  });
  return next;
}

/** Dedupe keys of an item, never none (ingest needs one): the content hash stands in. */
function keysOf(keyed: KeyedItem<FeedItem>): string[] {
  if (keyed.keys.length > 0) return keyed.keys;
  return [`h:${contentHash(keyed.item.title, keyed.item.text) ?? keyed.item.title}`];
}

function articleOf(item: FeedItem, source: string, feed: FeedRecord): Article {
  return itemToArticle(item, { source, languageHint: feed.languageHint });
}

/**
 * Lets the event loop run what waits (I/O callbacks: /healthz, chat updates, timers) before
 * the next stage of a poll. setImmediate, not a promise: microtasks would run on in the
 * same turn. Twice: called from an I/O callback (a module or a response just read), one
 * immediate runs straight after it, before the loop polls for I/O again; the second is then
 * queued from the check phase, so it runs only after the next poll for I/O.
 */
async function giveTheLoopATurn(): Promise<void> {
  await setImmediate();
  await setImmediate();
}

/** The engine's brief of an item; throws what the engine throws. */
async function makeBrief(article: Article, deps: PollDeps): Promise<Brief> {
  // The general language detector is large: loaded on the first article that needs it.
  await loadLanguageDetectorFor(`${article.title}\n${article.text}`);
  // Each brief in a turn of its own: otherwise a poll's briefs (and the first one's lazy
  // loads: the detector's tables, the NER model) run back to back in one turn of the event
  // loop, and /healthz and the chats wait for all of them.
  await giveTheLoopATurn();
  const started = performance.now();
  const brief = (deps.brief ?? briefArticle)(article);
  deps.onBriefed?.((performance.now() - started) / 1000);
  return brief;
}

/** An item's title as a log shows it: quoted, control characters escaped. */
const quoted = (title: string): string => JSON.stringify(title.slice(0, 200));

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
    const recovered = await recoveryAfterFailures(feed, deps, log);
    const quiet = await quietEpisode(feed, false, deps, log, settings);
    const next = await markPolled(feed, fetched, deps, quiet.patch);
    return {
      feedId: feed.id,
      status: 'not-modified',
      notices: recovered + quiet.notices,
      nextPollAt: next,
    };
  }
  // A big feed is read in a worker: an item of hostile HTML stalls no other feed or chat.
  const parsed = await readFeed(fetched.bytes, {
    url: fetched.finalUrl,
    contentType: fetched.contentType,
    label: feed.url,
    signal: deps.signal,
  });
  for (const problem of parsed.problems) log.warn(`poll: feed ${feed.id}: ${problem}`);
  const counts = await ingestItems(feed, parsed, settings, deps, log);
  const { heldBackSince, notices } = await floodEpisode(feed, counts, deps, log);
  const recovered = await recoveryAfterFailures(feed, deps, log);
  const quiet = await quietEpisode(feed, counts.found > 0, deps, log, settings);
  const next = await markPolled(feed, fetched, deps, { heldBackSince, ...quiet.patch });
  if (settings.autoName && parsed.title && parsed.title !== feed.name) {
    await store.feeds.updateSettings(feed.id, { name: parsed.title.slice(0, 200) });
  }
  return {
    feedId: feed.id,
    status: 'ok',
    firstPoll: feed.lastPolledAt === null,
    items: parsed.items.length,
    stored: counts.stored,
    deliveries: counts.deliveries,
    briefFailures: counts.briefFailures,
    completed: counts.completed,
    heldBack: counts.heldBack,
    notices: notices + recovered + quiet.notices,
    nextPollAt: next,
  };
}

/** What ingestItems did with one poll's items. */
interface IngestCounts {
  /** New items (never seen, distinct). */
  found: number;
  stored: number;
  deliveries: number;
  briefFailures: number;
  completed: number;
  heldBack: number;
}

/**
 * The flood caps' episode: the first poll that holds items back starts it and tells the
 * feed's chats once; polls that hold items back after it say nothing more; the first poll
 * that holds nothing back ends it, so the next flood is told again.
 */
async function floodEpisode(
  feed: FeedRecord,
  counts: IngestCounts,
  deps: PollDeps,
  log: Log,
): Promise<{ heldBackSince: Date | null; notices: number }> {
  const { maxNewItemsPerPoll, maxNewItemsPerHour } = deps.config.polling;
  const what = `poll: feed ${feed.id} (${feed.name})`;
  if (counts.heldBack === 0) {
    if (feed.heldBackSince !== null) log.info(`${what}: no longer flooding, nothing held back`);
    return { heldBackSince: null, notices: 0 };
  }
  const summary =
    `${counts.found} new items, ${counts.stored} stored, ${counts.heldBack} held back ` +
    `(caps: ${maxNewItemsPerPoll} a poll, ${maxNewItemsPerHour} an hour)`;
  if (feed.heldBackSince !== null) {
    log.info(`${what}: still flooding: ${summary}`);
    return { heldBackSince: feed.heldBackSince, notices: 0 };
  }
  log.warn(`${what}: flooding: ${summary}; its chats are told once`);
  const flood: FloodNotice = {
    found: counts.found,
    posted: counts.stored,
    heldBack: counts.heldBack,
    maxPerPoll: maxNewItemsPerPoll,
    maxPerHour: maxNewItemsPerHour,
  };
  const notices = await notifySubscribers(feed, deps, (texts, name) => ({
    kind: 'notice',
    event: 'feed-flood',
    text: texts.feedFlood(name, flood),
    feedId: feed.id,
    feedName: name,
    feedUrl: feed.url,
    ...flood,
  }));
  return { heldBackSince: deps.now(), notices };
}

/**
 * The quiet episode: a poll that finds no new item, when the feed has listed none for
 * longer than `polling.quietAfter`, starts it and tells the feed's chats once; later silent
 * polls say nothing more; the first poll that finds a new item (filtered or held back ones
 * count: the feed is alive) ends it and tells the chats again. The first poll is where the
 * silence starts from.
 */
async function quietEpisode(
  feed: FeedRecord,
  foundNew: boolean,
  deps: PollDeps,
  log: Log,
  settings: FeedSettings,
): Promise<{ patch: Pick<FeedPollPatch, 'lastNewItemAt' | 'quietSince'>; notices: number }> {
  const now = deps.now();
  const what = `poll: feed ${feed.id} (${feed.name})`;
  if (foundNew || feed.lastPolledAt === null) {
    if (feed.quietSince === null) return { patch: { lastNewItemAt: now }, notices: 0 };
    const silent = now.getTime() - (feed.lastNewItemAt ?? feed.quietSince).getTime();
    log.info(`${what}: new items again after ${formatDuration(silent)}; its chats are told`);
    const notices = await notifySubscribers(feed, deps, (texts, name) => ({
      kind: 'notice',
      event: 'feed-quiet-over',
      text: texts.feedQuietOver(name, texts.age(silent)),
      feedId: feed.id,
      feedName: name,
      feedUrl: feed.url,
      silentMs: silent,
    }));
    return { patch: { lastNewItemAt: now, quietSince: null }, notices };
  }
  // The feed's own setting in the config wins over polling.quietAfter.
  const own = settings.quietAfterMs;
  const setting = own === null ? deps.config.polling.quietAfterMs : own === 'off' ? null : own;
  const told = feed.quietSince !== null;
  const arrivals =
    (setting === 'auto' && !told) || feed.lastNewItemAt === null
      ? await deps.store.briefs.arrivals(feed.id, GAP_SAMPLE)
      : [];
  // A feed polled before this was kept: its last stored brief, else from now on.
  const last = feed.lastNewItemAt ?? arrivals[0] ?? now;
  const patch = feed.lastNewItemAt === null ? { lastNewItemAt: last } : {};
  if (setting === null || told) return { patch, notices: 0 };
  const silent = now.getTime() - last.getTime();
  const span = quietSpanMs(setting, arrivals);
  if (silent <= span) return { patch, notices: 0 };
  log.warn(
    `${what}: no new item for ${formatDuration(silent)} (quiet after ${formatDuration(span)}); ` +
      'its chats are told once',
  );
  const notices = await notifySubscribers(feed, deps, (texts, name) => ({
    kind: 'notice',
    event: 'feed-quiet',
    text: texts.feedQuiet(name, texts.age(silent)),
    feedId: feed.id,
    feedName: name,
    feedUrl: feed.url,
    silentMs: silent,
    quietAfterMs: span,
  }));
  return { patch: { ...patch, quietSince: now }, notices };
}

/**
 * A poll that works after the early warning about failures: the feed's chats are told.
 * Kept by no flag: the warning went out when the count of failures in a row reached
 * `warnAfterFailures`, and a poll that works is what sets the count back to 0 (as /resume
 * does, whose admin needs no notice).
 */
async function recoveryAfterFailures(feed: FeedRecord, deps: PollDeps, log: Log): Promise<number> {
  const warnAt = deps.config.polling.warnAfterFailures;
  const failures = feed.consecutiveFailures;
  if (warnAt === null || failures < warnAt) return 0;
  log.info(`poll: feed ${feed.id} (${feed.name}) works again after ${failuresText(failures)}`);
  return notifySubscribers(feed, deps, (texts, name) => ({
    kind: 'notice',
    event: 'feed-recovered',
    text: texts.feedRecovered(name, failures),
    feedId: feed.id,
    feedName: name,
    feedUrl: feed.url,
    failures,
  }));
}

async function ingestItems(
  feed: FeedRecord,
  parsed: ParsedFeed,
  settings: FeedSettings,
  deps: PollDeps,
  log: Log,
): Promise<IngestCounts> {
  const { store } = deps;
  const counts: IngestCounts = {
    found: 0,
    stored: 0,
    deliveries: 0,
    briefFailures: 0,
    completed: 0,
    heldBack: 0,
  };
  // Items the store knows by their guid or link are not hashed again: asked first.
  const ids = [...new Set(parsed.items.flatMap((item) => idKeys(item)))];
  const unseen = new Set(ids.length > 0 ? await store.seen.unseenKeys(feed.id, ids) : []);
  const keyed = keyItems(parsed.items, (key) => !unseen.has(key));
  const allKeys = [...new Set(keyed.flatMap(keysOf))];
  if (allKeys.length === 0) return counts;
  const asked = new Set(ids);
  const rest = allKeys.filter((key) => !asked.has(key));
  if (rest.length > 0)
    for (const key of await store.seen.unseenKeys(feed.id, rest)) unseen.add(key);
  const isSeen = (key: string): boolean => !unseen.has(key);
  const isNew = (keys: readonly string[]): boolean => !keys.some(isSeen);

  // Oldest first, so deliveries go out in the order the feed published them. The first
  // poll follows firstPollPosts (its backlog is no flood); later ones the flood caps.
  const fresh =
    feed.lastPolledAt === null
      ? firstPollPolicy(parsed.items, settings.firstPollPosts).post
      : newKeyedItems(keyed, isSeen);
  counts.found = fresh.length;
  const taken = feed.lastPolledAt === null ? fresh : await withinFloodCaps(feed, fresh, deps);
  counts.heldBack = fresh.length - taken.length;

  const source = (settings.autoName ? parsed.title : '') || feed.name || parsed.title;
  const subscriptions = taken.length > 0 ? await store.subscriptions.listByFeed(feed.id) : [];
  const toIngest: IngestItem[] = [];
  for (const entry of taken) {
    const keys = keysOf(entry);
    if (!isNew(keys)) continue;
    const article = articleOf(entry.item, source, feed);
    let brief: Brief;
    let briefError: string | undefined;
    try {
      brief = await makeBrief(article, deps);
    } catch (error) {
      // Never dropped: its headline and link go out now, the full brief at a later poll.
      briefError = errorLine(error);
      brief = headlineBrief(article);
      counts.briefFailures++;
      log.error(
        `poll: feed ${feed.id}: the engine failed on ${quoted(entry.item.title)}: ${briefError}; ` +
          'posting its headline and link, to be briefed again at the next polls',
      );
    }
    if (!passes(brief, settings.filters, log, `feed ${feed.id} filters`)) {
      if (briefError !== undefined) {
        log.warn(
          `poll: feed ${feed.id}: ${quoted(entry.item.title)} held by the feed's filters, ` +
            'which saw only its headline',
        );
      }
      continue;
    }
    const destinations = destinationsFor(brief, subscriptions, log);
    toIngest.push({
      keys,
      brief,
      destinations,
      ...(briefError !== undefined ? { briefError } : {}),
    });
  }

  if (toIngest.length > 0) {
    const items = await withPageImages(toIngest, subscriptions, {
      allowPrivate: settings.allowPrivate,
      userAgent: deps.config.http.userAgent,
      maxRedirects: deps.config.http.maxRedirects,
      // Never longer than the configured HTTP timeout, which may be shorter.
      timeoutMs: Math.min(PAGE_IMAGE_TIMEOUT_MS, deps.config.http.timeoutMs),
      signal: deps.signal,
    });
    // Storing builds the actors' search keys (the lexicon's, on the first): a turn of its own.
    await giveTheLoopATurn();
    for (const outcome of await store.ingest(feed.id, items)) {
      if (outcome.status !== 'stored') continue;
      counts.stored++;
      counts.deliveries += outcome.deliveryIds.length;
    }
  }
  // Every key of every item still listed: the backlog of a first poll, items filtered out,
  // items held back by the flood caps, and the keys an edited item gained, so none of them
  // comes back as new; and the keys of old items are refreshed, so pruning does not forget
  // what the feed still lists: lazily, only those past a share of the retention, so a poll
  // of an unchanged feed writes nothing.
  await store.seen.markSeen(feed.id, allKeys, {
    refreshOlderThanMs: seenRefreshMs(deps.config.prune.keepDays),
  });
  const listedBefore = keyed.filter(({ keys }) => keys.some(isSeen));
  counts.completed = await completeRetries(feed, listedBefore, source, deps, log);
  return counts;
}

/**
 * The new items a poll may take under the flood caps (the newest, oldest first): at most
 * `maxNewItemsPerPoll`, and no more than the briefs stored for the feed in the last hour
 * leave of `maxNewItemsPerHour`.
 */
async function withinFloodCaps<T>(
  feed: FeedRecord,
  fresh: readonly T[],
  deps: PollDeps,
): Promise<readonly T[]> {
  const { maxNewItemsPerPoll, maxNewItemsPerHour } = deps.config.polling;
  if (fresh.length === 0) return fresh;
  const since = new Date(deps.now().getTime() - HOUR_MS);
  const lastHour = await deps.store.briefs.countForFeed(feed.id, since);
  const room = Math.max(0, Math.min(maxNewItemsPerPoll, maxNewItemsPerHour - lastHour));
  return fresh.slice(Math.max(0, fresh.length - room));
}

/**
 * Briefs again the items the engine failed on at an earlier poll (those the feed still
 * lists), at most `maxNewItemsPerPoll` of them; each one briefed now replaces its stored
 * headline-and-link brief. Returns how many were.
 */
async function completeRetries(
  feed: FeedRecord,
  listed: readonly KeyedItem<FeedItem>[],
  source: string,
  deps: PollDeps,
  log: Log,
): Promise<number> {
  if (listed.length === 0) return 0;
  const retries = await deps.store.briefs.retries(feed.id, listed.flatMap(keysOf));
  if (retries.length === 0) return 0;
  const briefOf = new Map(retries.map((r) => [r.key, r.briefId]));
  const items = new Map<number, FeedItem>();
  for (const entry of listed) {
    const briefId = keysOf(entry)
      .map((key) => briefOf.get(key))
      .find((id) => id !== undefined);
    if (briefId !== undefined && !items.has(briefId)) items.set(briefId, entry.item);
  }
  let completed = 0;
  for (const [briefId, item] of [...items].slice(0, deps.config.polling.maxNewItemsPerPoll)) {
    let brief: Brief;
    try {
      brief = await makeBrief(articleOf(item, source, feed), deps);
    } catch (error) {
      log.debug(`poll: feed ${feed.id}: ${quoted(item.title)} still fails: ${errorLine(error)}`);
      continue;
    }
    if (await deps.store.briefs.complete(briefId, brief)) {
      completed++;
      log.info(`poll: feed ${feed.id}: ${quoted(item.title)} briefed at last (brief ${briefId})`);
    }
  }
  return completed;
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
  } else if (failures === polling.warnAfterFailures) {
    log.warn(
      `poll: feed ${feed.id} (${feed.name}) failed ${failures} in a row: ${reason}; ` +
        'its chats are warned once',
    );
    notices = await notifyFailing(feed, failures, reason, deps);
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

function notifyPaused(
  feed: FeedRecord,
  failures: number,
  reason: string,
  deps: PollDeps,
): Promise<number> {
  // The server's error is feed text too: shown as every chat shows it.
  const shownReason = feedText(reason);
  return notifySubscribers(feed, deps, (texts, name) => ({
    kind: 'notice',
    event: 'feed-paused',
    text: texts.feedPaused(name, failures, shownReason),
    feedId: feed.id,
    feedName: name,
    feedUrl: feed.url,
    failures,
    reason: shownReason,
  }));
}

/** The early warning, once: the feed keeps failing and will be paused if it goes on. */
function notifyFailing(
  feed: FeedRecord,
  failures: number,
  reason: string,
  deps: PollDeps,
): Promise<number> {
  const shownReason = feedText(reason);
  const pauseAfter = deps.config.polling.maxConsecutiveFailures;
  return notifySubscribers(feed, deps, (texts, name) => ({
    kind: 'notice',
    event: 'feed-failing',
    text: texts.feedFailing(name, failures, shownReason, pauseAfter),
    feedId: feed.id,
    feedName: name,
    feedUrl: feed.url,
    failures,
    pauseAfter,
    reason: shownReason,
  }));
}

/**
 * One notice to each chat subscribed to the feed (paused subscriptions aside), in the
 * chat's language; returns how many were queued.
 */
async function notifySubscribers(
  feed: FeedRecord,
  deps: PollDeps,
  notice: (texts: SchedulerTexts, feedName: string) => OutboxMessage,
): Promise<number> {
  const subscriptions = await deps.store.subscriptions.listByFeed(feed.id);
  const destinations = [
    ...new Set(subscriptions.filter((s) => !s.paused).map((s) => s.destination)),
  ];
  // The feed's title and its server's error are feed text: shown as every chat shows it.
  const name = feedText(feed.name) || feed.url;
  for (const destination of destinations) {
    const texts = textsFor(await destinationLanguage(deps.store, deps.config, destination));
    await deps.store.outbox.enqueue(destination, notice(texts, name));
  }
  return destinations.length;
}

/**
 * Polls every feed due at `now`, `polling.concurrency` at a time. One feed's failure is
 * recorded on that feed and never stops the others.
 */
export async function pollDueFeeds(deps: PollDeps, now: Date = deps.now()): Promise<PollSummary> {
  // Instances sharing the store each take other feeds; one alone takes them all.
  const instance = deps.instance ?? defaultInstance();
  const shared = deps.store.cluster !== null;
  const summary: PollSummary = {
    polled: 0,
    ok: 0,
    notModified: 0,
    failed: 0,
    paused: 0,
    stored: 0,
    deliveries: 0,
    briefFailures: 0,
    heldBack: 0,
    notices: 0,
    results: [],
  };
  // Every feed due, a page at a time: no cap on how many one tick polls, and no more than
  // a page of feed rows in memory. A polled feed is due no more (its next poll is set);
  // one that is still (skipped) is not taken twice, and ends the tick if a page is all such.
  const taken = new Set<number>();
  // Instances sharing the store claim what they can poll at once (twice their concurrency),
  // not a whole page: the first to claim would otherwise take every due feed, and the
  // others poll nothing however many there are.
  const pageSize = shared
    ? Math.min(DUE_PAGE, Math.max(2, 2 * deps.config.polling.concurrency))
    : DUE_PAGE;
  for (;;) {
    if (deps.signal?.aborted === true) break;
    const page = shared
      ? await deps.store.feeds.claimDue(now, instance.owner, instance.leaseMs, pageSize)
      : await deps.store.feeds.due(now, DUE_PAGE);
    const due = page.filter((feed) => !taken.has(feed.id));
    if (due.length === 0) break;
    for (const feed of due) taken.add(feed.id);
    await pollPage(due, deps, summary, shared ? instance.owner : null);
    if (page.length < pageSize) break;
  }
  return summary;
}

/** Feeds read from the store at once by pollDueFeeds. */
export const DUE_PAGE = 500;

/** `claimant`: the instance whose claims on these feeds to let go of once each is polled. */
async function pollPage(
  due: FeedRecord[],
  deps: PollDeps,
  summary: PollSummary,
  claimant: string | null,
): Promise<void> {
  await eachLimited(
    due,
    deps.config.polling.concurrency,
    async (feed) => {
      let result: PollResult;
      try {
        result = await pollFeed(feed, deps);
      } finally {
        // Polled (its next poll is set) or given up: either way no longer this instance's.
        if (claimant !== null) await deps.store.feeds.releaseClaims([feed.id], claimant);
      }
      summary.results.push(result);
      if (result.status === 'skipped') return;
      summary.polled++;
      if (result.status === 'ok') {
        summary.ok++;
        summary.stored += result.stored;
        summary.deliveries += result.deliveries;
        summary.briefFailures += result.briefFailures;
        summary.heldBack += result.heldBack;
        summary.notices += result.notices;
      } else if (result.status === 'not-modified') {
        summary.notModified++;
        summary.notices += result.notices;
      } else {
        summary.failed++;
        if (result.paused) summary.paused++;
        summary.notices += result.notices;
      }
    },
    () => deps.signal?.aborted === true,
  );
}
