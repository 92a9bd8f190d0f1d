import type { SeenStore } from '../port.js';
import type { Context } from './context.js';

/** The statements ingest also needs inside its own transaction. */
export interface SeenWriter {
  anySeen(feedId: number, keys: readonly string[]): boolean;
  mark(feedId: number, keys: readonly string[], at: number): void;
}

export function createSeenWriter({ db }: Context): SeenWriter {
  const seen = db.prepare<[number, string], 1>(
    'SELECT 1 FROM items_seen WHERE feed_id = ? AND key = ?',
  );
  // Refreshing seen_at keeps a key alive for as long as its feed still lists the item.
  const upsert = db.prepare<[number, string, number]>(`
    INSERT INTO items_seen (feed_id, key, seen_at) VALUES (?, ?, ?)
    ON CONFLICT (feed_id, key) DO UPDATE SET seen_at = excluded.seen_at`);
  return {
    anySeen: (feedId, keys) => keys.some((key) => seen.get(feedId, key) !== undefined),
    mark: (feedId, keys, at) => {
      for (const key of keys) upsert.run(feedId, key, at);
    },
  };
}

export function createSeenStore(context: Context): SeenStore {
  const { db, now } = context;
  const writer = createSeenWriter(context);
  // A known key is rewritten only once its time is older than the refresh bound.
  const lazy = db.prepare<[number, string, number, number]>(`
    INSERT INTO items_seen (feed_id, key, seen_at) VALUES (?, ?, ?)
    ON CONFLICT (feed_id, key) DO UPDATE SET seen_at = excluded.seen_at
    WHERE items_seen.seen_at < ?`);
  const markLazily = db.transaction(
    (feedId: number, keys: readonly string[], refreshOlderThanMs: number) => {
      const at = now();
      for (const key of new Set(keys)) lazy.run(feedId, key, at, at - refreshOlderThanMs);
    },
  );
  // One statement for any number of keys: the list travels as a JSON array.
  const unseen = db.prepare<[string, number], { key: string }>(`
    SELECT value AS key FROM json_each(?) AS given
    WHERE NOT EXISTS (SELECT 1 FROM items_seen WHERE feed_id = ? AND items_seen.key = given.value)
    ORDER BY given.key`);
  const mark = db.transaction((feedId: number, keys: readonly string[]) =>
    writer.mark(feedId, keys, now()),
  );
  return {
    unseenKeys: async (feedId, keys) => {
      const distinct = [...new Set(keys)];
      return unseen.all(JSON.stringify(distinct), feedId).map((row) => row.key);
    },
    markSeen: async (feedId, keys, options) =>
      options?.refreshOlderThanMs === undefined
        ? mark(feedId, keys)
        : markLazily(feedId, keys, options.refreshOlderThanMs),
  };
}
