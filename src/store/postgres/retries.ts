/** Headline-and-link briefs waiting for the engine (see ../sqlite/retries.ts). */
import type { Brief } from '../../core/types.js';
import { digestJson } from '../digest-brief.js';
import type { BriefRetry, BriefStore } from '../port.js';
import { lockActors, writeActors } from './actors.js';
import { type Context, parseTime } from './context.js';
import type { Queryable } from './db.js';
import { distinctKeys } from './seen.js';

/** Records an item's keys as waiting for a full brief; ingest calls it in its transaction. */
export async function writeRetry(
  tx: Queryable,
  feedId: number,
  keys: readonly string[],
  briefId: number,
  error: string,
  at: Date,
): Promise<void> {
  // A key forgotten by a prune and met again on a new item belongs to that item now.
  await tx.run(
    `INSERT INTO brief_retries (feed_id, key, brief_id, error, failed_at)
     SELECT $1, key, $3, $4, $5 FROM unnest($2::text[]) AS key
     ON CONFLICT (feed_id, key) DO UPDATE SET brief_id = excluded.brief_id,
       error = excluded.error, failed_at = excluded.failed_at`,
    [feedId, distinctKeys(keys), briefId, error, at],
  );
}

export function createRetryStore({ db, now }: Context): Pick<BriefStore, 'retries' | 'complete'> {
  return {
    retries: async (feedId, keys): Promise<BriefRetry[]> => {
      const given = [...new Set(keys)];
      if (given.length === 0) return [];
      const rows = await db.rows<{ n: number; brief_id: number }>(
        `SELECT given.n, r.brief_id FROM unnest($2::text[]) WITH ORDINALITY AS given (key, n)
         JOIN brief_retries r ON r.feed_id = $1 AND r.key = given.key
         ORDER BY r.brief_id, r.key`,
        [feedId, given],
      );
      return rows.map((row) => ({ key: given[row.n - 1] as string, briefId: row.brief_id }));
    },
    complete: (briefId, brief: Brief) =>
      db.transaction(async (tx) => {
        // FOR UPDATE: two instances completing one brief take turns; the second finds it done.
        const pending = await tx.rows(
          'SELECT 1 FROM brief_retries WHERE brief_id = $1 FOR UPDATE',
          [briefId],
        );
        if (pending.length === 0) return false;
        await tx.run(
          `UPDATE briefs SET url = $2, title = $3, published_at = $4, language = $5, json = $6,
             digest = $7
           WHERE id = $1`,
          [
            briefId,
            brief.url,
            brief.title,
            parseTime(brief.publishedAt),
            brief.language,
            JSON.stringify(brief),
            digestJson(brief),
          ],
        );
        const at = now();
        await lockActors(tx, brief.actors, at);
        await writeActors(tx, briefId, brief.actors, at);
        await tx.run('DELETE FROM brief_retries WHERE brief_id = $1', [briefId]);
        return true;
      }),
  };
}
