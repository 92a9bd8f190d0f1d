import { allowed, LABEL_COUNT } from './labels.js';

const L = LABEL_COUNT;

/** Transition scores: `pairs[prev * L + next]`, `start[label]` for the first token. */
export interface Transitions {
  pairs: Float32Array;
  start: Float32Array;
}

/** Per label pair, 0 if allowed and -Infinity if not (I-X after O, after another type, first). */
const FORBIDDEN = (() => {
  const table = new Float64Array(L * L + L);
  for (let p = 0; p < L; p++)
    for (let q = 0; q < L; q++) table[p * L + q] = allowed(p, q) ? 0 : Number.NEGATIVE_INFINITY;
  for (let q = 0; q < L; q++) table[L * L + q] = allowed(-1, q) ? 0 : Number.NEGATIVE_INFINITY;
  return table;
})();

/** For each label, the labels that may come before it, ascending: I-X only after B-X or I-X. */
const PREDECESSORS: readonly Int8Array[] = Array.from({ length: L }, (_, q) =>
  Int8Array.from(Array.from({ length: L }, (_, p) => p).filter((p) => allowed(p, q))),
);

/**
 * The transition scores with BIO's rules folded in: `[prev * L + next]` then L starts,
 * -Infinity where a pair is not allowed. Computed once per model (per sentence in training).
 */
export function transitionTable(
  transitions: Transitions,
  into = new Float64Array(L * L + L),
): Float64Array {
  for (let k = 0; k < L * L; k++)
    into[k] = (transitions.pairs[k] as number) + (FORBIDDEN[k] as number);
  for (let q = 0; q < L; q++)
    into[L * L + q] = (transitions.start[q] as number) + (FORBIDDEN[L * L + q] as number);
  return into;
}

/**
 * Viterbi decoding of one sentence: `scores[i * L + label]` are the emission scores of
 * n tokens, `table` comes from transitionTable; the best label sequence goes into `out`.
 * Scratch buffers are passed in so a hot loop allocates nothing.
 */
export function viterbi(
  scores: Float32Array,
  n: number,
  table: Float64Array,
  out: Uint8Array,
  best: Float64Array,
  back: Uint8Array,
): void {
  if (n === 0) return;
  for (let q = 0; q < L; q++) best[q] = (scores[q] as number) + (table[L * L + q] as number);
  for (let i = 1; i < n; i++) {
    const row = i * L;
    const prevRow = row - L;
    for (let q = 0; q < L; q++) {
      let top = Number.NEGATIVE_INFINITY;
      let arg = 0;
      const before = PREDECESSORS[q] as Int8Array;
      for (let k = 0; k < before.length; k++) {
        const p = before[k] as number;
        const s = (best[prevRow + p] as number) + (table[p * L + q] as number);
        if (s > top) {
          top = s;
          arg = p;
        }
      }
      best[row + q] = top + (scores[row + q] as number);
      back[row + q] = arg;
    }
  }
  const lastRow = (n - 1) * L;
  let arg = 0;
  for (let q = 1; q < L; q++)
    if ((best[lastRow + q] as number) > (best[lastRow + arg] as number)) arg = q;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = arg;
    arg = back[i * L + arg] as number;
  }
}

/**
 * Per-token label marginals of one sentence by forward-backward over the same scores and
 * transitions as viterbi: `out[i * L + label]` is how much of the (softmax) mass of all
 * label sequences gives token i that label. The decoder's scores are not trained as
 * probabilities, but the mass is a usable confidence: a span whose labels hold most of it
 * is one the model would not have drawn differently. `alpha` and `beta` are n × L scratch.
 */
export function marginals(
  scores: Float32Array,
  n: number,
  table: Float64Array,
  out: Float32Array,
  alpha: Float64Array,
  beta: Float64Array,
  temperature = 1,
): void {
  if (n === 0) return;
  const k = 1 / temperature;
  // Sums of exponentials with the largest term factored out: one exp per label and one
  // log per label and token, instead of a log-add per pair of labels. The transitions'
  // exponentials are taken once per sentence (0 where BIO forbids the pair), shifted by
  // their largest so that neither side overflows.
  let top = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < L * L; j++) if ((table[j] as number) > top) top = table[j] as number;
  const shift = k * top;
  const weights = PAIR_WEIGHTS;
  for (let j = 0; j < L * L; j++) weights[j] = Math.exp(k * (table[j] as number) - shift);
  const terms = TERMS;
  for (let q = 0; q < L; q++) alpha[q] = k * ((scores[q] as number) + (table[L * L + q] as number));
  for (let i = 1; i < n; i++) {
    const row = i * L;
    const most = expTerms(alpha, row - L, terms);
    for (let q = 0; q < L; q++) {
      let sum = 0;
      for (let p = 0; p < L; p++) sum += (terms[p] as number) * (weights[p * L + q] as number);
      alpha[row + q] = most + shift + Math.log(sum) + k * (scores[row + q] as number);
    }
  }
  const last = (n - 1) * L;
  for (let q = 0; q < L; q++) beta[last + q] = 0;
  const next = NEXT;
  for (let i = n - 2; i >= 0; i--) {
    const row = i * L;
    for (let q = 0; q < L; q++)
      next[q] = k * (scores[row + L + q] as number) + (beta[row + L + q] as number);
    const most = expTerms(next, 0, terms);
    for (let p = 0; p < L; p++) {
      let sum = 0;
      for (let q = 0; q < L; q++) sum += (weights[p * L + q] as number) * (terms[q] as number);
      beta[row + p] = most + shift + Math.log(sum);
    }
  }
  const z = expTerms(alpha, last, terms);
  let sum = 0;
  for (let q = 0; q < L; q++) sum += terms[q] as number;
  const logZ = z + Math.log(sum);
  for (let j = 0; j < n * L; j++)
    out[j] = Math.exp((alpha[j] as number) + (beta[j] as number) - logZ);
}

const PAIR_WEIGHTS = new Float64Array(L * L);
const TERMS = new Float64Array(L);
const NEXT = new Float64Array(L);

/** exp(x[at + q] - max) into terms, for the L values at `at`; returns the max. */
function expTerms(x: Float64Array, at: number, terms: Float64Array): number {
  let most = Number.NEGATIVE_INFINITY;
  for (let q = 0; q < L; q++) if ((x[at + q] as number) > most) most = x[at + q] as number;
  for (let q = 0; q < L; q++) terms[q] = Math.exp((x[at + q] as number) - most);
  return most;
}
