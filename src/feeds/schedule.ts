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
