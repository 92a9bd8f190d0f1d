/**
 * Which store to open, from one string: `openStore(url)`. SQLite is the default and needs
 * no setup (a file in the data dir); DATABASE_URL=postgres://… switches to PostgreSQL.
 *
 * - a path, `sqlite:PATH` or `sqlite:///ABSOLUTE/PATH` → the SQLite file (`:memory:` for a
 *   throwaway store);
 * - `postgres://` or `postgresql://` → a PostgreSQL database.
 *
 * The implementations are loaded on demand: a SQLite install never loads `pg`.
 */
import path from 'node:path';
import { StoreUrlError } from './errors.js';
import { storeFile } from './file.js';
import type { Store, StoreMaintenance } from './port.js';

/** The environment variable that switches the store to PostgreSQL. */
export const DATABASE_URL = 'DATABASE_URL';

export type StoreLocation =
  | {
      kind: 'sqlite';
      /** Absolute, or ':memory:'. */
      file: string;
    }
  | {
      kind: 'postgres';
      /** The connection string as given (it may hold a password: never show it). */
      url: string;
      /** 'PostgreSQL at HOST:PORT, database NAME': what messages show. */
      where: string;
      /** The password in the URL, for log redaction; null when it has none. */
      password: string | null;
    };

const IN_MEMORY = ':memory:';

/** Reads a store URL or path; throws StoreUrlError naming what is wrong, never the password. */
export function parseStoreUrl(
  url: string,
  options: { cwd?: string; source?: string } = {},
): StoreLocation {
  const cwd = options.cwd ?? process.cwd();
  const source = options.source ?? 'the store URL';
  const text = url.trim();
  if (text === '') throw new StoreUrlError(`${source} is empty`);
  if (/^postgres(ql)?:\/\//i.test(text)) return postgresLocation(text, source);
  if (/^sqlite:/i.test(text)) return sqliteLocation(text.slice('sqlite:'.length), cwd, source);
  // A scheme other than ours (mysql://, http://); Windows drive letters are paths.
  const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(text)?.[1];
  if (scheme !== undefined) {
    throw new StoreUrlError(
      `${source}: briefwire cannot store in "${scheme}:" (use postgres://USER:PASSWORD@HOST:PORT/DATABASE, or a SQLite file path)`,
    );
  }
  return sqliteLocation(text, cwd, source);
}

function sqliteLocation(rest: string, cwd: string, source: string): StoreLocation {
  // sqlite:///abs/path (URL style, empty host) and sqlite:path both name a file.
  const file = rest.startsWith('//') ? rest.slice(2) : rest;
  if (file === '') throw new StoreUrlError(`${source} names no SQLite file`);
  return { kind: 'sqlite', file: file === IN_MEMORY ? IN_MEMORY : path.resolve(cwd, file) };
}

function postgresLocation(url: string, source: string): StoreLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The text is not repeated: it may hold a password.
    throw new StoreUrlError(
      `${source} is not a valid URL (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE; characters such as @ : / in the password must be percent-encoded)`,
    );
  }
  const socket = parsed.searchParams.get('host');
  const host = parsed.hostname || socket || 'localhost';
  const port = parsed.port || parsed.searchParams.get('port') || '5432';
  const database =
    decodeURIComponent(parsed.pathname.replace(/^\//, '')) ||
    decodeURIComponent(parsed.username) ||
    'postgres';
  const password = parsed.password === '' ? null : decodeURIComponent(parsed.password);
  return {
    kind: 'postgres',
    url,
    where: `PostgreSQL at ${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}, database ${database}`,
    password,
  };
}

/** DATABASE_URL when it is set, else the SQLite file of the data dir. */
export function storeLocation(
  env: Readonly<Record<string, string | undefined>>,
  dataDir: string,
  cwd: string = process.cwd(),
): StoreLocation {
  const url = env[DATABASE_URL]?.trim();
  if (url) return parseStoreUrl(url, { cwd, source: DATABASE_URL });
  return { kind: 'sqlite', file: storeFile(dataDir) };
}

/** The store as messages name it: the file (as `show` gives it), or the server and database. */
export function describeLocation(
  location: StoreLocation,
  show: (file: string) => string = (file) => file,
): string {
  return location.kind === 'sqlite' ? show(location.file) : location.where;
}

export interface OpenStoreOptions {
  /** The clock stamped on rows; tests move it. */
  now?: () => Date;
  /** A file as messages name it (relative to the working directory); default as given. */
  show?: (file: string) => string;
  /** PostgreSQL: one line per failed attempt to reach the server while it is down. */
  log?: (line: string) => void;
  /** PostgreSQL: the first pause between attempts to reach the server (doubling to 15 s). */
  retryDelayMs?: number;
  /** SQLite: how long a write waits for another connection's lock before failing. */
  busyTimeoutMs?: number;
}

function located(location: StoreLocation | string): StoreLocation {
  return typeof location === 'string' ? parseStoreUrl(location) : location;
}

/**
 * Opens the store, creating and migrating it as needed; throws a StoreError (StoreFileError,
 * StoreUrlError …) whose message is one line for the user.
 */
export async function openStore(
  location: StoreLocation | string,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const where = located(location);
  if (where.kind === 'postgres') {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(where.url, {
      where: where.where,
      password: where.password,
      ...(options.now ? { now: options.now } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
    });
  }
  const { openSqliteStore } = await import('./sqlite.js');
  return openSqliteStore(where.file, options);
}

/** The store for `doctor` and `db backup`: never created, migrated or written to. */
export async function openStoreMaintenance(
  location: StoreLocation | string,
  options: Pick<OpenStoreOptions, 'show'> = {},
): Promise<StoreMaintenance> {
  const where = located(location);
  if (where.kind === 'postgres') {
    const { postgresMaintenance } = await import('./postgres/maintenance.js');
    return postgresMaintenance(where.url, where.where, where.password);
  }
  const { sqliteMaintenance } = await import('./sqlite/maintenance.js');
  return sqliteMaintenance(where.file, describeLocation(where, options.show));
}
