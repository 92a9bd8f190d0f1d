import type { Lexicon } from '../lexicon/index.js';
import type { AnnotatedDocument } from './conll.js';
import { transitionTable, viterbi } from './decode.js';
import {
  docLabelFeatures,
  FeatureExtractor,
  MAX_FEATURES,
  type WordInfo,
  type WordTables,
} from './features.js';
import { prng } from './hash.js';
import { LABEL_COUNT } from './labels.js';
import { buildWeightTable, type ModelMeta, type NerModel, roundTrip } from './model.js';

const L = LABEL_COUNT;

export interface TrainOptions {
  lang: string;
  lexicon: Lexicon;
  tables: WordTables;
  /** The feature hash has 2^bits buckets. */
  bits: number;
  epochs: number;
  seed: number;
  /** How much an error in a sentence of this source moves the weights in this epoch (0 skips it). */
  rate(source: string, epoch: number): number;
  /** Weights whose magnitude stays below this are dropped from the model. */
  prune: number;
  /**
   * A context feature (one that sentence() makes from a token's neighbours, which the tagger
   * looks up per token) seen at fewer than this many tokens of the training text gets no
   * weight at all (0 or 1: every feature learns). Rare word pairs are most of a model's
   * rows, and each row the tagger finds costs it a probe into a multi-MB table; the word
   * features, summed once per spelling at tag time, are never cut.
   */
  minCount?: number;
  /** Called after each epoch with the model as it would be saved then. */
  onEpoch?(epoch: number, model: NerModel): void;
  meta: Omit<ModelMeta, 'lang' | 'bits' | 'epochs' | 'seed'>;
}

/** The training set as flat arrays: the features of each token, computed once. */
interface Prepared {
  /** Feature buckets of every token, one after the other. */
  features: Int32Array;
  /** Token t's features are features[featureStart[t] .. featureStart[t + 1]). */
  featureStart: Int32Array;
  labels: Uint8Array;
  /** Sentence s is tokens sentenceStart[s] .. sentenceStart[s + 1]. */
  sentenceStart: Int32Array;
  sentenceSource: string[];
  /** Document d is sentences docStart[d] .. docStart[d + 1]. */
  docStart: Int32Array;
  /** Per token, its capitalised word's number for the document-label feature, or -1. */
  keyIds: Int32Array;
  keyCount: number;
}

function prepare(
  docs: readonly AnnotatedDocument[],
  extractor: FeatureExtractor,
  mask: number,
  minCount: number,
): Prepared {
  let tokenCount = 0;
  let sentenceCount = 0;
  for (const d of docs)
    for (const s of d.sentences) {
      tokenCount += s.tokens.length;
      sentenceCount++;
    }
  let features = new Int32Array(tokenCount * 48);
  const featureStart = new Int32Array(tokenCount + 1);
  const labels = new Uint8Array(tokenCount);
  const sentenceStart = new Int32Array(sentenceCount + 1);
  const sentenceSource: string[] = [];
  const docStart = new Int32Array(docs.length + 1);
  const keyIds = new Int32Array(tokenCount).fill(-1);
  const keyNumbers = new Map<string, number>();
  let scratch = new Int32Array(256 * MAX_FEATURES);
  let counts = new Int32Array(256);
  // With a minimum count: which features are context features (1), and how many tokens
  // each context bucket was seen at.
  const cutting = minCount > 1;
  let context = new Uint8Array(cutting ? tokenCount * 48 : 0);
  const seen = cutting ? new Uint32Array(mask + 1) : new Uint32Array(0);
  let initial = new Uint8Array(256);
  const wordScratch = new Int32Array(MAX_FEATURES);
  let t = 0;
  let f = 0;
  let s = 0;
  docs.forEach((doc, d) => {
    docStart[d] = s;
    const infos = doc.sentences.map((x) => extractor.infos(x.tokens));
    const facts = extractor.docFacts(infos);
    doc.sentences.forEach((sentence, index) => {
      const n = sentence.tokens.length;
      if (n > counts.length) {
        scratch = new Int32Array(n * MAX_FEATURES);
        counts = new Int32Array(n);
        initial = new Uint8Array(n);
      }
      const words = infos[index] as WordInfo[];
      extractor.sentence(sentence.tokens, words, facts, scratch, counts, false, initial);
      sentenceStart[s] = t;
      sentenceSource[s++] = doc.source;
      for (let i = 0; i < n; i++) {
        const c = counts[i] as number;
        if (f + c > features.length) {
          const grown = new Int32Array(Math.ceil(features.length * 1.5) + c);
          grown.set(features);
          features = grown;
          if (cutting) {
            const flags = new Uint8Array(grown.length);
            flags.set(context);
            context = flags;
          }
        }
        // sentence() writes a token's word and initial features first, then its context.
        const own = cutting ? wordFeatureCount(extractor, words, i, initial, wordScratch) : c;
        for (let k = 0; k < c; k++) {
          const bucket = (scratch[i * MAX_FEATURES + k] as number) & mask;
          if (k >= own) {
            context[f] = 1;
            seen[bucket] = (seen[bucket] as number) + 1;
          }
          features[f++] = bucket;
        }
        featureStart[t + 1] = f;
        const info = (infos[index] as WordInfo[])[i] as WordInfo;
        if (FeatureExtractor.named(info)) {
          let id = keyNumbers.get(info.key);
          if (id === undefined) {
            id = keyNumbers.size;
            keyNumbers.set(info.key, id);
          }
          keyIds[t] = id;
        }
        labels[t++] = sentence.labels[i] as number;
      }
    });
  });
  sentenceStart[s] = t;
  docStart[docs.length] = s;
  if (cutting) {
    // Drop the rare context features, in place, and move each token's start back.
    let to = 0;
    let from = 0;
    for (let token = 0; token < tokenCount; token++) {
      const end = featureStart[token + 1] as number;
      for (; from < end; from++) {
        const bucket = features[from] as number;
        if (context[from] === 1 && (seen[bucket] as number) < minCount) continue;
        features[to++] = bucket;
      }
      featureStart[token + 1] = to;
    }
    f = to;
  }
  return {
    features: features.subarray(0, f),
    featureStart,
    labels,
    sentenceStart,
    sentenceSource,
    docStart,
    keyIds,
    keyCount: keyNumbers.size,
  };
}

/** How many word and initial features sentence() writes first for token i (as the tagger caches them). */
function wordFeatureCount(
  extractor: FeatureExtractor,
  words: readonly WordInfo[],
  i: number,
  initial: Uint8Array,
  scratch: Int32Array,
): number {
  let k = 0;
  for (let d = -2; d <= 2; d++) k = extractor.wordFeatures(words[i + d], d, scratch, 0) + k;
  return extractor.initialFeatures(words[i] as WordInfo, initial[i] as number, scratch, 0) + k;
}

/**
 * Trains a structured averaged perceptron (first-order, Viterbi over BIO) on the
 * documents, deterministically for a seed: the document order of each epoch is a seeded
 * shuffle, and nothing else is random.
 *
 * Each document is learned in the two passes the tagger makes: first without the
 * document-label feature, then with the feature computed from the first pass's labels
 * (what the same word was labelled elsewhere in the document), so the model learns how
 * far to trust its own first reading.
 */
export function trainTagger(docs: readonly AnnotatedDocument[], options: TrainOptions): NerModel {
  const { lang, lexicon, tables, bits, epochs } = options;
  const features = options.meta.features ?? [];
  const extractor = new FeatureExtractor({ lang, lexicon, tables, features });
  const mask = 2 ** bits - 1;
  const data = prepare(docs, extractor, mask, options.minCount ?? 0);
  const size = (mask + 1) * L;
  const w = new Float32Array(size);
  // Averaging by the usual trick: u accumulates c × update, the average is w - u / c.
  const u = new Float32Array(size);
  const tw = new Float64Array(L * L + L);
  const tu = new Float64Array(L * L + L);
  const sentences = data.sentenceStart.length - 1;
  const tokens = data.labels.length;
  let longest = 1;
  for (let s = 0; s < sentences; s++)
    longest = Math.max(
      longest,
      (data.sentenceStart[s + 1] as number) - (data.sentenceStart[s] as number),
    );
  const scores = new Float32Array(longest * L);
  const best = new Float64Array(longest * L);
  const back = new Uint8Array(longest * L);
  const predicted = new Uint8Array(tokens);
  const labelFeature = new Int32Array(tokens);
  const counts = new Int32Array(data.keyCount * L);
  const transitions = { pairs: new Float32Array(L * L), start: new Float32Array(L) };
  const table = new Float64Array(L * L + L);
  const docCount = data.docStart.length - 1;
  const random = prng(options.seed);
  let c = 1;
  let model: NerModel | undefined;

  /** Decodes sentence s into `predicted` and, with a rate, learns from its errors. */
  const learn = (s: number, rate: number, withLabels: boolean) => {
    const first = data.sentenceStart[s] as number;
    const n = (data.sentenceStart[s + 1] as number) - first;
    for (let k = 0; k < L * L; k++) transitions.pairs[k] = tw[k] as number;
    for (let k = 0; k < L; k++) transitions.start[k] = tw[L * L + k] as number;
    transitionTable(transitions, table);
    for (let i = 0; i < n; i++) {
      const at = i * L;
      for (let l = 0; l < L; l++) scores[at + l] = 0;
      const end = data.featureStart[first + i + 1] as number;
      for (let k = data.featureStart[first + i] as number; k < end; k++) {
        const row = (data.features[k] as number) * L;
        for (let l = 0; l < L; l++)
          scores[at + l] = (scores[at + l] as number) + (w[row + l] as number);
      }
      const extra = withLabels ? (labelFeature[first + i] as number) : 0;
      if (extra !== 0) {
        const row = (extra & mask) * L;
        for (let l = 0; l < L; l++)
          scores[at + l] = (scores[at + l] as number) + (w[row + l] as number);
      }
    }
    const guessOut = predicted.subarray(first, first + n);
    viterbi(scores, n, table, guessOut, best, back);
    if (rate === 0) return;
    const move = (row: number, gold: number, guess: number) => {
      w[row + gold] = (w[row + gold] as number) + rate;
      u[row + gold] = (u[row + gold] as number) + c * rate;
      w[row + guess] = (w[row + guess] as number) - rate;
      u[row + guess] = (u[row + guess] as number) - c * rate;
    };
    for (let i = 0; i < n; i++) {
      const gold = data.labels[first + i] as number;
      const guess = guessOut[i] as number;
      if (gold !== guess) {
        const end = data.featureStart[first + i + 1] as number;
        for (let k = data.featureStart[first + i] as number; k < end; k++)
          move((data.features[k] as number) * L, gold, guess);
        const extra = withLabels ? (labelFeature[first + i] as number) : 0;
        if (extra !== 0) move((extra & mask) * L, gold, guess);
      }
      const goldPrev = i > 0 ? (data.labels[first + i - 1] as number) : -1;
      const guessPrev = i > 0 ? (guessOut[i - 1] as number) : -1;
      if (gold !== guess || goldPrev !== guessPrev) {
        const g = goldPrev < 0 ? L * L + gold : goldPrev * L + gold;
        const p = guessPrev < 0 ? L * L + guess : guessPrev * L + guess;
        tw[g] = (tw[g] as number) + rate;
        tu[g] = (tu[g] as number) + c * rate;
        tw[p] = (tw[p] as number) - rate;
        tu[p] = (tu[p] as number) - c * rate;
      }
    }
    c++;
  };

  const sentenceOrder = Int32Array.from({ length: sentences }, (_, i) => i);
  const shuffle = (list: Int32Array, n: number) => {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const tmp = list[i] as number;
      list[i] = list[j] as number;
      list[j] = tmp;
    }
  };
  const labelled = new Int32Array(sentences);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const rates = new Map<string, number>();
    const rateOf = (s: number) => {
      const source = data.sentenceSource[s] as string;
      let rate = rates.get(source);
      if (rate === undefined) {
        rate = options.rate(source, epoch);
        rates.set(source, rate);
      }
      return rate;
    };
    // Sentences in a seeded random order: updates from one document in a row learn worse.
    shuffle(sentenceOrder, sentences);
    for (const s of sentenceOrder) {
      const rate = rateOf(s);
      if (rate > 0) learn(s, rate, false);
    }
    // The second pass: each document read as the tagger reads it, then the sentences whose
    // words got a document label are learned again with it, in random order.
    let count = 0;
    for (let d = 0; d < docCount; d++) {
      const firstSentence = data.docStart[d] as number;
      const lastSentence = data.docStart[d + 1] as number;
      if (rateOf(firstSentence) <= 0) continue;
      for (let s = firstSentence; s < lastSentence; s++) learn(s, 0, false);
      const from = data.sentenceStart[firstSentence] as number;
      const to = data.sentenceStart[lastSentence] as number;
      if (!docLabelFeatures(data.keyIds, predicted, from, to, counts, labelFeature)) continue;
      for (let s = firstSentence; s < lastSentence; s++) {
        const end = data.sentenceStart[s + 1] as number;
        for (let t = data.sentenceStart[s] as number; t < end; t++)
          if (labelFeature[t] !== 0) {
            labelled[count++] = s;
            break;
          }
      }
    }
    shuffle(labelled, count);
    for (let k = 0; k < count; k++) {
      const s = labelled[k] as number;
      learn(s, rateOf(s), true);
    }
    if (options.onEpoch || epoch === epochs) {
      model = finish(w, u, tw, tu, c, options, epoch);
      options.onEpoch?.(epoch, model);
    }
  }
  return model as NerModel;
}

/** The averaged weights, pruned and quantised as the file will hold them. */
function finish(
  w: Float32Array,
  u: Float32Array,
  tw: Float64Array,
  tu: Float64Array,
  c: number,
  options: TrainOptions,
  epoch: number,
): NerModel {
  const buckets: number[] = [];
  const rows: number[] = [];
  const row = new Float64Array(L);
  let max = 0;
  const rowCount = w.length / L;
  for (let b = 0; b < rowCount; b++) {
    let keep = false;
    for (let l = 0; l < L; l++) {
      const x = (w[b * L + l] as number) - (u[b * L + l] as number) / c;
      row[l] = x;
      if (Math.abs(x) >= options.prune) keep = true;
    }
    if (!keep) continue;
    buckets.push(b);
    for (let l = 0; l < L; l++) {
      const x = row[l] as number;
      rows.push(x);
      max = Math.max(max, Math.abs(x));
    }
  }
  const scale = max > 0 ? Math.sqrt(max) / 127 : 1;
  for (let k = 0; k < rows.length; k++) rows[k] = roundTrip(rows[k] as number, scale);
  const pairs = new Float32Array(L * L);
  const start = new Float32Array(L);
  for (let k = 0; k < L * L; k++) pairs[k] = (tw[k] as number) - (tu[k] as number) / c;
  for (let k = 0; k < L; k++) start[k] = (tw[L * L + k] as number) - (tu[L * L + k] as number) / c;
  return {
    meta: {
      ...options.meta,
      lang: options.lang,
      bits: options.bits,
      epochs: epoch,
      seed: options.seed,
    },
    tables: options.tables,
    weights: buildWeightTable(buckets, rows),
    transitions: { pairs, start },
  };
}
