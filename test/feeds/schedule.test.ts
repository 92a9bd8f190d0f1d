import { describe, expect, it } from 'vitest';
import {
  backoffAfterFailure,
  MAX_RETRY_AFTER_MS,
  nextPollAt,
  pollTickSeconds,
  shouldPause,
} from '../../src/feeds/schedule.js';
import { DurationError, formatDuration, parseDuration } from '../../src/shared/duration.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('nextPollAt', () => {
  const now = Date.parse('2024-11-29T08:00:00Z');

  it('adds the interval, moved by up to ±10 % by default', () => {
    expect(nextPollAt(now, 10 * MIN, undefined, () => 0.5)).toBe(now + 10 * MIN);
    expect(nextPollAt(now, 10 * MIN, undefined, () => 0)).toBe(now + 9 * MIN);
    expect(nextPollAt(now, 10 * MIN, undefined, () => 0.999999)).toBe(now + 11 * MIN);
  });

  it('stays within the jitter for any random number', () => {
    for (let k = 0; k < 1000; k++) {
      const at = nextPollAt(now, HOUR, 0.2);
      expect(at).toBeGreaterThanOrEqual(now + 0.8 * HOUR);
      expect(at).toBeLessThanOrEqual(now + 1.2 * HOUR);
    }
  });

  it('spreads feeds added together', () => {
    const times = new Set(Array.from({ length: 50 }, () => nextPollAt(now, HOUR)));
    expect(times.size).toBeGreaterThan(40);
  });

  it('has no jitter with 0, and refuses nonsense', () => {
    expect(nextPollAt(now, 5 * MIN, 0, () => 0)).toBe(now + 5 * MIN);
    expect(() => nextPollAt(now, -1)).toThrow(RangeError);
    expect(() => nextPollAt(now, MIN, 1.5)).toThrow(RangeError);
  });
});

describe('backoffAfterFailure', () => {
  it('doubles from the base and stops at the cap', () => {
    const waits = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((f) => backoffAfterFailure(f, MIN, 30 * MIN));
    expect(waits).toEqual([
      0,
      MIN,
      2 * MIN,
      4 * MIN,
      8 * MIN,
      16 * MIN,
      30 * MIN,
      30 * MIN,
      30 * MIN,
    ]);
  });

  it('does not overflow after many failures', () => {
    expect(backoffAfterFailure(5000, MIN, 6 * HOUR)).toBe(6 * HOUR);
  });

  it("waits at least the server's Retry-After, up to a day", () => {
    expect(backoffAfterFailure(1, MIN, HOUR, 10 * MIN)).toBe(10 * MIN);
    expect(backoffAfterFailure(4, MIN, HOUR, 10 * 1000)).toBe(8 * MIN);
    expect(backoffAfterFailure(1, MIN, HOUR, 30 * 24 * HOUR)).toBe(MAX_RETRY_AFTER_MS);
    expect(backoffAfterFailure(1, MIN, HOUR, null)).toBe(MIN);
  });
});

describe('pollTickSeconds', () => {
  it('looks for due feeds every 30 s, or a quarter of a shorter interval, at least every second', () => {
    expect(pollTickSeconds(15 * 60_000)).toBe(30);
    expect(pollTickSeconds(2 * 60_000)).toBe(30);
    expect(pollTickSeconds(60_000)).toBe(15);
    expect(pollTickSeconds(20_000)).toBe(5);
    expect(pollTickSeconds(1000)).toBe(1);
  });
});

describe('shouldPause', () => {
  it('pauses after K failures in a row, never with K = 0', () => {
    expect([0, 1, 4, 5, 6].map((f) => shouldPause(f, 5))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
    expect(shouldPause(100, 0)).toBe(false);
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 5 * MIN],
    ['1h', HOUR],
    ['1d', 24 * HOUR],
    ['2w', 14 * 24 * HOUR],
    ['500ms', 500],
    ['1h30m', 90 * MIN],
    ['1h 30m', 90 * MIN],
    ['1.5h', 90 * MIN],
    ['10 minutes', 10 * MIN],
    ['1 hour', HOUR],
    ['2 Days', 48 * HOUR],
    [' 15min ', 15 * MIN],
    ['0s', 0],
  ])('%j is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['5 minuts', '"5 minuts" is not a duration like 5m, 1h'],
    ['5', '"5" is not a duration like 5m, 1h (add a unit: s, m, h or d)'],
    ['', '"" is not a duration like 5m, 1h'],
    ['-5m', '"-5m" is not a duration like 5m, 1h'],
    ['m5', '"m5" is not a duration like 5m, 1h'],
    ['5m and a bit', '"5m and a bit" is not a duration like 5m, 1h'],
    ['1e3s', '"1e3s" is not a duration like 5m, 1h'],
  ])('refuses %j', (text, message) => {
    let error: unknown;
    try {
      parseDuration(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DurationError);
    expect((error as DurationError).message).toBe(message);
    expect((error as DurationError).input).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [250, '250ms'],
    [45_000, '45s'],
    [90 * MIN, '1h30m'],
    [24 * HOUR + 1000, '1d1s'],
  ])('%i ms is %s, and reads back', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});
