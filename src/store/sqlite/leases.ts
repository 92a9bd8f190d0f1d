import type { LeaseStore } from '../port.js';
import type { Context } from './context.js';

export function createLeaseStore({ db, now }: Context): LeaseStore {
  // One statement decides: the row is (re)written only for its owner or once expired, so
  // two instances racing on it cannot both win.
  const acquire = db.prepare<{ name: string; owner: string; now: number; until: number }>(`
    INSERT INTO leases (name, owner, expires_at) VALUES (@name, @owner, @until)
    ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
    WHERE leases.owner = excluded.owner OR leases.expires_at <= @now`);
  const release = db.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND owner = ?');
  return {
    acquire: async (name, owner, ttlMs) => {
      const at = now();
      return acquire.run({ name, owner, now: at, until: at + ttlMs }).changes > 0;
    },
    release: async (name, owner) => release.run(name, owner).changes > 0,
  };
}
