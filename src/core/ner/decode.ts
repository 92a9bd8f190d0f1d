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
  for (let q = 0; q < L; q++) alpha[q] = k * ((scores[q] as number) + (table[L * L + q] as number));
  for (let i = 1; i < n; i++) {
    const row = i * L;
    for (let q = 0; q < L; q++) {
      let acc = Number.NEGATIVE_INFINITY;
      for (let p = 0; p < L; p++)
        acc = logAdd(acc, (alpha[row - L + p] as number) + k * (table[p * L + q] as number));
      alpha[row + q] = acc + k * (scores[row + q] as number);
    }
  }
  const last = (n - 1) * L;
  for (let q = 0; q < L; q++) beta[last + q] = 0;
  for (let i = n - 2; i >= 0; i--) {
    const row = i * L;
    for (let p = 0; p < L; p++) {
      let acc = Number.NEGATIVE_INFINITY;
      for (let q = 0; q < L; q++)
        acc = logAdd(
          acc,
          k * ((table[p * L + q] as number) + (scores[row + L + q] as number)) +
            (beta[row + L + q] as number),
        );
      beta[row + p] = acc;
    }
  }
  let z = Number.NEGATIVE_INFINITY;
  for (let q = 0; q < L; q++) z = logAdd(z, alpha[last + q] as number);
  for (let k = 0; k < n * L; k++) out[k] = Math.exp((alpha[k] as number) + (beta[k] as number) - z);
}

function logAdd(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** See labelConfidence: e^-(4 × 150 + 4) is still far above the smallest double, e^-708. */
const SPREAD = 150;

/** exp of a transition table's scores (× 1/temperature, less the largest), for labelConfidence. */
export interface PairWeights {
  weights: Float64Array;
  /** The allowed transitions lie within SPREAD of each other (× 1/temperature). */
  withinSpread: boolean;
}

/**
 * The transitions' part of labelConfidence, which depends on the model only: a tagger
 * computes it once instead of per sentence.
 */
export function pairWeights(table: Float64Array, temperature = 1): PairWeights {
  const k = 1 / temperature;
  let top = Number.NEGATIVE_INFINITY;
  let bottom = Number.POSITIVE_INFINITY;
  for (let j = 0; j < L * L; j++) {
    const t = table[j] as number;
    if (t > top) top = t;
    if (t < bottom && t !== Number.NEGATIVE_INFINITY) bottom = t;
  }
  const weights = new Float64Array(L * L);
  for (let j = 0; j < L * L; j++) weights[j] = Math.exp(k * ((table[j] as number) - top));
  return { weights, withinSpread: k * (top - bottom) <= SPREAD };
}

/**
 * Each token's marginal for its own label, `out[i] = mass of labels[i] at token i`: the
 * same figures as `marginals`, computed the cheap way. Forward-backward runs on scaled
 * probabilities (each row normalised to sum 1), which needs one exp per token and label
 * and no logs, and a token's marginal is then its row's product normalised. That is exact
 * (to rounding) while no allowed label falls out of double range: every label is reached
 * from a row's best within two tokens, so with a row's scores at most SPREAD apart and
 * the transitions at most SPREAD apart (both × 1/temperature), every value stays above
 * e^-(4 × SPREAD + 4) of its row's largest. Beyond that (scores thousands apart), the
 * sentence goes through `marginals`, in logs. `alpha`, `beta`, `emit` are n × L scratch;
 * `pairs` is pairWeights(table, temperature), made here when not given.
 */
export function labelConfidence(
  scores: Float32Array,
  n: number,
  table: Float64Array,
  labels: Uint8Array,
  out: Float32Array,
  alpha: Float64Array,
  beta: Float64Array,
  emit: Float64Array,
  temperature = 1,
  pairs: PairWeights = pairWeights(table, temperature),
): void {
  if (n === 0) return;
  const k = 1 / temperature;
  let ok = pairs.withinSpread;
  const weights = pairs.weights;
  // Emissions as exp(k × score - the row's largest); the first row with the starts.
  for (let i = 0; ok && i < n; i++) {
    const row = i * L;
    let most = Number.NEGATIVE_INFINITY;
    let least = Number.POSITIVE_INFINITY;
    for (let q = 0; q < L; q++) {
      const x = k * ((scores[row + q] as number) + (i === 0 ? (table[L * L + q] as number) : 0));
      emit[row + q] = x;
      if (x > most) most = x;
      if (x < least && x !== Number.NEGATIVE_INFINITY) least = x;
    }
    if (most - least > SPREAD) ok = false;
    for (let q = 0; q < L; q++) emit[row + q] = Math.exp((emit[row + q] as number) - most);
  }
  if (ok) ok = normalise(emit, 0, alpha, 0);
  for (let i = 1; ok && i < n; i++) {
    const row = i * L;
    for (let q = 0; q < L; q++) {
      let sum = 0;
      for (let p = 0; p < L; p++)
        sum += (alpha[row - L + p] as number) * (weights[p * L + q] as number);
      alpha[row + q] = sum * (emit[row + q] as number);
    }
    ok = normalise(alpha, row, alpha, row);
  }
  const last = (n - 1) * L;
  for (let q = 0; q < L; q++) beta[last + q] = 1 / L;
  for (let i = n - 2; ok && i >= 0; i--) {
    const row = i * L;
    for (let p = 0; p < L; p++) {
      let sum = 0;
      for (let q = 0; q < L; q++)
        sum +=
          (weights[p * L + q] as number) *
          (emit[row + L + q] as number) *
          (beta[row + L + q] as number);
      beta[row + p] = sum;
    }
    ok = normalise(beta, row, beta, row);
  }
  for (let i = 0; ok && i < n; i++) {
    const row = i * L;
    let sum = 0;
    for (let q = 0; q < L; q++) sum += (alpha[row + q] as number) * (beta[row + q] as number);
    const own = row + (labels[i] as number);
    const mass = ((alpha[own] as number) * (beta[own] as number)) / sum;
    if (!(sum > 0) || !Number.isFinite(mass)) ok = false;
    else out[i] = mass;
  }
  if (ok) return;
  const mass = new Float32Array(n * L);
  marginals(scores, n, table, mass, alpha, beta, temperature);
  for (let i = 0; i < n; i++) out[i] = mass[i * L + (labels[i] as number)] as number;
}

/** Scales L values from `from` at `at` to sum 1 into `into` at `to`; false if they cannot. */
function normalise(from: Float64Array, at: number, into: Float64Array, to: number): boolean {
  let sum = 0;
  for (let q = 0; q < L; q++) sum += from[at + q] as number;
  if (!(sum > 0) || !Number.isFinite(sum)) return false;
  const scale = 1 / sum;
  for (let q = 0; q < L; q++) into[to + q] = (from[at + q] as number) * scale;
  return true;
}
