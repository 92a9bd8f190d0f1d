import { inOrder } from '../in-order.js';
import type {
  FeedOrigin,
  FeedPollPatch,
  FeedRecord,
  FeedSettingsPatch,
  FeedStore,
  NewFeed,
} from '../port.js';
import { allRows, bool, type Context, fromJson, toDate, toJson, toMs } from './context.js';

interface FeedRow {
  id: number;
  url: string;
  name: string;
  interval_seconds: number;
  language_hint: string | null;
  origin: FeedOrigin;
  options: string;
  etag: string | null;
  last_modified: string | null;
  last_polled_at: number | null;
  next_poll_at: number;
  consecutive_failures: number;
  last_error: string | null;
  paused: number;
  paused_reason: string | null;
  held_back_since: number | null;
  last_new_item_at: number | null;
  quiet_since: number | null;
  created_at: number;
}

function toFeed(row: FeedRow): FeedRecord {
  return {
    id: row.id,
    url: row.url,
    name: row.name,
    intervalSeconds: row.interval_seconds,
    languageHint: row.language_hint,
    origin: row.origin,
    options: fromJson(row.options),
    etag: row.etag,
    lastModified: row.last_modified,
    lastPolledAt: toDate(row.last_polled_at),
    nextPollAt: toDate(row.next_poll_at),
    consecutiveFailures: row.consecutive_failures,
    lastError: row.last_error,
    paused: bool(row.paused),
    pausedReason: row.paused_reason,
    heldBackSince: toDate(row.held_back_since),
    lastNewItemAt: toDate(row.last_new_item_at),
    quietSince: toDate(row.quiet_since),
    createdAt: toDate(row.created_at),
  };
}

/** A patch applied to a row read in the same transaction: one statement serves every patch. */
function applyPollPatch(row: FeedRow, patch: FeedPollPatch): FeedRow {
  return {
    ...row,
    etag: patch.etag !== undefined ? patch.etag : row.etag,
    last_modified: patch.lastModified !== undefined ? patch.lastModified : row.last_modified,
    last_polled_at:
      patch.lastPolledAt !== undefined ? toMs(patch.lastPolledAt) : row.last_polled_at,
    next_poll_at: patch.nextPollAt !== undefined ? toMs(patch.nextPollAt) : row.next_poll_at,
    consecutive_failures: patch.consecutiveFailures ?? row.consecutive_failures,
    last_error: patch.lastError !== undefined ? patch.lastError : row.last_error,
    paused: patch.paused !== undefined ? Number(patch.paused) : row.paused,
    paused_reason: patch.pausedReason !== undefined ? patch.pausedReason : row.paused_reason,
    held_back_since:
      patch.heldBackSince !== undefined ? toMs(patch.heldBackSince) : row.held_back_since,
    last_new_item_at:
      patch.lastNewItemAt !== undefined ? toMs(patch.lastNewItemAt) : row.last_new_item_at,
    quiet_since: patch.quietSince !== undefined ? toMs(patch.quietSince) : row.quiet_since,
  };
}

function applySettingsPatch(row: FeedRow, patch: FeedSettingsPatch): FeedRow {
  return {
    ...row,
    name: patch.name ?? row.name,
    interval_seconds: patch.intervalSeconds ?? row.interval_seconds,
    language_hint: patch.languageHint !== undefined ? patch.languageHint : row.language_hint,
    options: patch.options !== undefined ? toJson(patch.options) : row.options,
  };
}

/** due()'s order: the most overdue first, then by id. */
const mostOverdueFirst = (a: FeedRecord, b: FeedRecord): number =>
  a.nextPollAt.getTime() - b.nextPollAt.getTime() || a.id - b.id;

export function createFeedStore({ db, now }: Context): FeedStore {
  const insert = db.prepare(`
    INSERT INTO feeds (url, name, interval_seconds, language_hint, origin, options, next_poll_at, created_at)
    VALUES (@url, @name, @intervalSeconds, @languageHint, @origin, @options, @now, @now)
    ON CONFLICT (url) DO NOTHING`);
  const byId = db.prepare<[number], FeedRow>('SELECT * FROM feeds WHERE id = ?');
  // The list travels as one JSON array, however many ids.
  const byIds = allRows(
    db.prepare<[string], FeedRow>(
      'SELECT f.* FROM json_each(?) AS given JOIN feeds f ON f.id = given.value',
    ),
  );
  const byUrl = db.prepare<[string], FeedRow>('SELECT * FROM feeds WHERE url = ?');
  const all = db.prepare<[], FeedRow>('SELECT * FROM feeds ORDER BY id');
  const write = db.prepare<[FeedRow]>(`
    UPDATE feeds SET name = @name, interval_seconds = @interval_seconds,
      language_hint = @language_hint, options = @options, etag = @etag,
      last_modified = @last_modified, last_polled_at = @last_polled_at,
      next_poll_at = @next_poll_at, consecutive_failures = @consecutive_failures,
      last_error = @last_error, paused = @paused, paused_reason = @paused_reason,
      held_back_since = @held_back_since, last_new_item_at = @last_new_item_at,
      quiet_since = @quiet_since
    WHERE id = @id`);
  const del = db.prepare<[number]>('DELETE FROM feeds WHERE id = ?');
  const due = db.prepare<[number, number], FeedRow>(`
    SELECT * FROM feeds WHERE paused = 0 AND next_poll_at <= ?
    ORDER BY next_poll_at, id LIMIT ?`);
  // One statement: SQLite runs it alone, so two connections never claim one feed.
  const claim = db.prepare<{ owner: string; now: number; until: number; limit: number }, FeedRow>(`
    UPDATE feeds SET claimed_by = @owner, claimed_until = @until
    WHERE id IN (
      SELECT id FROM feeds
      WHERE paused = 0 AND next_poll_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now)
      ORDER BY next_poll_at, id LIMIT @limit)
    RETURNING *`);
  const release = db.prepare<[string, string]>(`
    UPDATE feeds SET claimed_by = NULL, claimed_until = NULL
    WHERE claimed_by = ? AND id IN (SELECT value FROM json_each(?))`);

  const add = db.transaction((feed: NewFeed) => {
    const info = insert.run({
      url: feed.url,
      name: feed.name,
      intervalSeconds: feed.intervalSeconds,
      languageHint: feed.languageHint,
      origin: feed.origin,
      options: toJson(feed.options ?? {}),
      // A new feed is due at once.
      now: now(),
    });
    const row = byUrl.get(feed.url);
    if (row === undefined) throw new Error(`feed ${feed.url} vanished while being added`);
    return { feed: toFeed(row), created: info.changes > 0 };
  });

  const update = db.transaction((id: number, change: (row: FeedRow) => FeedRow) => {
    const row = byId.get(id);
    if (row === undefined) return null;
    const next = change(row);
    write.run(next);
    return toFeed(next);
  });

  return {
    add: async (feed) => add(feed),
    get: async (id) => {
      const row = byId.get(id);
      return row === undefined ? null : toFeed(row);
    },
    getMany: async (ids) => inOrder(ids, byIds(JSON.stringify(ids)).map(toFeed)),
    getByUrl: async (url) => {
      const row = byUrl.get(url);
      return row === undefined ? null : toFeed(row);
    },
    list: async () => all.all().map(toFeed),
    // IMMEDIATE: a read-then-write transaction must hold the write lock from the start, or
    // another connection's write makes the upgrade fail at once instead of waiting.
    updatePollState: async (id, patch) => update.immediate(id, (row) => applyPollPatch(row, patch)),
    updateSettings: async (id, patch) =>
      update.immediate(id, (row) => applySettingsPatch(row, patch)),
    remove: async (id) => del.run(id).changes > 0,
    due: async (at, limit = 1000) => due.all(toMs(at), limit).map(toFeed),
    claimDue: async (at, owner, leaseMs, limit = 1000) => {
      const ms = toMs(at);
      return claim
        .all({ owner, now: ms, until: ms + leaseMs, limit })
        .map(toFeed)
        .sort(mostOverdueFirst);
    },
    releaseClaims: async (ids, owner) =>
      ids.length === 0 ? 0 : release.run(owner, JSON.stringify(ids)).changes,
  };
}
