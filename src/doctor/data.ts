/** The data dir (exists or can be created, writable, room left) and the store in it. */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, stat, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { formatBytes } from '../core/input/errors.js';
import { errorLine } from '../scheduler/log.js';
import { fsCode, fsReason, shownPath } from '../store/file.js';
import {
  checkHeader,
  checkOpenStore,
  StoreFileError,
  sqliteProblem,
  storeProblemFix,
  storeProblemText,
} from '../store/integrity.js';
import { MIGRATIONS } from '../store/migrations.js';
import { count } from './config.js';
import { type CheckRow, row } from './types.js';

const CHECK_DIR = 'data dir';
const CHECK_STORE = 'store';
const DATA_DIR_FIX =
  'point dataDir (config) or BRIEFWIRE_DATA_DIR at a folder the bot may write in';
/** Below this, a warning: the store grows with every brief. */
const LOW_SPACE_BYTES = 100 * 1024 * 1024;

export async function checkDataDir(dataDir: string, cwd: string): Promise<CheckRow> {
  const shown = shownPath(dataDir, cwd);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(dataDir);
  } catch (error) {
    const code = fsCode(error);
    if (code === 'ENOENT') return creatable(dataDir, shown);
    if (code === 'ENOTDIR') {
      return row(CHECK_DIR, 'fail', `${shown}: a file is in the way of the folder`, DATA_DIR_FIX);
    }
    return row(CHECK_DIR, 'fail', `${shown}: ${fsReason(error)}`, DATA_DIR_FIX);
  }
  if (!info.isDirectory()) {
    return row(CHECK_DIR, 'fail', `${shown} is a file, not a folder`, DATA_DIR_FIX);
  }
  // Permissions say little (ACLs, read-only mounts, a full disk): write a file and remove it.
  const probe = path.join(
    dataDir,
    `.briefwire-doctor-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    const handle = await open(probe, 'wx');
    try {
      await handle.write('briefwire doctor\n');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const fix =
      fsCode(error) === 'ENOSPC'
        ? `free some disk space on the disk of ${shown}`
        : `give the bot's user write access to ${shown}, or ${DATA_DIR_FIX}`;
    return row(CHECK_DIR, 'fail', `cannot write in ${shown}: ${fsReason(error)}`, fix);
  } finally {
    await unlink(probe).catch(() => undefined);
  }
  const free = await freeBytes(dataDir);
  if (free !== null && free < LOW_SPACE_BYTES) {
    return row(
      CHECK_DIR,
      'warn',
      `${shown}: writable, but only ${formatBytes(free)} free`,
      `free some disk space on the disk of ${shown}`,
    );
  }
  const room = free === null ? '' : `, ${formatBytes(free)} free`;
  return row(CHECK_DIR, 'ok', `${shown}: writable${room}`);
}

/** A data dir that does not exist yet: fine if the bot can create it at start. */
async function creatable(dataDir: string, shown: string): Promise<CheckRow> {
  let parent = path.dirname(dataDir);
  for (;;) {
    try {
      const info = await stat(parent);
      if (!info.isDirectory()) {
        return row(
          CHECK_DIR,
          'fail',
          `${shown}: ${shownPath(parent)} is a file, not a folder`,
          DATA_DIR_FIX,
        );
      }
      break;
    } catch (error) {
      const next = path.dirname(parent);
      if (fsCode(error) !== 'ENOENT' || next === parent) {
        return row(CHECK_DIR, 'fail', `${shown}: ${fsReason(error)}`, DATA_DIR_FIX);
      }
      parent = next;
    }
  }
  try {
    await access(parent, constants.W_OK | constants.X_OK);
  } catch (error) {
    return row(
      CHECK_DIR,
      'fail',
      `${shown} does not exist and cannot be created: ${shownPath(parent)}: ${fsReason(error)}`,
      `create ${shown} for the bot's user, or ${DATA_DIR_FIX}`,
    );
  }
  return row(CHECK_DIR, 'ok', `${shown} does not exist yet: the bot creates it at start`);
}

async function freeBytes(dir: string): Promise<number | null> {
  try {
    const info = await statfs(dir);
    return Number(info.bavail) * Number(info.bsize);
  } catch {
    return null;
  }
}

/**
 * The store: a SQLite file (its header), its schema version one this briefwire knows (older
 * is migrated at the next start), and `PRAGMA quick_check` passing: the checks the bot makes
 * at start (store/integrity.ts), so what the doctor passes the bot opens. Queries only
 * (`query_only`), so the doctor never migrates or changes a store, and works while the bot
 * runs (WAL).
 */
export async function checkStore(file: string, cwd: string): Promise<CheckRow> {
  const shown = shownPath(file, cwd);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    if (fsCode(error) === 'ENOENT') {
      return row(
        CHECK_STORE,
        'skip',
        `${shown} does not exist yet: the bot creates it at its first run`,
      );
    }
    return row(CHECK_STORE, 'fail', `${shown}: ${fsReason(error)}`, DATA_DIR_FIX);
  }
  let db: Database.Database | null = null;
  try {
    checkHeader(file, size, shown);
    // Not `readonly: true`: a read-only connection cannot remove the -wal and -shm files it
    // creates; this one, the last to close, does, as the bot would. It never writes.
    db = new Database(file, { fileMustExist: true, timeout: 5000 });
    db.pragma('query_only = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    if (version > latest) {
      return row(
        CHECK_STORE,
        'fail',
        `${shown}: schema version ${version} is newer than this briefwire knows (${latest})`,
        'upgrade briefwire, or use another data dir',
      );
    }
    checkOpenStore(db, shown);
    if (version < latest) {
      return row(
        CHECK_STORE,
        'warn',
        `${shown}: schema version ${version}, quick_check ok: the next start migrates it to ${latest}`,
        `back it up first: briefwire db backup FILE`,
      );
    }
    const scalar = (sql: string): number => (db?.prepare(sql).pluck().get() as number) ?? 0;
    const facts = [
      `schema ${version} (current)`,
      'quick_check ok',
      count(scalar('SELECT count(*) FROM feeds'), 'feed'),
      count(scalar('SELECT count(*) FROM briefs'), 'brief'),
      count(
        scalar("SELECT count(*) FROM deliveries WHERE status = 'pending'"),
        'pending delivery',
        'pending deliveries',
      ),
      formatBytes(size),
    ];
    return row(CHECK_STORE, 'ok', `${shown}: ${facts.join(', ')}`);
  } catch (error) {
    return storeFailure(error, shown);
  } finally {
    db?.close();
  }
}

/** A store the bot refuses to start with: what is wrong, and the same fix it gives. */
function problemRow(error: StoreFileError): CheckRow {
  const fix = storeProblemFix(error.problem, error.shown);
  return row(
    CHECK_STORE,
    'fail',
    storeProblemText(error.problem, error.shown, error.detail),
    // The bot may be running on it, and a file is only replaced while it is stopped.
    error.problem === 'foreign' ? fix : `stop the bot, then ${fix}`,
  );
}

function storeFailure(error: unknown, shown: string): CheckRow {
  if (error instanceof StoreFileError) return problemRow(error);
  const problem = sqliteProblem(error);
  if (problem !== null) return problemRow(new StoreFileError(problem, shown, errorLine(error)));
  const code = fsCode(error) ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return row(
      CHECK_STORE,
      'warn',
      `${shown} is locked by another process: ${errorLine(error)}`,
      'try again; if it stays locked, look for a stuck briefwire process',
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY')) {
    return row(
      CHECK_STORE,
      'fail',
      `${shown} cannot be opened: ${errorLine(error)}`,
      `give the bot's user read and write access to ${shown} and its folder`,
    );
  }
  return row(CHECK_STORE, 'fail', `${shown}: ${errorLine(error)}`, null);
}
