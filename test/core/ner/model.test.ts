import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/core/ner/hash.js';
import { LABEL_COUNT as L } from '../../../src/core/ner/labels.js';
import { rowOf, weightTableOf } from '../../../src/core/ner/model.js';

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
