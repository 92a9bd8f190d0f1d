import { describe, expect, it } from 'vitest';
import { IntTable } from '../../../src/core/ner/int-table.js';

/**
 * Distinct int32 keys (hashes: any sign, the extremes and 0 among them) and small values,
 * as a model file holds them: in ascending order as unsigned numbers.
 */
function sample(n: number, seed: number): Map<number, number> {
  const map = new Map<number, number>([
    [0, 0],
    [-1, 3],
    [2 ** 31 - 1, 65_535],
    [-(2 ** 31), 7],
  ]);
  let s = seed;
  while (map.size < n) {
    s = (Math.imul(s, 1_103_515_245) + 12_345) | 0;
    map.set(Math.imul(s, 0x85ebca6b), (s >>> 8) & 0xffff);
  }
  return new Map([...map].sort((a, b) => (a[0] >>> 0) - (b[0] >>> 0)));
}

const tableOf = (map: Map<number, number>) =>
  new IntTable(Int32Array.from(map.keys()), Uint16Array.from(map.values()));

describe('a table of word hashes read from a model file', () => {
  it('answers every key as the Map it was made from, and nothing for a key it lacks', () => {
    for (const n of [4, 5, 100, 20_000]) {
      const map = sample(n, n);
      const table = tableOf(map);
      expect(table.size).toBe(n);
      for (const [key, value] of map) expect(table.get(key)).toBe(value);
      const others = sample(n + 2_000, n + 1);
      for (const key of others.keys()) if (!map.has(key)) expect(table.get(key)).toBeUndefined();
      expect(new Map(table.entries())).toEqual(map);
    }
  });

  it('holds an empty table', () => {
    const table = tableOf(new Map());
    expect(table.get(0)).toBeUndefined();
    expect([...table.entries()]).toEqual([]);
  });

  it('refuses keys and values that do not pair up', () => {
    expect(() => new IntTable(Int32Array.of(1, 2), Uint8Array.of(1))).toThrow(
      /2 keys but 1 values/,
    );
  });
});
