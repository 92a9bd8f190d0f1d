import type { Db } from './db.js';

/** What every part of the PostgreSQL store shares: the pool and the clock. */
export interface Context {
  db: Db;
  /** The clock stamped on rows (not the server's): tests move it, instances agree on it. */
  now: () => Date;
}

/** A Date the caller gave, checked: an invalid one would be stored as NULL or fail late. */
export function checked(date: Date): Date {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid Date given to the store');
  return date;
}

/** ISO text from a Brief as a Date, or null when absent or not a date. */
export function parseTime(text: string | null | undefined): Date | null {
  if (text == null) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** JSON columns hold what the caller gave; undefined is stored as null so it reads back. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJson(text: string): unknown {
  return JSON.parse(text);
}

/** Text as PostgreSQL stores it (U+0000 as U+FFFD). */
export { pgText } from './db.js';
