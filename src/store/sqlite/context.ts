import type { Database, Statement } from 'better-sqlite3';

/** What every part of the SQLite store shares: the connection and the clock. */
export interface Context {
  db: Database;
  /** Milliseconds since the epoch; injectable so tests can move time. */
  now: () => number;
}

/** Times are stored as integer milliseconds: compact, indexable, no timezone to get wrong. */
export function toDate(ms: number): Date;
export function toDate(ms: number | null): Date | null;
export function toDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

export function toMs(date: Date): number;
export function toMs(date: Date | null): number | null;
export function toMs(date: Date | null): number | null {
  if (date === null) return null;
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date given to the store');
  return ms;
}

/** ISO text from a Brief as milliseconds, or null when absent or not a date. */
export function parseTime(text: string | null | undefined): number | null {
  if (text == null) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** JSON columns hold what the caller gave; undefined is stored as null so it reads back. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJson(text: string): unknown {
  return JSON.parse(text);
}

export const bool = (value: number): boolean => value !== 0;

/**
 * A statement's rows, each object built here from the row's raw values: better-sqlite3
 * sets every column of a row object from C++, which for wide rows by the thousand (a
 * chat's 1,000 subscriptions and feeds) costs more than the query itself.
 */
export function allRows<P extends unknown[], R>(statement: Statement<P, R>): (...params: P) => R[] {
  const raw = statement.raw(true);
  const columns = raw.columns().map((column) => column.name);
  return (...params) =>
    (raw.all(...params) as unknown as unknown[][]).map((values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) row[columns[i] as string] = values[i];
      return row as R;
    });
}
