import type { Lexicon } from '../lexicon/index.js';
import {
  labelConfidence,
  type PairWeights,
  pairWeights,
  transitionTable,
  viterbi,
} from './decode.js';
import {
  type DocFacts,
  docLabelFeatures,
  FeatureExtractor,
  initialFlags,
  MAX_FEATURES,
  type WordInfo,
} from './features.js';
import { LABEL_COUNT, O, type Span } from './labels.js';
import { type NerModel, PRESENCE_MASK, rowOf, SLOT } from './model.js';

const L = LABEL_COUNT;
// #score keeps one local per label: seven (O, then B and I of PER, LOC, ORG).
if (L !== 7) throw new Error(`the tagger's scorer is written for 7 labels, not ${L}`);
/** Rows of a spelling's cached scores: offsets -2..2, then "not initial" and "initial". */
const ROWS = 7;
const MAX_CACHE = 100_000;
/**
 * The perceptron's scores are large and not probabilities: at their own scale nearly every
 * span gets a mass of 1. Dividing by 3 spreads them so that, on the NER dev sets, spans
 * under 0.9 are right 38–47 % of the time against 85 % for the rest (bench/ner-confidence.ts).
 */
const CONFIDENCE_TEMPERATURE = 3;
const NO_CONFIDENCE = new Float32Array(0);
/**
 * How far above every other label a token's word features must put O for #score to skip
 * its context features (with no capitalised word at or beside it). Chosen on the dev sets
 * (`npm run train -- --eval-only --context-margin X`): from 0 to 40 no language's overall
 * or news-domain F1 moved by more than 0.2, while the share of dev tokens decided fell
 * from 49 % to 30 %; 10 decides 46 % and leaves room both ways.
 */
export const CONTEXT_MARGIN = 10;

/**
 * Tags documents with a loaded model: sentences of tokens in, BIO label indices out.
 *
 * Most features depend on one word only (its form, affixes, shape, word lists, seen from
 * each neighbouring position): their weights are summed once per spelling and cached, so
 * a token costs a few cached rows plus its context features. One tagger per model; it
 * keeps scratch buffers, so it is not shared between concurrent callers (there are none
 * in one Node thread).
 */
export class NerTagger {
  readonly model: NerModel;
  readonly #extractor: FeatureExtractor;
  readonly #mask: number;
  readonly #margin: number;
  /**
   * Each spelling met, by its number: its analysis is #infos[number], and the summed
   * weights of its word-level features, computed once, are ROWS × L floats at
   * (number + 1) × ROWS × L in #arena. A number, not an object holding both: a token's
   * lookup then ends in the map's entry instead of reading one more object scattered over
   * the heap (a cache miss per token on a stream, where the map is megabytes).
   */
  readonly #numbers = new Map<string, number>();
  #infos: WordInfo[] = [];
  /** The padding rows beyond a sentence first, then each spelling's rows by its number. */
  #arena = new Float32Array(1024 * ROWS * L);
  readonly #transitions: Float64Array;
  readonly #pairWeights: PairWeights;
  #features = new Int32Array(64 * MAX_FEATURES);
  #counts = new Int32Array(64);
  /**
   * The buckets #present finds, then their rows (#probe), for #score and #sumRows; where
   * each token's (or row's) run of them ends is in #foundEnd.
   */
  #found = new Int32Array(64 * MAX_FEATURES);
  #foundEnd = new Int32Array(64);
  #initial = new Uint8Array(64);
  /** 1 for the tokens #score decides on their word features alone (see there). */
  #decided = new Uint8Array(64);
  #docScores = new Float32Array(1024 * L);
  // A document's word numbers and second-pass features: scratch kept between documents,
  // since a typed array of more than a few dozen bytes is allocated outside the heap
  // (~0.5–1 µs each, then swept), which several per sentence added up to.
  /** Where each token's rows start in #arena, for the document being tagged. */
  #rowAt = new Int32Array(1024);
  #keyIds = new Int32Array(1024);
  #extra = new Int32Array(1024);
  #counts2 = new Int32Array(1024);
  /** Where each of a spelling's rows ends in #features, for #sumRows. */
  #rowEnds = new Int32Array(ROWS);
  #best = new Float64Array(64 * L);
  #back = new Uint8Array(64 * L);
  #emit = new Float64Array(64 * L);
  #alpha = new Float64Array(64 * L);
  #beta = new Float64Array(64 * L);

  /**
   * `contextMargin`: CONTEXT_MARGIN unless given; Infinity reads every token's context (the
   * model exactly as trained), for comparing the cascade with the full reading.
   */
  constructor(model: NerModel, lexicon: Lexicon, options: { contextMargin?: number } = {}) {
    this.model = model;
    this.#margin = options.contextMargin ?? CONTEXT_MARGIN;
    this.#extractor = new FeatureExtractor({
      lang: model.meta.lang,
      lexicon,
      tables: model.tables,
      features: model.meta.features ?? [],
    });
    this.#mask = 2 ** model.meta.bits - 1;
    this.#transitions = transitionTable(model.transitions);
    this.#pairWeights = pairWeights(this.#transitions, CONFIDENCE_TEMPERATURE);
    this.#fillPadding();
  }

  /**
   * Labels for each sentence of one document (its sentences share context). Two passes:
   * the second adds what the first said about the same word elsewhere in the document,
   * and decodes again only the sentences where that changes something.
   */
  tagDocument(sentences: readonly (readonly string[])[]): Uint8Array[] {
    return this.#tag(sentences).labels;
  }

  /**
   * As tagDocument, with each token's confidence in its label: the share of the mass of
   * all label sequences (forward-backward over the final scores) that gives it that label.
   * A sentence without an entity has none (null): no span there to be sure of, and
   * forward-backward is the dearest step of tagging.
   */
  tagDocumentScored(sentences: readonly (readonly string[])[]): {
    labels: Uint8Array[];
    confidence: (Float32Array | null)[];
  } {
    const { labels, confidence } = this.tagDocumentLazily(sentences);
    return { labels, confidence: labels.map((_, s) => confidence.of(s)) };
  }

  /**
   * As tagDocumentScored, with each sentence's confidence computed when first asked for:
   * callers read it for the spans whose confidence decides something, not for every
   * sentence with a name. The same figures as tagDocumentScored, to the last bit.
   */
  tagDocumentLazily(sentences: readonly (readonly string[])[]): {
    labels: Uint8Array[];
    confidence: SentenceConfidence;
    /** Each token's analysis, by sentence: its folded key and lexicon forms among them. */
    words: readonly (readonly WordInfo[])[];
  } {
    const { labels, scores, sure, infos } = this.#tag(sentences, true);
    return {
      labels,
      words: infos,
      confidence: new SentenceConfidence(labels, sure, (at, sentence, into, tokens) =>
        this.#confidence(scores, at, sentence, into, tokens),
      ),
    };
  }

  /**
   * With `scored`, the scores are kept for the lazy confidence, beside room for it (`sure`,
   * one per token); without, they are the tagger's scratch, which the next document
   * overwrites.
   */
  #tag(
    sentences: readonly (readonly string[])[],
    scored = false,
  ): {
    labels: Uint8Array[];
    scores: Float32Array;
    sure: Float32Array;
    infos: WordInfo[][];
  } {
    this.#trimCache();
    let total = 0;
    for (const tokens of sentences) total += tokens.length;
    if (this.#rowAt.length < total) {
      this.#rowAt = new Int32Array(total * 2);
      this.#keyIds = new Int32Array(total * 2);
      this.#extra = new Int32Array(total * 2);
    }
    // Each token's analysis and where its cached rows are in the arena, listed once for
    // both passes.
    const rowAt = this.#rowAt;
    const infos: WordInfo[][] = [];
    let t = 0;
    const known = this.#infos;
    for (const tokens of sentences) {
      const is: WordInfo[] = [];
      for (const token of tokens) {
        const number = this.#numbers.get(token) ?? this.#add(token);
        rowAt[t++] = (number + 1) * ROWS * L;
        is.push(known[number] as WordInfo);
      }
      infos.push(is);
    }
    const facts = this.#extractor.docFacts(infos);
    // What the caller keeps, in one allocation (each typed array of more than 64 bytes is
    // one outside the heap, a few µs to make and sweep): with `scored`, the scores and the
    // confidences; the labels always, decoded in place.
    const kept = scored ? total * (L + 1) * 4 : 0;
    const buffer = new ArrayBuffer(kept + total);
    let scores: Float32Array;
    if (scored) scores = new Float32Array(buffer, 0, total * L);
    else {
      if (this.#docScores.length < total * L) this.#docScores = new Float32Array(total * L);
      scores = this.#docScores;
    }
    const sure = scored ? new Float32Array(buffer, total * L * 4, total) : NO_CONFIDENCE;
    const labels = new Uint8Array(buffer, kept, total);
    const keyIds = this.#keyIds;
    let keyCount = 0;
    let at = 0;
    sentences.forEach((tokens, s) => {
      const is = infos[s] as WordInfo[];
      const n = tokens.length;
      // One view of the sentence's scores for both steps: each view is an object to sweep.
      const own = scores.subarray(at * L, (at + n) * L);
      this.#score(tokens, rowAt, at, is, facts, own);
      this.#decode(own, n, labels.subarray(at, at + n));
      for (let i = 0; i < n; i++) {
        const info = is[i] as WordInfo;
        let id = -1;
        if (FeatureExtractor.named(info)) {
          const record = info.record;
          if (record.labelDoc !== facts.id) {
            record.labelDoc = facts.id;
            record.labelId = keyCount++;
          }
          id = record.labelId;
        }
        keyIds[at + i] = id;
      }
      at += n;
    });
    if (this.#counts2.length < keyCount * L) this.#counts2 = new Int32Array(keyCount * L);
    const extra = this.#extra;
    if (docLabelFeatures(keyIds, labels, 0, total, this.#counts2, extra)) {
      at = 0;
      for (const tokens of sentences) {
        const n = tokens.length;
        let changed = false;
        for (let t = at; t < at + n; t++) {
          const feature = extra[t] as number;
          if (feature === 0) continue;
          this.#sum(extra, t, t + 1, scores, t * L);
          changed = true;
        }
        if (changed)
          this.#decode(scores.subarray(at * L, (at + n) * L), n, labels.subarray(at, at + n));
        at += n;
      }
    }
    // The caller's labels: one array for the document, a view of it per sentence.
    at = 0;
    const out: Uint8Array[] = [];
    for (const tokens of sentences) {
      const n = tokens.length;
      out.push(labels.subarray(at, at + n));
      at += n;
    }
    return { labels: out, scores, sure, infos };
  }

  /**
   * Each token's share of the mass (forward-backward) for its label, in one sentence whose
   * scores start at `at` (× L), into `sure`: every token's, or with 'spans' those a span's
   * confidence reads (labelConfidence).
   */
  #confidence(
    scores: Float32Array,
    at: number,
    own: Uint8Array,
    sure: Float32Array,
    tokens: 'all' | 'spans',
  ): void {
    const n = own.length;
    if (this.#emit.length < n * L) {
      this.#emit = new Float64Array(n * L * 2);
      this.#alpha = new Float64Array(n * L * 2);
      this.#beta = new Float64Array(n * L * 2);
    }
    labelConfidence(
      scores.subarray(at * L, (at + n) * L),
      n,
      this.#transitions,
      own,
      sure,
      this.#alpha,
      this.#beta,
      this.#emit,
      CONFIDENCE_TEMPERATURE,
      this.#pairWeights,
      tokens,
    );
  }

  #fillPadding(): void {
    const buffer = this.#features;
    const ends = this.#rowEnds;
    let k = 0;
    for (let d = -2; d <= 2; d++) {
      k = this.#extractor.wordFeatures(undefined, d, buffer, k);
      ends[d + 2] = k;
    }
    this.#sumRows(buffer, ends, 5, this.#arena, 0);
  }

  /** Numbers a spelling met for the first time: its analysis and its rows. */
  #add(text: string): number {
    // The words of the document being tagged keep their rows; between documents the
    // spellings are dropped once there are MAX_CACHE, so memory stays bounded.
    const number = this.#infos.length;
    const at = (number + 1) * ROWS * L;
    if (at + ROWS * L > this.#arena.length) {
      const grown = new Float32Array(this.#arena.length * 2);
      grown.set(this.#arena.subarray(0, at));
      this.#arena = grown;
    }
    const info = this.#extractor.analyse(text);
    // The seven rows' features one after the other, then their weights in one pass.
    const buffer = this.#features;
    const ends = this.#rowEnds;
    let k = 0;
    for (let d = -2; d <= 2; d++) {
      k = this.#extractor.wordFeatures(info, d, buffer, k);
      ends[d + 2] = k;
    }
    for (let initial = 0; initial <= 1; initial++) {
      k = this.#extractor.initialFeatures(info, initial, buffer, k);
      ends[5 + initial] = k;
    }
    this.#sumRows(buffer, ends, ROWS, this.#arena, at);
    this.#infos.push(info);
    this.#numbers.set(text, number);
    return number;
  }

  /**
   * Rows of summed weights into `target` from `at` (rows × L, all zero before): row j holds
   * the weights of features[ends[j-1]..ends[j]). A spelling met for the first time costs
   * these ~40 lookups, so they are found as #score finds its own (#present, #probe) and
   * summed as it sums them: the label sums in locals, each add rounded to float32 as a
   * store into the row would round it.
   */
  #sumRows(
    features: Int32Array,
    ends: Int32Array,
    rows: number,
    target: Float32Array,
    at: number,
  ): void {
    const found = this.#found;
    const foundEnd = this.#foundEnd;
    let m = 0;
    for (let row = 0, k = 0; row < rows; row++) {
      m = this.#present(features, k, ends[row] as number, found, m);
      foundEnd[row] = m;
      k = ends[row] as number;
    }
    this.#probe(found, m);
    for (let row = 0, j = 0; row < rows; row++) {
      const end = foundEnd[row] as number;
      this.#addRows(found, j, end, target, at + row * L);
      j = end;
    }
  }

  /**
   * Adds the weights of the rows found[j..end) (#probe's; -1 for none) to the L sums at
   * target[at..]: the sums in locals, each add rounded to float32 as a store into `target`
   * would round it, so the figures are those of adding row by row into it.
   */
  #addRows(found: Int32Array, j: number, end: number, target: Float32Array, at: number): void {
    const { codes, levels } = this.model.weights;
    let s0 = target[at] as number;
    let s1 = target[at + 1] as number;
    let s2 = target[at + 2] as number;
    let s3 = target[at + 3] as number;
    let s4 = target[at + 4] as number;
    let s5 = target[at + 5] as number;
    let s6 = target[at + 6] as number;
    for (; j < end; j++) {
      const r = found[j] as number;
      if (r < 0) continue;
      s0 = Math.fround(s0 + (levels[codes[r] as number] as number));
      s1 = Math.fround(s1 + (levels[codes[r + 1] as number] as number));
      s2 = Math.fround(s2 + (levels[codes[r + 2] as number] as number));
      s3 = Math.fround(s3 + (levels[codes[r + 3] as number] as number));
      s4 = Math.fround(s4 + (levels[codes[r + 4] as number] as number));
      s5 = Math.fround(s5 + (levels[codes[r + 5] as number] as number));
      s6 = Math.fround(s6 + (levels[codes[r + 6] as number] as number));
    }
    target[at] = s0;
    target[at + 1] = s1;
    target[at + 2] = s2;
    target[at + 3] = s3;
    target[at + 4] = s4;
    target[at + 5] = s5;
    target[at + 6] = s6;
  }

  /**
   * Appends to found[m..] the buckets of features[from..to) whose presence bit is set, in
   * order, and returns the new end. No branch on the bit, which goes either way: each
   * bucket is written, and the next overwrites it when the bit is clear. The bits are
   * cache misses more often than not (see #score).
   */
  #present(features: Int32Array, from: number, to: number, found: Int32Array, m: number): number {
    const present = this.model.weights.present;
    const mask = this.#mask;
    for (let k = from; k < to; k++) {
      const bucket = (features[k] as number) & mask;
      const bit = bucket & PRESENCE_MASK;
      found[m] = bucket;
      m += ((present[bit >>> 5] as number) >>> (bit & 31)) & 1;
    }
    return m;
  }

  /** Replaces found[0..m)'s buckets by their rows in the weight table (rowOf's), -1 for none. */
  #probe(found: Int32Array, m: number): void {
    const { keys, slots, home } = this.model.weights;
    const ints = SLOT >> 2;
    for (let j = 0; j < m; j++) {
      const bucket = found[j] as number;
      const key = bucket + 1;
      let slot = Math.floor(bucket * home);
      let r = -1;
      for (;;) {
        const stored = keys[slot * ints] as number;
        if (stored === key) {
          r = slot * SLOT + 4;
          break;
        }
        if (stored === 0) break;
        slot = slot + 1 === slots ? 0 : slot + 1;
      }
      found[j] = r;
    }
  }

  /** Drops every cached spelling once there are too many, before a document starts. */
  #trimCache(): void {
    if (this.#infos.length < MAX_CACHE) return;
    this.#numbers.clear();
    this.#infos = [];
    this.#extractor.forget();
    this.#arena = new Float32Array(1024 * ROWS * L);
    this.#fillPadding();
  }

  /** Adds the weights of features[from..to) to target[at..at+L). */
  #sum(features: Int32Array, from: number, to: number, target: Float32Array, at: number): void {
    const table = this.model.weights;
    const { codes, levels } = table;
    const mask = this.#mask;
    for (let k = from; k < to; k++) {
      const r = rowOf(table, (features[k] as number) & mask);
      if (r < 0) continue;
      for (let l = 0; l < L; l++)
        target[at + l] = (target[at + l] as number) + (levels[codes[r + l] as number] as number);
    }
  }

  /**
   * Emission scores of one sentence's tokens, into `scores` (n × L); the arena offsets of
   * their cached rows are rowAt[from..from+n).
   *
   * A cascade: each token's word features (its cached rows and its neighbours') are summed
   * first. A token whose word features alone put O more than the margin (CONTEXT_MARGIN)
   * above every other label, with no capitalised word at or beside it, keeps that score:
   * its context features are neither made nor looked up. That is 40-50 % of the tokens of
   * news text; on the dev sets it moves no language's F1 by more than 0.2 (CONTEXT_MARGIN).
   * The others get their context features' weights added to the same sums as without the
   * cascade, to the last bit.
   */
  #score(
    tokens: readonly string[],
    rowAt: Int32Array,
    from: number,
    infos: readonly WordInfo[],
    facts: DocFacts,
    scores: Float32Array,
  ): void {
    const n = tokens.length;
    if (n === 0) return;
    this.#reserve(n);
    const features = this.#features;
    const counts = this.#counts;
    const initial = this.#initial;
    const decided = this.#decided;
    initialFlags(infos, initial);
    const arena = this.#arena;
    let namedBefore = false;
    let namedHere = FeatureExtractor.named(infos[0] as WordInfo);
    for (let i = 0; i < n; i++) {
      const at = i * L;
      const namedNext = i + 1 < n && FeatureExtractor.named(infos[i + 1] as WordInfo);
      // Rows: token i-2 seen from offset -2, ..., token i+2 from +2 (the padding rows at
      // the arena's start beyond the sentence), then the token's own (non-)initial row.
      const t = from + i;
      const r0 = i >= 2 ? (rowAt[t - 2] as number) : 0;
      const r1 = (i >= 1 ? (rowAt[t - 1] as number) : 0) + L;
      const own = rowAt[t] as number;
      const r2 = own + 2 * L;
      const r3 = (i + 1 < n ? (rowAt[t + 1] as number) : 0) + 3 * L;
      const r4 = (i + 2 < n ? (rowAt[t + 2] as number) : 0) + 4 * L;
      const r5 = own + (5 + (initial[i] as number)) * L;
      // Each sum rounded to float32 as a Float32Array store rounds it: the context
      // features' weights are then added to exactly what summing into `scores` gave.
      let best = Number.NEGATIVE_INFINITY;
      for (let l = 0; l < L; l++) {
        const s = Math.fround(
          (arena[r0 + l] as number) +
            (arena[r1 + l] as number) +
            (arena[r2 + l] as number) +
            (arena[r3 + l] as number) +
            (arena[r4 + l] as number) +
            (arena[r5 + l] as number),
        );
        scores[at + l] = s;
        if (l !== O && s > best) best = s;
      }
      decided[i] =
        !namedBefore && !namedHere && !namedNext && (scores[at + O] as number) - best > this.#margin
          ? 1
          : 0;
      namedBefore = namedHere;
      namedHere = namedNext;
    }
    this.#extractor.sentence(tokens, infos, facts, features, counts, true, initial, decided);
    // The context features' rows are found for the whole sentence first, in two tight
    // loops, then summed token by token in the features' order (the same sums to the last
    // bit). Most of this time is waiting on memory: a bucket's presence bit, then its
    // slot in the table, each a likely cache miss. Looked up one feature at a time between
    // the sums, behind a branch on the presence bit that goes either way, only a few of
    // those loads were in flight at once; in loops that do nothing else, many are.
    const found = this.#found;
    const foundEnd = this.#foundEnd;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const base = i * MAX_FEATURES;
      m = this.#present(features, base, base + (counts[i] as number), found, m);
      foundEnd[i] = m;
    }
    this.#probe(found, m);
    // The context features' rows, in order, added to each token's word-feature sums; a
    // token the cascade decided has none.
    for (let i = 0, j = 0; i < n; i++) {
      const end = foundEnd[i] as number;
      if (j === end) continue;
      this.#addRows(found, j, end, scores, i * L);
      j = end;
    }
  }

  #decode(scores: Float32Array, n: number, out: Uint8Array): void {
    if (n === 0) return;
    this.#reserve(n);
    viterbi(scores, n, this.#transitions, out, this.#best, this.#back);
  }

  #reserve(n: number): void {
    if (this.#counts.length >= n) return;
    let size = this.#counts.length;
    while (size < n) size *= 2;
    this.#features = new Int32Array(size * MAX_FEATURES);
    this.#counts = new Int32Array(size);
    this.#found = new Int32Array(size * MAX_FEATURES);
    this.#foundEnd = new Int32Array(size);
    this.#initial = new Uint8Array(size);
    this.#decided = new Uint8Array(size);
    this.#best = new Float64Array(size * L);
    this.#back = new Uint8Array(size * L);
  }
}

/**
 * A tagged document's confidences, per sentence, computed on first read: each token's
 * share of the mass of all label sequences that gives it its label. A sentence without an
 * entity has none (null): no span there to be sure of.
 */
export class SentenceConfidence {
  readonly #labels: readonly Uint8Array[];
  /** Fills `sure` for the sentence whose tokens start at `at` in the document. */
  readonly #compute: (
    at: number,
    own: Uint8Array,
    sure: Float32Array,
    tokens: 'all' | 'spans',
  ) => void;
  /** Where each sentence's tokens start in the document. */
  readonly #starts: number[];
  readonly #sure: Float32Array;
  /** Per sentence: undefined until read. */
  readonly #read: (Float32Array | null | undefined)[];
  /**
   * Per sentence: whether the confidences its spans read are in #sure, for `span`: those
   * alone take less of forward-backward than every token's (labelConfidence's 'spans').
   */
  readonly #spansRead: boolean[];

  constructor(
    labels: readonly Uint8Array[],
    /** Room for every token's confidence, in the order of the labels' tokens. */
    sure: Float32Array,
    compute: (at: number, own: Uint8Array, sure: Float32Array, tokens: 'all' | 'spans') => void,
  ) {
    this.#labels = labels;
    this.#compute = compute;
    this.#starts = [];
    let at = 0;
    for (const own of labels) {
      this.#starts.push(at);
      at += own.length;
    }
    if (sure.length !== at)
      throw new RangeError(`room for ${sure.length} confidences, not the ${at} tokens`);
    this.#sure = sure;
    this.#read = new Array(labels.length);
    this.#spansRead = new Array(labels.length).fill(false);
  }

  /** Sentence s's confidences, or null if it has no entity. */
  of(s: number): Float32Array | null {
    const read = this.#read[s];
    if (read !== undefined) return read;
    const own = this.#own(s);
    let sure: Float32Array | null = null;
    if (own.some((l) => l !== O)) {
      const at = this.#starts[s] as number;
      sure = this.#sure.subarray(at, at + own.length);
      this.#compute(at, own, sure, 'all');
      this.#spansRead[s] = true;
    }
    this.#read[s] = sure;
    return sure;
  }

  /**
   * How sure the model is of a span of sentence s (one of spansOf its labels): the smallest
   * confidence of the span's labels and of the label that closes it, the token after it.
   */
  span(s: number, span: Span): number {
    const own = this.#own(s);
    const at = this.#starts[s] as number;
    if (!this.#spansRead[s]) {
      this.#compute(at, own, this.#sure.subarray(at, at + own.length), 'spans');
      this.#spansRead[s] = true;
    }
    const sure = this.#sure;
    let score = 1;
    const end = at + Math.min(span.last + 1, own.length);
    for (let k = at + span.first; k < end; k++) score = Math.min(score, sure[k] as number);
    return score;
  }

  #own(s: number): Uint8Array {
    const own = this.#labels[s];
    if (own === undefined) throw new RangeError(`no sentence ${s} of ${this.#labels.length}`);
    return own;
  }
}
