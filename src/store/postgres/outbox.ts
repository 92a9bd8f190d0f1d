import type { Brief } from '../../core/types.js';
import type { Delivery, DeliveryStatus, Destination, OutboxStore } from '../port.js';
import { postStyleOf } from '../post-style.js';
import { type Context, checked, fromJson, toJson } from './context.js';
import type { Queryable } from './db.js';

interface DeliveryRow {
  id: number;
  /** Only ever written from a Destination. */
  destination: Destination;
  brief_id: number | null;
  payload: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  /** The brief's JSON, joined so the sender needs no second query. */
  brief_json: string | null;
  /** The subscription's filters JSON, whose template, media and preview say how to post (post-style.ts). */
  filters: string | null;
}

const SELECT_DELIVERY = `
  SELECT d.*, b.json AS brief_json, s.filters AS filters
  FROM deliveries d
  LEFT JOIN briefs b ON b.id = d.brief_id
  LEFT JOIN subscriptions s ON s.feed_id = b.feed_id AND s.destination = d.destination`;

function toDelivery(row: DeliveryRow): Delivery {
  const base = {
    id: row.id,
    destination: row.destination,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
  if (row.brief_id !== null && row.brief_json !== null) {
    return {
      ...base,
      kind: 'brief',
      briefId: row.brief_id,
      brief: JSON.parse(row.brief_json) as Brief,
      ...postStyleOf(row.filters),
    };
  }
  return { ...base, kind: 'message', payload: row.payload === null ? null : fromJson(row.payload) };
}

/** Queues a brief's deliveries in the order given; ingest calls it inside its transaction. */
export async function writeDeliveries(
  tx: Queryable,
  briefId: number,
  destinations: readonly string[],
  at: Date,
): Promise<number[]> {
  const distinct = [...new Set(destinations)];
  if (distinct.length === 0) return [];
  const rows = await tx.rows<{ id: number }>(
    `INSERT INTO deliveries (destination, brief_id, next_attempt_at, created_at)
     SELECT destination, $2, $3, $3 FROM unnest($1::text[]) WITH ORDINALITY AS t (destination, n)
     ORDER BY n RETURNING id`,
    [distinct, briefId, at],
  );
  // Identities are drawn in the order the rows are inserted: ascending ids are that order.
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

export function createOutbox({ db, now }: Context): OutboxStore {
  // Each destination's head (its oldest pending delivery) decides whether it is due: the
  // ones behind a retry wait with it, so order holds.
  const heads = `
    SELECT d.destination FROM (
      SELECT destination, min(id) AS head FROM deliveries WHERE status = 'pending' GROUP BY destination
    ) h JOIN deliveries d ON d.id = h.head`;
  return {
    enqueue: async (destination, payload) => {
      const at = now();
      const [row] = await db.rows<{ id: number }>(
        `INSERT INTO deliveries (destination, payload, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $3) RETURNING id`,
        [destination, toJson(payload), at],
      );
      if (row === undefined) throw new Error(`the message to ${destination} was not queued`);
      return row.id;
    },
    destinations: async (at) =>
      (
        await (at === undefined
          ? db.rows<{ destination: Destination }>(`${heads} ORDER BY d.id`)
          : db.rows<{ destination: Destination }>(
              `${heads} WHERE d.next_attempt_at <= $1 ORDER BY d.id`,
              [checked(at)],
            ))
      ).map((row) => row.destination),
    pending: async (destination, limit) =>
      (
        await db.rows<DeliveryRow>(
          `${SELECT_DELIVERY} WHERE d.destination = $1 AND d.status = 'pending' ORDER BY d.id LIMIT $2`,
          [destination, limit],
        )
      ).map(toDelivery),
    get: async (id) => {
      const [row] = await db.rows<DeliveryRow>(`${SELECT_DELIVERY} WHERE d.id = $1`, [id]);
      return row === undefined ? null : toDelivery(row);
    },
    markSent: async (id) =>
      (await db.run(
        `UPDATE deliveries SET status = 'sent', sent_at = $2, attempts = attempts + 1
         WHERE id = $1 AND status = 'pending'`,
        [id, now()],
      )) > 0,
    retry: async (id, nextAttemptAt, error) =>
      (await db.run(
        `UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3
         WHERE id = $1 AND status = 'pending'`,
        [id, checked(nextAttemptAt), error],
      )) > 0,
    fail: async (id, reason) =>
      (await db.run(
        `UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = $2
         WHERE id = $1 AND status = 'pending'`,
        [id, reason],
      )) > 0,
    stats: async () => {
      const [row] = await db.rows<{ pending: number; oldest: Date | null }>(
        `SELECT count(*) AS pending, min(created_at) AS oldest FROM deliveries WHERE status = 'pending'`,
      );
      return { pending: row?.pending ?? 0, oldestPendingAt: row?.oldest ?? null };
    },
  };
}
