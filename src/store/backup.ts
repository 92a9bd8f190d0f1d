/**
 * An online backup of the SQLite store: SQLite's backup API (better-sqlite3's `db.backup`)
 * copies a consistent snapshot — the WAL's committed pages included — while the bot keeps
 * reading and writing. The SQLite store's `StoreMaintenance.backup` (sqlite/maintenance.ts);
 * it takes the file, so that a missing store is reported, not created.
 *
 * The copy is written to a temporary file next to FILE, checked (`PRAGMA quick_check`),
 * switched to a rollback journal (one self-contained file, no -wal/-shm next to it), then
 * put in place: FILE never holds half a backup, and an existing FILE is only replaced when
 * asked (`force`).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { errorLine } from '../shared/log.js';
import { BackupError } from './errors.js';
import { fsCode, fsReason } from './file.js';
import { checkSummary, quickCheck } from './integrity.js';
import type { BackupOptions } from './port.js';

export { BackupError };

export interface SqliteBackupResult {
  /** The copy, absolute. */
  file: string;
  pages: number;
  bytes: number;
}

/** Copies the SQLite database `source` to `target`; throws BackupError. */
export async function backupSqliteFile(
  source: string,
  target: string,
  options: BackupOptions = {},
): Promise<SqliteBackupResult> {
  const show = options.show ?? ((file: string) => file);
  const from = path.resolve(source);
  const to = path.resolve(target);

  try {
    const info = await stat(from);
    if (!info.isFile()) throw new BackupError(`${show(from)} is not a file`);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`no store at ${show(from)}: ${fsReason(error)}`);
  }
  const folder = path.dirname(to);
  try {
    if (!(await stat(folder)).isDirectory()) {
      throw new BackupError(`cannot write ${show(to)}: ${show(folder)} is not a folder`);
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`cannot write ${show(to)}: the folder ${show(folder)} ${missing(error)}`);
  }
  const existing = await stat(to).catch(() => null);
  if (existing?.isDirectory()) throw new BackupError(`${show(to)} is a folder; name a file`);
  if (existing && (await realpath(to)) === (await realpath(from))) {
    throw new BackupError(`${show(to)} is the store itself; name another file`);
  }
  if (existing && !options.force) {
    throw new BackupError(`${show(to)} already exists (--force replaces it)`);
  }

  const temp = path.join(
    folder,
    `.${path.basename(to)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    let db: Database.Database;
    try {
      // Not `readonly: true`: a read-only connection cannot remove the -wal and -shm files it
      // creates; this one, the last to close, does, as the bot would. It never writes.
      db = new Database(from, { fileMustExist: true, timeout: 5000 });
      db.pragma('query_only = ON');
    } catch (error) {
      throw new BackupError(`cannot open the store ${show(from)}: ${sqliteReason(error)}`);
    }
    try {
      // Reading the schema tells a database from any other file before anything is written.
      db.pragma('schema_version');
      // One step for every page: between steps another connection's write would restart it.
      await db.backup(temp, { progress: () => 0x7fffffff });
    } catch (error) {
      throw new BackupError(`cannot back up ${show(from)}: ${sqliteReason(error)}`);
    } finally {
      db.close();
    }

    let pages: number;
    let pageSize: number;
    const copy = new Database(temp, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      const problems = quickCheck(copy);
      if (problems.length > 0) {
        throw new BackupError(`the copy fails its check: ${checkSummary(problems)}`);
      }
      pages = copy.pragma('page_count', { simple: true }) as number;
      pageSize = copy.pragma('page_size', { simple: true }) as number;
    } finally {
      copy.close();
    }

    if (options.force) {
      await rename(temp, to);
    } else {
      // A hard link never replaces a file that appeared meanwhile; copyFile with EXCL where
      // the file system has no hard links.
      try {
        await link(temp, to);
      } catch (error) {
        const code = fsCode(error);
        if (code === 'EEXIST')
          throw new BackupError(`${show(to)} already exists (--force replaces it)`);
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') {
          throw new BackupError(`cannot write ${show(to)}: ${fsReason(error)}`);
        }
        await copyFile(temp, to, constants.COPYFILE_EXCL).catch((copyError: unknown) => {
          throw new BackupError(`cannot write ${show(to)}: ${fsReason(copyError)}`);
        });
      }
    }
    return { file: to, pages, bytes: pages * pageSize };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`cannot write ${show(to)}: ${fsReason(error)}`);
  } finally {
    for (const leftover of [temp, `${temp}-journal`, `${temp}-wal`, `${temp}-shm`]) {
      await unlink(leftover).catch(() => undefined);
    }
  }
}

function missing(error: unknown): string {
  const code = fsCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR'
    ? 'does not exist'
    : `cannot be used: ${fsReason(error)}`;
}

function sqliteReason(error: unknown): string {
  if (fsCode(error) === 'SQLITE_NOTADB') return 'not a SQLite database';
  return errorLine(error);
}
