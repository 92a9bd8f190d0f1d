import { fold } from '../text/fold.js';
import { tokenize } from '../text/tokens.js';
import type { ActorKind } from '../types.js';
import data from './data.generated.json' with { type: 'json' };

export type Lang = 'en' | 'it' | 'fr' | 'de' | 'es';
export const LANGS: readonly Lang[] = ['en', 'it', 'fr', 'de', 'es'];

export interface LexEntity {
  id: string;
  kind: ActorKind;
  /** Canonical name per language; `en` is always there. */
  names: Partial<Record<Lang, string>> & { en: string };
}

/** How a surface form refers to its entity. */
export type FormType = 'name' | 'short' | 'demonym';

export interface LexForm {
  entity: LexEntity;
  type: FormType;
  /** Folded tokens of the form, punctuation included ("u", ".", "s", "."). */
  keys: readonly string[];
  /** Acronyms and other forms without lower-case letters match only as written. */
  exact: readonly string[] | null;
  /** The form starts with a capital, so the text must too (demonyms in English). */
  capitalised: boolean;
}

type WordLists = Record<string, string[] | Record<string, string[]>>;

export interface WordSets {
  /** Role heads by folded first token → folded token sequences. */
  roles: PhraseSet;
  honorifics: Set<string>;
  speech: PhraseSet;
  locatives: PhraseSet;
  organizationHeads: Set<string>;
  roleSuffixes: readonly string[];
  organizationSuffixes: readonly string[];
  nameParticles: Set<string>;
  placeHeadsLeading: Set<string>;
  placeHeadsTrailing: Set<string>;
  postNominals: Set<string>;
  portfolios: Set<string>;
  connectors: PhraseSet;
  notNames: Set<string>;
  timeWords: Set<string>;
  eventHeads: Set<string>;
  commonAcronyms: Set<string>;
  placeQualifiers: Set<string>;
  lowercaseOrganizationHeads: Set<string>;
  lowercasePlaceHeads: Set<string>;
  givenNames: Set<string>;
  stopwords: Set<string>;
}

/**
 * A bitmap of the hashes of a set of keys: `mayHold` false means the key is surely not in
 * the set. Most words of a text start no name and no phrase, and a few KB of bits say so
 * without a probe of the set's hash table, whose probes miss the processor's cache once
 * the entity model's tables have been read (several memory reads each; the bitmap, one).
 */
export class KeyFilter {
  readonly #bits: Uint32Array;
  readonly #mask: number;

  /** `size` (a power of two) bits: some ten per key keep false positives under 10 %. */
  constructor(keys: Iterable<string>, size: number) {
    this.#bits = new Uint32Array(Math.max(1, size >>> 5));
    this.#mask = size - 1;
    for (const key of keys) {
      const bit = this.#bit(key);
      this.#bits[bit >>> 5] = (this.#bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
  }

  mayHold(key: string): boolean {
    const bit = this.#bit(key);
    return ((this.#bits[bit >>> 5] as number) & (1 << (bit & 31))) !== 0;
  }

  /** FNV-1a over the key's characters, mixed: words are short, so this is cheap. */
  #bit(key: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h ^= h >>> 13;
    return (h >>> 0) & this.#mask;
  }
}

/** Multi-word phrases indexed by their first folded token. */
export class PhraseSet {
  readonly #byFirst = new Map<string, string[][]>();
  readonly #firsts: KeyFilter;

  constructor(phrases: Iterable<string>) {
    for (const phrase of phrases) {
      // An elided particle on its own ("d'", "dell'") is one token in running text.
      const keys = phrase
        .split(' ')
        .flatMap((part) => (/['’]$/.test(part) ? [fold(part)] : tokenize(part).map((t) => t.key)));
      const first = keys[0];
      if (first === undefined) continue;
      const list = this.#byFirst.get(first);
      if (list) list.push(keys);
      else this.#byFirst.set(first, [keys]);
    }
    // Longest first, phrases of one length in the order given (the sort is stable): once
    // at the end, not after every phrase.
    for (const list of this.#byFirst.values())
      if (list.length > 1) list.sort((a, b) => b.length - a.length);
    this.#firsts = new KeyFilter(this.#byFirst.keys(), 1 << 13);
  }

  /** Length in tokens of the longest phrase starting at `keys[at]`, or 0. */
  matchAt(keys: readonly string[], at: number): number {
    const key = keys[at] ?? '';
    if (!this.#firsts.mayHold(key)) return 0;
    const candidates = this.#byFirst.get(key);
    if (!candidates) return 0;
    for (const phrase of candidates) if (startsAt(phrase, keys, at)) return phrase.length;
    return 0;
  }

  has(key: string): boolean {
    return this.#byFirst.get(key)?.some((p) => p.length === 1) ?? false;
  }
}

/** Whether keys[at…] starts with `phrase`: a loop, not `every` with a closure per call. */
function startsAt(phrase: readonly string[], keys: readonly string[], at: number): boolean {
  for (let i = 0; i < phrase.length; i++) if (keys[at + i] !== phrase[i]) return false;
  return true;
}

export interface Lexicon {
  entities: ReadonlyMap<string, LexEntity>;
  /** Forms indexed by their first folded token, longest first. */
  formsByFirst: ReadonlyMap<string, readonly LexForm[]>;
  /** The same, only the forms a lower-case word may start ("russo", "mer Rouge"). */
  uncasedFormsByFirst: ReadonlyMap<string, readonly LexForm[]>;
  words(lang: string): WordSets;
}

/**
 * A form as scripts/build-lexicon.mjs writes it, tokenised at build time with the engine's
 * own tokenizer: text, entity index, type, folded tokens joined by spaces, 1 when it starts
 * with a capital, and its tokens as written (joined by spaces) when it matches only exactly.
 */
type RawForm = [
  text: string,
  entity: number,
  type: FormType,
  keys: string,
  capitalised: 0 | 1,
  exact: string | null,
];

interface LexiconData {
  entities: LexEntity[];
  forms: RawForm[];
  words: WordLists;
}

function perLang(lists: unknown, lang: string): string[] {
  if (Array.isArray(lists)) return lists as string[];
  const byLang = lists as Record<string, string[]>;
  // Unknown language: every language's words, since a miss costs more than a merge.
  if (!LANGS.includes(lang as Lang)) return LANGS.flatMap((l) => byLang[l] ?? []);
  return byLang[lang] ?? [];
}

function buildLexicon(raw: LexiconData): Lexicon {
  const formsByFirst = new Map<string, LexForm[]>();
  // Indexed reads, not destructuring: this loop runs once, cold, over every form, and
  // array destructuring goes through the iterator protocol in the interpreter.
  const forms = raw.forms;
  for (let i = 0; i < forms.length; i++) {
    const f = forms[i] as RawForm;
    const entity = raw.entities[f[1]];
    if (!entity) continue;
    const keys = f[3].split(' ');
    const first = keys[0] as string;
    const exact = f[5];
    const form: LexForm = {
      entity,
      type: f[2],
      keys,
      exact: exact === null ? null : exact.split(' '),
      capitalised: f[4] === 1,
    };
    const list = formsByFirst.get(first);
    if (list) list.push(form);
    else formsByFirst.set(first, [form]);
  }
  const uncasedFormsByFirst = new Map<string, LexForm[]>();
  for (const [first, list] of formsByFirst) {
    // Most lists hold one form, and a cold sort call costs more than the check.
    if (!longestFirst(list)) list.sort((a, b) => b.keys.length - a.keys.length);
    // Most words in a text are lower case and most names need a capital: look those up
    // in the short list of forms that can start with a lower-case word.
    const uncased = list.filter((f) => !f.capitalised && !f.exact);
    if (uncased.length > 0) uncasedFormsByFirst.set(first, uncased);
  }

  const cache = new Map<string, WordSets>();
  const words = (lang: string): WordSets => {
    const hit = cache.get(lang);
    if (hit) return hit;
    const w = raw.words;
    const folded = (key: string) => new Set(perLang(w[key], lang).map(fold));
    const sets: WordSets = {
      roles: new PhraseSet(perLang(w.roles, lang)),
      // "M." is two tokens, "M" and ".": honorifics are looked up without their period.
      honorifics: new Set(perLang(w.honorifics, lang).map((h) => fold(h).replace(/\.$/, ''))),
      speech: new PhraseSet(perLang(w.speech, lang)),
      locatives: new PhraseSet(perLang(w.locatives, lang)),
      // English company words travel: "Kairos Partners" in an Italian text is a company.
      organizationHeads: new Set(
        [...perLang(w.organizationHeads, lang), ...perLang(w.organizationHeads, 'en')].map(fold),
      ),
      // German compounds turn up in every language's news ("Commerzbank", "Bundesbank").
      roleSuffixes: perLang(w.roleSuffixes, 'und').map(fold),
      organizationSuffixes: perLang(w.organizationSuffixes, 'und').map(fold),
      nameParticles: folded('nameParticles'),
      placeHeadsLeading: folded('placeHeadsLeading'),
      placeHeadsTrailing: folded('placeHeadsTrailing'),
      postNominals: folded('postNominals'),
      portfolios: folded('portfolios'),
      connectors: new PhraseSet(perLang(w.connectors, lang)),
      notNames: folded('notNames'),
      timeWords: folded('timeWords'),
      eventHeads: folded('eventHeads'),
      commonAcronyms: folded('commonAcronyms'),
      placeQualifiers: folded('placeQualifiers'),
      lowercaseOrganizationHeads: new Set(
        (w.lowercaseHeads as Record<string, string[]>).organization?.map(fold),
      ),
      lowercasePlaceHeads: new Set((w.lowercaseHeads as Record<string, string[]>).place?.map(fold)),
      givenNames: folded('givenNames'),
      stopwords: folded('stopwords'),
    };
    cache.set(lang, sets);
    return sets;
  };
  return new BuiltLexicon(raw.entities, formsByFirst, uncasedFormsByFirst, words);
}

/**
 * The lexicon as built: a class, so that its lazy `entities` is a getter on the prototype.
 * A getter in an object literal would put the object in dictionary mode, and every read
 * of `formsByFirst` on the tagging path would be a hash lookup.
 */
class BuiltLexicon implements Lexicon {
  readonly #entityList: readonly LexEntity[];
  #entities: Map<string, LexEntity> | undefined;

  constructor(
    entityList: readonly LexEntity[],
    readonly formsByFirst: ReadonlyMap<string, readonly LexForm[]>,
    readonly uncasedFormsByFirst: ReadonlyMap<string, readonly LexForm[]>,
    readonly words: (lang: string) => WordSets,
  ) {
    this.#entityList = entityList;
  }

  /** Only search (`/actor`) reads entities by id: built on first use, not at start-up. */
  get entities(): ReadonlyMap<string, LexEntity> {
    if (!this.#entities) {
      this.#entities = new Map();
      for (const e of this.#entityList) this.#entities.set(e.id, e);
    }
    return this.#entities;
  }
}

function longestFirst(list: readonly LexForm[]): boolean {
  for (let k = 1; k < list.length; k++)
    if ((list[k] as LexForm).keys.length > (list[k - 1] as LexForm).keys.length) return false;
  return true;
}

let lexicon: Lexicon | undefined;

/** The lexicon compiled from config/gazetteer and the data packages (built on first use). */
export function defaultLexicon(): Lexicon {
  lexicon ??= buildLexicon(data as unknown as LexiconData);
  return lexicon;
}

/** A given name, including a hyphenated one whose first part is: "Pierre-Emerick", "Jean-Luc". */
export function isGivenName(words: WordSets, key: string): boolean {
  if (words.givenNames.has(key)) return true;
  if (!key.includes('-')) return false;
  const parts = key.split('-');
  const [first, second] = parts;
  return (
    parts.length === 2 &&
    words.givenNames.has(first ?? '') &&
    !words.organizationHeads.has(second ?? '')
  );
}

/**
 * Caches a per-word test for each word set: suffix and prefix checks run once per
 * spelling, not once per token.
 */
export function memoized(
  test: (words: WordSets, key: string) => boolean,
): (words: WordSets, key: string) => boolean {
  // One cache per word set, found by a symbol on the set itself: no WeakMap on the hot path.
  const slot = Symbol(test.name);
  type Cached = WordSets & { [slot]?: Map<string, boolean> };
  return (words, key) => {
    const holder = words as Cached;
    let cache = holder[slot];
    if (!cache) {
      cache = new Map();
      holder[slot] = cache;
    }
    let known = cache.get(key);
    if (known === undefined) {
      known = test(words, key);
      cache.set(key, known);
    }
    return known;
  };
}
