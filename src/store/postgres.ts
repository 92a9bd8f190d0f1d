/**
 * The PostgreSQL store: the same port as the SQLite one, on a node-postgres pool, for
 * installs that outgrow one file (DATABASE_URL=postgres://…). Opening connects once (a wrong
 * URL is one line and no retry), then migrates the schema (postgres/migrations.ts).
 */
import { StoreError } from './errors.js';
import type { Store } from './port.js';
import { createActorStore } from './postgres/actors.js';
import { createBriefStore } from './postgres/briefs.js';
import { createClusterStore } from './postgres/cluster.js';
import type { Context } from './postgres/context.js';
import { connect } from './postgres/db.js';
import { createDestinationStore } from './postgres/destinations.js';
import { createDigestStore } from './postgres/digests.js';
import { createFeedStore } from './postgres/feeds.js';
import { createIngest } from './postgres/ingest.js';
import { createLeaseStore } from './postgres/leases.js';
import { migratePostgres } from './postgres/migrations.js';
import { createOutbox } from './postgres/outbox.js';
import { createPrune } from './postgres/prune.js';
import { createRetryStore } from './postgres/retries.js';
import { createSeenStore } from './postgres/seen.js';
import { createSubscriptionStore } from './postgres/subscriptions.js';

export interface PostgresStoreOptions {
  /** 'PostgreSQL at HOST:PORT, database NAME', for messages. */
  where: string;
  /** The URL's password, kept out of every message. */
  password: string | null;
  /** The clock stamped on rows; tests move it. */
  now?: () => Date;
  /** One line per failed attempt to reach the server while it is down. */
  log?: (line: string) => void;
  /** The first pause between attempts (it doubles up to 15 s); tests shorten it. */
  retryDelayMs?: number;
}

/** Opens (and migrates) the store; throws StoreError with one line for the user. */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions,
): Promise<Store> {
  const db = await connect(url, {
    where: options.where,
    password: options.password,
    log: options.log,
    ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
  });
  try {
    const outcome = await migratePostgres((work) => db.transaction(work));
    if (outcome.status === 'newer') {
      throw new StoreError(
        `${options.where}: schema version ${outcome.version} is newer than this briefwire knows (${outcome.latest}); upgrade briefwire or point DATABASE_URL at another database`,
      );
    }
    if (outcome.status === 'foreign') {
      throw new StoreError(
        `${options.where} has ${outcome.tables} ${outcome.tables === 1 ? 'table' : 'tables'} of its own and no briefwire schema version: point DATABASE_URL at an empty database`,
      );
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const clock = options.now ?? (() => new Date());
  const context: Context = { db, now: () => new Date(clock().getTime()) };
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
    cluster: createClusterStore(db, {
      url,
      where: options.where,
      password: options.password,
      log: options.log ?? (() => undefined),
    }),
    ingest: createIngest(context),
    prune: createPrune(context),
    close: () => db.close(),
  };
}
