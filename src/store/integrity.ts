/**
 * Whether an existing store file can be used as it is. The bot refuses one that is not
 * (`briefwire run` says so in one line, with the fix), and never writes to it: a store
 * quietly recreated or migrated over damage loses every chat's subscriptions.
 *
 * Two steps, both read-only:
 * - the file's first 100 bytes, SQLite's header (https://sqlite.org/fileformat.html#the_database_header):
 *   an empty file, or one that is not SQLite, is told apart before SQLite opens it;
 * - `PRAGMA quick_check` on the open connection: every page of every table and index read
 *   once (b-tree structure, record format, NOT NULL/CHECK), without the cross-checks of
 *   indexes against tables that make integrity_check slower. Its cost grows with the file:
 *   about 0.5 s for a store of 100,000 briefs (450 MB) in the OS page cache, a few seconds
 *   when the file is read from disk for the first time.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';

/** What is wrong with a store file. */
export type StoreProblem =
  /** 0 bytes: nothing in it, but not ours to fill (a failed copy, a truncated restore). */
  | 'empty'
  /** Not a SQLite database at all, or its header is overwritten. */
  | 'not-sqlite'
  /** A SQLite database whose pages fail quick_check, or that SQLite reports as corrupt. */
  | 'damaged'
  /** A SQLite database with tables of its own and no briefwire schema version. */
  | 'foreign';

/** A store file the bot must not use; the message is one line: what is wrong, and the fix. */
export class StoreFileError extends StoreError {
  override readonly name = 'StoreFileError';
  constructor(
    readonly problem: StoreProblem,
    /** The file as messages show it. */
    readonly shown: string,
    /** What SQLite or the header check said, when it says more than the problem. */
    readonly detail: string | null = null,
  ) {
    super(`${storeProblemText(problem, shown, detail)}: ${storeProblemFix(problem, shown)}`);
  }
}

/** The problem in words, naming the file. */
export function storeProblemText(
  problem: StoreProblem,
  shown: string,
  detail: string | null,
): string {
  const more = detail ? ` (${detail})` : '';
  switch (problem) {
    case 'empty':
      return `the store ${shown} is empty (0 bytes)`;
    case 'not-sqlite':
      return `${shown} is not a SQLite database${more}`;
    case 'damaged':
      return `the store ${shown} is damaged${more}`;
    case 'foreign':
      return `${shown} is a SQLite database, but not a briefwire store${more}`;
  }
}

const RESTORE = 'restore a backup made by briefwire db backup (README: Backups)';

/** What to do about it: the bot changes nothing, so the user chooses. */
export function storeProblemFix(problem: StoreProblem, shown: string): string {
  switch (problem) {
    case 'empty':
      return `${RESTORE}, or delete ${shown} to start a new, empty store`;
    case 'not-sqlite':
      return `${RESTORE}, or move ${shown} away to start a new, empty store`;
    case 'damaged':
      return `${RESTORE}, or move ${shown} away to start a new, empty store (sqlite3's .recover may save some of its rows)`;
    case 'foreign':
      return 'point dataDir (config) or BRIEFWIRE_DATA_DIR at another folder';
  }
}

/** SQLite's header string, the first 16 bytes of every database file. */
const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
export const HEADER_BYTES = 100;

/**
 * What SQLite's header says is wrong with a file of `size` bytes whose first bytes are
 * `header`; null for a header SQLite can open. Only what no valid file has is refused.
 */
export function headerProblem(
  header: Uint8Array,
  size: number,
): { problem: StoreProblem; detail: string | null } | null {
  if (size === 0) return { problem: 'empty', detail: null };
  const bytes = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
  const start = bytes.subarray(0, MAGIC.length);
  if (!start.equals(MAGIC.subarray(0, start.length)) || start.length === 0) {
    return { problem: 'not-sqlite', detail: 'its first bytes are not the SQLite header' };
  }
  if (bytes.length < HEADER_BYTES) {
    return { problem: 'damaged', detail: `cut short at ${size} bytes` };
  }
  // Page size: a power of two from 512 to 32768, or 1 for 65536.
  const pageSize = bytes.readUInt16BE(16);
  const validPageSize =
    pageSize === 1 || (pageSize >= 512 && pageSize <= 32768 && (pageSize & (pageSize - 1)) === 0);
  // File format versions: 1 (rollback journal) or 2 (WAL); payload fractions fixed 64/32/32.
  const versions = [bytes[18], bytes[19]].every((v) => v === 1 || v === 2);
  const fractions = bytes[21] === 64 && bytes[22] === 32 && bytes[23] === 32;
  if (!validPageSize || !versions || !fractions) {
    return { problem: 'damaged', detail: 'its header is overwritten' };
  }
  return null;
}

/** Reads the header of an existing file and checks it; throws StoreFileError. */
export function checkHeader(file: string, size: number, shown: string): void {
  const header = Buffer.alloc(HEADER_BYTES);
  let read = 0;
  if (size > 0) {
    const fd = openSync(file, 'r');
    try {
      read = readSync(fd, header, 0, HEADER_BYTES, 0);
    } finally {
      closeSync(fd);
    }
  }
  const found = headerProblem(header.subarray(0, read), size);
  if (found) throw new StoreFileError(found.problem, shown, found.detail);
}

/** quick_check's findings, at most `max`; empty when the file is sound. */
export function quickCheck(db: Database.Database, max = 10): string[] {
  const rows = db.pragma(`quick_check(${Math.max(1, Math.trunc(max))})`) as {
    quick_check: string;
  }[];
  const problems = rows.map((r) => r.quick_check);
  return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
}

/** The first finding in one line, with how many more there are. */
export function checkSummary(problems: readonly string[]): string {
  const first = (problems[0] ?? 'no answer')
    .replace(/\s+/g, ' ')
    .replace(/^\*\*\* in database main \*\*\* /, '')
    .trim();
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return `quick_check: ${first}${more}`;
}

/** Whether an error from SQLite means the file is damaged or not a database. */
export function sqliteProblem(error: unknown): StoreProblem | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_NOTADB') return 'not-sqlite';
  if (code.startsWith('SQLITE_CORRUPT')) return 'damaged';
  return null;
}

/**
 * An open connection to an existing file: sound pages, and a briefwire store (or an empty
 * database, which the migrations fill). Throws StoreFileError.
 */
export function checkOpenStore(db: Database.Database, shown: string): void {
  const problems = quickCheck(db);
  if (problems.length > 0) throw new StoreFileError('damaged', shown, checkSummary(problems));
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === 0) {
    const tables = db
      .prepare("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
      .pluck()
      .get() as number;
    if (tables > 0) {
      throw new StoreFileError(
        'foreign',
        shown,
        `${tables} ${tables === 1 ? 'table' : 'tables'} of its own, no schema version`,
      );
    }
  }
}
