import type {
  ChatOverride,
  Destination,
  MoveResult,
  SubscribedFeed,
  SubscriptionRecord,
  SubscriptionStore,
} from '../port.js';
import { type Context, fromJson, toJson } from './context.js';
import { prepared, type Queryable } from './db.js';

interface SubscriptionRow {
  id: number;
  feed_id: number;
  /** Only ever written from a Destination. */
  destination: Destination;
  filters: string;
  paused: boolean;
  paused_reason: string | null;
  created_at: Date;
}

interface OverrideRow {
  feed_id: number;
  /** Only ever written from a Destination. */
  destination: Destination;
  config_entry: string;
  created_at: Date;
}

function toOverride(row: OverrideRow): ChatOverride {
  return {
    feedId: row.feed_id,
    destination: row.destination,
    configEntry: row.config_entry,
    createdAt: row.created_at,
  };
}

function toSubscription(row: SubscriptionRow): SubscriptionRecord {
  return {
    id: row.id,
    feedId: row.feed_id,
    destination: row.destination,
    filters: fromJson(row.filters),
    paused: row.paused,
    pausedReason: row.paused_reason,
    createdAt: row.created_at,
  };
}

// Times as float8 milliseconds: a thousand rows cost the client a number parse per time,
// not a date parser's.
const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** listWithFeeds' columns: name in the result → the value of each row it lists. */
const FEED_COLUMNS = {
  id: 's.id',
  feed_id: 's.feed_id',
  filters: 's.filters',
  paused: 's.paused',
  paused_reason: 's.paused_reason',
  created_ms: ms('s.created_at'),
  url: 'f.url',
  name: 'f.name',
  feed_paused: 'f.paused',
  feed_paused_reason: 'f.paused_reason',
  consecutive_failures: 'f.consecutive_failures',
  last_error: 'f.last_error',
  last_polled_ms: ms('f.last_polled_at'),
  last_new_item_ms: ms('f.last_new_item_at'),
} as const;

/** listWithFeeds' one row: each column a JSON array over the chat's subscriptions, by id. */
type FeedColumns = {
  id: number[];
  feed_id: number[];
  filters: string[];
  paused: boolean[];
  paused_reason: (string | null)[];
  created_ms: number[];
  url: string[];
  name: string[];
  feed_paused: boolean[];
  feed_paused_reason: (string | null)[];
  consecutive_failures: number[];
  last_error: (string | null)[];
  last_polled_ms: (number | null)[];
  last_new_item_ms: (number | null)[];
};

// One row of one JSON array per column, not a row per subscription: node-pg spends ~3 µs of
// CPU per field it reads (1,000 feeds × 15 fields, and their garbage, were a /feeds p99 of
// 12-21 ms at 1M), where JSON.parse reads a column at once. The aggregates read the sorted
// subquery in its order: an ORDER BY inside each of them sorts the rows once per column
// (12-17 ms on PostgreSQL 15). The ids come back too, and the client checks their order.
const WITH_FEEDS = prepared(
  'briefwire_subscriptions_with_feeds_columns',
  `SELECT ${Object.keys(FEED_COLUMNS)
    .map((name) => `json_agg(${name}) AS ${name}`)
    .join(', ')}
  FROM (
    SELECT ${Object.entries(FEED_COLUMNS)
      .map(([name, value]) => `${value} AS ${name}`)
      .join(', ')}
    FROM subscriptions s JOIN feeds f ON f.id = s.feed_id WHERE s.destination = $1 ORDER BY s.id
  ) chat`,
);

const orNull = (at: number | null | undefined): Date | null =>
  at === null || at === undefined ? null : new Date(at);

/** The chat's subscriptions and their feeds from listWithFeeds' columns, by subscription id. */
function subscribedFeeds(destination: Destination, c: FeedColumns): SubscribedFeed[] {
  const order = c.id.map((_, i) => i);
  // Aggregates keep their input's order in practice, which SQL does not promise: sort if not.
  if (c.id.some((id, i) => i > 0 && (c.id[i - 1] ?? 0) > id)) {
    order.sort((a, b) => (c.id[a] ?? 0) - (c.id[b] ?? 0));
  }
  return order.map((i) => ({
    subscription: toSubscription({
      id: c.id[i] ?? 0,
      feed_id: c.feed_id[i] ?? 0,
      destination,
      filters: c.filters[i] ?? 'null',
      paused: c.paused[i] === true,
      paused_reason: c.paused_reason[i] ?? null,
      created_at: new Date(c.created_ms[i] ?? 0),
    }),
    feed: {
      id: c.feed_id[i] ?? 0,
      url: c.url[i] ?? '',
      name: c.name[i] ?? '',
      paused: c.feed_paused[i] === true,
      pausedReason: c.feed_paused_reason[i] ?? null,
      consecutiveFailures: c.consecutive_failures[i] ?? 0,
      lastError: c.last_error[i] ?? null,
      lastPolledAt: orNull(c.last_polled_ms[i]),
      lastNewItemAt: orNull(c.last_new_item_ms[i]),
    },
  }));
}

/** A table's rows moved to the new destination, but where it already has its own (which win). */
function moveWhereFree(table: string, key: string, extra = ''): string {
  return `UPDATE ${table} SET destination = $1 WHERE destination = $2 ${extra}
    AND NOT EXISTS (SELECT 1 FROM ${table} mine WHERE mine.destination = $1 ${
      key === '' ? '' : `AND mine.${key} = ${table}.${key}`
    })`;
}

/** Moves a chat in one transaction: the new destination's own rows win every conflict. */
async function move(tx: Queryable, from: string, to: string): Promise<MoveResult> {
  const subscriptions = await tx.run(moveWhereFree('subscriptions', 'feed_id'), [to, from]);
  // A message (no brief) never conflicts: brief_id = NULL matches nothing.
  const deliveries = await tx.run(
    moveWhereFree('deliveries', 'brief_id', "AND status = 'pending'"),
    [to, from],
  );
  const digest = await tx.run(moveWhereFree('digests', ''), [to, from]);
  await tx.run(moveWhereFree('destination_options', ''), [to, from]);
  await tx.run(moveWhereFree('chat_overrides', 'feed_id'), [to, from]);
  await tx.run('DELETE FROM subscriptions WHERE destination = $1', [from]);
  await tx.run('DELETE FROM chat_overrides WHERE destination = $1', [from]);
  // Pending ones left behind are briefs the new destination already has.
  await tx.run("DELETE FROM deliveries WHERE destination = $1 AND status = 'pending'", [from]);
  await tx.run('DELETE FROM digests WHERE destination = $1', [from]);
  await tx.run('DELETE FROM destination_options WHERE destination = $1', [from]);
  return { subscriptions, deliveries, digest: digest > 0 };
}

/** Checked before moving, as the SQLite store does: the same message for the same mistake. */
function assertDestination(destination: string): void {
  if (destination.length === 0 || destination.length > 200 || destination !== destination.trim()) {
    throw new RangeError(`not a destination: ${JSON.stringify(destination)}`);
  }
}

export function createSubscriptionStore({ db, now }: Context): SubscriptionStore {
  const one = async (sql: string, params: unknown[]): Promise<SubscriptionRecord | null> => {
    const [row] = await db.rows<SubscriptionRow>(sql, params);
    return row === undefined ? null : toSubscription(row);
  };
  const many = async (sql: string, params: unknown[]): Promise<SubscriptionRecord[]> =>
    (await db.rows<SubscriptionRow>(sql, params)).map(toSubscription);
  const setPaused = (paused: boolean, reason: string | null, where: string, value: unknown) =>
    db.run(`UPDATE subscriptions SET paused = $1, paused_reason = $2 WHERE ${where} = $3`, [
      paused,
      reason,
      value,
    ]);
  const overrideOf = async (feedId: number, destination: string) => {
    const [row] = await db.rows<OverrideRow>(
      'SELECT * FROM chat_overrides WHERE feed_id = $1 AND destination = $2',
      [feedId, destination],
    );
    return row === undefined ? null : toOverride(row);
  };

  return {
    add: async (feedId, destination, filters = null) => {
      const inserted = await one(
        `INSERT INTO subscriptions (feed_id, destination, filters, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (feed_id, destination) DO NOTHING RETURNING *`,
        [feedId, destination, toJson(filters), now()],
      );
      if (inserted !== null) return { subscription: inserted, created: true };
      const existing = await one(
        'SELECT * FROM subscriptions WHERE feed_id = $1 AND destination = $2',
        [feedId, destination],
      );
      if (existing === null) throw new Error('subscription vanished while being added');
      return { subscription: existing, created: false };
    },
    get: (id) => one('SELECT * FROM subscriptions WHERE id = $1', [id]),
    listByDestination: (destination) =>
      many('SELECT * FROM subscriptions WHERE destination = $1 ORDER BY id', [destination]),
    listWithFeeds: async (destination) => {
      const [columns] = await db.rows<FeedColumns | Record<keyof FeedColumns, null>>(WITH_FEEDS, [
        destination,
      ]);
      // No subscription: one row of nulls.
      return columns?.id ? subscribedFeeds(destination, columns as FeedColumns) : [];
    },
    // starts_with, not LIKE: the `_` of a @channel_name is no wildcard.
    listInTopicsOf: (parent) =>
      many(
        'SELECT * FROM subscriptions WHERE starts_with(destination, $1) ORDER BY destination, id',
        [`${parent}/`],
      ),
    listByFeed: (feedId) =>
      many('SELECT * FROM subscriptions WHERE feed_id = $1 ORDER BY id', [feedId]),
    setFilters: (id, filters) =>
      one('UPDATE subscriptions SET filters = $2 WHERE id = $1 RETURNING *', [id, toJson(filters)]),
    remove: (id) =>
      db.transaction(async (tx) => {
        const [row] = await tx.rows<SubscriptionRow>(
          'DELETE FROM subscriptions WHERE id = $1 RETURNING *',
          [id],
        );
        if (row === undefined) return false;
        // Once unsubscribed, what the feed still had queued for the chat must not arrive.
        await tx.run(
          `UPDATE deliveries SET status = 'failed', last_error = 'unsubscribed'
           WHERE status = 'pending' AND destination = $2
             AND brief_id IN (SELECT id FROM briefs WHERE feed_id = $1)`,
          [row.feed_id, row.destination],
        );
        return true;
      }),
    pause: async (id, reason) => (await setPaused(true, reason, 'id', id)) > 0,
    resume: async (id) => (await setPaused(false, null, 'id', id)) > 0,
    pauseDestination: (destination, reason) => setPaused(true, reason, 'destination', destination),
    resumeDestination: (destination) => setPaused(false, null, 'destination', destination),
    moveDestination: async (from, to) => {
      assertDestination(to);
      // Moving onto itself would drop everything in the clean-up step.
      if (from === to) return { subscriptions: 0, deliveries: 0, digest: false };
      return db.transaction((tx) => move(tx, from, to));
    },
    override: async (feedId, destination, configEntry) => {
      const [row] = await db.rows<OverrideRow>(
        `INSERT INTO chat_overrides (feed_id, destination, config_entry, created_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (feed_id, destination)
         DO UPDATE SET config_entry = excluded.config_entry, created_at = excluded.created_at
         RETURNING *`,
        [feedId, destination, configEntry, now()],
      );
      if (row === undefined) throw new Error('override vanished while being recorded');
      return toOverride(row);
    },
    overrideOf,
    listOverrides: async () =>
      (
        await db.rows<OverrideRow>('SELECT * FROM chat_overrides ORDER BY feed_id, destination')
      ).map(toOverride),
    dropOverride: async (feedId, destination) =>
      (await db.run('DELETE FROM chat_overrides WHERE feed_id = $1 AND destination = $2', [
        feedId,
        destination,
      ])) > 0,
  };
}
