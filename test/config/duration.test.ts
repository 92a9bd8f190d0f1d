import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, tryParseDuration } from '../../src/shared/duration.js';

describe('parseDuration', () => {
  it('reads a number and a unit', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1.5h')).toBe(5_400_000);
  });

  it('reads units together and ignores case and spaces', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration(' 1H 30M ')).toBe(5_400_000);
  });

  it('refuses anything else', () => {
    for (const text of ['', '5', '5 minuts', 'm', '5x', '-5m', '1h-30m', '5m5']) {
      expect(tryParseDuration(text), text).toBeNull();
    }
    expect(() => parseDuration('5 minuts')).toThrow('"5 minuts" is not a duration like 5m, 1h');
  });

  it('formats back to the shortest spelling', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(0)).toBe('0s');
    expect(parseDuration(formatDuration(93_784_005))).toBe(93_784_005);
  });
});
