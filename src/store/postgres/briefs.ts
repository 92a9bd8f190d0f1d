import type { Brief } from '../../core/types.js';
import { DIGEST_COLUMNS, digestJson, parseDigestBrief } from '../digest-brief.js';
import {
  type BriefRecord,
  type BriefStore,
  type DigestBriefRecord,
  NEWEST_WALK_MIN_FEEDS,
  newestWalkRows,
} from '../port.js';
import { type Context, checked, parseTime } from './context.js';
import { prepared, type Queryable } from './db.js';

export interface BriefRow {
  id: number;
  feed_id: number | null;
  created_at: Date;
  json: string;
}

export const BRIEF_COLUMNS = 'b.id, b.feed_id, b.created_at, b.json';

export function toBrief(row: BriefRow): BriefRecord {
  return {
    id: row.id,
    feedId: row.feed_id,
    createdAt: row.created_at,
    brief: JSON.parse(row.json) as Brief,
  };
}

function toDigestBrief(row: BriefRow): DigestBriefRecord {
  return {
    id: row.id,
    feedId: row.feed_id,
    createdAt: row.created_at,
    brief: parseDigestBrief(row.json),
  };
}

/** Stores one brief; ingest calls it inside its transaction. */
export async function writeBrief(
  tx: Queryable,
  feedId: number,
  brief: Brief,
  at: Date,
): Promise<number> {
  const [row] = await tx.rows<{ id: number }>(
    `INSERT INTO briefs (feed_id, url, title, published_at, language, created_at, json, digest)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      feedId,
      brief.url,
      brief.title,
      parseTime(brief.publishedAt),
      brief.language,
      at,
      JSON.stringify(brief),
      digestJson(brief),
    ],
  );
  if (row === undefined) throw new Error('the brief was not stored');
  return row.id;
}

/** The brief store but for retries, which postgres.ts adds (retries.ts). */
export function createBriefStore({ db }: Context): Omit<BriefStore, 'retries' | 'complete'> {
  return {
    arrivals: async (feedId, limit) =>
      (
        await db.rows<{ created_at: Date }>(
          `SELECT DISTINCT created_at FROM briefs WHERE feed_id = $1
           ORDER BY created_at DESC LIMIT $2`,
          [feedId, limit],
        )
      ).map((row) => row.created_at),
    get: async (id) => {
      const [row] = await db.rows<BriefRow>(`SELECT ${BRIEF_COLUMNS} FROM briefs b WHERE id = $1`, [
        id,
      ]);
      return row === undefined ? null : toBrief(row);
    },
    // One statement. For a chat of more than NEWEST_WALK_MIN_FEEDS feeds, first the store's
    // newest briefs, on the (created_at, id) INCLUDE (feed_id) index alone, kept when they
    // are the chat's: a chat whose feeds post often has its answer there. Otherwise (few
    // feeds, or quiet ones in a busy store) the per-feed ranges below (as in the SQLite
    // store, sqlite/briefs.ts): a lookup per subscribed feed, then the newest `limit` of
    // each chosen feed.
    latestFor: async (destination, limit) =>
      limit < 1
        ? []
        : (
            await db.rows<BriefRow>(
              prepared(
                'briefwire_latest_for',
                `WITH many AS MATERIALIZED (
                 SELECT count(*) > $4 AS yes FROM subscriptions WHERE destination = $1
               ), walk AS MATERIALIZED (
                 SELECT id, feed_id, created_at FROM briefs WHERE (SELECT yes FROM many)
                 ORDER BY created_at DESC, id DESC LIMIT $3
               ), found AS MATERIALIZED (
                 SELECT id FROM walk WHERE feed_id IN
                   (SELECT feed_id FROM subscriptions WHERE destination = $1)
                 ORDER BY created_at DESC, id DESC LIMIT $2
               ), done AS MATERIALIZED (
                 SELECT (SELECT yes FROM many) AND ((SELECT count(*) FROM found) = $2
                   OR (SELECT count(*) FROM walk) < $3) AS yes
               ), newest AS MATERIALIZED (
                 SELECT s.feed_id, (SELECT max(created_at) FROM briefs WHERE feed_id = s.feed_id) AS at
                 FROM subscriptions s WHERE s.destination = $1 AND NOT (SELECT yes FROM done)
               ), chosen AS MATERIALIZED (
                 SELECT feed_id FROM newest WHERE at >= coalesce(
                   (SELECT at FROM newest WHERE at IS NOT NULL ORDER BY at DESC OFFSET $2 - 1 LIMIT 1),
                   (SELECT min(at) FROM newest))
               ), top AS MATERIALIZED (
                 -- LATERAL with its LIMIT: driven by the chosen feeds, never a walk of the store.
                 SELECT n.id FROM chosen, LATERAL (
                   SELECT id, created_at FROM briefs WHERE feed_id = chosen.feed_id
                   ORDER BY created_at DESC, id DESC LIMIT $2) n
                 ORDER BY n.created_at DESC, n.id DESC LIMIT $2
               )
               SELECT ${BRIEF_COLUMNS}
               FROM (SELECT id FROM found WHERE (SELECT yes FROM done) UNION ALL SELECT id FROM top) t
               JOIN briefs b ON b.id = t.id
               ORDER BY b.created_at DESC, b.id DESC`,
              ),
              [destination, limit, newestWalkRows(limit), NEWEST_WALK_MIN_FEEDS],
            )
          ).map(toBrief),
    // A digest's briefs, oldest first, the same way round: the store's briefs since the
    // start, else from each active feed's first since then.
    sinceFor: async (destination, since, limit = 1000) =>
      limit < 1
        ? []
        : (
            await db.rows<BriefRow>(
              prepared(
                'briefwire_since_for',
                `WITH many AS MATERIALIZED (
                 SELECT count(*) > $5 AS yes FROM subscriptions WHERE destination = $1 AND NOT paused
               ), walk AS MATERIALIZED (
                 SELECT id, feed_id, created_at FROM briefs
                 WHERE created_at >= $2 AND (SELECT yes FROM many)
                 ORDER BY created_at, id LIMIT $4
               ), found AS MATERIALIZED (
                 SELECT id FROM walk WHERE feed_id IN
                   (SELECT feed_id FROM subscriptions WHERE destination = $1 AND NOT paused)
                 ORDER BY created_at, id LIMIT $3
               ), done AS MATERIALIZED (
                 SELECT (SELECT yes FROM many) AND ((SELECT count(*) FROM found) = $3
                   OR (SELECT count(*) FROM walk) < $4) AS yes
               ), first AS MATERIALIZED (
                 SELECT s.feed_id, (SELECT min(created_at) FROM briefs
                   WHERE feed_id = s.feed_id AND created_at >= $2) AS at
                 FROM subscriptions s
                 WHERE s.destination = $1 AND NOT s.paused AND NOT (SELECT yes FROM done)
               ), chosen AS MATERIALIZED (
                 SELECT feed_id FROM first WHERE at <= coalesce(
                   (SELECT at FROM first WHERE at IS NOT NULL ORDER BY at OFFSET $3 - 1 LIMIT 1),
                   (SELECT max(at) FROM first))
               ), top AS MATERIALIZED (
                 SELECT n.id FROM chosen, LATERAL (
                   SELECT id, created_at FROM briefs WHERE feed_id = chosen.feed_id AND created_at >= $2
                   ORDER BY created_at, id LIMIT $3) n
                 ORDER BY n.created_at, n.id LIMIT $3
               )
               SELECT ${DIGEST_COLUMNS}
               FROM (SELECT id FROM found WHERE (SELECT yes FROM done) UNION ALL SELECT id FROM top) t
               JOIN briefs b ON b.id = t.id
               ORDER BY b.created_at, b.id`,
              ),
              [destination, checked(since), limit, newestWalkRows(limit), NEWEST_WALK_MIN_FEEDS],
            )
          ).map(toDigestBrief),
    countForFeed: async (feedId, since) => {
      const [row] = await db.rows<{ n: number }>(
        'SELECT count(*) AS n FROM briefs WHERE feed_id = $1 AND created_at >= $2',
        [feedId, checked(since)],
      );
      return row?.n ?? 0;
    },
  };
}
