/**
 * When a feed counts as quiet: no new item for longer than `polling.quietAfter`, whose
 * `auto` is 7 × the feed's usual gap between new items, at least 3 days. The usual gap is
 * the median of the gaps between the last polls that found new items (the store's
 * arrivals): a median, so one long silence or one burst does not move it.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How many usual gaps a feed may stay silent before it is quiet. */
export const QUIET_FACTOR = 7;
/** The least span `auto` gives: a feed posting hourly is not quiet after a slow night. */
export const MIN_QUIET_MS = 3 * DAY_MS;
/** The gap assumed until a feed has had 3 polls with new items (a daily news feed). */
export const UNKNOWN_GAP_MS = DAY_MS;
/** Arrivals the usual gap is taken from. */
export const GAP_SAMPLE = 20;

/** The median gap between arrivals (any order), or null when there are fewer than 3. */
export function usualGapMs(arrivals: readonly Date[]): number | null {
  const times = arrivals.map((d) => d.getTime()).sort((a, b) => a - b);
  const gaps = times.slice(1).map((t, k) => t - (times[k] as number));
  if (gaps.length < 2) return null;
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return gaps.length % 2 === 1
    ? (gaps[mid] as number)
    : ((gaps[mid - 1] as number) + (gaps[mid] as number)) / 2;
}

/** How long the feed may list nothing new: the setting, or `auto` from its arrivals. */
export function quietSpanMs(setting: number | 'auto', arrivals: readonly Date[]): number {
  if (setting !== 'auto') return setting;
  return Math.max(MIN_QUIET_MS, QUIET_FACTOR * (usualGapMs(arrivals) ?? UNKNOWN_GAP_MS));
}

export type AgeUnit = 'd' | 'h' | 'min';

/** An age as chats show it, in its largest whole unit: 3 d, 5 h, 20 min (0 min at most). */
export function roughAge(ms: number): { count: number; unit: AgeUnit } {
  const age = Math.max(0, ms);
  if (age >= DAY_MS) return { count: Math.floor(age / DAY_MS), unit: 'd' };
  if (age >= HOUR_MS) return { count: Math.floor(age / HOUR_MS), unit: 'h' };
  return { count: Math.floor(age / 60_000), unit: 'min' };
}
