import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { fsCode, placeNewFile } from './file.js';
import { checkHeader, checkOpenStore, StoreFileError, sqliteProblem } from './integrity.js';
import { migrate } from './migrations.js';
import type { Store } from './port.js';
import { createActorStore } from './sqlite/actors.js';
import { createBriefStore } from './sqlite/briefs.js';
import type { Context } from './sqlite/context.js';
import { createDestinationStore } from './sqlite/destinations.js';
import { createDigestStore } from './sqlite/digests.js';
import { createFeedStore } from './sqlite/feeds.js';
import { createIngest } from './sqlite/ingest.js';
import { createLeaseStore } from './sqlite/leases.js';
import { createOutbox } from './sqlite/outbox.js';
import { createPrune } from './sqlite/prune.js';
import { createRetryStore } from './sqlite/retries.js';
import { createSeenStore } from './sqlite/seen.js';
import { createSubscriptionStore } from './sqlite/subscriptions.js';

export interface SqliteStoreOptions {
  /** The clock stamped on rows; tests move it. */
  now?: () => Date;
  /** How long a write waits for another connection's lock before failing. */
  busyTimeoutMs?: number;
  /** The file as messages name it (a path relative to the working directory); default as given. */
  show?: (file: string) => string;
}

const IN_MEMORY = ':memory:';

/** The file's size, or null when there is none. */
function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch (error) {
    if (fsCode(error) === 'ENOENT') return null;
    throw error;
  }
}

/**
 * A new store, built in a temporary file beside `path` and then put in place: `path` never
 * exists half made (a crash or a full disk while creating it leaves no empty file that the
 * next start would have to refuse), and a file that appeared there meanwhile is kept.
 */
function createStoreFile(path: string): void {
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.new`,
  );
  try {
    const db = new Database(temp);
    try {
      migrate(db);
    } finally {
      db.close();
    }
    placeNewFile(temp, path);
  } finally {
    for (const leftover of [temp, `${temp}-journal`]) rmSync(leftover, { force: true });
  }
}

/**
 * Opens the store at `path`, creating it only when no file is there. An existing file is
 * checked before anything is written to it (integrity.ts) and refused with a StoreFileError
 * when it is empty, not SQLite, damaged or another program's database.
 */
function openFile(path: string, busyTimeoutMs: number, shown: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  let size = sizeOf(path);
  if (size === null) {
    createStoreFile(path);
    size = sizeOf(path) ?? 0;
  }
  checkHeader(path, size, shown);
  // fileMustExist: SQLite never creates (or recreates) the file; only createStoreFile does.
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    checkOpenStore(db, shown);
    // WAL: readers never block the writer; NORMAL is durable across process crashes in WAL
    // mode (only an OS crash can lose the last commits), at a fraction of FULL's fsyncs.
    db.pragma('journal_mode = WAL');
    return prepare(db);
  } catch (error) {
    db.close();
    const problem = sqliteProblem(error);
    if (problem !== null && !(error instanceof StoreFileError)) {
      throw new StoreFileError(problem, shown, (error as Error).message);
    }
    throw error;
  }
}

function openDatabase(path: string, busyTimeoutMs: number, shown: string): Database.Database {
  if (path !== IN_MEMORY) return openFile(path, busyTimeoutMs, shown);
  const db = new Database(IN_MEMORY);
  try {
    return prepare(db);
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The connection's settings, then the schema brought up to date. */
function prepare(db: Database.Database): Database.Database {
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // SQLite's own default page cache, 2 MB: better-sqlite3 builds in 16 MB, which a bot
  // with a thousand feeds fills with the pages of every feed's seen keys and briefs, for
  // no gain (a poll touches a few pages; the OS caches the file).
  db.pragma('cache_size = -2000');
  migrate(db);
  return db;
}

/**
 * The embedded store: one SQLite file (created with its directory if missing, checked and
 * migrated to the latest schema if not), or ':memory:' for throwaway use. Throws
 * StoreFileError for a file it must not use.
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const db = openDatabase(path, options.busyTimeoutMs ?? 5000, options.show?.(path) ?? path);
  const clock = options.now ?? (() => new Date());
  const context: Context = { db, now: () => clock().getTime() };
  const ingest = createIngest(context);
  const prune = createPrune(context);
  return {
    feeds: createFeedStore(context),
    seen: createSeenStore(context),
    briefs: { ...createBriefStore(context), ...createRetryStore(context) },
    outbox: createOutbox(context),
    subscriptions: createSubscriptionStore(context),
    actors: createActorStore(context),
    digests: createDigestStore(context),
    destinations: createDestinationStore(context),
    leases: createLeaseStore(context),
    cluster: null,
    ingest: async (feedId, items) => ingest(feedId, items),
    prune: async (olderThanDays) => prune(olderThanDays),
    close: async () => {
      if (!db.open) return;
      // Lets SQLite refresh its planner statistics for the indexes the session used.
      db.pragma('optimize');
      db.close();
    },
  };
}
