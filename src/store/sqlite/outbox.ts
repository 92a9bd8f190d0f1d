import type { Brief } from '../../core/types.js';
import type { Delivery, DeliveryStatus, Destination, OutboxStore } from '../port.js';
import { postStyleOf } from '../post-style.js';
import { type Context, fromJson, toDate, toJson, toMs } from './context.js';

interface DeliveryRow {
  id: number;
  /** Only ever written from a Destination. */
  destination: Destination;
  brief_id: number | null;
  payload: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  /** The brief's JSON, joined so the sender needs no second query. */
  brief_json: string | null;
  /** The subscription's filters JSON: its template, media and preview (post-style.ts). */
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
    nextAttemptAt: toDate(row.next_attempt_at),
    lastError: row.last_error,
    createdAt: toDate(row.created_at),
    sentAt: toDate(row.sent_at),
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

/** Queues a brief's deliveries; ingest calls it inside its transaction. */
export type DeliveryWriter = (
  briefId: number,
  destinations: readonly string[],
  at: number,
) => number[];

export function createDeliveryWriter({ db }: Context): DeliveryWriter {
  const insert = db.prepare<[string, number, number, number]>(`
    INSERT INTO deliveries (destination, brief_id, next_attempt_at, created_at) VALUES (?, ?, ?, ?)`);
  return (briefId, destinations, at) =>
    [...new Set(destinations)].map((destination) =>
      Number(insert.run(destination, briefId, at, at).lastInsertRowid),
    );
}

export function createOutbox({ db, now }: Context): OutboxStore {
  const enqueue = db.prepare<[string, string, number, number]>(`
    INSERT INTO deliveries (destination, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?)`);
  // Each destination's head (its oldest pending delivery) decides whether it is due: the
  // ones behind a retry wait with it, so order holds.
  const heads = `
    SELECT d.destination FROM (
      SELECT destination, min(id) AS head FROM deliveries WHERE status = 'pending' GROUP BY destination
    ) h JOIN deliveries d ON d.id = h.head`;
  const allDestinations = db.prepare<[], { destination: Destination }>(`${heads} ORDER BY d.id`);
  const dueDestinations = db.prepare<[number], { destination: Destination }>(
    `${heads} WHERE d.next_attempt_at <= ? ORDER BY d.id`,
  );
  const pending = db.prepare<[string, number], DeliveryRow>(`
    ${SELECT_DELIVERY} WHERE d.destination = ? AND d.status = 'pending' ORDER BY d.id LIMIT ?`);
  const byId = db.prepare<[number], DeliveryRow>(`${SELECT_DELIVERY} WHERE d.id = ?`);
  const sent = db.prepare<[number, number]>(`
    UPDATE deliveries SET status = 'sent', sent_at = ?, attempts = attempts + 1
    WHERE id = ? AND status = 'pending'`);
  const retry = db.prepare<[number, string, number]>(`
    UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
    WHERE id = ? AND status = 'pending'`);
  const fail = db.prepare<[string, number]>(`
    UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = ?
    WHERE id = ? AND status = 'pending'`);
  const stats = db.prepare<[], { pending: number; oldest: number | null }>(`
    SELECT count(*) AS pending, min(created_at) AS oldest FROM deliveries WHERE status = 'pending'`);

  return {
    enqueue: async (destination, payload) => {
      const at = now();
      return Number(enqueue.run(destination, toJson(payload), at, at).lastInsertRowid);
    },
    destinations: async (at) =>
      (at === undefined ? allDestinations.all() : dueDestinations.all(toMs(at))).map(
        (row) => row.destination,
      ),
    pending: async (destination, limit) => pending.all(destination, limit).map(toDelivery),
    get: async (id) => {
      const row = byId.get(id);
      return row === undefined ? null : toDelivery(row);
    },
    markSent: async (id) => sent.run(now(), id).changes > 0,
    retry: async (id, nextAttemptAt, error) =>
      retry.run(toMs(nextAttemptAt), error, id).changes > 0,
    fail: async (id, reason) => fail.run(reason, id).changes > 0,
    stats: async () => {
      const row = stats.get() ?? { pending: 0, oldest: null };
      return { pending: row.pending, oldestPendingAt: toDate(row.oldest) };
    },
  };
}
