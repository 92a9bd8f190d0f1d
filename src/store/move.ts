/**
 * `briefwire db migrate --to postgres://…`: moves a SQLite store into an empty PostgreSQL
 * database, every row of every table (ids kept, so deliveries still name their briefs),
 * in one PostgreSQL transaction: either all of it is there, or nothing is.
 *
 * The SQLite file is only read, in one read transaction (a consistent snapshot), and stays
 * as it was: until DATABASE_URL is set, the bot keeps using it. Leases are not moved: they
 * are held by running instances, which the move must not have.
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { errorLine } from '../shared/log.js';
import { StoreError } from './errors.js';
import { fsCode, fsReason } from './file.js';
import { checkHeader, checkOpenStore, StoreFileError, sqliteProblem } from './integrity.js';
import { MIGRATIONS } from './migrations.js';
import type { StoreLocation } from './open.js';
import { connect, type Queryable } from './postgres/db.js';
import { migratePostgres } from './postgres/migrations.js';

/** The tables in an order their foreign keys allow, with the columns that need converting. */
const TABLES: readonly {
  name: string;
  times: readonly string[];
  flags?: readonly string[];
  /** Columns the target's triggers fill as the rows after them arrive. */
  derived?: readonly string[];
}[] = [
  {
    name: 'feeds',
    times: [
      'last_polled_at',
      'next_poll_at',
      'held_back_since',
      'last_new_item_at',
      'quiet_since',
      'claimed_until',
      'created_at',
    ],
    flags: ['paused'],
  },
  { name: 'items_seen', times: ['seen_at'] },
  { name: 'briefs', times: ['published_at', 'created_at'] },
  // brief_count: counted again by the target as brief_actors arrive (migration 6).
  { name: 'actors', times: ['first_seen_at', 'last_seen_at'], derived: ['brief_count'] },
  { name: 'actor_terms', times: [], flags: ['whole'] },
  { name: 'brief_actors', times: [] },
  { name: 'subscriptions', times: ['created_at'], flags: ['paused'] },
  { name: 'deliveries', times: ['next_attempt_at', 'created_at', 'sent_at'] },
  { name: 'digests', times: ['last_sent_at', 'created_at'] },
  { name: 'destination_options', times: ['updated_at'] },
  { name: 'brief_retries', times: ['failed_at'] },
  { name: 'chat_overrides', times: ['created_at'] },
];

/** Tables whose ids PostgreSQL draws from an identity: it must go on after the last one moved. */
const IDENTITIES = ['feeds', 'briefs', 'subscriptions', 'deliveries'];

/** PostgreSQL takes at most 65,535 parameters a statement. */
const MAX_PARAMS = 60_000;

export interface MoveResult {
  /** Rows moved, per table. */
  rows: Record<string, number>;
  feeds: number;
  briefs: number;
  pendingDeliveries: number;
}

function convert(table: (typeof TABLES)[number], column: string, value: unknown): unknown {
  if (value === null) return null;
  if (table.times.includes(column)) return new Date(value as number);
  if (table.flags?.includes(column)) return value !== 0;
  return value;
}

/** The SQLite store, checked as the bot checks it at start, opened to be read only. */
function openSource(file: string, shown: string): Database.Database {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new StoreError(
      fsCode(error) === 'ENOENT'
        ? `no store at ${shown}: nothing to migrate`
        : `cannot read the store ${shown}: ${fsReason(error)}`,
    );
  }
  checkHeader(file, size, shown);
  const db = new Database(file, { fileMustExist: true, timeout: 5000 });
  try {
    db.pragma('query_only = ON');
    checkOpenStore(db, shown);
    const version = db.pragma('user_version', { simple: true }) as number;
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    if (version !== latest) {
      throw new StoreError(
        version > latest
          ? `${shown}: schema version ${version} is newer than this briefwire knows (${latest}); upgrade briefwire first`
          : `${shown}: schema version ${version}; start briefwire once with it (that migrates it to ${latest}), then migrate`,
      );
    }
    return db;
  } catch (error) {
    db.close();
    const problem = sqliteProblem(error);
    if (problem !== null) throw new StoreFileError(problem, shown, errorLine(error));
    throw error;
  }
}

/** Every row of `table`, a chunk at a time, into the target. */
async function copyTable(
  source: Database.Database,
  tx: Queryable,
  table: (typeof TABLES)[number],
): Promise<number> {
  const statement = source.prepare(`SELECT * FROM ${table.name}`);
  const columns = statement
    .columns()
    .map((column) => column.name)
    .filter((name) => !table.derived?.includes(name));
  const perChunk = Math.max(1, Math.min(1000, Math.floor(MAX_PARAMS / columns.length)));
  let chunk: unknown[][] = [];
  let copied = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const values = chunk
      .map(
        (_, row) => `(${columns.map((_, col) => `$${row * columns.length + col + 1}`).join(', ')})`,
      )
      .join(', ');
    await tx.run(
      `INSERT INTO ${table.name} (${columns.join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${values}`,
      chunk.flat(),
    );
    copied += chunk.length;
    chunk = [];
  };
  for (const row of statement.iterate() as IterableIterator<Record<string, unknown>>) {
    chunk.push(columns.map((column) => convert(table, column, row[column])));
    if (chunk.length >= perChunk) await flush();
  }
  await flush();
  return copied;
}

/**
 * Moves the SQLite store at `file` into the PostgreSQL database `target` (created tables,
 * migrated, then filled). Throws StoreError with one line for the user: a source that
 * cannot be read, a target that cannot be reached or already holds a store.
 */
export async function moveSqliteToPostgres(
  file: string,
  shown: string,
  target: Extract<StoreLocation, { kind: 'postgres' }>,
): Promise<MoveResult> {
  const source = openSource(file, shown);
  try {
    const db = await connect(target.url, { where: target.where, password: target.password });
    try {
      const outcome = await migratePostgres((work) => db.transaction(work));
      if (outcome.status !== 'migrated') {
        throw new StoreError(
          outcome.status === 'newer'
            ? `${target.where}: schema version ${outcome.version} is newer than this briefwire knows (${outcome.latest})`
            : `${target.where} has tables of its own: migrate into an empty database`,
        );
      }
      // One read transaction: the snapshot every table is read from.
      source.prepare('BEGIN').run();
      try {
        return await db.transaction(async (tx) => {
          const [held] = await tx.rows<{ n: number }>(
            `SELECT (SELECT count(*) FROM feeds) + (SELECT count(*) FROM briefs)
               + (SELECT count(*) FROM deliveries) AS n`,
          );
          if ((held?.n ?? 0) > 0) {
            throw new StoreError(
              `${target.where} already holds a briefwire store: migrate into an empty database`,
            );
          }
          const rows: Record<string, number> = {};
          for (const table of TABLES) rows[table.name] = await copyTable(source, tx, table);
          for (const table of IDENTITIES) {
            await tx.run(
              `SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`,
              [table],
            );
          }
          const [pending] = await tx.rows<{ n: number }>(
            "SELECT count(*) AS n FROM deliveries WHERE status = 'pending'",
          );
          const expected = source
            .prepare("SELECT count(*) FROM deliveries WHERE status = 'pending'")
            .pluck()
            .get() as number;
          // Checked before committing: a row lost on the way undoes the whole move.
          if (pending?.n !== expected) {
            throw new StoreError(
              `${target.where}: ${pending?.n} pending deliveries arrived of ${expected}; nothing was moved`,
            );
          }
          return {
            rows,
            feeds: rows.feeds ?? 0,
            briefs: rows.briefs ?? 0,
            pendingDeliveries: expected,
          };
        });
      } finally {
        source.prepare('COMMIT').run();
      }
    } finally {
      await db.close();
    }
  } finally {
    source.close();
  }
}
