/**
 * The storage port: everything the bot keeps, as the scheduler, the outbox sender and the
 * command handler see it. Every method returns a Promise so that a PostgreSQL
 * implementation (network round trips, several instances) fits without touching callers;
 * the SQLite one answers synchronously underneath.
 *
 * Conventions
 * - Times are `Date`s; ids of rows the store creates are integers (SQLite rowid, PostgreSQL
 *   identity); actor ids are the engine's stable slugs.
 * - JSON columns (feed options, subscription filters, message payloads) are `unknown` on the
 *   way out: the store keeps whatever JSON the caller gave, the caller validates it.
 * - A destination is a string naming a chat: 'console', 'telegram:-100123', 'discord:987'.
 * - Each method is atomic on its own; `ingest` is the one that spans several concerns.
 */
import type { BriefLocale } from '../core/render/labels.js';
import type { ActorKind, Brief } from '../core/types.js';

import type { Destination } from '../shared/destination.js';

/** A chat the bot posts to: 'console', 'telegram:<chat id>[/<topic id>]', 'discord:<channel id>[/<thread id>]'. */
export type { Destination } from '../shared/destination.js';

// ── Feeds ────────────────────────────────────────────────────────────────────────────────

export type FeedOrigin = 'config' | 'chat';

export interface NewFeed {
  url: string;
  name: string;
  intervalSeconds: number;
  languageHint: string | null;
  /** 'config' feeds come from the config file; 'chat' feeds were added with /subscribe. */
  origin: FeedOrigin;
  /** Any JSON (per-feed options from the config); `{}` when absent. */
  options?: unknown;
}

export interface FeedRecord {
  id: number;
  url: string;
  name: string;
  intervalSeconds: number;
  languageHint: string | null;
  origin: FeedOrigin;
  options: unknown;
  etag: string | null;
  lastModified: string | null;
  /** Null until the first poll: the poller then marks the backlog seen instead of posting it. */
  lastPolledAt: Date | null;
  nextPollAt: Date;
  consecutiveFailures: number;
  lastError: string | null;
  paused: boolean;
  pausedReason: string | null;
  /**
   * Since when polls have been holding back new items over the flood caps (the feed's
   * chats were told once, then); null when the last poll held nothing back.
   */
  heldBackSince: Date | null;
  /**
   * When a poll last found a new item (filtered or held back ones too); the first poll
   * sets it. Null until then.
   */
  lastNewItemAt: Date | null;
  /** Since when the feed's chats were told it has gone quiet; null when it is not. */
  quietSince: Date | null;
  createdAt: Date;
}

/** What a poll changes; absent fields keep their value. */
export interface FeedPollPatch {
  etag?: string | null;
  lastModified?: string | null;
  lastPolledAt?: Date | null;
  nextPollAt?: Date;
  consecutiveFailures?: number;
  lastError?: string | null;
  paused?: boolean;
  pausedReason?: string | null;
  heldBackSince?: Date | null;
  lastNewItemAt?: Date | null;
  quietSince?: Date | null;
}

/** What the config (or an admin) may change; absent fields keep their value. */
export interface FeedSettingsPatch {
  name?: string;
  intervalSeconds?: number;
  languageHint?: string | null;
  options?: unknown;
}

export interface FeedStore {
  /** Adds the feed, or returns the one already stored under this URL (`created: false`). */
  add(feed: NewFeed): Promise<{ feed: FeedRecord; created: boolean }>;
  get(id: number): Promise<FeedRecord | null>;
  /** The feeds of these ids that exist, in the order given, in one query (/feeds). */
  getMany(ids: readonly number[]): Promise<FeedRecord[]>;
  getByUrl(url: string): Promise<FeedRecord | null>;
  /** Every feed, by id. */
  list(): Promise<FeedRecord[]>;
  /** Records a poll's outcome (conditional-GET validators, schedule, failures, pause). */
  updatePollState(id: number, patch: FeedPollPatch): Promise<FeedRecord | null>;
  updateSettings(id: number, patch: FeedSettingsPatch): Promise<FeedRecord | null>;
  /** Removes the feed, its seen items and subscriptions; its briefs stay (actor history). */
  remove(id: number): Promise<boolean>;
  /** Feeds not paused whose nextPollAt <= now, the most overdue first. */
  due(now: Date, limit?: number): Promise<FeedRecord[]>;
  /**
   * Due feeds (as `due`) that no other instance has claimed, claimed for `owner` for
   * `leaseMs`: several instances sharing the store never poll one feed at once, and a
   * feed claimed by an instance that died is due again once its claim expires.
   */
  claimDue(now: Date, owner: string, leaseMs: number, limit?: number): Promise<FeedRecord[]>;
  /** Lets go of the claims `owner` holds on these feeds (their poll is over); how many. */
  releaseClaims(ids: readonly number[], owner: string): Promise<number>;
}

// ── Items seen (dedupe) ──────────────────────────────────────────────────────────────────

/**
 * An item has several keys (guid, normalised link, content hash); it is seen if ANY of its
 * keys is seen. Keys are per feed.
 */
export interface SeenStore {
  /** The given keys not seen yet for this feed, in the order given, without repeats. */
  unseenKeys(feedId: number, keys: readonly string[]): Promise<string[]>;
  /**
   * Marks keys seen, or refreshes when they were last seen. Call it, once a poll, with every
   * key of every item the feed still lists: pruning forgets keys by that time (all but those
   * within `seenRefreshMs` of the feed's newest), and a forgotten key that is still in the
   * feed would be posted again. With `refreshOlderThanMs` (seenRefreshMs of the retention),
   * a known key's time is rewritten only when it is older than that: a poll of an unchanged
   * feed writes nothing.
   */
  markSeen(
    feedId: number,
    keys: readonly string[],
    options?: { refreshOlderThanMs?: number },
  ): Promise<void>;
}

/** markSeen refreshes a key once it is older than this share of the retention. */
export const SEEN_REFRESH_SHARE = 0.25;

/**
 * How old a seen key may get before a poll that still lists its item refreshes it, for a
 * retention of `keepDays` (prune's days). Prune keeps each feed's keys this close to its
 * newest key, so every key of the feed's latest poll outlives the retention: each was
 * written or refreshed within this span before that poll, and the newest key no later.
 */
export function seenRefreshMs(keepDays: number): number {
  return keepDays * 86_400_000 * SEEN_REFRESH_SHARE;
}

// ── Ingest: items → briefs → deliveries, in one transaction ──────────────────────────────

export interface IngestItem {
  /** The item's dedupe keys; at least one. */
  keys: readonly string[];
  brief: Brief;
  /** Where it must be posted (the caller applied the subscriptions' filters). */
  destinations: readonly Destination[];
  /**
   * Why the engine could not brief the item: `brief` is then only its headline and link,
   * and the item is kept to be briefed again (BriefStore.retries, BriefStore.complete).
   */
  briefError?: string;
}

export type IngestOutcome =
  | { status: 'stored'; briefId: number; deliveryIds: number[] }
  /** One of its keys was already seen (another poll, another instance, or earlier in the batch). */
  | { status: 'duplicate' };

// ── Briefs ───────────────────────────────────────────────────────────────────────────────

export interface BriefRecord {
  id: number;
  /** Null once the feed is removed. */
  feedId: number | null;
  createdAt: Date;
  brief: Brief;
}

/**
 * What a digest shows of a brief: headline, link, source, date, and its first actor (the
 * one a digest groups it by). The store keeps it beside the brief: a digest reads hundreds
 * of briefs, and their actors' roles and aliases are most of each brief's JSON.
 */
export interface DigestBrief extends Pick<Brief, 'title' | 'url' | 'source' | 'publishedAt'> {
  /** The brief's first actor, or none: a full Brief fits here too. */
  actors: readonly Pick<Brief['actors'][number], 'id' | 'name' | 'kind'>[];
}

export interface DigestBriefRecord extends Omit<BriefRecord, 'brief'> {
  brief: DigestBrief;
}

/**
 * How many of the store's newest briefs (or its first since a digest's start) /brief and a
 * digest read, on one index, before they look feed by feed: enough for a chat whose feeds
 * post often, a few milliseconds whatever the store's size. Each store reads at least twice
 * the briefs asked for.
 */
export const NEWEST_WALK_ROWS = 1000;
/** Chats of at most this many feeds skip that walk: a look-up per feed costs them less. */
export const NEWEST_WALK_MIN_FEEDS = 50;
export const newestWalkRows = (limit: number): number => Math.max(NEWEST_WALK_ROWS, 2 * limit);

export interface BriefStore {
  get(id: number): Promise<BriefRecord | null>;
  /** The latest briefs of the feeds the destination subscribes to (paused ones too), newest first. */
  latestFor(destination: Destination, limit: number): Promise<BriefRecord[]>;
  /**
   * Briefs stored since `since` (inclusive) for the destination's active subscriptions,
   * oldest first: what a digest covers, as much of each as it shows.
   */
  sinceFor(destination: Destination, since: Date, limit?: number): Promise<DigestBriefRecord[]>;
  /** How many briefs were stored for the feed since `since` (inclusive): the flood cap's count. */
  countForFeed(feedId: number, since: Date): Promise<number>;
  /**
   * When briefs of the feed were stored, each time once (a poll stores its new items at one
   * time), newest first, at most `limit`: the feed's usual gap between new items comes
   * from these.
   */
  arrivals(feedId: number, limit: number): Promise<Date[]>;
  /**
   * The headline-and-link briefs (ingested with a `briefError`) of the feed's items that
   * have any of these keys: which brief each key belongs to.
   */
  retries(feedId: number, keys: readonly string[]): Promise<BriefRetry[]>;
  /**
   * Puts the full brief in place of a headline-and-link one, with its actors; deliveries
   * still pending carry the full one. False when the brief is no retry (any more).
   */
  complete(briefId: number, brief: Brief): Promise<boolean>;
}

/** A dedupe key of an item whose brief is, for now, only its headline and link. */
export interface BriefRetry {
  key: string;
  briefId: number;
}

// ── Outbox ───────────────────────────────────────────────────────────────────────────────

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

/**
 * The built-in templates — full: headline, summary, actors, tags; compact: headline, link
 * and tags — or a custom one, its text with placeholders (core/render/template.ts).
 */
export type Template = 'full' | 'compact' | { custom: string };

interface DeliveryBase {
  id: number;
  destination: Destination;
  status: DeliveryStatus;
  attempts: number;
  /** A retry waits until then; the sender also holds back the ones queued behind it. */
  nextAttemptAt: Date;
  /** The last transient error, or the reason a failed delivery was given up. */
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** A brief to post, or any other message (digest, notice) the caller enqueued as JSON. */
export type Delivery =
  | (DeliveryBase & {
      kind: 'brief';
      briefId: number;
      brief: Brief;
      /** How the subscription posts briefs (config `template`); 'full' when it says nothing. */
      template: Template;
      /** Show the brief's lead image, if it has one (config `media`, /media); default on. */
      media: boolean;
      /** Telegram's link preview when no image is shown (config `preview`, /preview); default on. */
      preview: boolean;
      /**
       * The chat's language and time zone for the brief's labels and dates; the outbox sets
       * it when it sends (renderers write English and UTC without).
       */
      locale?: BriefLocale;
    })
  | (DeliveryBase & { kind: 'message'; payload: unknown });

export interface OutboxStats {
  pending: number;
  oldestPendingAt: Date | null;
}

/**
 * Deliveries are sent in creation order per destination. Nothing is "taken": a delivery
 * stays pending until marked, so one in flight when the process dies is sent again on
 * restart (at most that one repeats). Several senders share work through `LeaseStore`.
 */
export interface OutboxStore {
  /** Queues a non-brief message (a digest, a notice to admins); returns its delivery id. */
  enqueue(destination: Destination, payload: unknown): Promise<number>;
  /** Destinations whose oldest pending delivery is due at `now` (all with pending, if no `now`). */
  destinations(now?: Date): Promise<Destination[]>;
  /** The destination's pending deliveries in creation order, due or not. */
  pending(destination: Destination, limit: number): Promise<Delivery[]>;
  get(id: number): Promise<Delivery | null>;
  /** False when it was no longer pending (already sent or failed). */
  markSent(id: number): Promise<boolean>;
  /** A transient error: attempts + 1, wait until `nextAttemptAt`. */
  retry(id: number, nextAttemptAt: Date, error: string): Promise<boolean>;
  /** A permanent error: never sent, the reason kept. */
  fail(id: number, reason: string): Promise<boolean>;
  stats(): Promise<OutboxStats>;
}

// ── Subscriptions ────────────────────────────────────────────────────────────────────────

export interface SubscriptionRecord {
  id: number;
  feedId: number;
  destination: Destination;
  /** Whatever JSON the caller stored (the filter language belongs to src/feeds). */
  filters: unknown;
  paused: boolean;
  pausedReason: string | null;
  createdAt: Date;
}

/** What /feeds shows of a subscribed feed. */
export type FeedSummary = Pick<
  FeedRecord,
  | 'id'
  | 'url'
  | 'name'
  | 'paused'
  | 'pausedReason'
  | 'consecutiveFailures'
  | 'lastError'
  | 'lastPolledAt'
  | 'lastNewItemAt'
>;

export interface SubscribedFeed {
  subscription: SubscriptionRecord;
  feed: FeedSummary;
}

/**
 * A chat changed or left a subscription the config file made (/filter, /unsubscribe) while
 * the config's entry for it was `configEntry` (a fingerprint the scheduler computes).
 */
export interface ChatOverride {
  feedId: number;
  destination: Destination;
  configEntry: string;
  createdAt: Date;
}

export interface MoveResult {
  subscriptions: number;
  deliveries: number;
  digest: boolean;
}

export interface SubscriptionStore {
  /** Subscribes, or returns the existing subscription of this feed and destination. */
  add(
    feedId: number,
    destination: Destination,
    filters?: unknown,
  ): Promise<{ subscription: SubscriptionRecord; created: boolean }>;
  get(id: number): Promise<SubscriptionRecord | null>;
  listByDestination(destination: Destination): Promise<SubscriptionRecord[]>;
  /**
   * The destination's subscriptions, by id as listByDestination, each with what /feeds
   * shows of its feed: one query for a chat of thousands, no feed read whole.
   */
  listWithFeeds(destination: Destination): Promise<SubscribedFeed[]>;
  /**
   * The subscriptions of a chat's forum topics or a channel's threads (`<chat>/<topic>`):
   * what /feeds in the parent lists below its own. By destination, then id.
   */
  listInTopicsOf(parent: Destination): Promise<SubscriptionRecord[]>;
  listByFeed(feedId: number): Promise<SubscriptionRecord[]>;
  setFilters(id: number, filters: unknown): Promise<SubscriptionRecord | null>;
  /** Unsubscribes; the feed's briefs still pending for that destination are failed ('unsubscribed'). */
  remove(id: number): Promise<boolean>;
  pause(id: number, reason: string): Promise<boolean>;
  resume(id: number): Promise<boolean>;
  /** Pauses every subscription of a destination (the bot was removed from the chat); returns how many. */
  pauseDestination(destination: Destination, reason: string): Promise<number>;
  resumeDestination(destination: Destination): Promise<number>;
  /**
   * Moves a chat to a new destination (a Telegram group became a supergroup): its
   * subscriptions, pending deliveries, digest and options. What the new destination already
   * has wins.
   */
  moveDestination(from: Destination, to: Destination): Promise<MoveResult>;
  /** Records (or replaces) the chat's override of the config's subscription of a feed. */
  override(feedId: number, destination: Destination, configEntry: string): Promise<ChatOverride>;
  overrideOf(feedId: number, destination: Destination): Promise<ChatOverride | null>;
  listOverrides(): Promise<ChatOverride[]>;
  dropOverride(feedId: number, destination: Destination): Promise<boolean>;
}

// ── Actors (/actor) ──────────────────────────────────────────────────────────────────────

export type ActorMatchKind = 'exact' | 'prefix' | 'fuzzy';

export interface ActorMatch {
  id: string;
  name: string;
  kind: ActorKind;
  match: ActorMatchKind;
  /** Edit distance of the query to the name or word matched; 0 unless fuzzy. */
  distance: number;
  /** The folded name, alias or word that matched. */
  matched: string;
  briefCount: number;
  lastSeenAt: Date;
}

export interface ActorRole {
  role: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  briefCount: number;
}

export interface CoActor {
  id: string;
  name: string;
  kind: ActorKind;
  /** How many of the actor's briefs they share. */
  together: number;
}

export interface ActorProfile {
  id: string;
  name: string;
  kind: ActorKind;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** Every brief that names the actor (kept on the actor's row: no count at read time). */
  briefCount: number;
  /**
   * Distinct roles in the actor's latest briefs (ROLE_WINDOW of them), the most recently
   * seen first; dates are the briefs' publication dates, counts within those briefs.
   */
  roles: ActorRole[];
  latestBriefs: BriefRecord[];
  /** The actors most often in the same briefs, among the actor's latest briefs. */
  coActors: CoActor[];
}

export interface ActorStore {
  /**
   * Case-, accent- and typo-tolerant search over names and aliases seen ("belusov",
   * "Séoul"): exact matches first, then prefixes, then edit distance ≤ 2; within a rank
   * the actors in more briefs first.
   */
  search(query: string, limit?: number): Promise<ActorMatch[]>;
  /**
   * The matches a name or alias gives exactly (case and accents aside), ranked as `search`
   * ranks them: what `search` lists first, read by one index lookup without the prefix and
   * typo search. /actor asks this first and searches only when it is empty.
   */
  exact(query: string, limit?: number): Promise<ActorMatch[]>;
  /**
   * `exact`, and with it the profile of its first match when that match is the one /actor
   * shows (the only match, or the only one whose whole name or alias was typed; else null):
   * on PostgreSQL one round trip where `exact` then `profile` take two.
   */
  exactWithProfile(
    query: string,
    limit: number,
    options?: { briefs?: number; coActors?: number },
  ): Promise<{ matches: ActorMatch[]; profile: ActorProfile | null }>;
  profile(
    id: string,
    options?: { briefs?: number; coActors?: number },
  ): Promise<ActorProfile | null>;
}

// ── Digests ──────────────────────────────────────────────────────────────────────────────

export interface DigestRecord {
  destination: Destination;
  cron: string;
  /** IANA name, e.g. 'Europe/Rome'. */
  timezone: string;
  lastSentAt: Date | null;
  createdAt: Date;
}

export interface DigestStore {
  /** Sets (or changes) a destination's digest schedule; lastSentAt is kept. */
  set(destination: Destination, cron: string, timezone: string): Promise<DigestRecord>;
  get(destination: Destination): Promise<DigestRecord | null>;
  list(): Promise<DigestRecord[]>;
  remove(destination: Destination): Promise<boolean>;
  markSent(destination: Destination, at: Date): Promise<boolean>;
}

// ── Destination options (set from the chat) ──────────────────────────────────────────────

/**
 * What a chat set for itself with commands, e.g. `{ language: 'it' }` from /lang: a JSON
 * object per destination, read over the config's `destinations` options. The keys belong to
 * the callers; the store keeps whatever JSON it is given.
 */
export type DestinationSettings = Record<string, unknown>;

export interface DestinationStore {
  /** The destination's options; `{}` when it set none. */
  get(destination: Destination): Promise<DestinationSettings>;
  /** Merges `patch` into the destination's options (a key set to null is removed); returns them all. */
  set(destination: Destination, patch: DestinationSettings): Promise<DestinationSettings>;
}

// ── Leases (several instances sharing work) ──────────────────────────────────────────────

/**
 * A named lease ('outbox:telegram:-100123', 'feed:12') held by one owner until it expires,
 * so that two instances never drain the same destination or poll the same feed at once.
 */
export interface LeaseStore {
  /** Takes or renews the lease; false when another owner holds it unexpired. */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  release(name: string, owner: string): Promise<boolean>;
}

// ── Several instances (PostgreSQL) ───────────────────────────────────────────────────────

/** One window of a platform's allowance, under the name instances share it by. */
export interface RateBucket {
  /** e.g. 'telegram:*:30/1000' (the bot's), 'telegram:-100123:1/1000' (one chat's). */
  key: string;
  count: number;
  perMs: number;
}

export type RateTake =
  /** A token was taken from every bucket, each out for its bucket's `perMs` from now. */
  | { ok: true; tokens: RateTokens }
  /** One bucket is empty: nothing was taken; ask again in `waitMs`. */
  | { ok: false; waitMs: number };

/** The tokens one take took (opaque to callers), to re-time once their send is answered. */
export interface RateTokens {
  readonly ids: readonly string[];
  /**
   * When they were taken, in ms on the store server's clock: their time. Another clock than
   * the caller's, so only differences between takes mean anything (a constant offset).
   */
  readonly at: number;
}

/** The platforms' allowances kept in the store, so that instances share them. */
export interface RateStore {
  /**
   * A token from each bucket, all or none, on the store server's clock. `awaited`: the
   * caller will report the send's answer with `answered`.
   */
  take(buckets: readonly RateBucket[], options?: { awaited?: boolean }): Promise<RateTake>;
  /**
   * The send an awaited take was for came back `lateMs` later than the shortest round trip,
   * so it may have reached the platform that late: its tokens stay out that much longer.
   * (Not held open until the answer, as in-process tokens are: under load this write can
   * take longer than the send, and open tokens would starve the allowance meanwhile.)
   */
  answered(tokens: RateTokens, lateMs: number): Promise<void>;
}

/** Being the one instance that does something (takes Telegram's updates). */
export interface Leadership {
  /** Aborted when it is lost: the store's connection dropped, or it was released. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * What instances sharing one store need beyond claims and leases: shared platform
 * allowances, and an election for work only one of them may do at a time.
 */
export interface ClusterStore {
  readonly rates: RateStore;
  /**
   * Resolves once this instance leads `name` (asking again every `retryMs` while another
   * does); rejects with the signal's reason when it is aborted first.
   */
  lead(name: string, options: { retryMs: number; signal: AbortSignal }): Promise<Leadership>;
}

// ── Prune ────────────────────────────────────────────────────────────────────────────────

export interface PruneResult {
  briefs: number;
  items: number;
  deliveries: number;
  actors: number;
}

// ── Health and backup (briefwire doctor, briefwire db backup) ─────────────────────────────

/** The implementations behind the port. */
export type StoreKind = 'sqlite' | 'postgres';

/**
 * What `briefwire doctor` reports of a store, read without creating, migrating or changing
 * it (the bot may be running on it).
 */
export type StoreHealth =
  /** Nothing there yet: the bot creates the store at its first run. */
  | {
      state: 'absent';
      where: string /** e.g. 'data/briefwire.db does not exist yet'. */;
      detail: string;
    }
  /** A store the bot can use; an older schema version is migrated at the next start. */
  | {
      state: 'usable';
      kind: StoreKind;
      /** The file, or the server and database, as messages show it (never a password). */
      where: string;
      schemaVersion: number;
      latestVersion: number;
      /** The consistency check that passed, e.g. 'quick_check ok'. */
      check: string;
      /** What it holds; null until it is migrated to the latest version. */
      contents: { feeds: number; briefs: number; pendingDeliveries: number } | null;
      /** What the store takes on disk, when the implementation can tell. */
      bytes: number | null;
    }
  /** A store the bot refuses or cannot reach: what is wrong, and what to do about it. */
  | {
      state: 'unusable';
      where: string;
      /** 'warn' when it may pass by itself (a lock held for a moment). */
      severity: 'fail' | 'warn';
      problem: string;
      fix: string | null;
    };

export interface BackupOptions {
  /** Replace FILE when it exists; otherwise an existing FILE is refused. */
  force?: boolean;
  /** What to call files in messages (relative paths); default as given. */
  show?: (file: string) => string;
}

export interface BackupResult {
  /** The copy, absolute. */
  file: string;
  bytes: number;
  /** What was copied, for the user: '33 pages', '1,204 briefs'. */
  copied: string;
}

/**
 * What maintenance needs of a store: opened without creating or migrating it, never written
 * to, usable while the bot runs.
 */
export interface StoreMaintenance {
  readonly kind: StoreKind;
  health(): Promise<StoreHealth>;
  /** An online copy in FILE; throws BackupError with a message for the user. */
  backup(target: string, options?: BackupOptions): Promise<BackupResult>;
  close(): Promise<void>;
}

// ── The store ────────────────────────────────────────────────────────────────────────────

export interface Store {
  readonly feeds: FeedStore;
  readonly seen: SeenStore;
  readonly briefs: BriefStore;
  readonly outbox: OutboxStore;
  readonly subscriptions: SubscriptionStore;
  readonly actors: ActorStore;
  readonly digests: DigestStore;
  /** Per-chat options set from the chat (/lang); moveDestination moves them too. */
  readonly destinations: DestinationStore;
  readonly leases: LeaseStore;
  /**
   * Null when the store is one instance's own (SQLite: its file): nothing is claimed, and
   * the platforms' allowances are kept in the process.
   */
  readonly cluster: ClusterStore | null;
  /**
   * In one transaction, for each item (pass them oldest first: delivery order follows):
   * skip it if any key is already seen, else mark its keys seen, store its brief and
   * actors, and queue one delivery per destination. All or nothing.
   */
  ingest(feedId: number, items: readonly IngestItem[]): Promise<IngestOutcome[]>;
  /**
   * Deletes briefs, seen keys, finished deliveries and unreferenced actors older than the
   * given number of days; a brief with a pending delivery stays, and so do the seen keys of
   * each feed's latest poll (those within seenRefreshMs(days) of its newest key), however
   * old: a feed that answers 304 Not Modified, or fails, for longer still lists those items.
   */
  prune(olderThanDays: number): Promise<PruneResult>;
  close(): Promise<void>;
}
