/**
 * The PostgreSQL store as `briefwire doctor` and `briefwire db backup` see it: read only,
 * nothing created or migrated.
 */
import { BackupError, StoreError } from '../errors.js';
import { MIGRATIONS } from '../migrations.js';
import type { StoreHealth, StoreMaintenance } from '../port.js';
import { connect, type Db } from './db.js';
import { foreignTables, pgSchemaVersion } from './migrations.js';

/** The tables of the latest schema: all there, or the store is not whole. */
const TABLES = [
  'feeds',
  'items_seen',
  'briefs',
  'actors',
  'actor_terms',
  'brief_actors',
  'subscriptions',
  'deliveries',
  'digests',
  'leases',
  'destination_options',
  'brief_retries',
  'chat_overrides',
  'rate_tokens',
];

const URL_FIX =
  'start PostgreSQL there, or correct DATABASE_URL (host, port, database, user, password)';

export function postgresMaintenance(
  url: string,
  where: string,
  password: string | null,
): StoreMaintenance {
  let opened: Promise<Db> | null = null;
  // Read only: no statement the doctor runs can change the store.
  const db = () => {
    opened ??= connect(url, { where, password, connectTimeoutMs: 10_000 });
    return opened;
  };
  return {
    kind: 'postgres',
    health: async () => {
      let pool: Db;
      try {
        pool = await db();
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        return { state: 'unusable', where, severity: 'fail', problem: error.message, fix: URL_FIX };
      }
      return health(pool, where);
    },
    backup: async () => {
      throw new BackupError(
        `${where}: briefwire db backup copies SQLite stores; back PostgreSQL up with pg_dump (README: PostgreSQL)`,
      );
    },
    close: async () => {
      const pool = await opened?.catch(() => null);
      await pool?.close();
    },
  };
}

async function health(db: Db, where: string): Promise<StoreHealth> {
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  const version = await pgSchemaVersion(db);
  if (version === 0) {
    const tables = await foreignTables(db);
    if (tables === 0) {
      return { state: 'absent', where, detail: `${where} has no briefwire tables yet` };
    }
    return {
      state: 'unusable',
      where,
      severity: 'fail',
      problem: `${where} has ${tables} ${tables === 1 ? 'table' : 'tables'} of its own and no briefwire schema version`,
      fix: 'point DATABASE_URL at an empty database',
    };
  }
  if (version > latest) {
    return {
      state: 'unusable',
      where,
      severity: 'fail',
      problem: `${where}: schema version ${version} is newer than this briefwire knows (${latest})`,
      fix: 'upgrade briefwire, or point DATABASE_URL at another database',
    };
  }
  const [sizes] = await db.rows<{ bytes: number | null }>(
    `SELECT sum(pg_total_relation_size(format('%I.%I', schemaname, tablename)))::bigint AS bytes
     FROM pg_tables WHERE schemaname = current_schema()`,
  );
  const bytes = sizes?.bytes ?? null;
  if (version < latest) {
    return {
      state: 'usable',
      kind: 'postgres',
      where,
      schemaVersion: version,
      latestVersion: latest,
      check: 'server answers',
      contents: null,
      bytes,
    };
  }
  const present = await db.rows<{ tablename: string }>(
    'SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY($1::text[])',
    [TABLES],
  );
  const missing = TABLES.filter((name) => !present.some((row) => row.tablename === name));
  if (missing.length > 0) {
    return {
      state: 'unusable',
      where,
      severity: 'fail',
      problem: `${where}: schema version ${version}, but tables are missing: ${missing.join(', ')}`,
      fix: 'restore the database from a backup (pg_dump), or point DATABASE_URL at an empty database',
    };
  }
  const [counts] = await db.rows<{ feeds: number; briefs: number; pending: number }>(
    `SELECT (SELECT count(*) FROM feeds) AS feeds, (SELECT count(*) FROM briefs) AS briefs,
       (SELECT count(*) FROM deliveries WHERE status = 'pending') AS pending`,
  );
  return {
    state: 'usable',
    kind: 'postgres',
    where,
    schemaVersion: version,
    latestVersion: latest,
    check: 'tables ok',
    contents: {
      feeds: counts?.feeds ?? 0,
      briefs: counts?.briefs ?? 0,
      pendingDeliveries: counts?.pending ?? 0,
    },
    bytes,
  };
}
