import type { Destination, DigestRecord, DigestStore } from '../port.js';
import { type Context, checked } from './context.js';

interface DigestRow {
  /** Only ever written from a Destination. */
  destination: Destination;
  cron: string;
  timezone: string;
  last_sent_at: Date | null;
  created_at: Date;
}

function toDigest(row: DigestRow): DigestRecord {
  return {
    destination: row.destination,
    cron: row.cron,
    timezone: row.timezone,
    lastSentAt: row.last_sent_at,
    createdAt: row.created_at,
  };
}

export function createDigestStore({ db, now }: Context): DigestStore {
  return {
    // Changing the schedule keeps lastSentAt, so the next digest still starts where the last ended.
    set: async (destination, cron, timezone) => {
      const [row] = await db.rows<DigestRow>(
        `INSERT INTO digests (destination, cron, timezone, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (destination) DO UPDATE SET cron = excluded.cron, timezone = excluded.timezone
         RETURNING *`,
        [destination, cron, timezone, now()],
      );
      if (row === undefined) throw new Error(`digest of ${destination} was not stored`);
      return toDigest(row);
    },
    get: async (destination) => {
      const [row] = await db.rows<DigestRow>('SELECT * FROM digests WHERE destination = $1', [
        destination,
      ]);
      return row === undefined ? null : toDigest(row);
    },
    list: async () =>
      (await db.rows<DigestRow>('SELECT * FROM digests ORDER BY destination')).map(toDigest),
    remove: async (destination) =>
      (await db.run('DELETE FROM digests WHERE destination = $1', [destination])) > 0,
    markSent: async (destination, at) =>
      (await db.run('UPDATE digests SET last_sent_at = $1 WHERE destination = $2', [
        checked(at),
        destination,
      ])) > 0,
  };
}
