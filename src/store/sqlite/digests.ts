import type { Destination, DigestRecord, DigestStore } from '../port.js';
import { type Context, toDate, toMs } from './context.js';

interface DigestRow {
  /** Only ever written from a Destination. */
  destination: Destination;
  cron: string;
  timezone: string;
  last_sent_at: number | null;
  created_at: number;
}

function toDigest(row: DigestRow): DigestRecord {
  return {
    destination: row.destination,
    cron: row.cron,
    timezone: row.timezone,
    lastSentAt: toDate(row.last_sent_at),
    createdAt: toDate(row.created_at),
  };
}

export function createDigestStore({ db, now }: Context): DigestStore {
  // Changing the schedule keeps lastSentAt, so the next digest still starts where the last ended.
  const upsert = db.prepare<[string, string, string, number], DigestRow>(`
    INSERT INTO digests (destination, cron, timezone, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (destination) DO UPDATE SET cron = excluded.cron, timezone = excluded.timezone
    RETURNING *`);
  const byDestination = db.prepare<[string], DigestRow>(
    'SELECT * FROM digests WHERE destination = ?',
  );
  const all = db.prepare<[], DigestRow>('SELECT * FROM digests ORDER BY destination');
  const del = db.prepare<[string]>('DELETE FROM digests WHERE destination = ?');
  const sent = db.prepare<[number, string]>(
    'UPDATE digests SET last_sent_at = ? WHERE destination = ?',
  );

  return {
    set: async (destination, cron, timezone) => {
      const row = upsert.get(destination, cron, timezone, now());
      if (row === undefined) throw new Error(`digest of ${destination} was not stored`);
      return toDigest(row);
    },
    get: async (destination) => {
      const row = byDestination.get(destination);
      return row === undefined ? null : toDigest(row);
    },
    list: async () => all.all().map(toDigest),
    remove: async (destination) => del.run(destination).changes > 0,
    markSent: async (destination, at) => sent.run(toMs(at), destination).changes > 0,
  };
}
