import { slug } from '../text/fold.js';
import { ACTOR_KINDS, type Actor, type ActorKind, type Brief } from '../types.js';
import { compileSafeRegex, foldForMatch, RegexError, type SafeRegex } from './safe-regex.js';

/**
 * Subscription filters, written the way people type them in a chat:
 *
 *     ukraine "north korea" +nato -sport lang:it,en actor:umerov kind:person /kyiv|kiev/
 *
 * - `word`, `"a phrase"`, `ukrain*` (prefix): keywords, matched as whole words in the
 *   brief's title and summary, case- and accent-insensitively (`seoul` finds "Séoul");
 * - `/pattern/`: a regular expression over the same text, run in linear time (see
 *   safe-regex.ts: no backreferences, lookarounds or nested quantifiers); flags i, m, s, u;
 * - `lang:it` or `lang:it,en`: the brief's language;
 * - `actor:umerov`, `actor:"rustem umerov"`: an actor of the brief, by id, name or alias,
 *   forgiving a typo ("belusov") and accents;
 * - `kind:person` (`organization`, `country`, `place`): an actor of that kind.
 *
 * Plain terms of one family (text: keywords and patterns; lang; actor; kind) are
 * alternatives — any one will do —, families are combined with AND; `+term` is required,
 * `-term` excluded. So `ukraine russia lang:it` is (ukraine OR russia) AND Italian.
 */

export type FilterMode = 'any' | 'all' | 'not';

export type FilterTerm =
  | { type: 'keyword'; words: string; prefix: boolean }
  | { type: 'regex'; pattern: string; regex: SafeRegex }
  | { type: 'lang'; languages: string[] }
  | { type: 'actor'; query: string }
  | { type: 'kind'; kinds: ActorKind[] };

export interface Filter {
  mode: FilterMode;
  term: FilterTerm;
  /** The term as written (normalised), for display. */
  text: string;
}

export interface Filters {
  filters: Filter[];
  /** All of them as one line, e.g. for `/filter` and the config. Empty: everything passes. */
  text: string;
}

/** A filter text that cannot be read; the message is one line for the chat. */
export class FilterError extends Error {
  override readonly name = 'FilterError';
}

const KIND_NAMES: Record<string, ActorKind> = {
  person: 'person',
  people: 'person',
  persons: 'person',
  organization: 'organization',
  organisation: 'organization',
  organizations: 'organization',
  organisations: 'organization',
  org: 'organization',
  country: 'country',
  countries: 'country',
  place: 'place',
  places: 'place',
};

const PREFIXES = ['lang', 'actor', 'kind'] as const;
const OPEN_QUOTES = new Set(['"', '“', '„', '«']);
const CLOSE_QUOTE: Record<string, string> = { '"': '"', '“': '”', '„': '“', '«': '»' };

interface Token {
  mode: FilterMode;
  prefix: string | null;
  value: string;
  quoted: boolean;
  regex: boolean;
  /** A pattern's flags, as written after its closing /. */
  flags: string;
  raw: string;
}

/**
 * JavaScript's flags a pattern may carry. Matching always ignores case and accents (i), reads
 * ^ and $ at line ends (m) and knows every script (u), so those change nothing; s lets `.`
 * match line breaks. g and y mean nothing to a yes-or-no match.
 */
const PATTERN_FLAGS = 'imsu';

function tokenize(input: string): Token[] {
  const s = input.replace(/[\u00a0\u2000-\u200b]/g, ' ');
  const tokens: Token[] = [];
  let at = 0;
  const space = (c: string | undefined): boolean => c === undefined || /\s/.test(c);
  while (at < s.length) {
    while (at < s.length && /\s/.test(s[at] as string)) at++;
    if (at >= s.length) break;
    const start = at;
    let mode: FilterMode = 'any';
    if ((s[at] === '-' || s[at] === '+') && !space(s[at + 1])) {
      mode = s[at] === '-' ? 'not' : 'all';
      at++;
    } else if ((s[at] === '-' || s[at] === '+') && space(s[at + 1])) {
      throw new FilterError(`a lone ${s[at]} must be followed by a word: ${s[at]}word`);
    }
    if (s[at] === '/') {
      // A pattern runs to the next unescaped / outside a [class].
      let k = at + 1;
      let inClass = false;
      for (; k < s.length; k++) {
        const c = s[k];
        if (c === '\\') k++;
        else if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
      }
      if (k >= s.length)
        throw new FilterError(`${s.slice(start).trim()}: a pattern needs a closing /`);
      const value = s.slice(at + 1, k);
      at = k + 1;
      const flags = /^[a-z]*/i.exec(s.slice(at))?.[0] ?? '';
      at += flags.length;
      const written = s.slice(start, at);
      for (const [index, flag] of [...flags].entries()) {
        if (!PATTERN_FLAGS.includes(flag)) {
          throw new FilterError(
            `${written}: ${flag} is not a flag a filter takes (i, m, s, u; matching ignores case anyway)`,
          );
        }
        if (flags.indexOf(flag) !== index)
          throw new FilterError(`${written}: the ${flag} flag is given twice`);
      }
      if (!space(s[at])) {
        throw new FilterError(`${s.slice(start, at + 1)}…: put a space after the closing /`);
      }
      tokens.push({
        mode,
        prefix: null,
        value,
        quoted: false,
        regex: true,
        flags,
        raw: s.slice(start, at),
      });
      continue;
    }
    let prefix: string | null = null;
    const m = /^([a-z]+):(?=\S)/i.exec(s.slice(at));
    if (m?.[1]) {
      prefix = m[1].toLowerCase();
      at += m[0].length;
      if (!(PREFIXES as readonly string[]).includes(prefix)) {
        throw new FilterError(
          `unknown filter "${m[0]}" (use words, "phrases", -word, /pattern/, lang:it, actor:name, kind:person)`,
        );
      }
    }
    let value: string;
    let quoted = false;
    const open = s[at] as string;
    if (OPEN_QUOTES.has(open)) {
      const close = CLOSE_QUOTE[open] as string;
      let end = s.indexOf(close, at + 1);
      if (end < 0 && open === '„') end = s.indexOf('”', at + 1);
      if (end < 0) throw new FilterError(`${s.slice(start).trim()}: missing closing ${close}`);
      value = s.slice(at + 1, end);
      at = end + 1;
      quoted = true;
    } else {
      let end = at;
      while (end < s.length && !/\s/.test(s[end] as string)) end++;
      value = s.slice(at, end);
      at = end;
    }
    tokens.push({ mode, prefix, value, quoted, regex: false, flags: '', raw: s.slice(start, at) });
  }
  return tokens;
}

function sign(mode: FilterMode): string {
  return mode === 'not' ? '-' : mode === 'all' ? '+' : '';
}

function quote(value: string): string {
  return /\s/.test(value) ? `"${value}"` : value;
}

/** Text as keywords see it: folded, words separated by single spaces. */
function keywordText(s: string): string {
  return foldForMatch(s)
    .replace(/[’‘`´]/g, "'")
    .replace(/[^\p{L}\p{N}'*]+/gu, ' ')
    .trim();
}

function toFilter(token: Token): Filter {
  const { mode } = token;
  if (token.regex) {
    // Only s changes anything (see PATTERN_FLAGS); the filter's text keeps just that one.
    const dotAll = token.flags.includes('s');
    let regex: SafeRegex;
    try {
      regex = compileSafeRegex(token.value, { dotAll });
    } catch (error) {
      if (error instanceof RegexError) throw new FilterError(`/${token.value}/: ${error.message}`);
      throw error;
    }
    if (token.value === '') throw new FilterError('// is an empty pattern');
    return {
      mode,
      term: { type: 'regex', pattern: token.value, regex },
      text: `${sign(mode)}/${token.value}/${dotAll ? 's' : ''}`,
    };
  }
  const value = token.value.trim();
  switch (token.prefix) {
    case 'lang': {
      const languages = value
        .toLowerCase()
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean);
      const bad = languages.find((l) => !/^(?:[a-z]{2}|und)$/.test(l));
      if (bad !== undefined || languages.length === 0) {
        throw new FilterError(
          `lang:${value}: expected two-letter language codes such as lang:it or lang:it,en`,
        );
      }
      return {
        mode,
        term: { type: 'lang', languages },
        text: `${sign(mode)}lang:${languages.join(',')}`,
      };
    }
    case 'kind': {
      const kinds: ActorKind[] = [];
      for (const name of value.toLowerCase().split(',')) {
        const kind = KIND_NAMES[name.trim()];
        if (!kind) {
          throw new FilterError(`kind:${value}: expected one of ${ACTOR_KINDS.join(', ')}`);
        }
        if (!kinds.includes(kind)) kinds.push(kind);
      }
      return { mode, term: { type: 'kind', kinds }, text: `${sign(mode)}kind:${kinds.join(',')}` };
    }
    case 'actor': {
      if (!slug(value)) throw new FilterError(`actor:${value}: give a name, e.g. actor:umerov`);
      return {
        mode,
        term: { type: 'actor', query: value },
        text: `${sign(mode)}actor:${quote(value)}`,
      };
    }
    default: {
      const folded = keywordText(value);
      const prefix = folded.endsWith('*');
      const words = folded.replace(/\*+/g, ' ').replace(/\s+/g, ' ').trim();
      if (!words) {
        throw new FilterError(`${token.raw}: a keyword needs letters or digits`);
      }
      return {
        mode,
        term: { type: 'keyword', words, prefix },
        text: `${sign(mode)}${token.quoted ? `"${value}"` : value}`,
      };
    }
  }
}

/**
 * A subscription's filter text → typed filters; '' gives no filters (everything passes).
 * Throws FilterError with a one-line message naming the offending term.
 */
export function parseFilters(text: string): Filters {
  if (text.length > 1000) throw new FilterError('filters are limited to 1000 characters');
  const filters = tokenize(text).map(toFilter);
  return { filters, text: filters.map((f) => f.text).join(' ') };
}

/** Whether `words` occurs in `haystack` (both keywordText) as whole words. */
function hasWords(haystack: string, words: string, prefix: boolean): boolean {
  for (let at = haystack.indexOf(words); at >= 0; at = haystack.indexOf(words, at + 1)) {
    // An apostrophe separates words too: "dell'Ucraina", "Ukraine's".
    const before = at === 0 || /[\s']/.test(haystack[at - 1] as string);
    const end = at + words.length;
    const after = prefix || end === haystack.length || /[\s']/.test(haystack[end] as string);
    if (before && after) return true;
  }
  return false;
}

/** Edit distance up to `limit` (more is reported as limit + 1). */
function withinEdits(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      row.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return false;
    prev = row;
  }
  return (prev[b.length] as number) <= limit;
}

/** Two name words are the same allowing a typo: 1 edit from 5 letters, 2 from 9. */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = Math.min(a.length, b.length);
  if (shorter < 5) return false;
  return withinEdits(a, b, Math.max(a.length, b.length) >= 9 ? 2 : 1);
}

/**
 * Whether an actor answers to a name someone typed: its id, name or an alias, accents and
 * case aside; every word typed must be one of the actor's words, allowing a typo
 * ("umerov", "Rustem Umerov", "belusov" for Belousov, "Séoul").
 */
export function actorMatches(
  actor: Pick<Actor, 'id' | 'name' | 'aliases'>,
  query: string,
): boolean {
  const wanted = slug(query);
  if (!wanted) return false;
  const names = [actor.id, slug(actor.name), ...actor.aliases.map((a) => slug(a))];
  if (names.includes(wanted)) return true;
  const words = wanted.split('-');
  return names.some((name) => {
    const own = name.split('-');
    return words.every((w) => own.some((o) => sameWord(w, o)));
  });
}

function termMatches(
  term: FilterTerm,
  brief: Brief,
  text: () => string,
  raw: () => string,
): boolean {
  switch (term.type) {
    case 'keyword':
      return hasWords(text(), term.words, term.prefix);
    case 'regex':
      return term.regex.test(raw());
    case 'lang':
      return term.languages.includes(brief.language.toLowerCase());
    case 'actor':
      return brief.actors.some((a) => actorMatches(a, term.query));
    case 'kind':
      return brief.actors.some((a) => term.kinds.includes(a.kind));
  }
}

function family(term: FilterTerm): string {
  return term.type === 'keyword' || term.type === 'regex' ? 'text' : term.type;
}

/** Whether a brief passes a subscription's filters (no filters: it does). */
export function matches(brief: Brief, filters: Filters | readonly Filter[]): boolean {
  const list = 'filters' in filters ? filters.filters : filters;
  if (list.length === 0) return true;
  let rawText: string | undefined;
  let words: string | undefined;
  const raw = (): string => {
    rawText ??= `${brief.title}\n${brief.summary.join('\n')}`;
    return rawText;
  };
  const text = (): string => {
    words ??= keywordText(raw());
    return words;
  };
  const anyOf = new Map<string, boolean>();
  for (const { mode, term } of list) {
    if (mode === 'any') {
      const group = family(term);
      if (anyOf.get(group) === true) continue;
      anyOf.set(group, termMatches(term, brief, text, raw));
      continue;
    }
    const hit = termMatches(term, brief, text, raw);
    if (mode === 'all' && !hit) return false;
    if (mode === 'not' && hit) return false;
  }
  for (const hit of anyOf.values()) if (!hit) return false;
  return true;
}

// ── Config lists ─────────────────────────────────────────────────────────────────────────

/** One config list item as a term of the filter language (`north korea` → `"north korea"`). */
function asTerm(item: string): string {
  const text = item.trim();
  if (!/\s/.test(text)) return text;
  const [, sign = '', rest = ''] = /^([+-]?)(.*)$/s.exec(text) ?? [];
  if (rest.startsWith('/') || /^["“„«]/.test(rest)) return text;
  const prefixed = /^([a-z]+:)(.*)$/is.exec(rest);
  if (prefixed) {
    const value = (prefixed[2] ?? '').trim();
    return /^["“„«]/.test(value) ? text : `${sign}${prefixed[1]}"${value}"`;
  }
  return `${sign}"${rest.trim()}"`;
}

/**
 * A config list of filters (`[ukraine, -sport, lang:it]`) as one filter text; items the
 * filter language refuses are left out and listed in `refused` with the reason.
 */
export function joinFilterTerms(items: readonly string[]): {
  text: string;
  refused: { item: string; reason: string }[];
} {
  const kept: string[] = [];
  const refused: { item: string; reason: string }[] = [];
  for (const item of items) {
    const term = asTerm(item);
    if (!term) continue;
    try {
      parseFilters(term);
      kept.push(term);
    } catch (error) {
      if (!(error instanceof FilterError)) throw error;
      refused.push({ item, reason: error.message });
    }
  }
  return { text: kept.join(' '), refused };
}
