/**
 * The SQLite store as `briefwire doctor` and `briefwire db backup` see it: the file is read
 * (never created, migrated or written to) through a `query_only` connection, so both work
 * while the bot runs on it (WAL).
 */
import { stat } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { errorLine } from '../../shared/log.js';
import { backupSqliteFile } from '../backup.js';
import { fsCode, fsReason } from '../file.js';
import {
  checkHeader,
  checkOpenStore,
  StoreFileError,
  sqliteProblem,
  storeProblemFix,
  storeProblemText,
} from '../integrity.js';
import { MIGRATIONS } from '../migrations.js';
import type { StoreHealth, StoreMaintenance } from '../port.js';

const DATA_DIR_FIX =
  'point dataDir (config) or BRIEFWIRE_DATA_DIR at a folder the bot may write in';

export function sqliteMaintenance(file: string, shown: string): StoreMaintenance {
  return {
    kind: 'sqlite',
    health: () => sqliteHealth(file, shown),
    backup: async (target, options = {}) => {
      const result = await backupSqliteFile(file, target, options);
      return { file: result.file, bytes: result.bytes, copied: `${result.pages} pages` };
    },
    close: async () => undefined,
  };
}

/**
 * The file's header, its schema version one this briefwire knows, and `PRAGMA quick_check`:
 * the checks the bot makes at start (integrity.ts), so what passes here the bot opens.
 */
async function sqliteHealth(file: string, shown: string): Promise<StoreHealth> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    if (fsCode(error) === 'ENOENT') {
      return { state: 'absent', where: shown, detail: `${shown} does not exist yet` };
    }
    return unusable(shown, `${shown}: ${fsReason(error)}`, DATA_DIR_FIX);
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
      return unusable(
        shown,
        `${shown}: schema version ${version} is newer than this briefwire knows (${latest})`,
        'upgrade briefwire, or use another data dir',
      );
    }
    checkOpenStore(db, shown);
    const scalar = (sql: string): number => (db?.prepare(sql).pluck().get() as number) ?? 0;
    return {
      state: 'usable',
      kind: 'sqlite',
      where: shown,
      schemaVersion: version,
      latestVersion: latest,
      check: 'quick_check ok',
      // An older schema may lack the tables: the next start migrates it first.
      contents:
        version === latest
          ? {
              feeds: scalar('SELECT count(*) FROM feeds'),
              briefs: scalar('SELECT count(*) FROM briefs'),
              pendingDeliveries: scalar("SELECT count(*) FROM deliveries WHERE status = 'pending'"),
            }
          : null,
      bytes: size,
    };
  } catch (error) {
    return failure(error, shown);
  } finally {
    db?.close();
  }
}

function unusable(
  where: string,
  problem: string,
  fix: string | null,
  severity: 'fail' | 'warn' = 'fail',
): StoreHealth {
  return { state: 'unusable', where, severity, problem, fix };
}

/** A store the bot refuses to start with: what is wrong, and the same fix it gives. */
function refused(error: StoreFileError): StoreHealth {
  const fix = storeProblemFix(error.problem, error.shown);
  return unusable(
    error.shown,
    storeProblemText(error.problem, error.shown, error.detail),
    // The bot may be running on it, and a file is only replaced while it is stopped.
    error.problem === 'foreign' ? fix : `stop the bot, then ${fix}`,
  );
}

function failure(error: unknown, shown: string): StoreHealth {
  if (error instanceof StoreFileError) return refused(error);
  const problem = sqliteProblem(error);
  if (problem !== null) return refused(new StoreFileError(problem, shown, errorLine(error)));
  const code = fsCode(error) ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return unusable(
      shown,
      `${shown} is locked by another process: ${errorLine(error)}`,
      'try again; if it stays locked, look for a stuck briefwire process',
      'warn',
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY')) {
    return unusable(
      shown,
      `${shown} cannot be opened: ${errorLine(error)}`,
      `give the bot's user read and write access to ${shown} and its folder`,
    );
  }
  return unusable(shown, `${shown}: ${errorLine(error)}`, null);
}
