import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
}

const IN_MEMORY = ':memory:';

function openDatabase(path: string, busyTimeoutMs: number): Database.Database {
  if (path !== IN_MEMORY) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // WAL: readers never block the writer; NORMAL is durable across process crashes in WAL
    // mode (only an OS crash can lose the last commits), at a fraction of FULL's fsyncs.
    if (path !== IN_MEMORY) db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // SQLite's own default page cache, 2 MB: better-sqlite3 builds in 16 MB, which a bot
    // with a thousand feeds fills with the pages of every feed's seen keys and briefs, for
    // no gain (a poll touches a few pages; the OS caches the file).
    db.pragma('cache_size = -2000');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The embedded store: one SQLite file (created with its directory if missing, migrated to
 * the latest schema), or ':memory:' for throwaway use.
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const db = openDatabase(path, options.busyTimeoutMs ?? 5000);
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
