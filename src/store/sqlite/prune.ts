import { type PruneResult, seenRefreshMs } from '../port.js';
import type { Context } from './context.js';

const DAY_MS = 86_400_000;

export function createPrune({ db, now }: Context): (olderThanDays: number) => PruneResult {
  // Finished deliveries first, so the brief deletion below cascades to nothing uncounted.
  const deliveries = db.prepare<[number]>(
    "DELETE FROM deliveries WHERE status <> 'pending' AND created_at < ?",
  );
  // A brief still waiting to be posted is kept, however old: the outbox needs it.
  const briefs = db.prepare<[number]>(`
    DELETE FROM briefs WHERE created_at < ?
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.brief_id = briefs.id AND d.status = 'pending')`);
  // Old keys go, except those of each feed's latest successful poll (markSeen leaves each
  // of them within seenRefreshMs of the feed's newest key): a feed that answers 304 for
  // months, or fails for a while, still lists those items, and a forgotten key would be
  // posted again.
  const items = db.prepare<[number, number]>(`
    WITH latest AS (SELECT feed_id, MAX(seen_at) AS at FROM items_seen GROUP BY feed_id)
    DELETE FROM items_seen WHERE seen_at < ?
      AND seen_at < (SELECT at FROM latest WHERE latest.feed_id = items_seen.feed_id) - ?`);
  const actors = db.prepare<[number]>(`
    DELETE FROM actors WHERE last_seen_at < ?
      AND NOT EXISTS (SELECT 1 FROM brief_actors WHERE actor_id = actors.id)`);
  const leases = db.prepare<[number]>('DELETE FROM leases WHERE expires_at < ?');

  const prune = db.transaction((cutoff: number, at: number, window: number): PruneResult => {
    const result = {
      deliveries: deliveries.run(cutoff).changes,
      briefs: briefs.run(cutoff).changes,
      items: items.run(cutoff, window).changes,
      actors: 0,
    };
    result.actors = actors.run(cutoff).changes;
    leases.run(at);
    return result;
  });

  return (olderThanDays) => {
    if (!(olderThanDays >= 0))
      throw new RangeError(`prune: not a number of days: ${olderThanDays}`);
    const at = now();
    return prune.immediate(at - olderThanDays * DAY_MS, at, seenRefreshMs(olderThanDays));
  };
}
