import { type PruneResult, seenRefreshMs } from '../port.js';
import type { Context } from './context.js';

const DAY_MS = 86_400_000;

/** As the SQLite store's prune (../sqlite/prune.ts), in one transaction. */
export function createPrune({ db, now }: Context): (olderThanDays: number) => Promise<PruneResult> {
  return async (olderThanDays) => {
    if (!(olderThanDays >= 0)) {
      throw new RangeError(`prune: not a number of days: ${olderThanDays}`);
    }
    const at = now();
    const cutoff = new Date(at.getTime() - olderThanDays * DAY_MS);
    return db.transaction(async (tx) => {
      // Finished deliveries first, so the brief deletion below cascades to nothing uncounted.
      const deliveries = await tx.run(
        "DELETE FROM deliveries WHERE status <> 'pending' AND created_at < $1",
        [cutoff],
      );
      // A brief still waiting to be posted is kept, however old: the outbox needs it.
      const briefs = await tx.run(
        `DELETE FROM briefs b WHERE created_at < $1
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.brief_id = b.id AND d.status = 'pending')`,
        [cutoff],
      );
      // Old keys go, except those of each feed's latest poll (see the SQLite store).
      const items = await tx.run(
        `DELETE FROM items_seen i WHERE seen_at < $1
           AND seen_at < (SELECT max(seen_at) FROM items_seen l WHERE l.feed_id = i.feed_id)
                         - $2 * interval '1 millisecond'`,
        [cutoff, seenRefreshMs(olderThanDays)],
      );
      const actors = await tx.run(
        `DELETE FROM actors a WHERE last_seen_at < $1
           AND NOT EXISTS (SELECT 1 FROM brief_actors WHERE actor_id = a.id)`,
        [cutoff],
      );
      await tx.run('DELETE FROM leases WHERE expires_at < $1', [at]);
      // Tokens of chats no longer posted to (the buckets in use forget theirs as they go).
      await tx.run('DELETE FROM rate_tokens WHERE returns_at < clock_timestamp()');
      return { briefs, items, deliveries, actors };
    });
  };
}
