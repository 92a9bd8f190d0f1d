import type { LeaseStore } from '../port.js';
import type { Context } from './context.js';

export function createLeaseStore({ db, now }: Context): LeaseStore {
  return {
    // One statement decides: the row is (re)written only for its owner or once expired, so
    // two instances racing on it cannot both win.
    acquire: async (name, owner, ttlMs) => {
      const at = now();
      return (
        (await db.run(
          `INSERT INTO leases (name, owner, expires_at) VALUES ($1, $2, $4)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE leases.owner = excluded.owner OR leases.expires_at <= $3`,
          [name, owner, at, new Date(at.getTime() + ttlMs)],
        )) > 0
      );
    },
    release: async (name, owner) =>
      (await db.run('DELETE FROM leases WHERE name = $1 AND owner = $2', [name, owner])) > 0,
  };
}
