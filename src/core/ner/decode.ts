import { allowed, LABEL_COUNT, O } from './labels.js';

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
 *
 * Written out for the seven BIO labels, with the previous token's scores and the table in
 * locals: O and B-X may follow any label, I-X only B-X or I-X (PREDECESSORS), so a token
 * costs 4 × 7 + 3 × 2 comparisons with no inner loops. Ties go to the lower label, as a
 * loop over the predecessors in ascending order would give them.
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
  // The transitions into each label, t<from><to>; I-X's only from B-X and I-X.
  const t00 = table[0] as number;
  const t10 = table[7] as number;
  const t20 = table[14] as number;
  const t30 = table[21] as number;
  const t40 = table[28] as number;
  const t50 = table[35] as number;
  const t60 = table[42] as number;
  const t01 = table[1] as number;
  const t11 = table[8] as number;
  const t21 = table[15] as number;
  const t31 = table[22] as number;
  const t41 = table[29] as number;
  const t51 = table[36] as number;
  const t61 = table[43] as number;
  const t03 = table[3] as number;
  const t13 = table[10] as number;
  const t23 = table[17] as number;
  const t33 = table[24] as number;
  const t43 = table[31] as number;
  const t53 = table[38] as number;
  const t63 = table[45] as number;
  const t05 = table[5] as number;
  const t15 = table[12] as number;
  const t25 = table[19] as number;
  const t35 = table[26] as number;
  const t45 = table[33] as number;
  const t55 = table[40] as number;
  const t65 = table[47] as number;
  const t12 = table[9] as number;
  const t22 = table[16] as number;
  const t34 = table[25] as number;
  const t44 = table[32] as number;
  const t56 = table[41] as number;
  const t66 = table[48] as number;
  let b0 = best[0] as number;
  let b1 = best[1] as number;
  let b2 = best[2] as number;
  let b3 = best[3] as number;
  let b4 = best[4] as number;
  let b5 = best[5] as number;
  let b6 = best[6] as number;
  for (let i = 1; i < n; i++) {
    const row = i * L;
    // Into O, B-PER, B-LOC, B-ORG: from any label.
    let top: number;
    let arg: number;
    let s: number;
    top = Number.NEGATIVE_INFINITY;
    arg = 0;
    s = b0 + t00;
    if (s > top) top = s;
    s = b1 + t10;
    if (s > top) {
      top = s;
      arg = 1;
    }
    s = b2 + t20;
    if (s > top) {
      top = s;
      arg = 2;
    }
    s = b3 + t30;
    if (s > top) {
      top = s;
      arg = 3;
    }
    s = b4 + t40;
    if (s > top) {
      top = s;
      arg = 4;
    }
    s = b5 + t50;
    if (s > top) {
      top = s;
      arg = 5;
    }
    s = b6 + t60;
    if (s > top) {
      top = s;
      arg = 6;
    }
    const n0 = top + (scores[row] as number);
    back[row] = arg;
    top = Number.NEGATIVE_INFINITY;
    arg = 0;
    s = b0 + t01;
    if (s > top) top = s;
    s = b1 + t11;
    if (s > top) {
      top = s;
      arg = 1;
    }
    s = b2 + t21;
    if (s > top) {
      top = s;
      arg = 2;
    }
    s = b3 + t31;
    if (s > top) {
      top = s;
      arg = 3;
    }
    s = b4 + t41;
    if (s > top) {
      top = s;
      arg = 4;
    }
    s = b5 + t51;
    if (s > top) {
      top = s;
      arg = 5;
    }
    s = b6 + t61;
    if (s > top) {
      top = s;
      arg = 6;
    }
    const n1 = top + (scores[row + 1] as number);
    back[row + 1] = arg;
    top = Number.NEGATIVE_INFINITY;
    arg = 1;
    s = b1 + t12;
    if (s > top) top = s;
    s = b2 + t22;
    if (s > top) {
      top = s;
      arg = 2;
    }
    const n2 = top + (scores[row + 2] as number);
    back[row + 2] = top === Number.NEGATIVE_INFINITY ? 0 : arg;
    top = Number.NEGATIVE_INFINITY;
    arg = 0;
    s = b0 + t03;
    if (s > top) top = s;
    s = b1 + t13;
    if (s > top) {
      top = s;
      arg = 1;
    }
    s = b2 + t23;
    if (s > top) {
      top = s;
      arg = 2;
    }
    s = b3 + t33;
    if (s > top) {
      top = s;
      arg = 3;
    }
    s = b4 + t43;
    if (s > top) {
      top = s;
      arg = 4;
    }
    s = b5 + t53;
    if (s > top) {
      top = s;
      arg = 5;
    }
    s = b6 + t63;
    if (s > top) {
      top = s;
      arg = 6;
    }
    const n3 = top + (scores[row + 3] as number);
    back[row + 3] = arg;
    top = Number.NEGATIVE_INFINITY;
    arg = 3;
    s = b3 + t34;
    if (s > top) top = s;
    s = b4 + t44;
    if (s > top) {
      top = s;
      arg = 4;
    }
    const n4 = top + (scores[row + 4] as number);
    back[row + 4] = top === Number.NEGATIVE_INFINITY ? 0 : arg;
    top = Number.NEGATIVE_INFINITY;
    arg = 0;
    s = b0 + t05;
    if (s > top) top = s;
    s = b1 + t15;
    if (s > top) {
      top = s;
      arg = 1;
    }
    s = b2 + t25;
    if (s > top) {
      top = s;
      arg = 2;
    }
    s = b3 + t35;
    if (s > top) {
      top = s;
      arg = 3;
    }
    s = b4 + t45;
    if (s > top) {
      top = s;
      arg = 4;
    }
    s = b5 + t55;
    if (s > top) {
      top = s;
      arg = 5;
    }
    s = b6 + t65;
    if (s > top) {
      top = s;
      arg = 6;
    }
    const n5 = top + (scores[row + 5] as number);
    back[row + 5] = arg;
    top = Number.NEGATIVE_INFINITY;
    arg = 5;
    s = b5 + t56;
    if (s > top) top = s;
    s = b6 + t66;
    if (s > top) {
      top = s;
      arg = 6;
    }
    const n6 = top + (scores[row + 6] as number);
    back[row + 6] = top === Number.NEGATIVE_INFINITY ? 0 : arg;
    b0 = n0;
    b1 = n1;
    b2 = n2;
    b3 = n3;
    b4 = n4;
    b5 = n5;
    b6 = n6;
  }
  const lastRow = (n - 1) * L;
  best[lastRow] = b0;
  best[lastRow + 1] = b1;
  best[lastRow + 2] = b2;
  best[lastRow + 3] = b3;
  best[lastRow + 4] = b4;
  best[lastRow + 5] = b5;
  best[lastRow + 6] = b6;
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
  /**
   * withinSpread, and every allowed transition's weight is in (0, 1] (none is -Infinity or
   * NaN): what labelConfidence's proof that no row fails asks of the transitions.
   */
  bounded: boolean;
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
  const withinSpread = k * (top - bottom) <= SPREAD;
  let bounded = withinSpread;
  for (let j = 0; j < L * L; j++) {
    const w = weights[j] as number;
    if (allowed(Math.floor(j / L), j % L) && !(w > 0 && w <= 1)) bounded = false;
  }
  return { weights, withinSpread, bounded };
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
 *
 * With `tokens` 'spans', only the tokens a span's confidence reads get theirs (readBySpan):
 * those labelled part of a name and the one right after each name, whose label closes it.
 * Forward then runs only as far as the last of them and backward only down to the first:
 * alpha[i] depends on rows 0..i alone and beta[i] on rows i..n-1, so those tokens get the
 * same figures to the last bit (on the bench articles' sentences: forward over 76 % of the
 * rows, backward over 84 %, 28 % of the tokens' masses; the emissions are all needed). What
 * must stay the same too is the choice of the log-space fallback, which the whole sentence
 * makes from every row: see `bounded` below for why no row left out could have made it.
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
  tokens: 'all' | 'spans' = 'all',
): void {
  if (n === 0) return;
  const k = 1 / temperature;
  let ok = pairs.withinSpread;
  // 'spans' leaves rows out, so it must know that none of them would have sent the sentence
  // to `marginals`. It does when the transitions are `bounded` and every emission below is
  // in (0, 1] (but the first token's forbidden starts, exactly 0): then, as above, every
  // allowed alpha and beta stays above e^-(4 × SPREAD + 6) (a row's largest is at least
  // 1/L, and any label is reached from any other within two tokens, each step weighing at
  // least e^-(2 × SPREAD)) and a row sums to at most L before it is normalised, so no
  // normalise and no token's mass can fail. Without that bound (a score of -Infinity or
  // NaN, rows or transitions too far apart), the whole sentence is computed, as 'all' does.
  let bounded = pairs.bounded;
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
    // The row's largest is e^0, exactly 1: one exp a token fewer.
    for (let q = 0; q < L; q++) {
      const x = (emit[row + q] as number) - most;
      const e = x === 0 ? 1 : expNegative(x);
      emit[row + q] = e;
      if (!(e > 0) && !(i === 0 && e === 0 && !allowed(-1, q))) bounded = false;
    }
  }
  // The tokens whose confidence is computed: from..to-1, less those no span reads if `only`.
  const only = tokens === 'spans' && bounded;
  let from = 0;
  let to = n;
  if (only) {
    from = n;
    to = 0;
    for (let i = 0; i < n; i++)
      if (readBySpan(labels, i)) {
        if (from === n) from = i;
        to = i + 1;
      }
  }
  if (ok) ok = normalise(emit, 0, alpha, 0);
  // The sums below are written out for the seven BIO labels. A forbidden pair's weight is
  // exactly 0 (I-X after O or after another type), so its terms, which would add +0, are
  // left out; the others are added in ascending label order, as a loop would: the same
  // figures to the last bit. w<from><to>.
  const w00 = weights[0] as number;
  const w01 = weights[1] as number;
  const w03 = weights[3] as number;
  const w05 = weights[5] as number;
  const w10 = weights[7] as number;
  const w11 = weights[8] as number;
  const w12 = weights[9] as number;
  const w13 = weights[10] as number;
  const w15 = weights[12] as number;
  const w20 = weights[14] as number;
  const w21 = weights[15] as number;
  const w22 = weights[16] as number;
  const w23 = weights[17] as number;
  const w25 = weights[19] as number;
  const w30 = weights[21] as number;
  const w31 = weights[22] as number;
  const w33 = weights[24] as number;
  const w34 = weights[25] as number;
  const w35 = weights[26] as number;
  const w40 = weights[28] as number;
  const w41 = weights[29] as number;
  const w43 = weights[31] as number;
  const w44 = weights[32] as number;
  const w45 = weights[33] as number;
  const w50 = weights[35] as number;
  const w51 = weights[36] as number;
  const w53 = weights[38] as number;
  const w55 = weights[40] as number;
  const w56 = weights[41] as number;
  const w60 = weights[42] as number;
  const w61 = weights[43] as number;
  const w63 = weights[45] as number;
  const w65 = weights[47] as number;
  const w66 = weights[48] as number;
  // Each row is summed and scaled as it is made, as normalise would, and carried to the next
  // in locals: no second pass over the row, and no reading back what was just written.
  let a0 = alpha[0] as number;
  let a1 = alpha[1] as number;
  let a2 = alpha[2] as number;
  let a3 = alpha[3] as number;
  let a4 = alpha[4] as number;
  let a5 = alpha[5] as number;
  let a6 = alpha[6] as number;
  for (let i = 1; ok && i < to; i++) {
    const row = i * L;
    const n0 =
      (a0 * w00 + a1 * w10 + a2 * w20 + a3 * w30 + a4 * w40 + a5 * w50 + a6 * w60) *
      (emit[row] as number);
    const n1 =
      (a0 * w01 + a1 * w11 + a2 * w21 + a3 * w31 + a4 * w41 + a5 * w51 + a6 * w61) *
      (emit[row + 1] as number);
    const n2 = (a1 * w12 + a2 * w22) * (emit[row + 2] as number);
    const n3 =
      (a0 * w03 + a1 * w13 + a2 * w23 + a3 * w33 + a4 * w43 + a5 * w53 + a6 * w63) *
      (emit[row + 3] as number);
    const n4 = (a3 * w34 + a4 * w44) * (emit[row + 4] as number);
    const n5 =
      (a0 * w05 + a1 * w15 + a2 * w25 + a3 * w35 + a4 * w45 + a5 * w55 + a6 * w65) *
      (emit[row + 5] as number);
    const n6 = (a5 * w56 + a6 * w66) * (emit[row + 6] as number);
    const sum = 0 + n0 + n1 + n2 + n3 + n4 + n5 + n6;
    if (!(sum > 0) || !Number.isFinite(sum)) ok = false;
    const scale = 1 / sum;
    a0 = n0 * scale;
    a1 = n1 * scale;
    a2 = n2 * scale;
    a3 = n3 * scale;
    a4 = n4 * scale;
    a5 = n5 * scale;
    a6 = n6 * scale;
    alpha[row] = a0;
    alpha[row + 1] = a1;
    alpha[row + 2] = a2;
    alpha[row + 3] = a3;
    alpha[row + 4] = a4;
    alpha[row + 5] = a5;
    alpha[row + 6] = a6;
  }
  const last = (n - 1) * L;
  for (let q = 0; q < L; q++) beta[last + q] = 1 / L;
  let b0 = 1 / L;
  let b1 = b0;
  let b2 = b0;
  let b3 = b0;
  let b4 = b0;
  let b5 = b0;
  let b6 = b0;
  for (let i = n - 2; ok && i >= from; i--) {
    const row = i * L;
    const next = row + L;
    // Each next label's emission × its beta, kept as the two factors: the loop multiplied
    // the weight by the emission first, then by the beta.
    const e0 = emit[next] as number;
    const e1 = emit[next + 1] as number;
    const e2 = emit[next + 2] as number;
    const e3 = emit[next + 3] as number;
    const e4 = emit[next + 4] as number;
    const e5 = emit[next + 5] as number;
    const e6 = emit[next + 6] as number;
    const m0 = w00 * e0 * b0 + w01 * e1 * b1 + w03 * e3 * b3 + w05 * e5 * b5;
    const m1 = w10 * e0 * b0 + w11 * e1 * b1 + w12 * e2 * b2 + w13 * e3 * b3 + w15 * e5 * b5;
    const m2 = w20 * e0 * b0 + w21 * e1 * b1 + w22 * e2 * b2 + w23 * e3 * b3 + w25 * e5 * b5;
    const m3 = w30 * e0 * b0 + w31 * e1 * b1 + w33 * e3 * b3 + w34 * e4 * b4 + w35 * e5 * b5;
    const m4 = w40 * e0 * b0 + w41 * e1 * b1 + w43 * e3 * b3 + w44 * e4 * b4 + w45 * e5 * b5;
    const m5 = w50 * e0 * b0 + w51 * e1 * b1 + w53 * e3 * b3 + w55 * e5 * b5 + w56 * e6 * b6;
    const m6 = w60 * e0 * b0 + w61 * e1 * b1 + w63 * e3 * b3 + w65 * e5 * b5 + w66 * e6 * b6;
    const sum = 0 + m0 + m1 + m2 + m3 + m4 + m5 + m6;
    if (!(sum > 0) || !Number.isFinite(sum)) ok = false;
    const scale = 1 / sum;
    b0 = m0 * scale;
    b1 = m1 * scale;
    b2 = m2 * scale;
    b3 = m3 * scale;
    b4 = m4 * scale;
    b5 = m5 * scale;
    b6 = m6 * scale;
    beta[row] = b0;
    beta[row + 1] = b1;
    beta[row + 2] = b2;
    beta[row + 3] = b3;
    beta[row + 4] = b4;
    beta[row + 5] = b5;
    beta[row + 6] = b6;
  }
  for (let i = from; ok && i < to; i++) {
    if (only && !readBySpan(labels, i)) continue;
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

/** Whether a span's confidence reads token i's: it is in a name or right after one. */
function readBySpan(labels: Uint8Array, i: number): boolean {
  return labels[i] !== O || (i > 0 && labels[i - 1] !== O);
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

// expNegative's constants: fdlibm's (e_exp.c), as V8's Math.exp has them, written as the
// shortest decimals of the same doubles.
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = Math.LOG2E;
const P1 = 0.16666666666666602;
const P2 = -0.0027777777777015593;
const P3 = 0.00006613756321437934;
const P4 = -0.0000016533902205465252;
const P5 = 4.1381367970572385e-8;
/** 2^-k for k = 0..1021: exact doubles, the scaling of exp's last step. */
const HALVINGS = Float64Array.from({ length: 1022 }, (_, k) => 2 ** -k);
/** The high 32 bits of a double, read through one shared 8-byte buffer. */
const doubleView = new Float64Array(1);
const highWord = new Int32Array(doubleView.buffer, 4, 1);

/**
 * Math.exp(x) for x <= 0, the same double to the last bit, for labelConfidence, which
 * spends about half its time in exp. V8's Math.exp is fdlibm's exp in C, reached by a call
 * out of the compiled code (~10 ns); this is the same algorithm, the same operations on
 * doubles in the same order, written in JS so the compiler inlines it (~6 ns). Below -708,
 * near underflow (-Infinity: a forbidden start), it leaves the answer to Math.exp. A test
 * compares the two on millions of values and at every branch's edges.
 */
export function expNegative(x: number): number {
  if (!(x > -708)) return Math.exp(x);
  doubleView[0] = x;
  const hx = (highWord[0] as number) & 0x7fffffff;
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2 / 2: x = k ln2 + r, |r| <= ln2 / 2, with k ln2 in two parts (hi - lo).
    if (hx < 0x3ff0a2b2) {
      hi = x + LN2_HI;
      lo = -LN2_LO;
      k = -1;
    } else {
      k = (INV_LN2 * x - 0.5) | 0;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) return 1 + x; // |x| < 2^-28
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  return (1 - (lo - (x * c) / (2 - c) - hi)) * (HALVINGS[-k] as number);
}
