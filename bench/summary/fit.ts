// Fitting the summariser's weights (src/core/summary-model.ts), shared by `train.ts` (fits
// on all the tunable data and writes the model) and `cv.ts` (fits on k−1 folds of it and
// scores the fold left out). First a ridge regression of each unit's own ROUGE against the
// reference, then coordinate ascent on what the brief is judged by: the summary's ROUGE-2
// F1 and the headline's actors it names, within no more words than LEAD-3.
import { summaryInputs } from '../../src/core/brief.js';
import {
  articleContext,
  dot,
  FEATURES,
  type Headline,
  MAX_SUMMARY_WORDS,
  overlap,
  selectUnits,
  type UnitFacts,
  unitFeatures,
} from '../../src/core/summary.js';
import type { SummaryModel } from '../../src/core/summary-model.js';
import { splitSentences } from '../../src/core/text/sentences.js';
import { type DevArticle, splitOf } from './data.js';
import { countWords } from './defects.js';
import { rouge, rougeTokens } from './rouge.js';

export interface Example {
  article: DevArticle;
  group: string;
  facts: UnitFacts[];
  headline: Headline;
  /** Each unit's features, computed once: they do not depend on the weights. */
  features: number[][];
  bigrams: Map<UnitFacts, Map<string, number>>;
  words: Map<UnitFacts, number>;
  reference: Map<string, number>;
  referenceBigrams: number;
  lead3: string;
  lead3Words: number;
  extraCache: Map<string, number[][]>;
}

function bigramsOf(text: string): Map<string, number> {
  const tokens = rougeTokens(text);
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < tokens.length; i++) {
    const key = `${tokens[i]} ${tokens[i + 1]}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

export function prepare(a: DevArticle): Example {
  const inputs = summaryInputs({ title: a.title, text: a.text, language: a.lang });
  const ctx = articleContext(inputs.facts, inputs.headline);
  const bigrams = new Map(inputs.facts.map((f) => [f, bigramsOf(f.text)]));
  const words = new Map(inputs.facts.map((f) => [f, countWords(f.text)]));
  const reference = bigramsOf(a.reference);
  const lead3 = splitSentences(a.text, a.lang)
    .slice(0, 3)
    .map((s) => s.text)
    .join(' ');
  return {
    article: a,
    group: splitOf(a),
    facts: inputs.facts,
    headline: inputs.headline,
    features: inputs.facts.map((f) => unitFeatures(f, ctx)),
    bigrams,
    words,
    reference,
    referenceBigrams: [...reference.values()].reduce((s, n) => s + n, 0),
    lead3,
    lead3Words: countWords(lead3),
    extraCache: new Map(),
  };
}

/**
 * A model fitted with features beyond FEATURES (`--extra`, see `extraFeatures`): tried on
 * cross-validation before any of them is written into `unitFeatures`.
 */
export type FittedModel = SummaryModel & { extra?: readonly string[] };

/**
 * Features tried beside FEATURES, each named `KIND:FEATURE` (or `hasHeadline`):
 * `h:` the feature where the article has a real headline, else 0; `n:` where it has none;
 * `z:` its z-score within the article; `r:` its rank within the article (1 the highest,
 * 0 the lowest). The headline ones let the stories with a headline teach their own weights
 * and those without theirs; the per-article ones read the same in any language.
 */
export function extraFeatures(e: Example, specs: readonly string[]): number[][] {
  if (specs.length === 0) return e.features;
  const key = specs.join(',');
  const cached = e.extraCache.get(key);
  if (cached) return cached;
  const has = e.headline.terms.length > 0 || e.headline.actors.size > 0 ? 1 : 0;
  const n = e.features.length;
  const columns = specs.map((spec) => {
    if (spec === 'hasHeadline') return e.features.map(() => has);
    const [kind, name] = spec.split(':');
    const k = (FEATURES as readonly string[]).indexOf(name ?? '');
    const column = e.features.map((x) => x[k] as number);
    if (kind === 'h') return column.map((v) => has * v);
    if (kind === 'n') return column.map((v) => (1 - has) * v);
    if (kind === 'z') {
      const mean = column.reduce((a, b) => a + b, 0) / Math.max(1, n);
      const sd = Math.sqrt(column.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, n));
      return column.map((v) => (sd > 1e-9 ? (v - mean) / sd : 0));
    }
    return column.map((v) => {
      let below = 0;
      let same = 0;
      for (const o of column)
        if (o < v) below++;
        else if (o === v) same++;
      return n > 1 ? (below + (same - 1) / 2) / (n - 1) : 0;
    });
  });
  const out = e.features.map((x, i) => [...x, ...columns.map((c) => c[i] as number)]);
  e.extraCache.set(key, out);
  return out;
}

export function checkExtra(spec: string): void {
  if (spec === 'hasHeadline') return;
  const [kind, name] = spec.split(':');
  if (
    !['h', 'n', 'z', 'r'].includes(kind ?? '') ||
    !(FEATURES as readonly string[]).includes(name ?? '')
  )
    throw new Error(
      `--extra: "${spec}" is not hasHeadline or h|n|z|r:FEATURE (features: ${FEATURES.join(', ')})`,
    );
}

/** What `summarise` picks for the example under `model`, from the cached features. */
export function choose(e: Example, model: FittedModel): UnitFacts[] {
  return selectUnits(
    e.facts,
    extraFeatures(e, model.extra ?? []).map((x) => dot(model.weights, x)),
    e.headline,
    model,
  );
}

/**
 * ROUGE-2 F1 of the chosen units (bigrams across their joins left out), their words, and
 * the share of the actors the headline names that they name (1 when it names none).
 */
export function score(
  e: Example,
  chosen: readonly UnitFacts[],
): { r2: number; words: number; actors: number } {
  const counts = new Map<string, number>();
  let predicted = 0;
  let words = 0;
  for (const f of chosen) {
    words += e.words.get(f) ?? 0;
    for (const [k, n] of e.bigrams.get(f) ?? []) {
      counts.set(k, (counts.get(k) ?? 0) + n);
      predicted += n;
    }
  }
  let matches = 0;
  for (const [k, n] of counts) matches += Math.min(n, e.reference.get(k) ?? 0);
  const p = predicted > 0 ? matches / predicted : 0;
  const r = e.referenceBigrams > 0 ? matches / e.referenceBigrams : 0;
  const named = new Set<string>();
  for (const f of chosen)
    for (const id of f.actors.keys()) if (e.headline.actors.has(id)) named.add(id);
  const actors = e.headline.actors.size > 0 ? named.size / e.headline.actors.size : 1;
  return { r2: p + r > 0 ? (2 * p * r) / (p + r) : 0, words, actors };
}

/**
 * What carrying the headline's actors is worth, in ROUGE-2 F1: a brief is also judged by
 * whether it names who the headline is about, which ROUGE against a paraphrase barely sees
 * (left to ROUGE alone, the ascent drops the second event of a two-event story).
 */
const ACTOR_COVERAGE = 0.02;

export interface FitOptions {
  /** Features held at 0 (fewer free parameters), to see what they are worth. */
  frozen: ReadonlySet<string>;
  /** How much a weight pays for straying from the ridge fit (squared distance). */
  anchor: number;
  /** The ridge's penalty on the regression's weights. */
  lambda: number;
  /** The average words the objective lets pass free, as a share of LEAD-3's. */
  budget: number;
  /** `settings`: only the selection settings move in the ascent, the weights stay the ridge's. */
  mode: 'full' | 'settings';
  /** Weights that move in the ascent in `settings` mode too. */
  tuned: ReadonlySet<string>;
  /**
   * Each set weighs alike in the regression, as in the objective: else OrangeSum's 742
   * articles outvote the 100 English ones on what a lede is worth.
   */
  balance: boolean;
  /**
   * What the regression learns per unit: `f1`, its own ROUGE-1/2 F1; `centered`, that less
   * its article's mean (only how a unit ranks within its article); `oracle`, whether the
   * greedy oracle (the ≤ 3 units of best summary ROUGE-2 within the word cap) holds it.
   */
  label: Label;
  /** Features tried beside FEATURES (`extraFeatures`). */
  extra: readonly string[];
  /**
   * `ridge`, a regression of each unit's label; `pairs`, a ranking: a logistic model of
   * which of two units of one article has the higher label (each pair weighed by how far
   * apart their labels are), its scores then brought to the labels' scale.
   */
  fitter: 'ridge' | 'pairs';
  /** How many resamples to fit and average (`fitModel`); 1 fits the data once, as it is. */
  bag: number;
  log: (line: string) => void;
}

/**
 * `greedy`: the greedy oracle's path imitated step by step: at each of its steps, every unit
 * left is a row whose label is the ROUGE-2 F1 it would add to the units chosen so far, with
 * its overlap with them as one more feature (whose weight starts `redundancy`);
 * `greedy-mix`, the same with the mean of ROUGE-1 and ROUGE-2 F1 added, as `f1` labels units.
 */
export const LABELS = ['f1', 'centered', 'oracle', 'r2', 'r1', 'greedy', 'greedy-mix'] as const;
export type Label = (typeof LABELS)[number];

export const DEFAULT_FIT: FitOptions = {
  frozen: new Set(),
  // Used by `--mode full` only: chosen with --validate on halves of the tunable sets.
  anchor: 0.2,
  lambda: 1,
  budget: 0.97,
  // The ridge fit's weights as they are, the ascent moving only the four settings: it
  // generalises best (5-fold CV, docs/summary-model.md): the full ascent fitted the 100
  // English stories' quirks and scored ~1.5 R2 lower out of fold.
  mode: 'settings',
  tuned: new Set(),
  balance: false,
  label: 'f1',
  extra: [],
  fitter: 'ridge',
  bag: 1,
  log: () => {},
};

/**
 * The objective: mean ROUGE-2 per group (with the headline's actors it carries), groups
 * weighted alike, less a toll for words past the budget's share of LEAD-3's.
 */
function objective(examples: readonly Example[], model: FittedModel, budget: number): number {
  const groups = new Map<string, { r2: number; words: number; lead3: number; n: number }>();
  for (const e of examples) {
    const s = score(e, choose(e, model));
    const g = groups.get(e.group) ?? { r2: 0, words: 0, lead3: 0, n: 0 };
    g.r2 += s.r2 + ACTOR_COVERAGE * s.actors;
    g.words += s.words;
    g.lead3 += e.lead3Words;
    g.n++;
    groups.set(e.group, g);
  }
  let total = 0;
  for (const g of groups.values()) {
    const over = Math.max(0, g.words / g.n - budget * (g.lead3 / g.n));
    total += g.r2 / g.n - 0.002 * over;
  }
  return total / groups.size;
}

/** Least squares with a ridge, by Gaussian elimination on the normal equations. */
function ridge(
  xs: readonly number[][],
  ys: readonly number[],
  lambda: number,
  weights: readonly number[] = [],
): number[] {
  const d = xs[0]?.length ?? 0;
  const a = Array.from({ length: d }, () => new Array<number>(d + 1).fill(0));
  for (const [k, x] of xs.entries()) {
    const y = ys[k] as number;
    const w = weights[k] ?? 1;
    for (let i = 0; i < d; i++) {
      const row = a[i] as number[];
      const wx = w * (x[i] as number);
      for (let j = 0; j < d; j++) row[j] = (row[j] as number) + wx * (x[j] as number);
      row[d] = (row[d] as number) + wx * y;
    }
  }
  for (let i = 0; i < d; i++) (a[i] as number[])[i] = ((a[i] as number[])[i] as number) + lambda;
  for (let c = 0; c < d; c++) {
    let pivot = c;
    for (let r = c + 1; r < d; r++)
      if (Math.abs((a[r] as number[])[c] as number) > Math.abs((a[pivot] as number[])[c] as number))
        pivot = r;
    [a[c], a[pivot]] = [a[pivot] as number[], a[c] as number[]];
    const row = a[c] as number[];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const other = a[r] as number[];
      const factor = (other[c] as number) / (row[c] as number);
      for (let j = c; j <= d; j++) other[j] = (other[j] as number) - factor * (row[j] as number);
    }
  }
  return a.map((row, i) => (row[d] as number) / (row[i] as number));
}

/**
 * A pairwise ranking (RankNet's loss, linear): for every two units of one article (`articles`
 * says which) whose labels differ, the logistic probability that the better one scores
 * higher, each pair weighed by how far apart their labels are; fitted by Newton's method
 * (iteratively reweighted least squares through `ridge`) with the ridge's penalty.
 */
export function ranking(
  xs: readonly number[][],
  ys: readonly number[],
  articles: readonly number[],
  lambda: number,
): number[] {
  const pairs: number[][] = [];
  const weights: number[] = [];
  let start = 0;
  while (start < xs.length) {
    let end = start;
    while (end < xs.length && articles[end] === articles[start]) end++;
    for (let i = start; i < end; i++)
      for (let j = start; j < end; j++) {
        const gap = (ys[i] as number) - (ys[j] as number);
        if (gap <= 0.005) continue;
        const a = xs[i] as number[];
        const b = xs[j] as number[];
        pairs.push(a.map((v, k) => v - (b[k] as number)));
        weights.push(gap);
      }
    start = end;
  }
  let beta = new Array<number>(xs[0]?.length ?? 0).fill(0);
  for (let iteration = 0; iteration < 12; iteration++) {
    const working: number[] = [];
    const w: number[] = [];
    for (const [p, z] of pairs.entries()) {
      const m = dot(beta, z);
      const s = 1 / (1 + Math.exp(-m));
      const v = Math.max(1e-6, s * (1 - s));
      w.push((weights[p] as number) * v);
      working.push(m + (1 - s) / v);
    }
    beta = ridge(pairs, working, lambda, w);
  }
  return beta;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function spread(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length));
}

/** `weights` scaled so that their scores over `xs` spread as much as `target` does. */
function rescaled(weights: readonly number[], xs: readonly number[][], target: readonly number[]) {
  const scores = xs.map((x) => dot(weights, x));
  const factor = spread(target) / Math.max(1e-9, spread(scores));
  return weights.map((w) => w * factor);
}

/**
 * The greedy oracle: up to three units, each the one that raises the summary's ROUGE-2 F1
 * most, within the word cap; what a perfect scorer of units would pick.
 */
export function oracle(e: Example): UnitFacts[] {
  const chosen: UnitFacts[] = [];
  let best = 0;
  let words = 0;
  while (chosen.length < 3) {
    let pick: UnitFacts | undefined;
    for (const f of e.facts) {
      if (chosen.includes(f) || words + f.words > MAX_SUMMARY_WORDS) continue;
      const r2 = score(e, [...chosen, f]).r2;
      if (r2 > best) {
        best = r2;
        pick = f;
      }
    }
    if (!pick) break;
    chosen.push(pick);
    words += pick.words;
  }
  return chosen;
}

/**
 * Fits a model on `examples`; with `bag` > 1, fits one on each of that many resamples of
 * them (drawn with replacement within each set, the same draws on every run) and averages
 * their weights and settings: the ascent's end point moves with small changes to the data,
 * and an average of several is steadier than any one of them.
 */
export function fitModel(
  examples: readonly Example[],
  options: Partial<FitOptions> = {},
): FittedModel {
  const bag = options.bag ?? DEFAULT_FIT.bag;
  if (bag <= 1) return fitOnce(examples, options);
  let seed = 0x9e3779b9;
  const random = () => {
    // mulberry32: a small seeded generator, so that a fitting is repeatable.
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const byGroup = new Map<string, Example[]>();
  for (const e of examples) byGroup.set(e.group, [...(byGroup.get(e.group) ?? []), e]);
  const models: FittedModel[] = [];
  for (let b = 0; b < bag; b++) {
    const sample: Example[] = [];
    for (const group of byGroup.values())
      for (let i = 0; i < group.length; i++)
        sample.push(group[Math.floor(random() * group.length)] as Example);
    models.push(fitOnce(sample, options));
  }
  const mean = (f: (m: FittedModel) => number) =>
    round(models.reduce((s, m) => s + f(m), 0) / models.length);
  const first = models[0] as FittedModel;
  return {
    ...first,
    weights: first.weights.map((_, k) => mean((m) => m.weights[k] ?? 0)),
    wordCost: mean((m) => m.wordCost),
    redundancy: mean((m) => m.redundancy),
    third: mean((m) => m.third),
    coverage: mean((m) => m.coverage),
  };
}

function fitOnce(examples: readonly Example[], options: Partial<FitOptions>): FittedModel {
  const { frozen, anchor, lambda, budget, mode, tuned, balance, label, extra, fitter, log } = {
    ...DEFAULT_FIT,
    ...options,
  };
  const names = [...FEATURES, ...extra];
  const greedy = label === 'greedy' || label === 'greedy-mix';
  const free = (k: number) => !frozen.has(names[k] as string);

  // 1. Each unit's own ROUGE-1/2 F1 against the reference, regressed on its features.
  const xs: number[][] = [];
  const ys: number[] = [];
  const groups: string[] = [];
  const articles: number[] = [];
  const f1s: number[] = [];
  for (const [a, e] of examples.entries()) {
    const features = extraFeatures(e, extra);
    const own = e.facts.map((f) => {
      const s = rouge(e.article.reference, f.text);
      return label === 'r2'
        ? s.rouge2.f1
        : label === 'r1'
          ? s.rouge1.f1
          : (s.rouge1.f1 + s.rouge2.f1) / 2;
    });
    if (label === 'greedy' || label === 'greedy-mix') {
      // The oracle's path: every unit left at each step, labelled with what it adds.
      const gainOf = (texts: readonly UnitFacts[]) => {
        if (label === 'greedy') return score(e, texts).r2;
        const s = rouge(e.article.reference, texts.map((f) => f.text).join(' '));
        return (s.rouge1.f1 + s.rouge2.f1) / 2;
      };
      const path = oracle(e);
      for (let step = 0; step <= path.length && step < 3; step++) {
        const chosen = path.slice(0, step);
        const base = step === 0 ? 0 : gainOf(chosen);
        for (const [i, f] of e.facts.entries()) {
          if (chosen.includes(f)) continue;
          let repeat = 0;
          for (const o of chosen) repeat = Math.max(repeat, overlap(o.terms, f.terms));
          xs.push([...(features[i] as number[]).map((x, k) => (free(k) ? x : 0)), repeat]);
          ys.push(gainOf([...chosen, f]) - base);
          f1s.push(own[i] as number);
          groups.push(e.group);
          articles.push(a * 4 + step);
        }
      }
      continue;
    }
    const mean = own.reduce((a, b) => a + b, 0) / Math.max(1, own.length);
    const inOracle = label === 'oracle' ? new Set(oracle(e)) : undefined;
    for (const [i, f] of e.facts.entries()) {
      xs.push((features[i] as number[]).map((x, k) => (free(k) ? x : 0)));
      const y = own[i] as number;
      f1s.push(y);
      ys.push(
        label === 'centered' ? y - mean : label === 'oracle' ? (inOracle?.has(f) ? 1 : 0) : y,
      );
      groups.push(e.group);
      articles.push(a);
    }
  }
  const perGroup = new Map<string, number>();
  for (const g of groups) perGroup.set(g, (perGroup.get(g) ?? 0) + 1);
  // Weights that give each set the units of the average set.
  const sampleWeights = balance
    ? groups.map((g) => xs.length / perGroup.size / (perGroup.get(g) ?? 1))
    : [];
  let fitted =
    fitter === 'pairs' ? ranking(xs, ys, articles, lambda) : ridge(xs, ys, lambda, sampleWeights);
  // Labels other than the units' own F1 live on another scale: bring the scores back to
  // the spread of that F1, the scale the selection settings below are stepped on.
  if (label !== 'f1' || fitter === 'pairs') fitted = rescaled(fitted, xs, f1s);
  // A ranking leaves the bias free (it cancels in every pair), and what a unit adds to
  // chosen ones is mostly nothing: put the scores' mean at the units' own F1's, for the bar
  // of a third unit.
  if (fitter === 'pairs' || greedy) {
    const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
    fitted[0] = (fitted[0] as number) + mean(f1s) - mean(xs.map((x) => dot(fitted, x)));
  }
  // The greedy labels' overlap weight is the selection's redundancy discount.
  const repeatWeight = greedy ? (fitted.pop() as number) : 0;
  let model: FittedModel = {
    weights: fitted.map(round),
    wordCost: 0.02,
    redundancy: greedy ? round(Math.max(0, -repeatWeight)) : 0.05,
    third: 0,
    // Where the ascent on halves of the tunable sets (--validate) settled: 0.2–0.3.
    coverage: 0.25,
    extra,
  };
  const start = model.weights;
  // Regularised: a weight pays for straying from the ridge fit, as ridge pays for size.
  const regularised = (m: FittedModel) => {
    let drift = 0;
    for (const [k, w] of m.weights.entries()) drift += (w - (start[k] ?? 0)) ** 2;
    return objective(examples, m, budget) - anchor * drift;
  };
  let best = regularised(model);
  log(`ridge fit: objective ${best.toFixed(4)}`);

  // 2. Coordinate ascent on the brief's own ROUGE-2, every weight and setting in turn.
  const settings = ['wordCost', 'redundancy', 'third', 'coverage'] as const;
  const steps = [0.5, 0.2, 0.1, 0.05, 0.02];
  for (const step of steps) {
    let improved = true;
    for (let pass = 0; improved && pass < 4; pass++) {
      improved = false;
      for (let k = 0; k < names.length + settings.length; k++) {
        // A frozen feature held out of the regression may still be tuned (`--tune`) from 0.
        if (k < names.length && !free(k) && !tuned.has(names[k] as string)) continue;
        if (k < names.length && mode === 'settings' && !tuned.has(names[k] as string)) continue;
        for (const sign of [1, -1]) {
          const candidate: FittedModel = { ...model, weights: [...model.weights] };
          if (k < names.length) {
            const scale = Math.max(0.05, Math.abs(model.weights[k] ?? 0));
            (candidate.weights as number[])[k] = round(
              (model.weights[k] ?? 0) + sign * step * scale,
            );
          } else {
            const key = settings[k - names.length] as (typeof settings)[number];
            candidate[key] = round(Math.max(0, model[key] + sign * step * 0.2));
          }
          const value = regularised(candidate);
          if (value > best + 1e-5) {
            best = value;
            model = candidate;
            improved = true;
          }
        }
      }
      log(`step ${step} pass ${pass}: objective ${best.toFixed(4)}`);
    }
  }
  return model;
}

/**
 * Reads the fitting options from the command line: `--anchor`, `--lambda`, `--budget`,
 * `--freeze a,b`, `--mode full|settings`, `--balance`.
 */
export function fitOptions(argv: readonly string[]): FitOptions {
  const value = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const number = (flag: string, fallback: number) => {
    const v = value(flag);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`${flag} needs a number, got "${v}"`);
    return n;
  };
  const features = (flag: string) => {
    const names = new Set((value(flag) ?? '').split(',').filter(Boolean));
    for (const name of names)
      if (!(FEATURES as readonly string[]).includes(name) && !extra.includes(name))
        throw new Error(
          `${flag}: no feature "${name}" (features: ${[...FEATURES, ...extra].join(', ')})`,
        );
    return names;
  };
  const extra = extraOf(value('--extra'));
  const frozen = features('--freeze');
  const mode = value('--mode') ?? DEFAULT_FIT.mode;
  if (mode !== 'full' && mode !== 'settings')
    throw new Error(`--mode is "full" or "settings", got "${mode}"`);
  return {
    frozen,
    anchor: number('--anchor', DEFAULT_FIT.anchor),
    lambda: number('--lambda', DEFAULT_FIT.lambda),
    budget: number('--budget', DEFAULT_FIT.budget),
    mode,
    tuned: features('--tune'),
    balance: argv.includes('--balance'),
    label: labelOf(value('--label') ?? DEFAULT_FIT.label),
    extra,
    fitter: fitterOf(value('--fitter') ?? DEFAULT_FIT.fitter),
    bag: number('--bag', DEFAULT_FIT.bag),
    log: (line) => console.log(line),
  };
}

function extraOf(value: string | undefined): string[] {
  const specs = (value ?? '').split(',').filter(Boolean);
  for (const spec of specs) checkExtra(spec);
  return specs;
}

function fitterOf(value: string): FitOptions['fitter'] {
  if (value !== 'ridge' && value !== 'pairs')
    throw new Error(`--fitter is "ridge" or "pairs", got "${value}"`);
  return value;
}

function labelOf(value: string): Label {
  const label = LABELS.find((l) => l === value);
  if (!label) throw new Error(`--label is one of ${LABELS.join(', ')}, got "${value}"`);
  return label;
}
