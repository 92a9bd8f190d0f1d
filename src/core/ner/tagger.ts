import type { Lexicon } from '../lexicon/index.js';
import { transitionTable, viterbi } from './decode.js';
import { type DocFacts, FeatureExtractor, MAX_FEATURES, type WordInfo } from './features.js';
import { LABEL_COUNT } from './labels.js';
import { type NerModel, rowOf } from './model.js';

const L = LABEL_COUNT;
/** Rows of a spelling's cached scores: offsets -2..2, then "not initial" and "initial". */
const ROWS = 7;
const MAX_CACHE = 100_000;

/** A spelling with the summed weights of its word-level features, computed once. */
interface CachedWord {
  info: WordInfo;
  scores: Float32Array;
}

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
  readonly #cache = new Map<string, CachedWord>();
  readonly #pad: Float32Array;
  readonly #transitions: Float64Array;
  #features = new Int32Array(64 * MAX_FEATURES);
  #counts = new Int32Array(64);
  #initial = new Uint8Array(64);
  #scores = new Float32Array(64 * L);
  #best = new Float64Array(64 * L);
  #back = new Uint8Array(64 * L);

  constructor(model: NerModel, lexicon: Lexicon) {
    this.model = model;
    this.#extractor = new FeatureExtractor({
      lang: model.meta.lang,
      lexicon,
      tables: model.tables,
    });
    this.#mask = 2 ** model.meta.bits - 1;
    this.#transitions = transitionTable(model.transitions);
    this.#pad = new Float32Array(5 * L);
    for (let d = -2; d <= 2; d++) {
      const k = this.#extractor.wordFeatures(undefined, d, this.#features, 0);
      this.#sum(this.#features, 0, k, this.#pad, (d + 2) * L);
    }
  }

  /** Labels for each sentence of one document (its sentences share context). */
  tagDocument(sentences: readonly (readonly string[])[]): Uint8Array[] {
    const words = sentences.map((tokens) => tokens.map((t) => this.#word(t)));
    const facts = this.#extractor.docFacts(words.map((ws) => ws.map((w) => w.info)));
    const seen = new Map<string, number>();
    return sentences.map((tokens, s) => {
      const out = new Uint8Array(tokens.length);
      this.#tagSentence(tokens, words[s] as CachedWord[], facts, seen, out);
      return out;
    });
  }

  #word(text: string): CachedWord {
    let word = this.#cache.get(text);
    if (word) return word;
    // Bounded: a hostile feed of random strings cannot grow it without limit.
    if (this.#cache.size >= MAX_CACHE) this.#cache.clear();
    const info = this.#extractor.info(text);
    const scores = new Float32Array(ROWS * L);
    const buffer = this.#features;
    for (let d = -2; d <= 2; d++) {
      const k = this.#extractor.wordFeatures(info, d, buffer, 0);
      this.#sum(buffer, 0, k, scores, (d + 2) * L);
    }
    for (let initial = 0; initial <= 1; initial++) {
      const k = this.#extractor.initialFeatures(info, initial, buffer, 0);
      this.#sum(buffer, 0, k, scores, (5 + initial) * L);
    }
    word = { info, scores };
    this.#cache.set(text, word);
    return word;
  }

  /** Adds the weights of features[from..to) to target[at..at+L). */
  #sum(features: Int32Array, from: number, to: number, target: Float32Array, at: number): void {
    const table = this.model.weights;
    const { data } = table;
    const mask = this.#mask;
    for (let k = from; k < to; k++) {
      const r = rowOf(table, (features[k] as number) & mask);
      if (r < 0) continue;
      for (let l = 0; l < L; l++)
        target[at + l] = (target[at + l] as number) + (data[r + l] as number);
    }
  }

  #tagSentence(
    tokens: readonly string[],
    words: readonly CachedWord[],
    facts: DocFacts,
    seen: Map<string, number>,
    out: Uint8Array,
  ): void {
    const n = tokens.length;
    if (n === 0) return;
    this.#reserve(n);
    const features = this.#features;
    const counts = this.#counts;
    const scores = this.#scores;
    const initial = this.#initial;
    const infos = words.map((w) => w.info);
    this.#extractor.sentence(tokens, infos, facts, seen, features, counts, true, initial);
    const pad = this.#pad;
    for (let i = 0; i < n; i++) {
      const at = i * L;
      scores.fill(0, at, at + L);
      for (let d = -2; d <= 2; d++) {
        const j = i + d;
        const source = j >= 0 && j < n ? (words[j] as CachedWord).scores : pad;
        const from = (d + 2) * L;
        for (let l = 0; l < L; l++)
          scores[at + l] = (scores[at + l] as number) + (source[from + l] as number);
      }
      const own = (words[i] as CachedWord).scores;
      const row = (5 + (initial[i] as number)) * L;
      for (let l = 0; l < L; l++)
        scores[at + l] = (scores[at + l] as number) + (own[row + l] as number);
      const base = i * MAX_FEATURES;
      this.#sum(features, base, base + (counts[i] as number), scores, at);
    }
    viterbi(scores, n, this.#transitions, out, this.#best, this.#back);
  }

  #reserve(n: number): void {
    if (this.#counts.length >= n) return;
    let size = this.#counts.length;
    while (size < n) size *= 2;
    this.#features = new Int32Array(size * MAX_FEATURES);
    this.#counts = new Int32Array(size);
    this.#initial = new Uint8Array(size);
    this.#scores = new Float32Array(size * L);
    this.#best = new Float64Array(size * L);
    this.#back = new Uint8Array(size * L);
  }
}
