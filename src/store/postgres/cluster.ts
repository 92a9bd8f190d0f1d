/**
 * What instances sharing one PostgreSQL database share besides rows: the platforms'
 * allowances (rate_tokens, one row per token out) and elections (advisory locks).
 *
 * - A token is taken under a transaction-scoped advisory lock per platform, so that two
 *   instances never both see the last free token; times are the server's clock, the one
 *   clock every instance agrees on.
 * - A leader holds a session advisory lock on a connection of its own. When the instance
 *   dies, its connection closes and the server lets go of the lock: another instance takes
 *   it at its next try. When the connection drops while the instance lives, it learns that
 *   it lost the lead (`lost`) and stops what only the leader may do before campaigning again.
 * Locks are named within the current schema (search_path), so that stores in several
 * schemas of one database elect and limit apart.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { ClusterStore, Leadership, RateBucket, RateStore, RateTake } from '../port.js';
import { connectionReason, type Db } from './db.js';

/** The platform a bucket key belongs to ('telegram:…' → 'telegram'): one lock each. */
function platformOf(bucket: RateBucket): string {
  const colon = bucket.key.indexOf(':');
  return colon < 0 ? bucket.key : bucket.key.slice(0, colon);
}

export function createRateStore(db: Db): RateStore {
  return {
    take: (buckets, options = {}) =>
      db.transaction(async (tx): Promise<RateTake> => {
        if (buckets.length === 0) return { ok: true, tokens: { ids: [], at: 0 } };
        const platforms = [...new Set(buckets.map(platformOf))].sort();
        // The commit does not wait for the disk: the lock is let go as soon as the tokens are
        // in (a flush per take, under the lock, held every instance to ~50 takes a second on
        // this machine's disk). What a crash of the server can lose is the last fraction of a
        // second of tokens: a burst afterwards may earn a 429, which is waited out.
        for (const platform of platforms) {
          await tx.run(
            `SELECT set_config('synchronous_commit', 'off', true),
                    pg_advisory_xact_lock(hashtext(current_schema()), hashtext($1))`,
            [`rate:${platform}`],
          );
        }
        const keys = buckets.map((b) => b.key);
        // One statement under the lock, so that the lock is held for one round trip (and the
        // commit), not four: other instances queue on it at 50 takes a second. Its snapshot
        // is taken after the lock, so it sees every token another take committed. Tokens back
        // in their buckets are not counted, and forgotten as the buckets are used.
        const rows = await tx.rows<{ id: string | null; at: number | null; wait: number | null }>(
          `WITH b AS (
             SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) AS b (key, count, per_ms)
           ),
           gone AS (
             DELETE FROM rate_tokens
             WHERE bucket = ANY($1::text[]) AND returns_at <= clock_timestamp()
           ),
           out AS (
             SELECT bucket, count(*) AS n, min(returns_at) AS first FROM rate_tokens
             WHERE bucket = ANY($1::text[]) AND returns_at > clock_timestamp() GROUP BY bucket
           ),
           full_buckets AS (
             SELECT out.first FROM out JOIN b ON b.key = out.bucket WHERE out.n >= b.count
           ),
           taken AS (
             INSERT INTO rate_tokens (bucket, per_ms, returns_at)
             SELECT key, per_ms, clock_timestamp() + per_ms * interval '1 millisecond' FROM b
             WHERE NOT EXISTS (SELECT 1 FROM full_buckets)
             RETURNING id::text AS id,
                       (extract(epoch FROM returns_at) * 1000 - per_ms)::float8 AS at
           )
           SELECT id, at, NULL::float8 AS wait FROM taken
           UNION ALL
           SELECT NULL, NULL,
                  (extract(epoch FROM max(first) - clock_timestamp()) * 1000)::float8
           FROM full_buckets HAVING count(*) > 0`,
          [keys, buckets.map((b) => b.count), buckets.map((b) => Math.round(b.perMs))],
        );
        const refused = rows.find((row) => row.wait !== null);
        if (refused) return { ok: false, waitMs: Math.max(1, Math.ceil(refused.wait ?? 1)) };
        const taken = rows.filter(
          (row): row is { id: string; at: number; wait: null } => row.id !== null,
        );
        const at = taken[0]?.at ?? 0;
        return { ok: true, tokens: { ids: options.awaited ? taken.map((t) => t.id) : [], at } };
      }),
    answered: async (tokens, lateMs) => {
      const late = Math.round(lateMs);
      if (tokens.ids.length === 0 || late <= 0) return;
      await db.run(
        `UPDATE rate_tokens SET returns_at = returns_at + $2::int * interval '1 millisecond'
         WHERE id = ANY($1::bigint[])`,
        [tokens.ids, late],
      );
    },
  };
}

export interface ElectionOptions {
  url: string;
  where: string;
  password: string | null;
  log: (line: string) => void;
}

/** Campaigns for `name` on a connection of its own; see the module comment. */
async function lead(
  options: ElectionOptions,
  name: string,
  retryMs: number,
  signal: AbortSignal,
): Promise<Leadership> {
  let failures = 0;
  for (;;) {
    signal.throwIfAborted();
    const client = new pg.Client({
      connectionString: options.url,
      application_name: `briefwire lead ${name}`,
      connectionTimeoutMillis: 10_000,
    });
    const lost = new AbortController();
    const drop = (): void => lost.abort(new Error(`the lead of ${name} was lost`));
    client.on('error', drop);
    client.on('end', drop);
    try {
      await client.connect();
      for (;;) {
        const [row] = (
          await client.query<{ got: boolean }>(
            'SELECT pg_try_advisory_lock(hashtext(current_schema()), hashtext($1)) AS got',
            [name],
          )
        ).rows;
        if (lost.signal.aborted) break;
        if (row?.got === true) {
          return {
            lost: lost.signal,
            release: async () => {
              client.off('end', drop);
              drop();
              await client.end().catch(() => undefined);
            },
          };
        }
        failures = 0;
        await sleep(retryMs, undefined, { signal });
      }
    } catch (error) {
      if (signal.aborted) {
        await client.end().catch(() => undefined);
        throw signal.reason;
      }
      failures++;
      options.log(
        `store: ${options.where}: cannot take part in the election for ${name}: ${connectionReason(error, options.password)}; trying again`,
      );
    }
    await client.end().catch(() => undefined);
    await sleep(Math.min(retryMs * 2 ** Math.min(failures, 5), 15_000), undefined, { signal });
  }
}

export function createClusterStore(db: Db, election: ElectionOptions): ClusterStore {
  return {
    rates: createRateStore(db),
    lead: (name, { retryMs, signal }) => lead(election, name, retryMs, signal),
  };
}
