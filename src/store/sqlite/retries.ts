/**
 * Headline-and-link briefs waiting for the engine: an item the engine failed on is stored
 * and posted with only its headline and link (ingest, `briefError`), and its keys are kept
 * here, so that later polls that still list it can brief it again and put the full brief
 * in place (complete). Rows go with their brief (prune) or their feed.
 */
import type { Brief } from '../../core/types.js';
import { digestJson } from '../digest-brief.js';
import type { BriefRetry, BriefStore } from '../port.js';
import { createActorWriter } from './actors.js';
import { type Context, parseTime } from './context.js';

/** Records an item's keys as waiting for a full brief; ingest calls it in its transaction. */
export type RetryWriter = (
  feedId: number,
  keys: readonly string[],
  briefId: number,
  error: string,
  at: number,
) => void;

export function createRetryWriter({ db }: Context): RetryWriter {
  // A key forgotten by a prune and met again on a new item belongs to that item now.
  const upsert = db.prepare<[number, string, number, string, number]>(`
    INSERT INTO brief_retries (feed_id, key, brief_id, error, failed_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (feed_id, key) DO UPDATE SET brief_id = excluded.brief_id,
      error = excluded.error, failed_at = excluded.failed_at`);
  return (feedId, keys, briefId, error, at) => {
    for (const key of keys) upsert.run(feedId, key, briefId, error, at);
  };
}

export function createRetryStore(context: Context): Pick<BriefStore, 'retries' | 'complete'> {
  const { db, now } = context;
  const writeActors = createActorWriter(context);
  // One statement for any number of keys: the list travels as a JSON array.
  const byKeys = db.prepare<[string, number], { key: string; brief_id: number }>(`
    SELECT r.key, r.brief_id FROM json_each(?) AS given
    JOIN brief_retries r ON r.feed_id = ? AND r.key = given.value
    ORDER BY r.brief_id, r.key`);
  const pending = db.prepare<[number], 1>('SELECT 1 FROM brief_retries WHERE brief_id = ?');
  const update = db.prepare(`
    UPDATE briefs SET url = @url, title = @title, published_at = @publishedAt,
      language = @language, json = @json, digest = @digest
    WHERE id = @id`);
  const done = db.prepare<[number]>('DELETE FROM brief_retries WHERE brief_id = ?');

  const complete = db.transaction((briefId: number, brief: Brief): boolean => {
    if (pending.get(briefId) === undefined) return false;
    update.run({
      id: briefId,
      url: brief.url,
      title: brief.title,
      publishedAt: parseTime(brief.publishedAt),
      language: brief.language,
      json: JSON.stringify(brief),
      digest: digestJson(brief),
    });
    writeActors(briefId, brief.actors, now());
    done.run(briefId);
    return true;
  });

  return {
    retries: async (feedId, keys): Promise<BriefRetry[]> =>
      byKeys
        .all(JSON.stringify([...new Set(keys)]), feedId)
        .map((row) => ({ key: row.key, briefId: row.brief_id })),
    complete: async (briefId, brief) => complete.immediate(briefId, brief),
  };
}
