/**
 * The PostgreSQL connection pool (node-postgres), as the store's parts use it: queries,
 * transactions, and waiting out a server that went away.
 *
 * - Opening connects once: a wrong DATABASE_URL (host, port, database, user, password) is
 *   one line naming the server and database, never the password.
 * - Later, a lost connection (the server restarted, the network dropped) makes every call
 *   wait while one probe tries the server again with a growing pause, logging one line per
 *   failed attempt; then the call runs again. A transaction the server rolled back is run
 *   again whole; a COMMIT whose answer was lost may have committed, and running it again
 *   finds its work done (ingest: the keys are seen; markSent: already sent).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { errorLine } from '../../shared/log.js';
import { StoreError } from '../errors.js';

/**
 * A statement each connection prepares once under its name and then runs without parsing
 * or planning it again: the reads a command waits for, where planning costs as much as
 * running (1-2 ms for /brief's). One statement only, and one text per name.
 */
export interface Prepared {
  name: string;
  text: string;
}

export function prepared(name: string, text: string): Prepared {
  return { name, text };
}

/** A connection or the pool: what a store part runs its statements on. */
export interface Queryable {
  /** The rows of one statement. */
  rows<R>(sql: string | Prepared, params?: readonly unknown[]): Promise<R[]>;
  /** How many rows one statement changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface Db extends Queryable {
  /** Runs `work` in one transaction (READ COMMITTED), again whole if the server went away. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** 'PostgreSQL at HOST:PORT, database NAME'. */
  where: string;
  /** The password of the URL, kept out of every message. */
  password: string | null;
  log?: ((line: string) => void) | undefined;
  /** The first pause after a failed attempt; it doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How long opening a connection may take. */
  connectTimeoutMs?: number;
}

/** bigint (counts, ids) as numbers: ids and counts stay far below 2^53. */
const INT8 = 20;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 && format !== 'binary') return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * PostgreSQL text cannot hold U+0000, which feed text may carry: it is stored as U+FFFD,
 * as a lone surrogate already is by UTF-8. JSON columns never meet it: JSON.stringify
 * writes it as the escape \u0000.
 */
export function pgText(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
}

function param(value: unknown): unknown {
  if (typeof value === 'string') return pgText(value);
  if (Array.isArray(value)) return value.map(param);
  return value;
}

const params = (values: readonly unknown[] | undefined): unknown[] => (values ?? []).map(param);

/** Error codes of a connection that failed or was lost, rather than of a statement. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Whether the server could not be reached or went away (worth waiting for), not a bad statement. */
export function isConnectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    // Class 08: connection exception; 57P01-57P03: shutting down, crashed, starting up.
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') {
      return true;
    }
  }
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|server closed the connection/i.test(
    message,
  );
}

/** Why the server could not be used, in words a user can act on; never the password. */
export function connectionReason(error: unknown, password: string | null): string {
  const code = (error as { code?: unknown } | null)?.code;
  let reason: string;
  switch (code) {
    case 'ECONNREFUSED':
      reason = 'connection refused (is PostgreSQL running on that port?)';
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      reason = 'no such host';
      break;
    case 'ETIMEDOUT':
      reason = 'no answer (a firewall, or the wrong host?)';
      break;
    default:
      reason = errorLine(error);
      if (/timeout exceeded when trying to connect/i.test(reason)) {
        reason = 'no answer in time (a firewall, or the wrong host?)';
      }
  }
  if (password) {
    for (const secret of new Set([password, encodeURIComponent(password)])) {
      reason = reason.split(secret).join('[redacted]');
    }
  }
  return reason;
}

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    rows: async <R>(sql: string | Prepared, values?: readonly unknown[]) =>
      (typeof sql === 'string'
        ? await client.query(sql, params(values))
        : await client.query({ name: sql.name, text: sql.text, values: params(values) })
      ).rows as R[],
    run: async (sql, values) => (await client.query(sql, params(values))).rowCount ?? 0,
  };
}

/** Connects once (a wrong URL fails here, as a StoreError) and returns the pool. */
export async function connect(url: string, options: DbOptions): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    types,
    application_name: 'briefwire',
    max: 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  // An idle connection the server closed (a restart) is dropped by the pool; the next
  // statement opens a new one, and a failure then is logged by the wait below.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreError(
      `cannot connect to ${options.where}: ${connectionReason(error, options.password)}; check DATABASE_URL`,
    );
  }
  return createDb(pool, options);
}

function createDb(pool: pg.Pool, options: DbOptions): Db {
  const log = options.log ?? (() => undefined);
  const firstDelay = options.retryDelayMs ?? 500;
  const maxDelay = options.maxRetryDelayMs ?? 15_000;
  const closing = new AbortController();
  let outage: Promise<void> | null = null;

  /** One probe for all waiting callers: one line per failed attempt, one when it is back. */
  async function probe(first: unknown): Promise<void> {
    let failure = first;
    for (let attempt = 1; ; attempt++) {
      const delay = Math.min(firstDelay * 2 ** (attempt - 1), maxDelay);
      log(
        `store: ${options.where} unreachable: ${connectionReason(failure, options.password)}; attempt ${attempt} failed, trying again in ${(delay / 1000).toFixed(1)} s`,
      );
      await sleep(delay, undefined, { signal: closing.signal }).catch(() => undefined);
      if (closing.signal.aborted) throw new StoreError(`store: ${options.where}: closed`);
      try {
        await pool.query('SELECT 1');
        log(
          `store: ${options.where} reachable again after ${attempt} failed ${attempt === 1 ? 'attempt' : 'attempts'}`,
        );
        return;
      } catch (error) {
        if (!isConnectionLost(error)) throw error;
        failure = error;
      }
    }
  }

  function waitForServer(error: unknown): Promise<void> {
    outage ??= probe(error).finally(() => {
      outage = null;
    });
    return outage;
  }

  async function retrying<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (!isConnectionLost(error) || closing.signal.aborted) throw error;
        await waitForServer(error);
      }
    }
  }

  const direct = queryable(pool);
  return {
    rows: (sql, values) => retrying(() => direct.rows(sql, values)),
    run: (sql, values) => retrying(() => direct.run(sql, values)),
    transaction: (work) =>
      retrying(async () => {
        const client = await pool.connect();
        let broken: unknown;
        // A connection lost between two statements is reported as an event, not to a
        // statement: without a listener it would end the process. The next statement fails.
        const lost = (error: Error): void => {
          broken ??= error;
        };
        client.on('error', lost);
        try {
          await client.query('BEGIN');
          const result = await work(queryable(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          broken = error;
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.off('error', lost);
          // A connection that failed is not given back to the pool for reuse.
          client.release(
            broken !== undefined && isConnectionLost(broken) ? (broken as Error) : undefined,
          );
        }
      }),
    close: async () => {
      if (closing.signal.aborted) return;
      closing.abort();
      await pool.end();
    },
  };
}
