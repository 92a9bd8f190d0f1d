import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneLine, parseDate } from '../../../src/core/input/normalize.js';

describe('oneLine', () => {
  it('drops invisible characters, collapses whitespace to single spaces and trims', () => {
    const char = fc.constantFrom(
      ...'ab. ',
      '  ',
      '\t',
      '\n',
      '\r\n',
      '\u00a0',
      '\u2009',
      '\u3000',
      '\u00ad',
      '\u200b',
      '\u2060',
      '\ufeff',
    );
    fc.assert(
      fc.property(fc.array(char, { maxLength: 12 }), (chars) => {
        const s = chars.join('');
        const reference = s
          .replace(/[\u00ad\u200b\u2060\ufeff]/g, '')
          .replace(/\s+/g, ' ')
          .trim();
        expect(oneLine(s)).toBe(reference);
      }),
      { numRuns: 5000 },
    );
    expect(oneLine(null)).toBe('');
    expect(oneLine('Talks on grain exports (3.1)')).toBe('Talks on grain exports (3.1)');
  });
});

describe('parseDate', () => {
  it('keeps the instants of the years 1800 to 2200, and only those', () => {
    expect(parseDate('1799-12-31T23:59:59.999Z')).toBeNull();
    expect(parseDate('1800-01-01T00:00:00Z')).toBe('1800-01-01T00:00:00.000Z');
    expect(parseDate('2200-12-31T23:59:59.999Z')).toBe('2200-12-31T23:59:59.999Z');
    expect(parseDate('2201-01-01T00:00:00Z')).toBeNull();
    expect(parseDate('Sat, 01 Mar 2025 05:00:03 GMT')).toBe('2025-03-01T05:00:03.000Z');
    expect(parseDate('Fri, 31 Dec 2200 23:00:00 -0200')).toBeNull();
    expect(parseDate('not a date')).toBeNull();
  });
});
