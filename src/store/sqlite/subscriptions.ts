import type {
  ChatOverride,
  Destination,
  MoveResult,
  SubscribedFeed,
  SubscriptionRecord,
  SubscriptionStore,
} from '../port.js';
import { allRows, bool, type Context, fromJson, toDate, toJson } from './context.js';

interface SubscriptionRow {
  id: number;
  feed_id: number;
  /** Only ever written from a Destination. */
  destination: Destination;
  filters: string;
  paused: number;
  paused_reason: string | null;
  created_at: number;
}

interface OverrideRow {
  feed_id: number;
  /** Only ever written from a Destination. */
  destination: Destination;
  config_entry: string;
  created_at: number;
}

function toOverride(row: OverrideRow): ChatOverride {
  return {
    feedId: row.feed_id,
    destination: row.destination,
    configEntry: row.config_entry,
    createdAt: toDate(row.created_at),
  };
}

function toSubscription(row: SubscriptionRow): SubscriptionRecord {
  return {
    id: row.id,
    feedId: row.feed_id,
    destination: row.destination,
    filters: fromJson(row.filters),
    paused: bool(row.paused),
    pausedReason: row.paused_reason,
    createdAt: toDate(row.created_at),
  };
}

interface SubscribedFeedRow extends SubscriptionRow {
  url: string;
  name: string;
  feed_paused: number;
  feed_paused_reason: string | null;
  consecutive_failures: number;
  last_error: string | null;
  last_polled_at: number | null;
  last_new_item_at: number | null;
}

function toSubscribedFeed(row: SubscribedFeedRow): SubscribedFeed {
  return {
    subscription: toSubscription(row),
    feed: {
      id: row.feed_id,
      url: row.url,
      name: row.name,
      paused: bool(row.feed_paused),
      pausedReason: row.feed_paused_reason,
      consecutiveFailures: row.consecutive_failures,
      lastError: row.last_error,
      lastPolledAt: toDate(row.last_polled_at),
      lastNewItemAt: toDate(row.last_new_item_at),
    },
  };
}

/** Statements for moving a chat: the new destination's own rows win every conflict. */
function createMover({ db }: Context): (from: string, to: string) => MoveResult {
  const moveSubscriptions = db.prepare<[string, string]>(
    'UPDATE OR IGNORE subscriptions SET destination = ? WHERE destination = ?',
  );
  const dropSubscriptions = db.prepare<[string]>('DELETE FROM subscriptions WHERE destination = ?');
  const moveDeliveries = db.prepare<[string, string]>(`
    UPDATE OR IGNORE deliveries SET destination = ? WHERE destination = ? AND status = 'pending'`);
  // Pending ones left behind are briefs the new destination already has.
  const dropDeliveries = db.prepare<[string]>(
    "DELETE FROM deliveries WHERE destination = ? AND status = 'pending'",
  );
  const moveDigest = db.prepare<[string, string]>(
    'UPDATE OR IGNORE digests SET destination = ? WHERE destination = ?',
  );
  const dropDigest = db.prepare<[string]>('DELETE FROM digests WHERE destination = ?');
  const moveOptions = db.prepare<[string, string]>(
    'UPDATE OR IGNORE destination_options SET destination = ? WHERE destination = ?',
  );
  const dropOptions = db.prepare<[string]>('DELETE FROM destination_options WHERE destination = ?');
  const moveOverrides = db.prepare<[string, string]>(
    'UPDATE OR IGNORE chat_overrides SET destination = ? WHERE destination = ?',
  );
  const dropOverrides = db.prepare<[string]>('DELETE FROM chat_overrides WHERE destination = ?');
  const move = db.transaction((from: string, to: string): MoveResult => {
    const result = {
      subscriptions: moveSubscriptions.run(to, from).changes,
      deliveries: moveDeliveries.run(to, from).changes,
      digest: moveDigest.run(to, from).changes > 0,
    };
    moveOptions.run(to, from);
    moveOverrides.run(to, from);
    dropSubscriptions.run(from);
    dropOverrides.run(from);
    dropDeliveries.run(from);
    dropDigest.run(from);
    dropOptions.run(from);
    return result;
  });
  return (from, to) => move.immediate(from, to);
}

/** UPDATE OR IGNORE would also skip rows failing a CHECK, so the target is checked first. */
function assertDestination(destination: string): void {
  if (destination.length === 0 || destination.length > 200 || destination !== destination.trim()) {
    throw new RangeError(`not a destination: ${JSON.stringify(destination)}`);
  }
}

export function createSubscriptionStore(context: Context): SubscriptionStore {
  const { db, now } = context;
  const insert = db.prepare<[number, string, string, number]>(`
    INSERT INTO subscriptions (feed_id, destination, filters, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (feed_id, destination) DO NOTHING`);
  const byId = db.prepare<[number], SubscriptionRow>('SELECT * FROM subscriptions WHERE id = ?');
  const byPair = db.prepare<[number, string], SubscriptionRow>(
    'SELECT * FROM subscriptions WHERE feed_id = ? AND destination = ?',
  );
  const withFeeds = allRows(
    db.prepare<[string], SubscribedFeedRow>(`
      SELECT s.*, f.url, f.name, f.paused AS feed_paused, f.paused_reason AS feed_paused_reason,
        f.consecutive_failures, f.last_error, f.last_polled_at, f.last_new_item_at
      FROM subscriptions s JOIN feeds f ON f.id = s.feed_id
      WHERE s.destination = ? ORDER BY s.id`),
  );
  const byDestination = allRows(
    db.prepare<[string], SubscriptionRow>(
      'SELECT * FROM subscriptions WHERE destination = ? ORDER BY id',
    ),
  );
  // `<parent>/…` as a range of the destination index: '0' is the character after '/', and
  // a LIKE pattern would read the `_` of a @channel_name as a wildcard.
  const inTopicsOf = db.prepare<[string, string], SubscriptionRow>(
    'SELECT * FROM subscriptions WHERE destination > ? AND destination < ? ORDER BY destination, id',
  );
  const byFeed = db.prepare<[number], SubscriptionRow>(
    'SELECT * FROM subscriptions WHERE feed_id = ? ORDER BY id',
  );
  const setFilters = db.prepare<[string, number]>(
    'UPDATE subscriptions SET filters = ? WHERE id = ?',
  );
  const del = db.prepare<[number]>('DELETE FROM subscriptions WHERE id = ?');
  // Once unsubscribed, what the feed still had queued for the chat must not arrive.
  const cancel = db.prepare<{ feedId: number; destination: string }>(`
    UPDATE deliveries SET status = 'failed', last_error = 'unsubscribed'
    WHERE status = 'pending' AND destination = @destination
      AND brief_id IN (SELECT id FROM briefs WHERE feed_id = @feedId)`);
  const setPaused = db.prepare<[number, string | null, number]>(
    'UPDATE subscriptions SET paused = ?, paused_reason = ? WHERE id = ?',
  );
  const setDestinationPaused = db.prepare<[number, string | null, string]>(
    'UPDATE subscriptions SET paused = ?, paused_reason = ? WHERE destination = ?',
  );

  const upsertOverride = db.prepare<[number, string, string, number]>(`
    INSERT INTO chat_overrides (feed_id, destination, config_entry, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (feed_id, destination)
    DO UPDATE SET config_entry = excluded.config_entry, created_at = excluded.created_at`);
  const overrideByPair = db.prepare<[number, string], OverrideRow>(
    'SELECT * FROM chat_overrides WHERE feed_id = ? AND destination = ?',
  );
  const allOverrides = db.prepare<[], OverrideRow>(
    'SELECT * FROM chat_overrides ORDER BY feed_id, destination',
  );
  const delOverride = db.prepare<[number, string]>(
    'DELETE FROM chat_overrides WHERE feed_id = ? AND destination = ?',
  );

  const add = db.transaction((feedId: number, destination: string, filters: unknown) => {
    const info = insert.run(feedId, destination, toJson(filters), now());
    const row = byPair.get(feedId, destination);
    if (row === undefined) throw new Error('subscription vanished while being added');
    return { subscription: toSubscription(row), created: info.changes > 0 };
  });
  const remove = db.transaction((id: number) => {
    const row = byId.get(id);
    if (row === undefined) return false;
    cancel.run({ feedId: row.feed_id, destination: row.destination });
    return del.run(id).changes > 0;
  });
  const move = createMover(context);

  return {
    add: async (feedId, destination, filters = null) => add(feedId, destination, filters),
    get: async (id) => {
      const row = byId.get(id);
      return row === undefined ? null : toSubscription(row);
    },
    listByDestination: async (destination) => byDestination(destination).map(toSubscription),
    listWithFeeds: async (destination) => withFeeds(destination).map(toSubscribedFeed),
    listInTopicsOf: async (parent) =>
      inTopicsOf.all(`${parent}/`, `${parent}0`).map(toSubscription),
    listByFeed: async (feedId) => byFeed.all(feedId).map(toSubscription),
    setFilters: async (id, filters) => {
      if (setFilters.run(toJson(filters), id).changes === 0) return null;
      const row = byId.get(id);
      return row === undefined ? null : toSubscription(row);
    },
    remove: async (id) => remove.immediate(id),
    pause: async (id, reason) => setPaused.run(1, reason, id).changes > 0,
    resume: async (id) => setPaused.run(0, null, id).changes > 0,
    pauseDestination: async (destination, reason) =>
      setDestinationPaused.run(1, reason, destination).changes,
    resumeDestination: async (destination) =>
      setDestinationPaused.run(0, null, destination).changes,
    moveDestination: async (from, to) => {
      assertDestination(to);
      // Moving onto itself would drop everything in the clean-up step.
      if (from === to) return { subscriptions: 0, deliveries: 0, digest: false };
      return move(from, to);
    },
    override: async (feedId, destination, configEntry) => {
      upsertOverride.run(feedId, destination, configEntry, now());
      const row = overrideByPair.get(feedId, destination);
      if (row === undefined) throw new Error('override vanished while being recorded');
      return toOverride(row);
    },
    overrideOf: async (feedId, destination) => {
      const row = overrideByPair.get(feedId, destination);
      return row === undefined ? null : toOverride(row);
    },
    listOverrides: async () => allOverrides.all().map(toOverride),
    dropOverride: async (feedId, destination) => delOverride.run(feedId, destination).changes > 0,
  };
}
