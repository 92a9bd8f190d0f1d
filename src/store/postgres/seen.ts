import type { SeenStore } from '../port.js';
import { type Context, pgText } from './context.js';
import type { Queryable } from './db.js';

/** The keys as the table holds them, each once (an upsert must not meet a row twice). */
export function distinctKeys(keys: readonly string[]): string[] {
  return [...new Set(keys.map(pgText))];
}

/** Whether any key is seen; ingest asks inside its transaction. */
export async function anySeen(db: Queryable, feedId: number, keys: readonly string[]) {
  const rows = await db.rows(
    'SELECT 1 FROM items_seen WHERE feed_id = $1 AND key = ANY($2::text[]) LIMIT 1',
    [feedId, distinctKeys(keys)],
  );
  return rows.length > 0;
}

/**
 * Marks keys seen, or refreshes when they were (keeping a key alive while its feed lists the
 * item). Returns how many were new: fewer than given means another writer had some.
 */
export async function markKeys(
  db: Queryable,
  feedId: number,
  keys: readonly string[],
  at: Date,
  refresh: 'never' | 'always' | { before: Date },
): Promise<number> {
  if (refresh === 'never' || refresh === 'always') {
    return db.run(
      `INSERT INTO items_seen (feed_id, key, seen_at) SELECT $1, key, $3 FROM unnest($2::text[]) AS key
       ON CONFLICT (feed_id, key) DO ${refresh === 'always' ? 'UPDATE SET seen_at = excluded.seen_at' : 'NOTHING'}`,
      [feedId, distinctKeys(keys), at],
    );
  }
  // A known key is rewritten only once its time is older than the refresh bound.
  return db.run(
    `INSERT INTO items_seen (feed_id, key, seen_at) SELECT $1, key, $3 FROM unnest($2::text[]) AS key
     ON CONFLICT (feed_id, key) DO UPDATE SET seen_at = excluded.seen_at
     WHERE items_seen.seen_at < $4`,
    [feedId, distinctKeys(keys), at, refresh.before],
  );
}

export function createSeenStore({ db, now }: Context): SeenStore {
  return {
    unseenKeys: async (feedId, keys) => {
      const given = [...new Set(keys)];
      if (given.length === 0) return [];
      // Positions, so that the caller gets its own strings back, in its order.
      const rows = await db.rows<{ n: number }>(
        `SELECT given.n FROM unnest($2::text[]) WITH ORDINALITY AS given (key, n)
         WHERE NOT EXISTS (SELECT 1 FROM items_seen s WHERE s.feed_id = $1 AND s.key = given.key)
         ORDER BY given.n`,
        [feedId, given],
      );
      return rows.map((row) => given[row.n - 1] as string);
    },
    markSeen: async (feedId, keys, options) => {
      if (keys.length === 0) return;
      const at = now();
      const olderThan = options?.refreshOlderThanMs;
      await markKeys(
        db,
        feedId,
        keys,
        at,
        olderThan === undefined ? 'always' : { before: new Date(at.getTime() - olderThan) },
      );
    },
  };
}
