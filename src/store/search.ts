/**
 * Name matching for /actor, shared by every store implementation: the folded search key,
 * the terms an actor is found by, and the bounded edit distance (the one of src/shared).
 */

import { defaultLexicon, type LexEntity, type Lexicon } from '../core/lexicon/index.js';
import { fold } from '../core/text/fold.js';
import type { ActorKind } from '../core/types.js';
import { editDistance } from '../shared/edit-distance.js';
import type { ActorMatch, ActorMatchKind } from './port.js';

export { editDistance };

// Letters NFD does not decompose: without these "Øresund" or "Łódź" could not be typed plainly.
const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  æ: 'ae',
  œ: 'oe',
  ı: 'i',
  þ: 'th',
};
const EXTRA_LETTERS = new RegExp(`[${Object.keys(EXTRA_FOLDS).join('')}]`, 'gu');

/** Lower case, no accents, punctuation as single spaces: "Yoon Suk-yeol" → "yoon suk yeol". */
export function searchKey(text: string): string {
  return fold(text)
    .replace(EXTRA_LETTERS, (letter) => EXTRA_FOLDS[letter] ?? letter)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface Term {
  term: string;
  /** The whole name or alias, rather than one word of it: an exact hit on it ranks higher. */
  whole: boolean;
}

const MIN_WORD = 2;

/** The terms an actor is found by: each name and alias folded, and each word of them. */
export function actorTerms(names: readonly string[]): Term[] {
  const terms = new Map<string, boolean>();
  for (const name of names) {
    const key = searchKey(name);
    if (key === '') continue;
    terms.set(key, true);
    for (const word of key.split(' ')) {
      if (word.length >= MIN_WORD && !terms.has(word)) terms.set(word, false);
    }
  }
  return [...terms].map(([term, whole]) => ({ term, whole }));
}

export function reverse(text: string): string {
  return [...text].reverse().join('');
}

/** The typos tolerated: none for very short queries, where one edit changes the word. */
export function maxDistance(key: string): number {
  if (key.length < 4) return 0;
  return key.length < 7 ? 1 : 2;
}

// ── Bounds every store's /actor search keeps ─────────────────────────────────────────────

/** A term that found an actor, and how well. */
export interface Candidate {
  actorId: string;
  term: string;
  match: ActorMatchKind;
  /** 0 exact whole name, 1 exact word, 2 prefix, 3 fuzzy; then distance. */
  rank: number;
  distance: number;
}

// Rows a search reads, whatever the number of actors.
export const PREFIX_ROWS = 200;
export const FUZZY_ROWS = 2000;
export const HYDRATED = 50;
/** Co-actors are counted over the actor's latest briefs: recent company, bounded work. */
export const CO_ACTOR_WINDOW = 500;
/**
 * Roles are read from the actor's latest briefs: what they are called now, at a cost that
 * does not grow with their history (a frequent actor is in hundreds of thousands).
 */
export const ROLE_WINDOW = 500;
/** Above every other code point: the end of a prefix range. */
export const TOP = '\u{10FFFF}';

/**
 * The fuzzy candidates' terms within `limit` edits of the key (an exact one is no typo),
 * with their distance. Candidates are read as terms alone, each distinct term measured
 * once: the actors behind the few that match are read afterwards.
 */
export function nearTerms(
  key: string,
  terms: Iterable<string>,
  limit: number,
): Map<string, number> {
  const near = new Map<string, number>();
  const measured = new Set<string>();
  for (const term of terms) {
    if (measured.has(term)) continue;
    measured.add(term);
    const distance = editDistance(key, term, limit);
    if (distance > 0 && distance <= limit) near.set(term, distance);
  }
  return near;
}

// ── The lexicon's names ──────────────────────────────────────────────────────────────────

interface LexiconNames {
  /** Search key of every name and alias, in every language → the entities it names. */
  byKey: Map<string, LexEntity[]>;
  /** Entity id → its names and aliases (names as written, other forms folded). */
  byId: Map<string, string[]>;
}

const namesOf = new WeakMap<Lexicon, LexiconNames>();

/**
 * The lexicon's names and aliases by search key, built once. Demonyms ("Spanish",
 * "spagnolo") are left out: they describe, they do not name, and "italiano" is a language too.
 */
function lexiconNames(lexicon: Lexicon): LexiconNames {
  let names = namesOf.get(lexicon);
  if (names) return names;
  const byKey = new Map<string, LexEntity[]>();
  const byId = new Map<string, string[]>();
  const add = (text: string, entity: LexEntity) => {
    const key = searchKey(text);
    if (key === '') return;
    const list = byKey.get(key) ?? [];
    if (!list.includes(entity)) list.push(entity);
    byKey.set(key, list);
    const written = byId.get(entity.id) ?? [];
    if (!written.includes(text)) written.push(text);
    byId.set(entity.id, written);
  };
  for (const entity of lexicon.entities.values()) {
    for (const name of Object.values(entity.names)) if (name) add(name, entity);
  }
  for (const forms of lexicon.formsByFirst.values()) {
    for (const form of forms) {
      // Forms keep only their tokens' folded keys, which searchKey reads the same way.
      if (form.type !== 'demonym') add(form.keys.join(' '), form.entity);
    }
  }
  names = { byKey, byId };
  namesOf.set(lexicon, names);
  return names;
}

/**
 * The lexicon's actors a query names exactly, in any of its languages, case and accents
 * aside: "Spain", "Spagna" and "España" are all `spain`; "Selenskyj" and "Zelenskyy" are
 * both Volodymyr Zelensky.
 */
export function lexiconActors(query: string, lexicon: Lexicon = defaultLexicon()): LexEntity[] {
  const key = searchKey(query);
  if (key === '') return [];
  return [...(lexiconNames(lexicon).byKey.get(key) ?? [])];
}

/** The lexicon's entity of an actor id, or undefined when the lexicon does not know it. */
export function lexiconEntity(
  id: string,
  lexicon: Lexicon = defaultLexicon(),
): LexEntity | undefined {
  return lexicon.entities.get(id);
}

/**
 * Every name and alias the lexicon has for an actor id, in all its languages: indexed with
 * the actor so that a search in another language, typos included, finds it.
 */
export function lexiconAliases(id: string, lexicon: Lexicon = defaultLexicon()): string[] {
  return lexiconNames(lexicon).byId.get(id) ?? [];
}

/**
 * The names an actor is found by, as every store indexes it: its own name and aliases, and
 * the lexicon's names in every language ("Spain" finds the España of a Spanish feed).
 */
export function searchNames(actor: { id: string; name: string; aliases: readonly string[] }) {
  return [actor.name, ...actor.aliases, ...lexiconAliases(actor.id)];
}

/** An actor's name in a language: the lexicon's for it, else `fallback` (the stored one). */
export function localName(id: string, fallback: string, language: string): string {
  const entity = lexiconEntity(id);
  if (entity === undefined) return fallback;
  return entity.names[language as keyof LexEntity['names']] ?? entity.names.en;
}

/** An exact hit of a name or alias, as both stores read it (times already as a Date). */
export function exactMatch(
  hit: { id: string; name: string; kind: ActorKind; term: string; brief_count: number },
  lastSeenAt: Date,
): ActorMatch {
  return {
    id: hit.id,
    name: hit.name,
    kind: hit.kind,
    match: 'exact',
    distance: 0,
    matched: hit.term,
    briefCount: hit.brief_count,
    lastSeenAt,
  };
}

/**
 * Whether /actor shows the first exact hit at once (as pickActor picks it): the only one,
 * or the only one whose whole name was typed. A store reads that hit's profile along with
 * the hits (actors.exactWithProfile).
 */
export function isShownHit(hits: readonly { whole: boolean }[]): boolean {
  return hits.length === 1 || (hits[0]?.whole === true && hits.filter((h) => h.whole).length === 1);
}
