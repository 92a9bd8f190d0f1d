/**
 * Durations in the config: a number and a unit, `90s`, `5m`, `1h`, `1d`, `250ms`, or a few of
 * them together, `1h30m`. Always with a unit, so `15` (seconds? minutes?) is refused. The one
 * parser for the config, the feed schedule and the logs, which read the same durations.
 */

/** Milliseconds in a duration like `5m`, or null when the text is not one. */
export function tryParseDuration(text: string): number | null {
  try {
    return parseDuration(text);
  } catch (error) {
    if (error instanceof DurationError) return null;
    throw error;
  }
}

/** A duration that cannot be read. The message is the expected form, for config errors. */
export class DurationError extends Error {
  override readonly name = 'DurationError';
  readonly input: string;
  constructor(input: string, hint?: string) {
    super(`${JSON.stringify(input)} is not a duration like 5m, 1h${hint ? ` (${hint})` : ''}`);
    this.input = input;
  }
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

/**
 * `90s`, `5m`, `1h`, `1d`, `1h30m`, `1.5h`, `2 hours`, `500ms` → milliseconds. A number
 * without a unit, an unknown unit (`5 minuts`), a negative or empty value throws
 * DurationError: `"5 minuts" is not a duration like 5m, 1h`.
 */
export function parseDuration(text: string): number {
  const input = String(text);
  const s = input.trim().toLowerCase();
  if (!s) throw new DurationError(input);
  if (/^\d+(?:\.\d+)?$/.test(s)) throw new DurationError(input, 'add a unit: s, m, h or d');
  const part = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/y;
  let total = 0;
  let at = 0;
  while (at < s.length) {
    part.lastIndex = at;
    const m = part.exec(s);
    const unit = m?.[2] ? UNIT_MS[m[2]] : undefined;
    if (!m || unit === undefined) throw new DurationError(input);
    total += Number(m[1]) * unit;
    at = part.lastIndex;
  }
  if (!Number.isFinite(total)) throw new DurationError(input);
  return Math.round(total);
}

/** Milliseconds as parseDuration reads them back: `1h30m`, `45s`, `250ms`, `0s`. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  if (rest === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}
