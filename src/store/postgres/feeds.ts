import { inOrder } from '../in-order.js';
import type {
  FeedOrigin,
  FeedPollPatch,
  FeedRecord,
  FeedSettingsPatch,
  FeedStore,
} from '../port.js';
import { type Context, checked, fromJson, toJson } from './context.js';

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
  last_polled_at: Date | null;
  next_poll_at: Date;
  consecutive_failures: number;
  last_error: string | null;
  paused: boolean;
  paused_reason: string | null;
  held_back_since: Date | null;
  last_new_item_at: Date | null;
  quiet_since: Date | null;
  created_at: Date;
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
    lastPolledAt: row.last_polled_at,
    nextPollAt: row.next_poll_at,
    consecutiveFailures: row.consecutive_failures,
    lastError: row.last_error,
    paused: row.paused,
    pausedReason: row.paused_reason,
    heldBackSince: row.held_back_since,
    lastNewItemAt: row.last_new_item_at,
    quietSince: row.quiet_since,
    createdAt: row.created_at,
  };
}

const date = (value: Date | null): Date | null => (value === null ? null : checked(value));

/** Each patch field and its column; absent fields keep their value. */
function pollColumns(patch: FeedPollPatch): [string, unknown][] {
  const set: [string, unknown][] = [];
  if (patch.etag !== undefined) set.push(['etag', patch.etag]);
  if (patch.lastModified !== undefined) set.push(['last_modified', patch.lastModified]);
  if (patch.lastPolledAt !== undefined) set.push(['last_polled_at', date(patch.lastPolledAt)]);
  if (patch.nextPollAt !== undefined) set.push(['next_poll_at', checked(patch.nextPollAt)]);
  if (patch.consecutiveFailures !== undefined) {
    set.push(['consecutive_failures', patch.consecutiveFailures]);
  }
  if (patch.lastError !== undefined) set.push(['last_error', patch.lastError]);
  if (patch.paused !== undefined) set.push(['paused', patch.paused]);
  if (patch.pausedReason !== undefined) set.push(['paused_reason', patch.pausedReason]);
  if (patch.heldBackSince !== undefined) set.push(['held_back_since', date(patch.heldBackSince)]);
  if (patch.lastNewItemAt !== undefined) set.push(['last_new_item_at', date(patch.lastNewItemAt)]);
  if (patch.quietSince !== undefined) set.push(['quiet_since', date(patch.quietSince)]);
  return set;
}

function settingsColumns(patch: FeedSettingsPatch): [string, unknown][] {
  const set: [string, unknown][] = [];
  if (patch.name !== undefined) set.push(['name', patch.name]);
  if (patch.intervalSeconds !== undefined) set.push(['interval_seconds', patch.intervalSeconds]);
  if (patch.languageHint !== undefined) set.push(['language_hint', patch.languageHint]);
  if (patch.options !== undefined) set.push(['options', toJson(patch.options)]);
  return set;
}

/** due()'s order: the most overdue first, then by id. */
const mostOverdueFirst = (a: FeedRecord, b: FeedRecord): number =>
  a.nextPollAt.getTime() - b.nextPollAt.getTime() || a.id - b.id;

export function createFeedStore({ db, now }: Context): FeedStore {
  const byId = async (id: number): Promise<FeedRecord | null> => {
    const [row] = await db.rows<FeedRow>('SELECT * FROM feeds WHERE id = $1', [id]);
    return row === undefined ? null : toFeed(row);
  };

  /** One UPDATE with the patch's columns (names from the lists above, values bound). */
  async function update(id: number, set: [string, unknown][]): Promise<FeedRecord | null> {
    if (set.length === 0) return byId(id);
    const assignments = set.map(([column], i) => `${column} = $${i + 2}`).join(', ');
    const [row] = await db.rows<FeedRow>(
      `UPDATE feeds SET ${assignments} WHERE id = $1 RETURNING *`,
      [id, ...set.map(([, value]) => value)],
    );
    return row === undefined ? null : toFeed(row);
  }

  return {
    add: async (feed) => {
      const at = now();
      // A new feed is due at once.
      const [inserted] = await db.rows<FeedRow>(
        `INSERT INTO feeds (url, name, interval_seconds, language_hint, origin, options, next_poll_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (url) DO NOTHING RETURNING *`,
        [
          feed.url,
          feed.name,
          feed.intervalSeconds,
          feed.languageHint,
          feed.origin,
          toJson(feed.options ?? {}),
          at,
        ],
      );
      if (inserted !== undefined) return { feed: toFeed(inserted), created: true };
      const [row] = await db.rows<FeedRow>('SELECT * FROM feeds WHERE url = $1', [feed.url]);
      if (row === undefined) throw new Error(`feed ${feed.url} vanished while being added`);
      return { feed: toFeed(row), created: false };
    },
    get: byId,
    getMany: async (ids) =>
      inOrder(
        ids,
        (
          await db.rows<FeedRow>('SELECT * FROM feeds WHERE id = ANY($1::bigint[])', [[...ids]])
        ).map(toFeed),
      ),
    getByUrl: async (url) => {
      const [row] = await db.rows<FeedRow>('SELECT * FROM feeds WHERE url = $1', [url]);
      return row === undefined ? null : toFeed(row);
    },
    list: async () => (await db.rows<FeedRow>('SELECT * FROM feeds ORDER BY id')).map(toFeed),
    updatePollState: (id, patch) => update(id, pollColumns(patch)),
    updateSettings: (id, patch) => update(id, settingsColumns(patch)),
    remove: async (id) => (await db.run('DELETE FROM feeds WHERE id = $1', [id])) > 0,
    due: async (at, limit = 1000) =>
      (
        await db.rows<FeedRow>(
          `SELECT * FROM feeds WHERE NOT paused AND next_poll_at <= $1
           ORDER BY next_poll_at, id LIMIT $2`,
          [checked(at), limit],
        )
      ).map(toFeed),
    // SKIP LOCKED: instances claiming at the same moment each take other feeds instead of
    // waiting for one another; a claimed feed is skipped until its claim expires.
    claimDue: async (at, owner, leaseMs, limit = 1000) =>
      (
        await db.rows<FeedRow>(
          `UPDATE feeds SET claimed_by = $2, claimed_until = $3
           WHERE id IN (
             SELECT id FROM feeds
             WHERE NOT paused AND next_poll_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
             ORDER BY next_poll_at, id LIMIT $4
             FOR UPDATE SKIP LOCKED)
           RETURNING *`,
          [checked(at), owner, new Date(at.getTime() + leaseMs), limit],
        )
      )
        .map(toFeed)
        .sort(mostOverdueFirst),
    releaseClaims: async (ids, owner) =>
      ids.length === 0
        ? 0
        : db.run(
            `UPDATE feeds SET claimed_by = NULL, claimed_until = NULL
             WHERE claimed_by = $1 AND id = ANY($2::bigint[])`,
            [owner, [...ids]],
          ),
  };
}
