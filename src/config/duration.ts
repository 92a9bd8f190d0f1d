/**
 * Durations in the config: a number and a unit, `90s`, `5m`, `1h`, `1d`, `250ms`, or a few of
 * them together, `1h30m`. Always a string with a unit, so `15` (seconds? minutes?) is refused.
 *
 * (src/feeds/schedule.ts has its own parseDuration for now; the two are to be merged.)
 */

const UNIT_MS = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
} as const;

type Unit = keyof typeof UNIT_MS;

const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** Milliseconds in a duration like `5m`, or null when the text is not one. */
export function tryParseDuration(text: string): number | null {
  const compact = text.trim().toLowerCase().replace(/\s+/g, '');
  if (!WHOLE.test(compact)) return null;
  let ms = 0;
  for (const match of compact.matchAll(PART)) {
    ms += Number(match[1]) * UNIT_MS[match[2] as Unit];
  }
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

/** Milliseconds in a duration like `5m`, `1h`, `90s`, `1d`; throws a RangeError otherwise. */
export function parseDuration(text: string): number {
  const ms = tryParseDuration(text);
  if (ms === null) throw new RangeError(`${JSON.stringify(text)} is not a duration like 5m, 1h`);
  return ms;
}

/** The shortest exact spelling of a duration: 90000 → `1m30s`, 86400000 → `1d`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = UNIT_MS[unit];
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}
