import type { LexEntity, LexForm } from '../lexicon/index.js';
import { isGivenName, KeyFilter } from '../lexicon/index.js';
import type { Doc, DocToken } from './document.js';
import { isOrganizationToken } from './names.js';

/** A span of tokens that names a lexicon entity. */
export interface LexMatch {
  first: number;
  /** Exclusive. */
  last: number;
  start: number;
  end: number;
  entity: LexEntity;
  form: LexForm;
}

/**
 * Per token of a Doc, the lexicon forms its key starts, from the index its casing asks
 * for (the cased one for a capitalised word, in capitals or starting with a digit; else
 * the lower-case one), where something already looked them up: the entity tagger does,
 * for its features. An empty list if none; undefined where the scan should look.
 */
export type KnownFirstForms = readonly (readonly LexForm[] | undefined)[];

/**
 * Finds lexicon names in the text, longest first. A hyphenated compound whose first part
 * is a name ("Nato-Gipfel", "US-Präsident") counts as a mention of that part.
 */
export function matchLexicon(
  doc: Doc,
  options: { trustCapitals?: boolean; firstForms?: KnownFirstForms } = {},
): LexMatch[] {
  const trustCapitals = options.trustCapitals ?? true;
  const known = options.firstForms;
  const { tokens } = doc;
  const matches: LexMatch[] = [];
  const dashes = new DashFinder(doc.text);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token?.word) continue;
    const hit = longestAt(doc, i, known?.[i]) ?? genitiveAt(doc, i);
    if (hit) {
      // "Nigel Farage", "Milan Horvat", "Iran International": trusting capitals, a one-word
      // place right before another capitalised word is part of a longer name, which the
      // name finder judges.
      if (!trustCapitals || !partOfLongerName(doc, i, hit)) {
        // "Dmitri Peskow": a given name before a known surname belongs to the mention.
        const previous = i > 0 ? tokens[i - 1] : undefined;
        const givenBefore =
          hit.type === 'short' &&
          previous?.capitalised === true &&
          isGivenName(doc.words, previous.key);
        matches.push(lexMatch(doc, i, hit, givenBefore, matches));
      }
      i += hit.keys.length - 1;
      continue;
    }
    if (!dashes.within(token.start, token.end)) continue;
    const compound = compoundAt(doc, i);
    if (compound) matches.push(compound);
  }
  return matches;
}

/**
 * "Nato-Gipfel": the lexicon name a hyphenated word at token i starts, as a match of that
 * part alone. A function of its own: the closures it makes would otherwise capture the
 * scan's loop variables, and V8 would allocate a context for them on every token.
 */
function compoundAt(doc: Doc, i: number): LexMatch | undefined {
  const { tokens, keys } = doc;
  const token = tokens[i] as DocToken;
  const dash = hyphenAt(token.text);
  if (dash <= 0) return undefined;
  // The lexicon first: most compounds start with no name, and the checks below cost more.
  const part = token.text.slice(0, dash);
  const partKey = keys[i]?.slice(0, dash) ?? '';
  const form = formsStartingWith(doc.lexicon.formsByFirst, partKey)?.find(
    (f) => f.keys.length === 1 && f.type !== 'demonym' && accepts(f, [part], token),
  );
  if (!form) return undefined;
  const previous = i > 0 ? tokens[i - 1] : undefined;
  const next = tokens[i + 1];
  const inPersonName = previous?.capitalised === true && isGivenName(doc.words, previous.key);
  // "Rhein-Ruhr Wertstoff GmbH": the compound starts an organisation's name.
  const inLongerName =
    next?.capitalised === true &&
    [next, tokens[i + 2]].some((t) => t !== undefined && isOrganizationToken(doc.words, t));
  // "Vernier-Lasalle": outside German, a capitalised second part makes a double name.
  const doubleName = doc.lang !== 'de' && /^\p{Lu}/u.test(token.text.slice(dash + 1));
  if (inPersonName || inLongerName || doubleName) return undefined;
  return {
    first: i,
    last: i + 1,
    start: token.start,
    end: token.start + dash,
    entity: form.entity,
    form,
  };
}

/** The match of `form` at token i, taking the given name before it unless already taken. */
function lexMatch(
  doc: Doc,
  i: number,
  form: LexForm,
  givenBefore: boolean,
  matches: readonly LexMatch[],
): LexMatch {
  const { tokens } = doc;
  const first = givenBefore && (matches.at(-1)?.last ?? 0) < i ? i - 1 : i;
  return {
    first,
    last: i + form.keys.length,
    start: (tokens[first] as DocToken).start,
    end: (tokens[i + form.keys.length - 1] as DocToken).end,
    entity: form.entity,
    form,
  };
}

function partOfLongerName(doc: Doc, i: number, form: LexForm): boolean {
  if (form.keys.length !== 1 || form.type !== 'name' || form.exact) return false;
  if (form.entity.kind !== 'place' && form.entity.kind !== 'country') return false;
  // "Joachim van Essen", "Cem Aydın-Lorenz": a particle after a given name, or a given name.
  const before = doc.tokens[i - 1];
  const givenBefore = (t: DocToken | undefined) =>
    t?.capitalised === true && isGivenName(doc.words, t.key);
  const particle =
    before !== undefined && !before.capitalised && doc.words.nameParticles.has(before.key);
  if (particle && (before.key === 'van' || before.key === 'von')) return true;
  // "Elena Sáez de Ibarra": a particle after a name that starts with a given name.
  for (let k = i - 2; particle && k >= 0 && doc.tokens[k]?.capitalised; k--) {
    if (givenBefore(doc.tokens[k])) return true;
  }
  if (givenBefore(before)) return true;
  const sentence = doc.tokens[i]?.sentence;
  const next = doc.tokens[i + 1];
  // "Abdallah ben Zayed": a particle, then a capitalised word, continues a name.
  if (next && doc.words.nameParticles.has(next.key) && !next.capitalised) {
    const after = doc.tokens[i + 2];
    if (after?.capitalised && after.sentence === sentence) return true;
  }
  if (!next?.word || !next.capitalised || next.initial || next.sentence !== sentence) return false;
  // "Malte Osterkamp", "Florence Pugh": a place that is also a given name, before a surname.
  if (isGivenName(doc.words, doc.tokens[i]?.key ?? '')) return true;
  // German capitalises every noun: "Dortmunds Torhüter" is a place and a noun, unless the
  // next word names an institution.
  if (doc.lang === 'de') return isOrganizationToken(doc.words, next);
  // "Paraguay Santiago Peña": a given name next starts a person, not this place's name.
  if (isGivenName(doc.words, next.key)) return false;
  return longestAt(doc, i + 1) === undefined;
}

/** The longest form starting at token i; `candidates`, the forms its key starts, if known. */
function longestAt(
  doc: Doc,
  i: number,
  candidates: readonly LexForm[] = startingAt(doc, i),
): LexForm | undefined {
  const { tokens, keys } = doc;
  for (const form of candidates) {
    const n = form.keys.length;
    if (i + n > tokens.length) continue;
    let same = true;
    for (let k = 1; k < n; k++) {
      if (keys[i + k] !== form.keys[k]) {
        same = false;
        break;
      }
    }
    if (!same) continue;
    if (acceptsAt(form, tokens, i)) return form;
  }
  return undefined;
}

/** The forms token i's key starts, from the index its casing asks for (see KnownFirstForms). */
function startingAt(doc: Doc, i: number): readonly LexForm[] {
  const token = doc.tokens[i];
  const index =
    token !== undefined && casedLookup(token)
      ? doc.lexicon.formsByFirst
      : doc.lexicon.uncasedFormsByFirst;
  return formsStartingWith(index, doc.keys[i] ?? '') ?? NO_FORMS;
}

/** No lexicon forms: one shared empty list. */
export const NO_FORMS: readonly LexForm[] = [];

/** Whether a token's names are looked for among the lexicon's cased forms. */
export function casedLookup(token: DocToken): boolean {
  return token.capitalised || token.allCaps || startsWithDigit(token.text);
}

/**
 * The first words of an index's forms as a KeyFilter, so that the tokens that start no
 * form (most of them) are turned away without a probe of the index's ten thousand entries.
 * The filter pays only over many lookups: hashing those ten thousand keys takes ~10 ms in
 * a fresh process (cold, interpreted code), where a brief read by the entity model asks
 * the index 10-30 times (the tagger's own lookups are reused), one without the model about
 * once a word. So the first UNFILTERED_LOOKUPS lookups ask the index itself, and a
 * one-article run builds no filter; the same forms are found either way.
 */
const FIRST_WORD_BITS = 1 << 17;
export const UNFILTERED_LOOKUPS = 10_000;
let unfilteredLookups = 0;
const firstWordFilters = new WeakMap<ReadonlyMap<string, readonly LexForm[]>, KeyFilter>();
// The last index asked about: briefs read one lexicon, so the WeakMap is rarely consulted.
let lastIndex: ReadonlyMap<string, readonly LexForm[]> | undefined;
let lastFilter: KeyFilter | undefined;

/** index.get(key), with the keys that start no form turned away by the index's KeyFilter. */
export function formsStartingWith(
  index: ReadonlyMap<string, readonly LexForm[]>,
  key: string,
): readonly LexForm[] | undefined {
  if (unfilteredLookups < UNFILTERED_LOOKUPS) {
    unfilteredLookups++;
    return index.get(key);
  }
  return firstWordsOf(index).mayHold(key) ? index.get(key) : undefined;
}

function firstWordsOf(index: ReadonlyMap<string, readonly LexForm[]>): KeyFilter {
  if (index === lastIndex && lastFilter) return lastFilter;
  let filter = firstWordFilters.get(index);
  if (!filter) {
    filter = new KeyFilter(index.keys(), FIRST_WORD_BITS);
    firstWordFilters.set(index, filter);
  }
  lastIndex = index;
  lastFilter = filter;
  return filter;
}

/** German genitives of names: "Russlands", "Europas", "Irans". */
function genitiveAt(doc: Doc, i: number): LexForm | undefined {
  const t = doc.tokens[i];
  if (doc.lang !== 'de' || !t?.capitalised || t.key.length < 5 || !t.key.endsWith('s'))
    return undefined;
  const base = t.key.slice(0, -1);
  // German capitalises its nouns, and many end in "s": most are turned away by the bitmap.
  return formsStartingWith(doc.lexicon.formsByFirst, base)?.find(
    (f) => f.keys.length === 1 && f.type === 'name' && f.capitalised && f.entity.kind !== 'person',
  );
}

function accepts(form: LexForm, texts: readonly string[], first: DocToken): boolean {
  if (form.exact) return form.exact.every((t, k) => t === texts[k]);
  return acceptsCasing(form, texts.length, first);
}

/** `accepts` for the form's words at tokens[i…]: no array of their texts made per candidate. */
function acceptsAt(form: LexForm, tokens: readonly DocToken[], i: number): boolean {
  const { exact } = form;
  if (exact) {
    if (exact.length > form.keys.length) return false;
    for (let k = 0; k < exact.length; k++) if (exact[k] !== tokens[i + k]?.text) return false;
    return true;
  }
  return acceptsCasing(form, form.keys.length, tokens[i] as DocToken);
}

/** Whether the casing of a form's first word in the text fits the form's. */
function acceptsCasing(form: LexForm, words: number, first: DocToken): boolean {
  // "russo" counts for Russia, but a capitalised "Russo" mid-sentence is a surname.
  if (form.type === 'demonym')
    return form.capitalised ? first.capitalised : !first.capitalised || first.initial;
  // Names need their capital ("Turkey", not "turkey"), unless the lexicon writes them in
  // lower case ("talebani", "mer Rouge"). A word in capitals is an acronym ("NICE" is no
  // town), except a dateline's place at the start of a sentence ("ROMA –").
  if (first.allCaps && words === 1 && first.text.length > 1 && !first.initial) return false;
  return !form.capitalised || first.capitalised || startsWithDigit(first.text);
}

/** /^\d/ without a regex: asked of nearly every token. */
function startsWithDigit(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/**
 * Whether a span of the text holds a hyphen, asked of spans in text order: a search of
 * the whole text for each kind of hyphen, resumed past each one found, instead of two
 * searches of every word (most of which hold none).
 */
class DashFinder {
  readonly #text: string;
  /** Where the next of each hyphen is, at or after the last span's start; none: the length. */
  #plain = -1;
  #unicode = -1;

  constructor(text: string) {
    this.#text = text;
  }

  /** Whether text[start..end) holds '-' or '‐'; `start` never goes back between calls. */
  within(start: number, end: number): boolean {
    if (this.#plain < start) this.#plain = this.#next('-', start);
    if (this.#unicode < start) this.#unicode = this.#next('‐', start);
    return this.#plain < end || this.#unicode < end;
  }

  #next(dash: string, from: number): number {
    const at = this.#text.indexOf(dash, from);
    return at < 0 ? this.#text.length : at;
  }
}

function hyphenAt(text: string): number {
  const plain = text.indexOf('-');
  return plain >= 0 ? plain : text.indexOf('‐');
}
