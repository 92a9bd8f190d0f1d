/** Pure timing for polling: when next, how long to back off, when to give up. No clocks. */

/** Default jitter: each interval is stretched or shrunk by up to 10 %. */
export const DEFAULT_JITTER = 0.1;
/** The longest Retry-After honoured: a server cannot park a feed for more than a day. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * When to poll next: `now + intervalMs`, moved by up to ±`jitter` of the interval (0.1 =
 * ±10 %) so feeds added together drift apart instead of polling in bursts. `rng` returns
 * [0, 1) like Math.random (tests pass a fixed one). Epoch milliseconds in and out.
 */
export function nextPollAt(
  now: number,
  intervalMs: number,
  jitter: number = DEFAULT_JITTER,
  rng: () => number = Math.random,
): number {
  if (!(intervalMs >= 0)) throw new RangeError(`interval must be ≥ 0 ms, not ${intervalMs}`);
  if (!(jitter >= 0 && jitter < 1)) throw new RangeError(`jitter must be in [0, 1), not ${jitter}`);
  const r = Math.min(Math.max(rng(), 0), 1);
  return Math.round(now + intervalMs * (1 + jitter * (2 * r - 1)));
}

/**
 * How long to wait after `failures` failures in a row: `baseMs`, doubled for every further
 * failure, never more than `maxMs`; 0 when nothing failed. With `retryAfterMs` (the server's
 * Retry-After) it waits at least that, up to MAX_RETRY_AFTER_MS.
 */
export function backoffAfterFailure(
  failures: number,
  baseMs: number,
  maxMs: number,
  retryAfterMs?: number | null,
): number {
  const backoff = failures <= 0 ? 0 : Math.min(maxMs, baseMs * 2 ** (failures - 1));
  if (retryAfterMs == null || !(retryAfterMs > 0)) return backoff;
  return Math.max(backoff, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** Seconds between looks for due feeds that a cron seconds field can say (divisors of 60). */
const POLL_TICKS = [30, 20, 15, 12, 10, 6, 5, 4, 3, 2, 1] as const;

/**
 * How often (seconds) to look for due feeds so that the shortest interval is kept: every
 * 30 s, or a quarter of that interval when it is shorter than two minutes. A feed falls due
 * between two looks and waits for the next one, so `interval: 20s` polls every 20 s and
 * at most 5 s more (jitter aside), not every 30 s. Never more often than every second.
 */
export function pollTickSeconds(shortestIntervalMs: number): number {
  return POLL_TICKS.find((seconds) => seconds * 1000 <= shortestIntervalMs / 4) ?? 1;
}

/** After this many failures in a row the feed is paused (0 or less: never). */
export function shouldPause(failures: number, maxFailures: number): boolean {
  return maxFailures > 0 && failures >= maxFailures;
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
