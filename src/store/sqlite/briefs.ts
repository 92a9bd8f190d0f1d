import type { Brief } from '../../core/types.js';
import { DIGEST_COLUMNS, digestJson, parseDigestBrief } from '../digest-brief.js';
import {
  type BriefRecord,
  type BriefStore,
  type DigestBriefRecord,
  NEWEST_WALK_MIN_FEEDS,
  newestWalkRows,
} from '../port.js';
import { type Context, parseTime, toDate, toMs } from './context.js';

export interface BriefRow {
  id: number;
  feed_id: number | null;
  created_at: number;
  json: string;
}

export const BRIEF_COLUMNS = 'b.id, b.feed_id, b.created_at, b.json';

function toDigestBrief(row: BriefRow): DigestBriefRecord {
  return {
    id: row.id,
    feedId: row.feed_id,
    createdAt: toDate(row.created_at),
    brief: parseDigestBrief(row.json),
  };
}

export function toBrief(row: BriefRow): BriefRecord {
  return {
    id: row.id,
    feedId: row.feed_id,
    createdAt: toDate(row.created_at),
    brief: JSON.parse(row.json) as Brief,
  };
}

/** Stores one brief; ingest calls it inside its transaction. */
export type BriefWriter = (feedId: number, brief: Brief, at: number) => number;

export function createBriefWriter({ db }: Context): BriefWriter {
  const insert = db.prepare(`
    INSERT INTO briefs (feed_id, url, title, published_at, language, created_at, json, digest)
    VALUES (@feedId, @url, @title, @publishedAt, @language, @at, @json, @digest)`);
  return (feedId, brief, at) =>
    Number(
      insert.run({
        feedId,
        url: brief.url,
        title: brief.title,
        publishedAt: parseTime(brief.publishedAt),
        language: brief.language,
        at,
        json: JSON.stringify(brief),
        digest: digestJson(brief),
      }).lastInsertRowid,
    );
}

/** The brief store but for retries, which sqlite.ts adds (retries.ts). */
export function createBriefStore({ db }: Context): Omit<BriefStore, 'retries' | 'complete'> {
  const byId = db.prepare<[number], BriefRow>(`SELECT ${BRIEF_COLUMNS} FROM briefs b WHERE id = ?`);
  const countOfFeed = db.prepare<[number, number], { n: number }>(
    'SELECT count(*) AS n FROM briefs WHERE feed_id = ? AND created_at >= ?',
  );
  const arrivalsOfFeed = db.prepare<[number, number], { created_at: number }>(
    'SELECT DISTINCT created_at FROM briefs WHERE feed_id = ? ORDER BY created_at DESC LIMIT ?',
  );
  // A chat's latest briefs in one bounded query, whatever its number of feeds or their
  // briefs. For a chat of more than NEWEST_WALK_MIN_FEEDS feeds, first the store's newest
  // NEWEST_WALK_ROWS briefs, from the (created_at, id, feed_id) index alone, kept when they
  // are the chat's: a chat whose feeds post often has its answer there. Else (few feeds, or
  // quiet ones in a busy store): each feed's newest time (its (feed_id, created_at) index);
  // only the feeds whose newest is among the `limit` newest can hold one of the `limit`
  // latest briefs (ties at the cut-off kept), each with at most its own `limit` newest;
  // those ranges are read from the index alone (at most limit² entries), and the JSON of
  // the `limit` chosen last. (CROSS JOIN: the chosen ids first, then their rows; SQLite
  // would otherwise read every brief in time order and look each up among the chosen.)
  const latestFor = db.prepare<
    { destination: string; limit: number; walk: number; minFeeds: number },
    BriefRow
  >(`
    -- The walk's gate is its LIMIT: as a WHERE term, SQLite would test it on every brief.
    WITH many AS MATERIALIZED (
      SELECT count(*) > @minFeeds AS yes FROM subscriptions WHERE destination = @destination
    ), walk AS MATERIALIZED (
      SELECT id, feed_id, created_at FROM briefs INDEXED BY briefs_created
      ORDER BY created_at DESC, id DESC LIMIT (SELECT CASE WHEN yes THEN @walk ELSE 0 END FROM many)
    ), found AS MATERIALIZED (
      SELECT id FROM walk WHERE feed_id IN
        (SELECT feed_id FROM subscriptions WHERE destination = @destination)
      ORDER BY created_at DESC, id DESC LIMIT @limit
    ), done AS MATERIALIZED (
      SELECT (SELECT yes FROM many) AND ((SELECT count(*) FROM found) = @limit
        OR (SELECT count(*) FROM walk) < @walk) AS yes
    ), newest AS MATERIALIZED (
      SELECT s.feed_id, (SELECT max(created_at) FROM briefs WHERE feed_id = s.feed_id) AS at
      FROM subscriptions s WHERE s.destination = @destination AND NOT (SELECT yes FROM done)
    ), chosen AS MATERIALIZED (
      SELECT feed_id FROM newest WHERE at >= coalesce(
        (SELECT at FROM newest WHERE at IS NOT NULL ORDER BY at DESC LIMIT 1 OFFSET @limit - 1),
        (SELECT min(at) FROM newest))
    ), bounds AS MATERIALIZED (
      SELECT feed_id, (SELECT min(created_at) FROM (SELECT created_at FROM briefs
        WHERE feed_id = chosen.feed_id ORDER BY created_at DESC LIMIT @limit)) AS low
      FROM chosen
    ), top AS MATERIALIZED (
      SELECT c.id FROM bounds JOIN briefs c INDEXED BY briefs_feed_created
        ON c.feed_id = bounds.feed_id AND c.created_at >= bounds.low
      ORDER BY c.created_at DESC, c.id DESC LIMIT @limit
    )
    SELECT ${BRIEF_COLUMNS}
    FROM (SELECT id FROM found WHERE (SELECT yes FROM done) UNION ALL SELECT id FROM top) t
    CROSS JOIN briefs b ON b.id = t.id
    ORDER BY b.created_at DESC, b.id DESC`);
  // A digest's briefs, oldest first, the same way round: each active feed's first brief
  // since the start; the feeds whose first is among the `limit` first, and their ranges.
  const sinceFor = db.prepare<
    { destination: string; since: number; limit: number; walk: number; minFeeds: number },
    BriefRow
  >(`
    WITH many AS MATERIALIZED (
      SELECT count(*) > @minFeeds AS yes FROM subscriptions
      WHERE destination = @destination AND paused = 0
    ), walk AS MATERIALIZED (
      SELECT id, feed_id, created_at FROM briefs INDEXED BY briefs_created
      WHERE created_at >= @since
      ORDER BY created_at, id LIMIT (SELECT CASE WHEN yes THEN @walk ELSE 0 END FROM many)
    ), found AS MATERIALIZED (
      SELECT id FROM walk WHERE feed_id IN
        (SELECT feed_id FROM subscriptions WHERE destination = @destination AND paused = 0)
      ORDER BY created_at, id LIMIT @limit
    ), done AS MATERIALIZED (
      SELECT (SELECT yes FROM many) AND ((SELECT count(*) FROM found) = @limit
        OR (SELECT count(*) FROM walk) < @walk) AS yes
    ), first AS MATERIALIZED (
      SELECT s.feed_id, (SELECT min(created_at) FROM briefs
        WHERE feed_id = s.feed_id AND created_at >= @since) AS at
      FROM subscriptions s
      WHERE s.destination = @destination AND s.paused = 0 AND NOT (SELECT yes FROM done)
    ), chosen AS MATERIALIZED (
      SELECT feed_id FROM first WHERE at <= coalesce(
        (SELECT at FROM first WHERE at IS NOT NULL ORDER BY at LIMIT 1 OFFSET @limit - 1),
        (SELECT max(at) FROM first))
    ), bounds AS MATERIALIZED (
      SELECT feed_id, (SELECT max(created_at) FROM (SELECT created_at FROM briefs
        WHERE feed_id = chosen.feed_id AND created_at >= @since ORDER BY created_at LIMIT @limit))
        AS high
      FROM chosen
    ), top AS MATERIALIZED (
      SELECT c.id FROM bounds JOIN briefs c INDEXED BY briefs_feed_created
        ON c.feed_id = bounds.feed_id AND c.created_at >= @since AND c.created_at <= bounds.high
      ORDER BY c.created_at, c.id LIMIT @limit
    )
    SELECT ${DIGEST_COLUMNS}
    FROM (SELECT id FROM found WHERE (SELECT yes FROM done) UNION ALL SELECT id FROM top) t
    CROSS JOIN briefs b ON b.id = t.id
    ORDER BY b.created_at, b.id`);

  return {
    get: async (id) => {
      const row = byId.get(id);
      return row === undefined ? null : toBrief(row);
    },
    latestFor: async (destination, limit) =>
      limit < 1
        ? []
        : latestFor
            .all({
              destination,
              limit,
              walk: newestWalkRows(limit),
              minFeeds: NEWEST_WALK_MIN_FEEDS,
            })
            .map(toBrief),
    sinceFor: async (destination, since, limit = 1000) =>
      limit < 1
        ? []
        : sinceFor
            .all({
              destination,
              since: toMs(since),
              limit,
              walk: newestWalkRows(limit),
              minFeeds: NEWEST_WALK_MIN_FEEDS,
            })
            .map(toDigestBrief),
    countForFeed: async (feedId, since) => countOfFeed.get(feedId, toMs(since))?.n ?? 0,
    arrivals: async (feedId, limit) =>
      arrivalsOfFeed.all(feedId, limit).map((row) => toDate(row.created_at)),
  };
}
