/**
 * Durations in the config: a number and a unit, `90s`, `5m`, `1h`, `1d`, `250ms`, or a few of
 * them together, `1h30m`. Always with a unit, so `15` (seconds? minutes?) is refused. The one
 * parser lives with the feed schedule, which reads the same durations.
 */
import { DurationError, formatDuration, parseDuration } from '../feeds/schedule.js';

export { formatDuration, parseDuration };

/** Milliseconds in a duration like `5m`, or null when the text is not one. */
export function tryParseDuration(text: string): number | null {
  try {
    return parseDuration(text);
  } catch (error) {
    if (error instanceof DurationError) return null;
    throw error;
  }
}
