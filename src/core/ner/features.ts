import type { LexForm, Lexicon, WordSets } from '../lexicon/index.js';
import { fold } from '../text/fold.js';
import { SENTENCE_OPENERS } from '../text/tokens.js';
import { HASH_START, hashEnd, hashRange, hashString, hashUnit, mix } from './hash.js';
import type { KeyTable } from './int-table.js';

/**
 * Feature extraction, shared by training and tagging so both see the same features.
 *
 * Every distinct spelling is analysed once (hashes of its forms, affixes, shape, lexicon
 * word lists, casing statistics, cluster) and cached; a token's features then combine
 * those integers with a template id. Nothing builds a string per feature.
 */

/** Word-level tables learned from the training text and shipped inside the model. */
export interface WordTables {
  /**
   * How often a word is written in lower case, by the hash of its folded form: a small
   * code (ratio band × frequency band), 0 when unknown. German capitalises every noun,
   * so this tells "Regierung" (a noun) from "Merkel" (a name).
   */
  casing: KeyTable;
  /** Distributional word cluster by the hash of the folded form: 1 + cluster id, 0 when unknown. */
  clusters: KeyTable;
}

export const EMPTY_TABLES: WordTables = { casing: new Map(), clusters: new Map() };

/**
 * Feature templates a model switches on by name; the model file's header lists the ones
 * it was trained with. A model without a name never computes its features, so adding a
 * template here leaves every model trained before it valid, without retraining.
 * - `word-lists-2`: the lexicon's word lists the base features leave out (speech verbs,
 *   locatives, ministry portfolios, post-nominals, place qualifiers), as for `lists`;
 * - `lexicon-parts`: the word stands first or later inside a multi-word lexicon name of a
 *   person, an organisation or a place ("Banco", "Unidos"): cue words learned as a class;
 * - `affix-5`: five-letter prefix and suffix ("-ación", "-mente");
 * - `casing-context`: how often the neighbouring words are written in lower case;
 * - `doc-topic`: the document's most frequent lower-case words, paired with what the
 *   lexicon says a capitalised word is: what a city's name means in a match report
 *   (the club) is not what it means elsewhere (the city).
 * Budget switches, for a model that costs the tagger fewer lookups per token (each context
 * feature is a probe into the weight table at tag time; see scripts/ner-templates.ts):
 * - `doc-joined`: a capitalised word's four document-context features (doc-lower,
 *   doc-capmid, doc-seen, doc-run) as one feature of their joint values;
 * - `chunk-joined`: the name chunk's shape and cue features as one.
 */
export const OPTIONAL_FEATURES = [
  'word-lists-2',
  'lexicon-parts',
  'affix-5',
  'casing-context',
  'doc-topic',
  'doc-joined',
  'chunk-joined',
] as const;
export type OptionalFeature = (typeof OPTIONAL_FEATURES)[number];
const OPTION = Object.fromEntries(OPTIONAL_FEATURES.map((name, i) => [name, 1 << i])) as Record<
  OptionalFeature,
  number
>;

export function isOptionalFeature(name: string): name is OptionalFeature {
  return (OPTIONAL_FEATURES as readonly string[]).includes(name);
}

/**
 * What the current document showed of a folded word, as stamps of the document's number:
 * shared by the word's spellings ("Der", "der"), so document facts need no set per document.
 */
export interface KeyRecord {
  lowerDoc: number;
  capMidDoc: number;
  seenDoc: number;
  /** Where the word last stood in a run of capitals (see capitalRuns), in seenDoc. */
  seenRun: number;
  labelDoc: number;
  /** The word's number for the document-label feature, in labelDoc. */
  labelId: number;
}

/** What a spelling looks like, computed once per distinct spelling. */
export interface WordInfo {
  key: string;
  record: KeyRecord;
  word: number;
  lower: number;
  shape: number;
  /**
   * Hashes of the lower-case form's first and last one to four letters (0: the word is no
   * longer than that). Numbers, not an array: the tagger keeps up to 100,000 analyses, and
   * an array would be two more objects each for memory and for the garbage collector.
   */
  prefix1: number;
  prefix2: number;
  prefix3: number;
  prefix4: number;
  suffix1: number;
  suffix2: number;
  suffix3: number;
  suffix4: number;
  /** FLAG_* bits. */
  flags: number;
  /** LEX_* bits: the lexicon's word lists. */
  lists: number;
  casing: number;
  cluster: number;
  /** Lexicon names starting with this word, longest first. */
  forms: readonly LexForm[] | undefined;
  /** German genitive of a lexicon place or country ("Russlands"). */
  genitivePlace: boolean;
  /** MORE_* bits of the optional word lists and lexicon parts (0 when they are off). */
  more: number;
  /** Hashes of the five-letter prefix and suffix (0: off or too short). */
  affix5: number;
  suffix5: number;
}

const FLAG_CAP = 1;
const FLAG_ALLCAPS = 2;
const FLAG_LOWER = 4;
const FLAG_DIGIT = 8;
const FLAG_PUNCT = 16;
const FLAG_HYPHEN = 32;
/** A lower-case word names may hold ("of", "de la": CONNECTORS), for #chunks. */
const FLAG_CONNECTOR = 64;
/** Punctuation after which a capital says nothing (SENTENCE_OPENERS), for initialFlags. */
const FLAG_OPENER = 128;

const LEX_LISTS = [
  'given',
  'role',
  'honorific',
  'orgHead',
  'orgSuffix',
  'roleSuffix',
  'placeLead',
  'placeTrail',
  'time',
  'notName',
  'stop',
  'particle',
  'acronym',
  'event',
  'lowerOrg',
  'lowerPlace',
  'hyphenLex',
] as const;
const LEX = Object.fromEntries(LEX_LISTS.map((name, i) => [name, 1 << i])) as Record<
  (typeof LEX_LISTS)[number],
  number
>;

// `word-lists-2` bits; `lexicon-parts` sets 1 << (8 + kind * 2 + later), kind 0 person,
// 1 organisation, 2 place or country, later 1 for a word after a name's first.
const MORE_SPEECH = 1;
const MORE_LOCATIVE = 2;
const MORE_PORTFOLIO = 4;
const MORE_POST_NOMINAL = 8;
const MORE_PLACE_QUALIFIER = 16;
const PART_SHIFT = 8;

// Template ids: each feature is mix(template, value). Ids come from names, so adding a
// template leaves the others' ids (and a trained model's weights) where they were.
const T = (name: string) => hashString(`template:${name}`);
const OFFSETS = (name: string) => [-2, -1, 0, 1, 2].map((d) => T(`${name}@${d}`));
const BIAS = T('bias');
const WORD = T('word');
const LOWER = OFFSETS('lower');
const SHAPE = OFFSETS('shape');
const CLUSTER = OFFSETS('cluster');
const COARSE = OFFSETS('coarse');
const AFFIX = ['p1', 'p2', 'p3', 'p4', 's1', 's2', 's3', 's4'].map(T);
const LISTS = OFFSETS('lists');
const LEXMATCH = [T('lex@-1'), T('lex@0'), T('lex@1')];
const CASING = T('casing');
const INITIAL_SHAPE = T('initial-shape');
const INITIAL_LOWER = T('initial-lower');
const BIGRAM_LEFT = T('bigram-left');
const BIGRAM_RIGHT = T('bigram-right');
const SHAPE_TRIGRAM = T('shape-trigram');
const LEFT_WORD_SHAPE = T('left-word-shape');
const SHAPE_RIGHT_WORD = T('shape-right-word');
const LEFT_PAIR = T('left-pair');
const CHUNK_SHAPE = T('chunk-shape');
const CHUNK_FIRST = T('chunk-first');
const CHUNK_LAST = T('chunk-last');
const CHUNK_CUES = T('chunk-cues');
const RIGHT_PAIR = T('right-pair');
const DOC_LOWER = T('doc-lower');
const DOC_SEEN = T('doc-seen');
const DOC_RUN = T('doc-run');
const DOC_CAPMID = T('doc-capmid');
const HEADLINE_LOWER = T('headline-lower');
const LENGTH = T('length');
const DOC_LABEL = T('doc-label');
const MORE = OFFSETS('more');
const AFFIX5 = [T('p5'), T('s5')];
const CASING_AT = OFFSETS('casing');
const DOC_TOPIC = T('doc-topic');
const DOC_JOINED = T('doc-joined');
const CHUNK_JOINED = T('chunk-joined');
const PAD = hashString('<pad>');

/**
 * The document-label feature, from a first pass over a whole document: what the other
 * capitalised occurrences of the same word were labelled ("Petrobras" after "la empresa
 * Petrobras"; "Quillon" after "Marta Quillon"). Tokens from..to of a document, flattened;
 * `keyIds[t]` numbers the word's folded form, -1 for a word that is not capitalised.
 * `counts` is scratch of keyCount × L zeros and is left zeroed. Writes each token's
 * feature (0: none) into `out`; returns whether any token has one.
 */
export function docLabelFeatures(
  keyIds: Int32Array,
  labels: Uint8Array,
  from: number,
  to: number,
  counts: Int32Array,
  out: Int32Array,
): boolean {
  const L = 7;
  for (let t = from; t < to; t++) {
    const id = keyIds[t] as number;
    if (id >= 0)
      counts[id * L + (labels[t] as number)] =
        (counts[id * L + (labels[t] as number)] as number) + 1;
  }
  let any = false;
  for (let t = from; t < to; t++) {
    out[t] = 0;
    const id = keyIds[t] as number;
    if (id < 0) continue;
    const own = labels[t] as number;
    let total = 0;
    let best = 0;
    let top = 0;
    for (let l = 0; l < L; l++) {
      const n = (counts[id * L + l] as number) - (l === own ? 1 : 0);
      total += n;
      if (n > top) {
        top = n;
        best = l;
      }
    }
    if (total === 0) continue;
    out[t] = mix(DOC_LABEL, 1 + best * 3 + Math.min(total, 3) - 1);
    any = true;
  }
  for (let t = from; t < to; t++) {
    const id = keyIds[t] as number;
    if (id >= 0) counts[id * L + (labels[t] as number)] = 0;
  }
  return any;
}

/** Enough room for every feature of one token. */
export const MAX_FEATURES = 96;

export interface ExtractorOptions {
  lang: string;
  lexicon: Lexicon;
  tables: WordTables;
  /** The optional templates the model was trained with (none when absent). */
  features?: readonly OptionalFeature[];
}

/**
 * A document being read: its number, which the words' KeyRecords are stamped with (seen
 * in lower case anywhere, capitalised mid-sentence anywhere, seen in an earlier sentence).
 */
export interface DocFacts {
  id: number;
  /** With `doc-topic`: the lower-case hashes of the document's most frequent words. */
  topics?: Int32Array;
}

/** How many of a document's most frequent words `doc-topic` pairs with its names. */
const TOPIC_WORDS = 8;

const MAX_CACHE = 300_000;

export class FeatureExtractor {
  readonly lang: string;
  readonly #lexicon: Lexicon;
  readonly #words: WordSets;
  readonly #tables: WordTables;
  readonly #cache = new Map<string, WordInfo>();
  readonly #records = new Map<string, KeyRecord>();
  #documents = 0;
  /**
   * #chunks' answer, kept between sentences: a Uint32Array per sentence is allocated outside
   * the heap (~0.4 µs each, then swept). Read only while its sentence's features are made.
   */
  #chunkScratch = new Uint32Array(64);
  /** OPTION bits of the optional templates that are on. */
  readonly #optional: number;
  readonly #parts: ReadonlyMap<string, number> | undefined;
  /** LEX_* bits of the word lists that are plain sets, by folded word (see listBitsOf). */
  readonly #listBits: ReadonlyMap<string, number>;
  readonly #orgSuffixes: SuffixList;
  readonly #roleSuffixes: SuffixList;

  constructor(options: ExtractorOptions) {
    this.lang = options.lang;
    this.#lexicon = options.lexicon;
    this.#words = options.lexicon.words(options.lang);
    this.#tables = options.tables;
    let optional = 0;
    for (const name of options.features ?? []) optional |= OPTION[name];
    this.#optional = optional;
    this.#parts = optional & OPTION['lexicon-parts'] ? lexiconParts(options.lexicon) : undefined;
    this.#listBits = listBitsOf(this.#words);
    this.#orgSuffixes = new SuffixList(this.#words.organizationSuffixes);
    this.#roleSuffixes = new SuffixList(this.#words.roleSuffixes);
  }

  info(text: string): WordInfo {
    let info = this.#cache.get(text);
    if (!info) {
      // Bounded: a hostile feed of random strings cannot grow it without limit.
      if (this.#cache.size >= MAX_CACHE) {
        this.#cache.clear();
        this.#records.clear();
      }
      info = this.analyse(text);
      this.#cache.set(text, info);
    }
    return info;
  }

  /**
   * What `info` gives, made anew: for a caller that keeps the analyses itself (the tagger,
   * with its cached rows), so each new spelling is not also a second map's miss and entry.
   * Spellings of one folded word share its KeyRecord until `forget`.
   */
  analyse(text: string): WordInfo {
    const lowerText = text.toLowerCase();
    const key = fold(text);
    const word = hashString(text);
    // Most spellings are in lower case already, and most fold to their lower case: the
    // same string hashes to the same value, so it is hashed once.
    const lower = lowerText === text ? word : hashString(lowerText);
    const keyHash = key === lowerText ? lower : hashString(key);
    let flags = caseFlags(text, lowerText);
    if (CONNECTORS.has(key)) flags |= FLAG_CONNECTOR;
    if (SENTENCE_OPENERS.has(text)) flags |= FLAG_OPENER;
    const length = lowerText.length;
    // A word in lower case can only start the lexicon's lower-case forms ("mer Rouge").
    const forms = (
      flags & (FLAG_CAP | FLAG_ALLCAPS)
        ? this.#lexicon.formsByFirst
        : this.#lexicon.uncasedFormsByFirst
    ).get(key);
    let record = this.#records.get(key);
    if (!record) {
      record = { lowerDoc: 0, capMidDoc: 0, seenDoc: 0, seenRun: 0, labelDoc: 0, labelId: 0 };
      this.#records.set(key, record);
    }
    const affix5 = this.#optional & OPTION['affix-5'] && length > 5;
    return {
      key,
      record,
      word,
      lower,
      shape: shapeHash(text),
      prefix1: prefixHash(lowerText, 1),
      prefix2: prefixHash(lowerText, 2),
      prefix3: prefixHash(lowerText, 3),
      prefix4: prefixHash(lowerText, 4),
      suffix1: suffixHash(lowerText, 1),
      suffix2: suffixHash(lowerText, 2),
      suffix3: suffixHash(lowerText, 3),
      suffix4: suffixHash(lowerText, 4),
      flags,
      lists: this.#lists(key),
      casing: this.#tables.casing.get(keyHash) ?? 0,
      cluster: this.#tables.clusters.get(keyHash) ?? 0,
      forms,
      genitivePlace:
        this.lang === 'de' && !this.#lexicon.formsByFirst.has(key) && this.#genitivePlace(key),
      more: this.#optional === 0 ? 0 : this.#more(key),
      affix5: affix5 ? hashRange(lowerText, 0, 5) : 0,
      suffix5: affix5 ? hashRange(lowerText, length - 5, length) : 0,
    };
  }

  /**
   * Drops every cached analysis and record (their document stamps are of documents gone):
   * between documents, by a caller bounding its own cache of analyses.
   */
  forget(): void {
    this.#cache.clear();
    this.#records.clear();
  }

  /** The MORE_* bits of a folded word, for the optional templates that are on. */
  #more(key: string): number {
    let bits = 0;
    if (this.#optional & OPTION['word-lists-2']) {
      const w = this.#words;
      if (w.speech.has(key)) bits |= MORE_SPEECH;
      if (w.locatives.has(key)) bits |= MORE_LOCATIVE;
      if (w.portfolios.has(key)) bits |= MORE_PORTFOLIO;
      if (w.postNominals.has(key)) bits |= MORE_POST_NOMINAL;
      if (w.placeQualifiers.has(key)) bits |= MORE_PLACE_QUALIFIER;
    }
    if (this.#parts) bits |= this.#parts.get(key) ?? 0;
    return bits;
  }

  #lists(key: string): number {
    const w = this.#words;
    let bits = this.#listBits.get(key) ?? 0;
    if (w.roles.has(key)) bits |= LEX.role;
    if (key.length > 5) {
      if (this.#orgSuffixes.ends(key)) bits |= LEX.orgSuffix;
      if (this.#roleSuffixes.ends(key)) bits |= LEX.roleSuffix;
    }
    // "Nato-Gipfel", "US-Präsident": a name inside a compound (tagged O, but a strong hint).
    const dash = key.indexOf('-');
    if (
      dash > 1 &&
      this.#lexicon.formsByFirst.get(key.slice(0, dash))?.some((f) => f.keys.length === 1)
    )
      bits |= LEX.hyphenLex;
    return bits;
  }

  #genitivePlace(key: string): boolean {
    if (key.length < 5 || !key.endsWith('s')) return false;
    return (
      this.#lexicon.formsByFirst
        .get(key.slice(0, -1))
        ?.some((f) => f.keys.length === 1 && f.type === 'name' && f.entity.kind !== 'person') ??
      false
    );
  }

  /** The document-level facts of a document given as sentences of tokens. */
  docFacts(sentences: readonly (readonly WordInfo[])[]): DocFacts {
    const id = ++this.#documents;
    for (const infos of sentences) {
      for (let i = 0; i < infos.length; i++) {
        const info = infos[i] as WordInfo;
        if (info.flags & FLAG_LOWER) info.record.lowerDoc = id;
        else if (info.flags & FLAG_CAP && i > 0 && !(info.flags & FLAG_ALLCAPS))
          info.record.capMidDoc = id;
      }
    }
    if (this.#optional & OPTION['doc-topic']) return { id, topics: topicWords(sentences) };
    return { id };
  }

  /**
   * Features of a word that hold wherever it stands, as seen from a token `offset` places
   * away (-2..2); `info` undefined is the padding beyond the sentence. The tagger caches
   * their summed weights per spelling, so these cost one lookup per token at tag time.
   */
  wordFeatures(info: WordInfo | undefined, offset: number, out: Int32Array, k: number): number {
    const o = offset + 2;
    if (!info) {
      out[k++] = mix(LOWER[o] as number, PAD + offset);
      out[k++] = mix(SHAPE[o] as number, PAD + offset);
      return k;
    }
    out[k++] = mix(LOWER[o] as number, info.lower);
    out[k++] = mix(SHAPE[o] as number, info.shape);
    if (info.cluster) {
      out[k++] = mix(CLUSTER[o] as number, info.cluster);
      out[k++] = mix(COARSE[o] as number, (info.cluster - 1) >> 8);
    }
    for (let bits = info.lists; bits !== 0; bits &= bits - 1)
      out[k++] = mix(LISTS[o] as number, bits & -bits);
    if (this.#optional !== 0) k = this.#optionalWordFeatures(info, offset, out, k);
    if (offset !== 0) return k;
    out[k++] = BIAS;
    out[k++] = mix(WORD, info.word);
    k = affixFeature(out, k, 0, info.prefix1);
    k = affixFeature(out, k, 1, info.prefix2);
    k = affixFeature(out, k, 2, info.prefix3);
    k = affixFeature(out, k, 3, info.prefix4);
    k = affixFeature(out, k, 4, info.suffix1);
    k = affixFeature(out, k, 5, info.suffix2);
    k = affixFeature(out, k, 6, info.suffix3);
    k = affixFeature(out, k, 7, info.suffix4);
    out[k++] = mix(LENGTH, Math.min(info.key.length, 12) * 8 + (info.flags & 7));
    return k;
  }

  /** The optional templates' word features, seen from `offset` (see wordFeatures). */
  #optionalWordFeatures(info: WordInfo, offset: number, out: Int32Array, k: number): number {
    const o = offset + 2;
    for (let bits = info.more; bits !== 0; bits &= bits - 1)
      out[k++] = mix(MORE[o] as number, bits & -bits);
    if (offset !== 0) {
      if (this.#optional & OPTION['casing-context'])
        out[k++] = mix(CASING_AT[o] as number, info.casing * 8 + (info.flags & 7));
    } else {
      if (info.affix5 !== 0) out[k++] = mix(AFFIX5[0] as number, info.affix5);
      if (info.suffix5 !== 0) out[k++] = mix(AFFIX5[1] as number, info.suffix5);
    }
    return k;
  }

  /** Features of a word that depend on whether its capital says nothing (sentence start). */
  initialFeatures(info: WordInfo, initial: number, out: Int32Array, k: number): number {
    out[k++] = mix(CASING, info.casing * 16 + initial * 8 + (info.flags & 7));
    out[k++] = mix(INITIAL_SHAPE, info.shape ^ (initial ? 0x5bd1e995 : 0));
    if (initial) out[k++] = mix(INITIAL_LOWER, info.lower);
    return k;
  }

  /**
   * Features of every token of one sentence, into `out` (MAX_FEATURES slots per token);
   * `counts[i]` receives token i's count. Sentences of a document come in order: the
   * words' records carry what earlier sentences showed (where a word stood in a run of
   * capitalised words). With
   * `contextOnly`, the word and initial features are left out (the tagger adds their
   * cached sums); `initial` then receives the sentence-start flags. Tokens with `skip[i]`
   * set get no features (count 0): those the tagger decides on their word features alone.
   */
  sentence(
    tokens: readonly string[],
    infos: readonly WordInfo[],
    facts: DocFacts,
    out: Int32Array,
    counts: Int32Array,
    contextOnly = false,
    initial: Uint8Array = new Uint8Array(tokens.length),
    skip?: Uint8Array,
  ): void {
    const n = tokens.length;
    let upper = 0;
    let letters = 0;
    for (let i = 0; i < n; i++) {
      const info = infos[i] as WordInfo;
      if (!(info.flags & FLAG_PUNCT) && !(info.flags & FLAG_DIGIT)) {
        letters++;
        if (info.flags & FLAG_ALLCAPS) upper++;
      }
    }
    // A headline in capitals: case says nothing, the lower-case form must do.
    const headline = letters >= 3 && upper * 4 >= letters * 3;
    const lex = this.#lexiconMatches(infos, tokens);
    initialFlags(infos, initial);
    const runs = capitalRuns(infos, initial);
    const chunks = this.#chunks(infos, initial);
    // pair(j): the lower-case forms of words j-1 and j, PAD beyond the sentence. Token i's
    // bigrams and two-word windows are pairs i-1..i+2, so each pair is hashed once, not four
    // times; they roll along as i does.
    const lowerAt = (j: number) => (j >= 0 && j < n ? (infos[j] as WordInfo).lower : PAD);
    const pair = (j: number) => mix(lowerAt(j - 1), lowerAt(j));
    let pairBefore = pair(-1);
    let pairAt = pair(0);
    let pairAfter = pair(1);

    for (let i = 0; i < n; i++) {
      const me = infos[i] as WordInfo;
      const pairNext = pair(i + 2);
      if (skip?.[i]) {
        counts[i] = 0;
        pairBefore = pairAt;
        pairAt = pairAfter;
        pairAfter = pairNext;
        continue;
      }
      let k = i * MAX_FEATURES;
      const start = k;
      const isInitial = initial[i] as number;
      if (!contextOnly) {
        for (let d = -2; d <= 2; d++) k = this.wordFeatures(infos[i + d], d, out, k);
        k = this.initialFeatures(me, isInitial, out, k);
      }
      for (let d = -1; d <= 1; d++) {
        const code = lex[i + d];
        if (code) {
          const other = infos[i + d] as WordInfo;
          out[k++] = mix(LEXMATCH[d + 1] as number, code * 4 + (other.flags & 3));
        }
      }
      if (headline) out[k++] = mix(HEADLINE_LOWER, me.lower);
      const prev = i > 0 ? (infos[i - 1] as WordInfo) : undefined;
      const next = i + 1 < n ? (infos[i + 1] as WordInfo) : undefined;
      out[k++] = mix(BIGRAM_LEFT, pairAt);
      out[k++] = mix(BIGRAM_RIGHT, pairAfter);
      out[k++] = mix(
        SHAPE_TRIGRAM,
        mix(mix(prev ? prev.shape : PAD, me.shape), next ? next.shape : PAD),
      );
      out[k++] = mix(LEFT_WORD_SHAPE, mix(prev ? prev.lower : PAD, me.shape));
      out[k++] = mix(SHAPE_RIGHT_WORD, mix(me.shape, next ? next.lower : PAD));
      // The two words before and after: "la empresa", "de la", "said on".
      out[k++] = mix(LEFT_PAIR, pairBefore);
      out[k++] = mix(RIGHT_PAIR, pairNext);
      pairBefore = pairAt;
      pairAt = pairAfter;
      pairAfter = pairNext;
      const chunk = chunks[i] as number;
      if (chunk !== 0) {
        // The whole name this token may be part of: its shape, first and last words, cues.
        const first = chunk >>> 16;
        const last = chunk & 0xffff;
        const len = last - first;
        const position = len === 1 ? 0 : i === first ? 1 : i === last - 1 ? 3 : 2;
        let cues = 0;
        let connector = 0;
        for (let m = first; m < last; m++) {
          const lists = (infos[m] as WordInfo).lists;
          if (lists & (LEX.orgHead | LEX.orgSuffix)) cues |= 1;
          if (!((infos[m] as WordInfo).flags & (FLAG_CAP | FLAG_ALLCAPS))) connector = 1;
        }
        const firstInfo = infos[first] as WordInfo;
        const lastInfo = infos[last - 1] as WordInfo;
        if (firstInfo.lists & LEX.given) cues |= 2;
        if (firstInfo.lists & LEX.placeLead) cues |= 4;
        if (lastInfo.lists & LEX.placeTrail) cues |= 8;
        if (initial[first]) cues |= 16;
        const shape = (position * 8 + Math.min(len, 7)) * 2 + connector;
        if (this.#optional & OPTION['chunk-joined'])
          out[k++] = mix(CHUNK_JOINED, shape * 32 + cues);
        else {
          out[k++] = mix(CHUNK_SHAPE, shape);
          out[k++] = mix(CHUNK_CUES, cues * 4 + position);
        }
        if (len > 1) {
          out[k++] = mix(CHUNK_FIRST, mix(firstInfo.lower, position));
          out[k++] = mix(CHUNK_LAST, mix(lastInfo.lower, position));
        }
      }
      if (me.flags & (FLAG_CAP | FLAG_ALLCAPS)) {
        // Document context: the same word elsewhere in lower case, capitalised mid-sentence,
        // or earlier inside a longer name ("Lehmann" after "Albrecht Lehmann").
        const record = me.record;
        const lowerElsewhere = record.lowerDoc === facts.id ? 1 : 0;
        const capMid = record.capMidDoc === facts.id ? 1 : 0;
        const seen = record.seenDoc === facts.id ? 1 + record.seenRun : 0;
        const run = runs[i] as number;
        if (this.#optional & OPTION['doc-joined'])
          out[k++] = mix(
            DOC_JOINED,
            (((lowerElsewhere * 2 + capMid) * 6 + seen) * 5 + run) * 2 + isInitial,
          );
        else {
          out[k++] = mix(DOC_LOWER, lowerElsewhere * 2 + isInitial);
          out[k++] = mix(DOC_CAPMID, capMid * 2 + isInitial);
          out[k++] = mix(DOC_SEEN, seen);
          out[k++] = mix(DOC_RUN, run * 2 + isInitial);
        }
      }
      if (facts.topics && me.flags & (FLAG_CAP | FLAG_ALLCAPS)) {
        // The kind of lexicon name the word starts or is part of (0: none).
        const kind = (lex[i] as number) >> 2;
        for (const topic of facts.topics) out[k++] = mix(DOC_TOPIC, mix(topic, kind));
      }
      counts[i] = k - start;
    }
    // What later sentences learn from this one: where each capitalised word stood.
    for (let i = 0; i < n; i++) {
      const me = infos[i] as WordInfo;
      if (!(me.flags & FLAG_CAP)) continue;
      const run = runs[i] as number;
      const record = me.record;
      if (record.seenDoc !== facts.id || run > record.seenRun) {
        record.seenDoc = facts.id;
        record.seenRun = run;
      }
    }
  }

  /**
   * Name-like chunks: capitalised words, joined across short connectors ("Comisión
   * Ejecutiva del Consorcio", "Bank of England"). Per token first << 16 | last (exclusive),
   * 0 outside any chunk.
   */
  #chunks(infos: readonly WordInfo[], initial: Uint8Array): Uint32Array {
    const n = infos.length;
    if (this.#chunkScratch.length < n) this.#chunkScratch = new Uint32Array(n * 2);
    const chunks = this.#chunkScratch;
    chunks.fill(0, 0, n);
    const named = (m: number) =>
      m < n && ((infos[m] as WordInfo).flags & (FLAG_CAP | FLAG_ALLCAPS)) !== 0;
    let i = 0;
    while (i < n) {
      if (!named(i)) {
        i++;
        continue;
      }
      let last = i + 1;
      // Bounded, so a text in capitals stays linear.
      while (last - i < MAX_CHUNK) {
        if (named(last)) {
          last++;
          continue;
        }
        // Up to two connectors, then a capitalised word again.
        let m = last;
        while (m < last + 2 && m < n && (infos[m] as WordInfo).flags & FLAG_CONNECTOR) m++;
        if (m > last && named(m)) {
          last = m + 1;
          continue;
        }
        break;
      }
      // A sentence's lone first word is no chunk: its capital says nothing.
      if (!(last - i === 1 && initial[i]))
        for (let m = i; m < last; m++) chunks[m] = (i << 16) | last;
      i = last;
    }
    return chunks;
  }

  /** Whether a word counts for the document-label feature: it is capitalised. */
  static named(info: WordInfo): boolean {
    return (info.flags & (FLAG_CAP | FLAG_ALLCAPS)) !== 0;
  }

  /**
   * Whether `info.forms` was read from the lexicon's cased index (`formsByFirst`: the word
   * is capitalised or in capitals), not its lower-case one.
   */
  static casedForms(info: WordInfo): boolean {
    // analyse picks the index by the same test as a name's.
    return FeatureExtractor.named(info);
  }

  /** The analyses of a sentence's tokens. */
  infos(tokens: readonly string[]): WordInfo[] {
    return tokens.map((t) => this.info(t));
  }

  /**
   * Lexicon names in the sentence, longest first: per token kind × position code
   * (0: none). Kinds: 1 person, 2 organisation, 3 country, 4 place, 5 demonym, 6 genitive.
   */
  #lexiconMatches(infos: readonly WordInfo[], tokens: readonly string[]): Uint8Array {
    const n = infos.length;
    const codes = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const me = infos[i] as WordInfo;
      if (me.genitivePlace && me.flags & FLAG_CAP) {
        codes[i] = 6 * 4;
        continue;
      }
      if (!me.forms) continue;
      for (const form of me.forms) {
        const len = form.keys.length;
        if (i + len > n) continue;
        let same = true;
        for (let m = 1; m < len && same; m++)
          same = (infos[i + m] as WordInfo).key === form.keys[m];
        if (!same) continue;
        if (form.exact && !form.exact.every((t, m) => tokens[i + m] === t)) continue;
        if (form.capitalised && !(me.flags & (FLAG_CAP | FLAG_ALLCAPS))) continue;
        const kind =
          form.type === 'demonym'
            ? 5
            : form.entity.kind === 'person'
              ? 1
              : form.entity.kind === 'organization'
                ? 2
                : form.entity.kind === 'country'
                  ? 3
                  : 4;
        if (len === 1) codes[i] = kind * 4;
        else {
          codes[i] = kind * 4 + 1;
          for (let m = 1; m < len - 1; m++) codes[i + m] = kind * 4 + 2;
          codes[i + len - 1] = kind * 4 + 3;
        }
        i += len - 1;
        break;
      }
    }
    return codes;
  }
}

const MAX_CHUNK = 10;

/** The hash of the first n code units of `text`, or 0 unless it is longer than n. */
function prefixHash(text: string, n: number): number {
  return text.length > n ? hashRange(text, 0, n) : 0;
}

/** The hash of the last n code units of `text`, or 0 unless it is longer than n. */
function suffixHash(text: string, n: number): number {
  return text.length > n ? hashRange(text, text.length - n, text.length) : 0;
}

/** Writes affix template a's feature of `hash` at out[k] unless the hash is 0 (no affix). */
function affixFeature(out: Int32Array, k: number, a: number, hash: number): number {
  if (hash !== 0) out[k++] = mix(AFFIX[a] as number, hash);
  return k;
}

/**
 * The lower-case hashes of a document's TOPIC_WORDS most frequent lower-case words of
 * four letters or more that are not stopwords, seen twice or more (ties: the first seen).
 */
function topicWords(sentences: readonly (readonly WordInfo[])[]): Int32Array {
  const counts = new Map<number, number>();
  for (const infos of sentences)
    for (const info of infos)
      if (info.flags & FLAG_LOWER && !(info.lists & LEX.stop) && info.key.length >= 4)
        counts.set(info.lower, (counts.get(info.lower) ?? 0) + 1);
  // Map order is first-seen order, and the sort is stable.
  const top = [...counts]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOPIC_WORDS);
  return Int32Array.from(top, ([word]) => word);
}

const partsByLexicon = new WeakMap<Lexicon, Map<string, number>>();

/**
 * Per folded word, where it stands in the lexicon's multi-word names: bit
 * PART_SHIFT + kind * 2 + later (kind 0 person, 1 organisation, 2 place or country;
 * later 1 after the name's first word). Built once per lexicon, only for models that use it.
 */
function lexiconParts(lexicon: Lexicon): Map<string, number> {
  let parts = partsByLexicon.get(lexicon);
  if (parts) return parts;
  parts = new Map();
  for (const forms of lexicon.formsByFirst.values())
    for (const form of forms) {
      if (form.keys.length < 2 || form.type === 'demonym') continue;
      const kind = form.entity.kind === 'person' ? 0 : form.entity.kind === 'organization' ? 1 : 2;
      form.keys.forEach((key, m) => {
        if (CONNECTORS.has(key)) return;
        const bit = 1 << (PART_SHIFT + kind * 2 + (m === 0 ? 0 : 1));
        (parts as Map<string, number>).set(
          key,
          ((parts as Map<string, number>).get(key) ?? 0) | bit,
        );
      });
    }
  partsByLexicon.set(lexicon, parts);
  return parts;
}

/** Lower-case words inside names: "Bank of England", "Consejo de la Juventud", "Institut für". */
const CONNECTORS = new Set([
  'of',
  'the',
  'for',
  'and',
  '&',
  'on',
  'de',
  'del',
  'la',
  'las',
  'los',
  'el',
  'y',
  'e',
  'di',
  'della',
  'delle',
  'dei',
  'degli',
  'dello',
  "dell'",
  "d'",
  'per',
  'du',
  'des',
  'le',
  "l'",
  'et',
  'pour',
  'von',
  'der',
  'den',
  'für',
  'zur',
  'zum',
  'und',
  'am',
  'im',
  'van',
  'da',
  'do',
  'dos',
  'das',
]);

/** 1 where a capital says nothing: a sentence's first word, or one after an opening quote. */
export function initialFlags(infos: readonly WordInfo[], flags: Uint8Array): void {
  flags.fill(0, 0, infos.length);
  let first = true;
  for (let i = 0; i < infos.length; i++) {
    const info = infos[i] as WordInfo;
    if (info.flags & FLAG_PUNCT) {
      if (info.flags & FLAG_OPENER) first = true;
      continue;
    }
    if (first) flags[i] = 1;
    first = false;
  }
}

/**
 * Where each token stands in its run of capitalised words: 0 none, 1 alone, 2 first,
 * 3 inside, 4 last.
 */
function capitalRuns(infos: readonly WordInfo[], initial: Uint8Array): Uint8Array {
  const n = infos.length;
  const pos = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    if (!((infos[i] as WordInfo).flags & FLAG_CAP)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && (infos[j] as WordInfo).flags & FLAG_CAP) j++;
    // A sentence's first word joins a run only when the next word is capitalised too.
    if (j - i === 1) pos[i] = initial[i] ? 0 : 1;
    else {
      pos[i] = 2;
      for (let m = i + 1; m < j - 1; m++) pos[m] = 3;
      pos[j - 1] = 4;
    }
    i = j;
  }
  return pos;
}

const listBitsBySets = new WeakMap<WordSets, Map<string, number>>();

/**
 * The LEX_* bits of a folded word from the word lists that are plain sets, in one map:
 * a spelling met for the first time asks it once, not each list in turn. Honorifics are
 * asked without one final period ("dr." as "dr"), so each also stands with one.
 */
function listBitsOf(w: WordSets): Map<string, number> {
  let bits = listBitsBySets.get(w);
  if (bits) return bits;
  const map = new Map<string, number>();
  const add = (keys: Iterable<string>, bit: number) => {
    for (const key of keys) map.set(key, (map.get(key) ?? 0) | bit);
  };
  add(w.givenNames, LEX.given);
  add(
    [...w.honorifics].flatMap((h) => (h.endsWith('.') ? [`${h}.`] : [h, `${h}.`])),
    LEX.honorific,
  );
  add(w.organizationHeads, LEX.orgHead);
  add(w.placeHeadsLeading, LEX.placeLead);
  add(w.placeHeadsTrailing, LEX.placeTrail);
  add(w.timeWords, LEX.time);
  add(w.notNames, LEX.notName);
  add(w.stopwords, LEX.stop);
  add(w.nameParticles, LEX.particle);
  add(w.commonAcronyms, LEX.acronym);
  add(w.eventHeads, LEX.event);
  add(w.lowercaseOrganizationHeads, LEX.lowerOrg);
  add(w.lowercasePlaceHeads, LEX.lowerPlace);
  bits = map;
  listBitsBySets.set(w, bits);
  return bits;
}

/**
 * Suffixes ("-ministerium", "-gesellschaft") found by a word's last character: a word
 * is compared with the few that end like it, not with every one. `ends(key)` is whether
 * one of them ends the key with more than two characters before it.
 */
class SuffixList {
  readonly #byLast = new Map<number, string[]>();
  readonly #empty: boolean;

  constructor(suffixes: readonly string[]) {
    for (const suffix of suffixes) {
      const last = suffix.charCodeAt(suffix.length - 1);
      const list = this.#byLast.get(last);
      if (list) list.push(suffix);
      else this.#byLast.set(last, [suffix]);
    }
    this.#empty = suffixes.includes('');
  }

  ends(key: string): boolean {
    if (this.#empty && key.length > 2) return true;
    const list = this.#byLast.get(key.charCodeAt(key.length - 1));
    if (!list) return false;
    for (const s of list) if (key.length > s.length + 2 && key.endsWith(s)) return true;
    return false;
  }
}

/**
 * FLAG_CAP, FLAG_ALLCAPS, FLAG_LOWER, FLAG_DIGIT, FLAG_PUNCT and FLAG_HYPHEN of a spelling,
 * in one pass over an ASCII word's code units; other words take the string tests (a
 * capital is a character whose lower case differs).
 */
function caseFlags(text: string, lowerText: string): number {
  let ascii = true;
  let upperAscii = false;
  let lowerAscii = false;
  let digit = false;
  let hyphen = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) ascii = false;
    else if (c >= 97 && c <= 122) lowerAscii = true;
    else if (c >= 65 && c <= 90) upperAscii = true;
    else if (c >= 48 && c <= 57) digit = true;
    else if (c === 45) hyphen = true;
  }
  const first = text.charCodeAt(0);
  let isUpper: boolean;
  let isLower: boolean;
  let allCaps: boolean;
  if (first < 128) {
    isUpper = first >= 65 && first <= 90;
    isLower = first >= 97 && first <= 122;
  } else {
    const firstChar = text[0] ?? '';
    isUpper = firstChar !== firstChar.toLowerCase();
    isLower = firstChar !== firstChar.toUpperCase();
  }
  if (text.length <= 1) allCaps = false;
  else if (ascii) allCaps = upperAscii && !lowerAscii;
  else allCaps = text === text.toUpperCase() && text !== lowerText;
  let flags = 0;
  if (isUpper) flags |= FLAG_CAP;
  if (allCaps) flags |= FLAG_ALLCAPS;
  if (isLower) flags |= FLAG_LOWER;
  if (digit) flags |= FLAG_DIGIT;
  if (!isUpper && !isLower && !(first >= 48 && first <= 57)) flags |= FLAG_PUNCT;
  if (hyphen) flags |= FLAG_HYPHEN;
  return flags;
}

/**
 * `hashString(shapeOf(text))` without building the shape: the same classes, appended
 * while they change, up to eight code units.
 */
export function shapeHash(text: string): number {
  let h = HASH_START;
  let length = 0;
  let last = -1;
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i) as number;
    const size = code > 0xffff ? 2 : 1;
    let c: number;
    if (code >= 48 && code <= 57)
      c = 100; // 'd'
    else if (code < 128) c = code >= 65 && code <= 90 ? 88 : code >= 97 && code <= 122 ? 120 : code;
    else {
      const ch = text.slice(i, i + size);
      c = ch !== ch.toLowerCase() ? 88 : ch !== ch.toUpperCase() ? 120 : code;
    }
    i += size;
    if (c !== last) {
      if (c > 0xffff) {
        h = hashUnit(h, ((c - 0x10000) >> 10) + 0xd800);
        h = hashUnit(h, ((c - 0x10000) & 0x3ff) + 0xdc00);
        length += 2;
      } else {
        h = hashUnit(h, c);
        length++;
      }
    }
    last = c;
    if (length >= 8) break;
  }
  return hashEnd(h);
}

/** "Xxxx" → "Xx", "NATO" → "X", "G7" → "Xd", "U.S." → "X.X.": case and character classes. */
export function shapeOf(text: string): string {
  let shape = '';
  let last = '';
  for (const ch of text) {
    let c: string;
    if (ch >= '0' && ch <= '9') c = 'd';
    else if (ch !== ch.toLowerCase()) c = 'X';
    else if (ch !== ch.toUpperCase()) c = 'x';
    else c = ch;
    if (c !== last) shape += c;
    last = c;
    if (shape.length >= 8) break;
  }
  return shape;
}
