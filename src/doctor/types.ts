/** One line of `briefwire doctor`: what was checked, how it went, and what to do about it. */

export const STATUSES = ['ok', 'warn', 'fail', 'skip'] as const;

/**
 * - `ok`: works.
 * - `warn`: works, but something deserves a look (the bot still runs).
 * - `fail`: the bot will not work as configured; the doctor exits 1.
 * - `skip`: not checked (not configured, or a check it depends on failed).
 */
export type Status = (typeof STATUSES)[number];

export interface CheckRow {
  /** `config`, `data dir`, `store`, `telegram`, `feed demo`, … */
  check: string;
  status: Status;
  /** What was found, one line. */
  detail: string;
  /** What to do about it, one line; null when there is nothing to do. */
  fix: string | null;
}

export function row(
  check: string,
  status: Status,
  detail: string,
  fix: string | null = null,
): CheckRow {
  return { check, status, detail, fix };
}
