import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/shared/edit-distance.js';

describe('editDistance (one for the config, the commands and the /actor search)', () => {
  it('counts inserts, deletes, substitutions and a swap of neighbours as one edit each', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('pollling', 'polling')).toBe(1);
    expect(editDistance('intreval', 'interval')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('stops at limit + 1 when given a limit', () => {
    expect(editDistance('abcdefgh', 'hgfedcba', 2)).toBe(3);
    expect(editDistance('abcdefgh', 'hgfedcba')).toBeGreaterThan(3);
  });
});

describe('closest', () => {
  it('suggests a likely typo whatever its case, and nothing for a word far from all', () => {
    expect(closest('subscrib', ['subscribe', 'unsubscribe', 'help'])).toBe('subscribe');
    expect(closest('Europe/rom', ['Europe/Rome', 'Europe/Paris'])).toBe('Europe/Rome');
    expect(closest('weather', ['subscribe', 'help'])).toBeNull();
  });
});
