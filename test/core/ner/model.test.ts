import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/core/ner/hash.js';
import { LABEL_COUNT as L } from '../../../src/core/ner/labels.js';
import { bucketsOf, rowOf, weightTableOf, withoutFlatRows } from '../../../src/core/ner/model.js';

/** Each bucket's row of codes: bucket-dependent, so a row found at the wrong slot shows. */
function codesOf(buckets: readonly number[]): Uint8Array {
  return Uint8Array.from({ length: buckets.length * L }, (_, k) => {
    const bucket = buckets[Math.floor(k / L)] as number;
    return (bucket * 7 + (k % L) * 13) & 0xff;
  });
}

function expectEveryRow(buckets: readonly number[], absent: readonly number[]): void {
  const codes = codesOf(buckets);
  const table = weightTableOf(buckets, codes, 0.5);
  buckets.forEach((bucket, r) => {
    const at = rowOf(table, bucket);
    expect(at, `bucket ${bucket}`).toBeGreaterThanOrEqual(0);
    expect([...table.codes.subarray(at, at + L)]).toEqual([...codes.subarray(r * L, r * L + L)]);
  });
  for (const bucket of absent) expect(rowOf(table, bucket), `bucket ${bucket}`).toBe(-1);
}

describe('the weight table a model is read into', () => {
  it('finds every kept bucket’s weights, and none for the others, in a model file’s sorted order', () => {
    const buckets = Array.from({ length: 500 }, (_, i) => i * 4093 + (i % 7));
    expectEveryRow(buckets, [1, 2, 4095, 4095 * 499 + 1, 2 ** 22 - 1]);
  });

  it('holds buckets crowded at the top of the range, where the table wraps to its start', () => {
    // 24 rows in 36 slots, all homed on the last slot: most of them wrap around.
    const buckets = [3, 5, ...Array.from({ length: 22 }, (_, i) => 1000 + i)];
    expectEveryRow(buckets, [4, 999, 1023]);
  });

  it('holds buckets given in any order (a model being trained)', () => {
    const sorted = Array.from({ length: 300 }, (_, i) => i * 977 + 11);
    const shuffled = sorted.map((b, i) => sorted[(i * 7) % sorted.length] ?? b);
    expectEveryRow(shuffled, [0, 12, 977 * 300]);
    expectEveryRow([...sorted].reverse(), [0, 12]);
  });
});

describe('a table without its flat rows (the rows a pruned model would drop)', () => {
  // Codes on the file's square-root scale of step 0.5: code c weighs sign(c) × (c / 2)².
  const row = (...codes: number[]) => codes.map((c) => c & 0xff);
  const buckets = [10, 20, 30, 40];
  const codes = Uint8Array.from([
    ...row(4, 4, 4, 4, 4, 4, 4), // all 4.0: the same for every label, no decision moves
    ...row(0, 2, 0, 0, 0, 0, -2), // 1.0 against -1.0: a spread of 2
    ...row(-1, 1, 0, 0, 0, 0, 0), // 0.25 against -0.25: a spread of 0.5
    ...row(0, 0, 0, 0, 0, 0, 3), // 2.25 for one label only
  ]);
  const table = weightTableOf(buckets, codes, 0.5);

  it('drops the rows whose label weights lie within the spread, however large the weights', () => {
    const pruned = withoutFlatRows(table, 1);
    expect(bucketsOf(pruned).sort((a, b) => a - b)).toEqual([20, 40]);
    expect(rowOf(pruned, 10)).toBe(-1);
    expect(rowOf(pruned, 30)).toBe(-1);
  });

  it('keeps the other rows’ weights as they were, at the file’s scale', () => {
    const pruned = withoutFlatRows(table, 1);
    expect(pruned.scale).toBe(table.scale);
    for (const bucket of [20, 40]) {
      const weights = (t: typeof table) =>
        [...t.codes.subarray(rowOf(t, bucket), rowOf(t, bucket) + L)].map((c) => t.levels[c]);
      expect(weights(pruned)).toEqual(weights(table));
    }
  });

  it('keeps every row that differs at all with a spread of 0', () => {
    expect(bucketsOf(withoutFlatRows(table, 0)).length).toBe(4);
    expect(bucketsOf(withoutFlatRows(table, Number.MIN_VALUE)).sort((a, b) => a - b)).toEqual([
      20, 30, 40,
    ]);
  });
});

describe('the checksum a model file is checked by', () => {
  const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 2654435761) >>> 24);

  it('is CRC-32 (IEEE), as zlib computes it, whatever the length', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 1000, 100_003])
      expect(crc32(bytes.subarray(0, n)), `${n} bytes`).toBe(zlibCrc32(bytes.subarray(0, n)));
  });

  it('is the same read in chunks of any size, as a long-running process checks a file', () => {
    for (const chunk of [1, 5, 64, 65_536]) {
      let crc = 0;
      for (let at = 0; at < bytes.length; at += chunk)
        crc = crc32(bytes.subarray(at, at + chunk), crc);
      expect(crc, `chunks of ${chunk}`).toBe(zlibCrc32(bytes));
    }
  });
});
