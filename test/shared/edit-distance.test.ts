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

/** The whole table, as the definition reads: what the banded, early-stopping one must equal. */
function fullDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      row[j] = Math.min(
        (up[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (up[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

describe('editDistance within a limit (the /actor typo search measures thousands of terms)', () => {
  it('equals the whole table’s distance, or limit + 1 beyond it, for words of every shape', () => {
    const letters = ['a', 'b', 'c', 'é', '😀', ' '];
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = () => Array.from({ length: next(10) }, () => letters[next(6)]).join('');
    for (let n = 0; n < 3000; n++) {
      const a = word();
      // Half the pairs a few edits apart, half unrelated.
      let b = next(2) === 0 ? word() : a;
      for (let edits = next(4); edits > 0; edits--) {
        const at = next(b.length + 1);
        b = `${b.slice(0, at)}${letters[next(6)]}${b.slice(at + next(2))}`;
      }
      const exact = fullDistance(a, b);
      expect(editDistance(a, b)).toBe(exact);
      for (const limit of [0, 1, 2, 3]) {
        expect(editDistance(a, b, limit), `${a} → ${b} within ${limit}`).toBe(
          Math.min(exact, limit + 1),
        );
      }
    }
  });
});

describe('closest', () => {
  it('suggests a likely typo whatever its case, and nothing for a word far from all', () => {
    expect(closest('subscrib', ['subscribe', 'unsubscribe', 'help'])).toBe('subscribe');
    expect(closest('Europe/rom', ['Europe/Rome', 'Europe/Paris'])).toBe('Europe/Rome');
    expect(closest('weather', ['subscribe', 'help'])).toBeNull();
  });
});
