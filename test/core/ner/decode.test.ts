import { describe, expect, it } from 'vitest';
import {
  expNegative,
  labelConfidence,
  marginals,
  pairWeights,
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

describe('confidence of the tokens spans read', () => {
  /** Tokens a span's confidence reads: in a name, or right after one (its closing label). */
  const readBySpan = (labels: Uint8Array, i: number) =>
    labels[i] !== 0 || (i > 0 && labels[i - 1] !== 0);

  /** Each token's confidence both ways: the whole sentence's, and 'spans' over a sentinel. */
  function bothWays(scores: Float32Array, n: number, table: Float64Array, labels: Uint8Array) {
    const scratch = () => new Float64Array(n * L);
    const pairs = pairWeights(table, 3);
    const all = new Float32Array(n).fill(-1);
    labelConfidence(scores, n, table, labels, all, scratch(), scratch(), scratch(), 3, pairs);
    const spans = new Float32Array(n).fill(-1);
    labelConfidence(
      scores,
      n,
      table,
      labels,
      spans,
      scratch(),
      scratch(),
      scratch(),
      3,
      pairs,
      'spans',
    );
    return { all, spans };
  }

  it('are the whole sentence’s to the last bit, whatever the scores, and only those are computed', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let leftOut = 0;
    let wholeAnyway = 0;
    for (let draw = 0; draw < 3000; draw++) {
      const n = 1 + Math.floor(random() * 40);
      // Scales from the dev sets' spread to past SPREAD (× 3, the tagger's temperature), for
      // the scores and for the transitions, where the sentence goes to log space.
      const scale = [1, 3, 20, 60, 140, 160, 400, 5000][Math.floor(random() * 8)] as number;
      const pairScale = [1, 3, 40, 160, 400][Math.floor(random() * 5)] as number;
      const scores = Float32Array.from({ length: n * L }, () => (random() * 2 - 1) * scale);
      // Now and then a score no sum of weights gives, but a model file could.
      if (random() < 0.1) scores[Math.floor(random() * n * L)] = Number.NEGATIVE_INFINITY;
      if (random() < 0.02) scores[Math.floor(random() * n * L)] = Number.NaN;
      const table = transitionTable({
        pairs: Float32Array.from({ length: L * L }, () => (random() * 2 - 1) * pairScale),
        start: Float32Array.from({ length: L }, () => random() * 4 - 2),
      });
      // The best labels, or any labels BIO allows, with few names or many.
      const labels = new Uint8Array(n);
      if (random() < 0.5)
        viterbi(scores, n, table, labels, new Float64Array(n * L), new Uint8Array(n * L));
      else
        for (let i = 0; i < n; i++) {
          const q = random() < 0.7 ? 0 : Math.floor(random() * L);
          labels[i] = allowed(i === 0 ? -1 : (labels[i - 1] as number), q) ? q : 0;
        }
      const { all, spans } = bothWays(scores, n, table, labels);
      for (let i = 0; i < n; i++) {
        if (readBySpan(labels, i)) expect(Object.is(spans[i], all[i])).toBe(true);
        else if (spans[i] === -1) leftOut++;
        else {
          // Computed where no span reads it: the whole sentence was, and gives the same.
          expect(Object.is(spans[i], all[i])).toBe(true);
          wholeAnyway++;
        }
      }
    }
    // Both kinds of sentence were drawn: those 'spans' cut short, and the rest.
    expect(leftOut).toBeGreaterThan(1000);
    expect(wholeAnyway).toBeGreaterThan(1000);
  });

  it('fall back to log space as the whole sentence does when no label sequence is left', () => {
    // A name at the start; at token 3 only O can be, at token 4 only I-PER, which cannot
    // follow O: the scaled sums vanish, and the whole sentence goes to log space, where
    // every token's mass is NaN. 'spans' gives the names the same.
    const n = 6;
    const scores = scoresOf(n, 23);
    for (let q = 1; q < L; q++) scores[3 * L + q] = Number.NEGATIVE_INFINITY;
    for (let q = 0; q < L; q++) if (q !== 2) scores[4 * L + q] = Number.NEGATIVE_INFINITY;
    const table = transitionTable({ pairs: scoresOf(L, 5), start: scoresOf(1, 13) });
    const labels = Uint8Array.from([1, 2, 0, 0, 0, 0]);
    const { all, spans } = bothWays(scores, n, table, labels);
    const inLogs = new Float32Array(n * L);
    marginals(scores, n, table, inLogs, new Float64Array(n * L), new Float64Array(n * L), 3);
    for (let i = 0; i < 3; i++) {
      expect(Object.is(all[i], inLogs[i * L + (labels[i] as number)])).toBe(true);
      expect(Object.is(spans[i], all[i])).toBe(true);
    }
    expect(spans[0]).toBeNaN();
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
