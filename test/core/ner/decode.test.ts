import { describe, expect, it } from 'vitest';
import {
  expNegative,
  labelConfidence,
  marginals,
  transitionTable,
  viterbi,
} from '../../../src/core/ner/decode.js';
import { allowed, LABEL_COUNT as L } from '../../../src/core/ner/labels.js';

/** A small deterministic generator, so the scores are arbitrary but the test repeatable. */
function scoresOf(n: number, seed: number): Float32Array {
  let x = seed;
  return Float32Array.from({ length: n * L }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return (x / 2 ** 31) * 6 - 3;
  });
}

describe('label marginals by forward-backward', () => {
  it('equal the share of every allowed label sequence that gives a token its label', () => {
    const n = 3;
    const scores = scoresOf(n, 3);
    const table = transitionTable({ pairs: scoresOf(L, 7), start: scoresOf(1, 11) });
    // Brute force: every label sequence, weighted by exp(its score), forbidden ones excluded.
    const mass = new Float64Array(n * L);
    let z = 0;
    for (let a = 0; a < L; a++)
      for (let b = 0; b < L; b++)
        for (let c = 0; c < L; c++) {
          if (!allowed(-1, a) || !allowed(a, b) || !allowed(b, c)) continue;
          const s =
            (table[L * L + a] as number) +
            (scores[a] as number) +
            (table[a * L + b] as number) +
            (scores[L + b] as number) +
            (table[b * L + c] as number) +
            (scores[2 * L + c] as number);
          const w = Math.exp(s / 2);
          z += w;
          mass[a] = (mass[a] as number) + w;
          mass[L + b] = (mass[L + b] as number) + w;
          mass[2 * L + c] = (mass[2 * L + c] as number) + w;
        }
    const out = new Float32Array(n * L);
    marginals(scores, n, table, out, new Float64Array(n * L), new Float64Array(n * L), 2);
    for (let k = 0; k < n * L; k++) expect(out[k]).toBeCloseTo((mass[k] as number) / z, 5);
  });

  it('give the best path most of the mass when the scores are sharp', () => {
    const n = 4;
    const scores = scoresOf(n, 5).map((s) => s * 20);
    const table = transitionTable({ pairs: new Float32Array(L * L), start: new Float32Array(L) });
    const best = new Uint8Array(n);
    viterbi(scores, n, table, best, new Float64Array(n * L), new Uint8Array(n * L));
    const out = new Float32Array(n * L);
    marginals(scores, n, table, out, new Float64Array(n * L), new Float64Array(n * L));
    for (let i = 0; i < n; i++) expect(out[i * L + (best[i] as number)]).toBeGreaterThan(0.99);
  });

  it('give each token the mass of its own label, the cheap way, whatever the scale of the scores', () => {
    // Scales: the dev sets' typical spread, a sharp one, and scores thousands apart, where
    // scaled probabilities underflow and the log-space sums take over.
    for (const [scale, n] of [
      [1, 12],
      [20, 30],
      [5000, 9],
    ] as const) {
      const scores = scoresOf(n, 17).map((s) => s * scale);
      const table = transitionTable({ pairs: scoresOf(L, 5), start: scoresOf(1, 13) });
      const labels = new Uint8Array(n);
      viterbi(scores, n, table, labels, new Float64Array(n * L), new Uint8Array(n * L));
      const all = new Float32Array(n * L);
      marginals(scores, n, table, all, new Float64Array(n * L), new Float64Array(n * L), 3);
      const own = new Float32Array(n);
      const scratch = () => new Float64Array(n * L);
      labelConfidence(scores, n, table, labels, own, scratch(), scratch(), scratch(), 3);
      for (let i = 0; i < n; i++)
        expect(own[i]).toBeCloseTo(all[i * L + (labels[i] as number)] as number, 6);
    }
  });
});

describe('Viterbi decoding', () => {
  it('finds the best-scoring label sequence BIO allows, as trying every one does', () => {
    // Enough draws that every label pair, I-X after I-X too, is on some best path.
    for (let seed = 1; seed <= 60; seed++) {
      const n = 4;
      const scores = scoresOf(n, seed);
      const table = transitionTable({
        pairs: scoresOf(L, seed + 10),
        start: scoresOf(1, seed + 20),
      });
      let top = Number.NEGATIVE_INFINITY;
      let argTop = '';
      const seq = [0, 0, 0, 0];
      for (let code = 0; code < L ** n; code++) {
        for (let i = 0, c = code; i < n; i++, c = Math.floor(c / L)) seq[n - 1 - i] = c % L;
        let s = 0;
        let ok = true;
        for (let i = 0; i < n; i++) {
          const prev = i === 0 ? -1 : (seq[i - 1] as number);
          const q = seq[i] as number;
          if (!allowed(prev, q)) ok = false;
          s +=
            (scores[i * L + q] as number) + (table[prev < 0 ? L * L + q : prev * L + q] as number);
        }
        if (ok && s > top + 1e-9) {
          top = s;
          argTop = seq.join();
        }
      }
      const out = new Uint8Array(n);
      viterbi(scores, n, table, out, new Float64Array(n * L), new Uint8Array(n * L));
      expect([...out].join()).toBe(argTop);
    }
  });

  it('never opens a name inside (I-X after O) even when the scores want it', () => {
    const n = 3;
    // Every token's I-LOC score far above the rest, O elsewhere.
    const scores = new Float32Array(n * L);
    for (let i = 0; i < n; i++) scores[i * L + 4] = 50;
    const table = transitionTable({ pairs: new Float32Array(L * L), start: new Float32Array(L) });
    const out = new Uint8Array(n);
    viterbi(scores, n, table, out, new Float64Array(n * L), new Uint8Array(n * L));
    expect([...out]).toEqual([3, 4, 4]);
  });
});

describe('expNegative', () => {
  /** The double whose high 32 bits are `high` and low 32 bits `low`. */
  function fromWords(high: number, low: number): number {
    const view = new DataView(new ArrayBuffer(8));
    view.setUint32(0, high >>> 0);
    view.setUint32(4, low >>> 0);
    return view.getFloat64(0);
  }

  it('is Math.exp to the last bit for every x <= 0', () => {
    const xs: number[] = [0, -0, -Number.MIN_VALUE, -1e-300, -708, -707.9999, -709, -745.2, -800];
    xs.push(Number.NEGATIVE_INFINITY);
    // The edges of each branch, by the high word of |x| (0.5 ln2, 1.5 ln2, 2^-28), both sides.
    for (const high of [0x3fd62e42, 0x3ff0a2b2, 0x3e300000])
      for (const h of [high - 1, high, high + 1])
        for (const low of [0, 1, 0x7fffffff, 0xffffffff]) xs.push(-fromWords(h, low));
    // Where the reduction's k steps (x near -(k + 0.5) ln2), and values across every scale.
    for (let k = 0; k < 1022; k++)
      for (const d of [-1e-9, 0, 1e-9]) xs.push(-(k + 0.5) * Math.LN2 + d);
    let seed = 1;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 300_000; i++) xs.push(-random() * 10 ** (random() * 5 - 2));
    const differing = xs.filter((x) => !Object.is(expNegative(x), Math.exp(x)));
    expect(differing).toEqual([]);
  });
});
