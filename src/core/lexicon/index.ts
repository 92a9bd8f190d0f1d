import { ACTOR_KINDS, type ActorKind } from '../types.js';
import data from './data.generated.json' with { type: 'json' };
import { PhraseSet } from './phrases.js';

export { KeyFilter, PhraseSet, phraseKeys } from './phrases.js';

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

export interface Lexicon {
  entities: ReadonlyMap<string, LexEntity>;
  /** Forms indexed by their first folded token, longest first. */
  formsByFirst: ReadonlyMap<string, readonly LexForm[]>;
  /** The same, only the forms a lower-case word may start ("russo", "mer Rouge"). */
  uncasedFormsByFirst: ReadonlyMap<string, readonly LexForm[]>;
  words(lang: string): WordSets;
}

/**
 * The lexicon as scripts/build-lexicon.mjs writes it: a few long strings, which JSON.parse
 * copies whole, split here where they are read, and nothing left to compute. What JSON.parse
 * made of objects in bulk, and what start-up then built from them, was a tenth of
 * `briefwire brief`'s start-up. Each list below is records joined by a separator, in chunks
 * (`records`); fields are separated by "|", records (and words) by ";".
 * - entities: id, kind, then each name's language and name (in the order of `names`);
 * - firsts: the index's first keys in its order, separated by spaces;
 * - forms: each first key's forms, separated by "#", longest first, each of entity index,
 *   type, folded keys joined by spaces, 1 when capitalised else 0, the tokens as written
 *   joined by spaces when it matches only exactly else nothing, its text;
 * - uncased: the positions of the first keys that have a form a lower-case word may start;
 * - words: the WordSets' lists, already folded, phrases as their keys (`phraseKeys`) joined
 *   by spaces; per language when the gazetteer gives them per language, else in `common`.
 */
interface LexiconData {
  entities: string[];
  firsts: string[];
  forms: string[];
  uncased: number[];
  words: Record<string, Record<string, string[]>>;
}

/**
 * The records of a list the build wrote in chunks, each chunk records joined by `separator`:
 * a record with a character past U+00FF is a chunk of its own, so that the others, split
 * from a one-byte string, are one-byte strings too (V8 makes a part of a two-byte string
 * two-byte, whatever it holds).
 */
export function records(chunks: readonly string[], separator: string): string[] {
  return chunks.length === 1
    ? (chunks[0] as string).split(separator)
    : chunks.flatMap((c) => c.split(separator));
}

/** The literals, not the strings split from the data: those compare by pointer. */
const KINDS = new Map<string, ActorKind>(ACTOR_KINDS.map((k) => [k, k]));
/** Form types by their initial, which is all the engine reads of a form's type. */
const FORM_TYPES = new Map<string, FormType>(
  (['name', 'short', 'demonym'] as const).map((t) => [t[0] as string, t]),
);

/**
 * Forms by first key, each key's list made from the data the first time it is read: a brief
 * reads a few hundred of the ten thousand keys. Iterating makes every list.
 */
class FormIndex implements ReadonlyMap<string, readonly LexForm[]> {
  /** The list once made, else its position in the data. */
  readonly #lists: Map<string, readonly LexForm[] | number>;
  readonly #make: (key: string, at: number) => readonly LexForm[];

  constructor(
    lists: Map<string, readonly LexForm[] | number>,
    make: (key: string, at: number) => readonly LexForm[],
  ) {
    this.#lists = lists;
    this.#make = make;
  }

  get size(): number {
    return this.#lists.size;
  }

  get(key: string): readonly LexForm[] | undefined {
    const list = this.#lists.get(key);
    return typeof list === 'number' ? this.#made(key, list) : list;
  }

  has(key: string): boolean {
    return this.#lists.has(key);
  }

  keys(): MapIterator<string> {
    return this.#lists.keys();
  }

  *values(): MapIterator<readonly LexForm[]> {
    for (const key of this.#lists.keys()) yield this.get(key) as readonly LexForm[];
  }

  *entries(): MapIterator<[string, readonly LexForm[]]> {
    for (const key of this.#lists.keys()) yield [key, this.get(key) as readonly LexForm[]];
  }

  [Symbol.iterator](): MapIterator<[string, readonly LexForm[]]> {
    return this.entries();
  }

  forEach(
    callback: (
      list: readonly LexForm[],
      key: string,
      map: ReadonlyMap<string, readonly LexForm[]>,
    ) => void,
    thisArg?: unknown,
  ): void {
    for (const [key, list] of this.entries()) callback.call(thisArg, list, key, this);
  }

  #made(key: string, at: number): readonly LexForm[] {
    const list = this.#make(key, at);
    this.#lists.set(key, list);
    return list;
  }
}

/**
 * The lexicon as built: a class, so that its lazy `entities` is a getter on the prototype.
 * A getter in an object literal would put the object in dictionary mode, and every read
 * of `formsByFirst` on the tagging path would be a hash lookup.
 */
class BuiltLexicon implements Lexicon {
  readonly formsByFirst: FormIndex;
  readonly uncasedFormsByFirst: FormIndex;
  readonly #raw: LexiconData;
  /** Entities by index, each made from its line when a form or a search first reads it. */
  #entityLines: string[] | undefined;
  #entityAt: (LexEntity | undefined)[] = [];
  #entities: Map<string, LexEntity> | undefined;
  readonly #words = new Map<string, WordSets>();

  constructor(raw: LexiconData) {
    this.#raw = raw;
    const firsts = records(raw.firsts, ' ');
    const groups = records(raw.forms, '#');
    const cased = new Map<string, readonly LexForm[] | number>();
    for (let at = 0; at < firsts.length; at++) cased.set(firsts[at] as string, at);
    this.formsByFirst = new FormIndex(cased, (_, at) => this.#forms(groups[at] as string));
    const uncased = new Map<string, readonly LexForm[] | number>();
    for (const at of raw.uncased) uncased.set(firsts[at] as string, at);
    // The same form objects as the cased index's, only those without a capital or exact case.
    this.uncasedFormsByFirst = new FormIndex(uncased, (key) =>
      (this.formsByFirst.get(key) as readonly LexForm[]).filter((f) => !f.capitalised && !f.exact),
    );
  }

  /** Only search (`/actor`) reads entities by id: built on first use, not at start-up. */
  get entities(): ReadonlyMap<string, LexEntity> {
    if (!this.#entities) {
      this.#entities = new Map();
      const count = this.#lines().length;
      for (let i = 0; i < count; i++) {
        const e = this.#entity(i) as LexEntity;
        this.#entities.set(e.id, e);
      }
    }
    return this.#entities;
  }

  readonly words = (lang: string): WordSets => {
    let sets = this.#words.get(lang);
    if (!sets) {
      sets = wordSets(this.#raw.words, lang);
      this.#words.set(lang, sets);
    }
    return sets;
  };

  #entity(i: number): LexEntity | undefined {
    const lines = this.#lines();
    let entity = this.#entityAt[i];
    if (entity === undefined) {
      const line = lines[i];
      if (line === undefined) return undefined;
      // id|kind|lang|name|lang|name…, read with indexOf and slice (see #forms).
      const kindAt = line.indexOf('|') + 1;
      let at = line.indexOf('|', kindAt) + 1;
      const names: Record<string, string> = {};
      while (at > 0) {
        const nameAt = line.indexOf('|', at) + 1;
        const next = line.indexOf('|', nameAt) + 1;
        names[line.slice(at, nameAt - 1)] =
          next > 0 ? line.slice(nameAt, next - 1) : line.slice(nameAt);
        at = next;
      }
      entity = {
        id: line.slice(0, kindAt - 1),
        kind: KINDS.get(line.slice(kindAt, line.indexOf('|', kindAt))) as ActorKind,
        names: names as LexEntity['names'],
      };
      this.#entityAt[i] = entity;
    }
    return entity;
  }

  /** The entities' lines, split on first use. */
  #lines(): string[] {
    if (!this.#entityLines) {
      this.#entityLines = records(this.#raw.entities, ';');
      this.#entityAt = new Array(this.#entityLines.length);
    }
    return this.#entityLines;
  }

  /**
   * One key's forms, longest first, from their string in the data: read with indexOf and
   * slice, not split. A split is a call into the runtime, and a stream of articles reads
   * thousands of keys for the first time: splitting each form's fields cost several times
   * what building the form does.
   */
  #forms(group: string): LexForm[] {
    const list: LexForm[] = [];
    for (let at = 0; at < group.length; ) {
      // entity|type|keys|capitalised|exact|text, capitalised one digit; the text is for tests.
      const typeAt = group.indexOf('|', at) + 1;
      const keysAt = group.indexOf('|', typeAt) + 1;
      const capitalAt = group.indexOf('|', keysAt) + 1;
      const exactAt = capitalAt + 2;
      const textAt = group.indexOf('|', exactAt) + 1;
      const end = group.indexOf(';', textAt);
      let index = 0;
      for (let k = at; k < typeAt - 1; k++) index = index * 10 + group.charCodeAt(k) - 48;
      const entity = this.#entity(index);
      if (entity) {
        list.push({
          entity,
          type: FORM_TYPES.get(group[typeAt] as string) as FormType,
          keys: parts(group, keysAt, capitalAt - 1),
          exact: textAt - 1 === exactAt ? null : parts(group, exactAt, textAt - 1),
          capitalised: group.charCodeAt(capitalAt) === 49,
        });
      }
      at = end < 0 ? group.length : end + 1;
    }
    return list;
  }
}

/** The space-separated words of text[start, end). */
function parts(text: string, start: number, end: number): string[] {
  const words: string[] = [];
  for (let at = start; ; ) {
    const space = text.indexOf(' ', at);
    if (space < 0 || space >= end) {
      words.push(text.slice(at, end));
      return words;
    }
    words.push(text.slice(at, space));
    at = space + 1;
  }
}

/** A language's word sets from the lists the build folded and keyed. */
function wordSets(words: LexiconData['words'], lang: string): WordSets {
  const split = (list: readonly string[] | undefined): string[] => records(list ?? [], ';');
  const own = (of: string, name: string) => split(words[of]?.[name]);
  // Unknown language: every language's words, since a miss costs more than a merge.
  const known = LANGS.includes(lang as Lang);
  const list = (name: string): string[] => {
    const common = words.common?.[name];
    if (common !== undefined) return split(common);
    return known ? own(lang, name) : LANGS.flatMap((l) => own(l, name));
  };
  const set = (name: string) => new Set(list(name));
  const phrases = (name: string) => new PhraseSet(list(name).map((p) => p.split(' ')));
  return {
    roles: phrases('roles'),
    honorifics: set('honorifics'),
    speech: phrases('speech'),
    locatives: phrases('locatives'),
    // English company words travel: "Kairos Partners" in an Italian text is a company.
    organizationHeads: new Set([...list('organizationHeads'), ...own('en', 'organizationHeads')]),
    roleSuffixes: list('roleSuffixes'),
    organizationSuffixes: list('organizationSuffixes'),
    nameParticles: set('nameParticles'),
    placeHeadsLeading: set('placeHeadsLeading'),
    placeHeadsTrailing: set('placeHeadsTrailing'),
    postNominals: set('postNominals'),
    portfolios: set('portfolios'),
    connectors: phrases('connectors'),
    notNames: set('notNames'),
    timeWords: set('timeWords'),
    eventHeads: set('eventHeads'),
    commonAcronyms: set('commonAcronyms'),
    placeQualifiers: set('placeQualifiers'),
    lowercaseOrganizationHeads: set('lowercaseOrganizationHeads'),
    lowercasePlaceHeads: set('lowercasePlaceHeads'),
    givenNames: set('givenNames'),
    stopwords: set('stopwords'),
  };
}

let lexicon: Lexicon | undefined;

/** The lexicon compiled from config/gazetteer and the data packages (built on first use). */
export function defaultLexicon(): Lexicon {
  lexicon ??= new BuiltLexicon(data as unknown as LexiconData);
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
