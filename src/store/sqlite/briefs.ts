import type { Brief } from '../../core/types.js';
import type { BriefRecord, BriefStore } from '../port.js';
import { type Context, parseTime, toDate, toMs } from './context.js';

export interface BriefRow {
  id: number;
  feed_id: number | null;
  created_at: number;
  json: string;
}

export const BRIEF_COLUMNS = 'b.id, b.feed_id, b.created_at, b.json';

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
    INSERT INTO briefs (feed_id, url, title, published_at, language, created_at, json)
    VALUES (@feedId, @url, @title, @publishedAt, @language, @at, @json)`);
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
      }).lastInsertRowid,
    );
}

/** Newest first across several feeds, from each feed's own newest rows (all index walks). */
function newestFirst(a: BriefRecord, b: BriefRecord): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id;
}

function oldestFirst(a: BriefRecord, b: BriefRecord): number {
  return -newestFirst(a, b);
}

/** The brief store but for retries, which sqlite.ts adds (retries.ts). */
export function createBriefStore({ db }: Context): Omit<BriefStore, 'retries' | 'complete'> {
  const byId = db.prepare<[number], BriefRow>(`SELECT ${BRIEF_COLUMNS} FROM briefs b WHERE id = ?`);
  const feedsOf = db.prepare<[string], { feed_id: number }>(
    'SELECT feed_id FROM subscriptions WHERE destination = ?',
  );
  const activeFeedsOf = db.prepare<[string], { feed_id: number }>(
    'SELECT feed_id FROM subscriptions WHERE destination = ? AND paused = 0',
  );
  const latestOfFeed = db.prepare<[number, number], BriefRow>(`
    SELECT ${BRIEF_COLUMNS} FROM briefs b WHERE feed_id = ?
    ORDER BY created_at DESC, id DESC LIMIT ?`);
  const countOfFeed = db.prepare<[number, number], { n: number }>(
    'SELECT count(*) AS n FROM briefs WHERE feed_id = ? AND created_at >= ?',
  );
  const arrivalsOfFeed = db.prepare<[number, number], { created_at: number }>(
    'SELECT DISTINCT created_at FROM briefs WHERE feed_id = ? ORDER BY created_at DESC LIMIT ?',
  );
  const sinceOfFeed = db.prepare<[number, number, number], BriefRow>(`
    SELECT ${BRIEF_COLUMNS} FROM briefs b WHERE feed_id = ? AND created_at >= ?
    ORDER BY created_at, id LIMIT ?`);

  // A query per subscribed feed keeps each one on the (feed_id, created_at) index, however
  // many briefs other feeds have; a chat has few feeds.
  // In a transaction so that the per-feed reads see one snapshot.
  const latestFor = db.transaction((destination: string, limit: number): BriefRecord[] =>
    feedsOf
      .all(destination)
      .flatMap((row) => latestOfFeed.all(row.feed_id, limit).map(toBrief))
      .sort(newestFirst)
      .slice(0, limit),
  );

  const sinceFor = db.transaction(
    (destination: string, since: number, limit: number): BriefRecord[] =>
      activeFeedsOf
        .all(destination)
        .flatMap((row) => sinceOfFeed.all(row.feed_id, since, limit).map(toBrief))
        .sort(oldestFirst)
        .slice(0, limit),
  );

  return {
    get: async (id) => {
      const row = byId.get(id);
      return row === undefined ? null : toBrief(row);
    },
    latestFor: async (destination, limit) => latestFor(destination, limit),
    sinceFor: async (destination, since, limit = 1000) => sinceFor(destination, toMs(since), limit),
    countForFeed: async (feedId, since) => countOfFeed.get(feedId, toMs(since))?.n ?? 0,
    arrivals: async (feedId, limit) =>
      arrivalsOfFeed.all(feedId, limit).map((row) => toDate(row.created_at)),
  };
}
