import { isGivenName, memoized, type WordSets } from '../lexicon/index.js';
import { type Doc, type DocToken, lowercaseWordsOf } from './document.js';
import type { LexMatch } from './gazetteer.js';

/** How sure the tagger is that a run names someone. */
export type RunSupport =
  /** A title, a role, a verb of saying, a known given name next to or in the name. */
  | 'evidence'
  /** A name-shaped run with no such sign: kept only if the text names it again. */
  | 'weak';

/** A run of capitalised tokens that names a person, an organisation or a place. */
export interface NameRun {
  first: number;
  /** Exclusive. */
  last: number;
  kind: 'person' | 'organization' | 'place';
  support: RunSupport;
}

/** A regnal or papal numeral: "Carlos III", "Benedict XVI". */
export const ROMAN = /^[IVXLC]+$/;
/** Endings of adjectives that may follow an organisation's head: "Procura europea". */
export const ADJECTIVE =
  /(?:asco|asca|eño|eña|ego|ega|és|esa|ero|era|eri|ere|ain|aine|ains|aines|are|ais|aise|ois|oise|ale|ali|ana|ane|ani|ano|ese|esi|ica|ici|ico|iche|iva|ivo|ive|ivi|aria|ario|arie|ari|ea|eo|ee|ei|ense|al|ales|aux|elle|el|ien|ienne|ique|iques|if|ive|isch|ische|ischen|ischer|lich|liche|lichen|ial|ian|ic|ical|ive|ary|ern)$/;
const MAX_ORGANIZATION_TOKENS = 9;

/** True when the token could be part of a proper name. */
export function nameLike(t: DocToken): boolean {
  if (!t.word) return false;
  if (t.capitalised || t.allCaps) return true;
  // "5G"-like codes and "al-Mansuri"; the cheap checks decide most tokens first: the
  // article's hyphen is the text's third or fourth character.
  const { text } = t;
  const articleDash = text.charCodeAt(2) === 45 || text.charCodeAt(3) === 45;
  if (articleDash && t.key.includes('-') && ARABIC_ARTICLE.test(text)) return true;
  return hasDigit(t.text) && /^\d+\p{Lu}|\p{Lu}\d/u.test(t.text);
}

/** /\d/ without a regex: asked of nearly every lower-case token. */
function hasDigit(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** "al-Mansuri", "bin-Salman": a lower-case article glued to a capitalised name. */
const ARABIC_ARTICLE = /^(?:al|el|ad|as|at|ash|bin|ben|ibn|abu|abd|bou)-\p{Lu}/u;

/** Particles that may join the parts of a name, and what may follow them. */
const PARTICLE_CHAINS = new Set([
  'von',
  'von der',
  'von dem',
  'van',
  'van der',
  'van den',
  'van de',
  'de',
  'de la',
  'del',
  'della',
  'di',
  'da',
  'das',
  'dos',
  'du',
  'bin',
  'ben',
  'ibn',
  'al',
  'el',
  'ter',
  'zu',
  'le',
  'la',
  'degli',
  'dei',
  'af',
  'st',
]);

/**
 * German common nouns are capitalised like names; their endings give most of them away
 * ("Unterstützung", "Wirtschaft", "Industrie"), so such a word never counts as a name.
 */
const GERMAN_NOUN =
  /(?:ung|ungen|heit|heiten|keit|keiten|schaft|schaften|tion|tionen|tät|täten|nis|nisse|tum|ismus|ment|enz|anz|ik|ie|ien|ei|eien|ling|linge|haft|ur|uren|ssen|isse|ungs|lage|lagen)$/;

/** Length of the role phrase starting at token i ("ministro", "prime minister"), or 0. */
export function isRoleToken(words: WordSets, keys: readonly string[], i: number): number {
  const n = words.roles.matchAt(keys, i);
  if (n > 0) return n;
  return isRoleCompound(words, keys[i] ?? '') ? 1 : 0;
}

/** German compounds and prefixed forms: "Verteidigungsminister", "exministro". */
const isRoleCompound = memoized((words: WordSets, key: string): boolean => {
  // German compounds: "Verteidigungsminister", "EZB-Präsidentin".
  for (const suffix of words.roleSuffixes) {
    if (key.length > suffix.length + 2 && key.endsWith(suffix)) return true;
  }
  const dash = key.lastIndexOf('-');
  if (dash > 0 && words.roles.has(key.slice(dash + 1))) return true;
  // "exministro", "ex-président", "vicepresidente", "Vizekanzler".
  const prefixed = /^(?:ex-?|vice-?|vize|co-?|sub|sotto)(.{4,})$/.exec(key);
  return prefixed !== null && words.roles.has(prefixed[1] ?? '');
});

export function isOrganizationToken(words: WordSets, t: DocToken): boolean {
  return (t.capitalised || t.allCaps) && isOrganizationWord(words, t.key);
}

const isOrganizationWord = memoized((words: WordSets, key: string): boolean => {
  if (words.organizationHeads.has(key)) return true;
  // "EZB-Rat", "Esa-Forschungszentrum": the last part of a compound decides.
  const dash = key.lastIndexOf('-');
  const last = key.slice(dash + 1);
  // German genitive: "des Robert Koch-Instituts".
  if (
    dash > 0 &&
    (words.organizationHeads.has(last) || words.organizationHeads.has(last.replace(/e?s$/, '')))
  ) {
    return true;
  }
  return words.organizationSuffixes.some(
    (suffix) => key.length > suffix.length + 2 && key.endsWith(suffix),
  );
});

/**
 * Finds the capitalised runs the lexicon did not claim and decides what each one is.
 * Titles, roles and sentence-initial ordinary words are peeled off the front first.
 * An organisation's name may swallow lexicon places ("Tribunale di Milano"): those
 * lexicon matches are returned as absorbed. The rules' reading, without the entity model.
 */
export function findNameRuns(
  doc: Doc,
  lexMatches: readonly LexMatch[],
): { runs: NameRun[]; absorbed: Set<LexMatch> } {
  const { tokens, words } = doc;
  const claimedBy = claims(tokens.length, lexMatches);
  const heads = lowercaseHeads(words);
  const runs: NameRun[] = [];
  const absorbed = new Set<LexMatch>();
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i] as DocToken;
    const headed = lowercaseHeaded(doc, i, claimedBy, heads);
    if (headed) {
      for (let k = headed.first; k < headed.last; k++) {
        const m = claimedBy[k];
        if (m) absorbed.add(m);
      }
      runs.push(headed);
      i = headed.last;
      continue;
    }
    if (claimedBy[i] !== undefined || !nameLike(t)) {
      i++;
      continue;
    }
    let end = runEnd(doc, i, claimedBy);
    // "Greater Manchester", "West Antarctica": a qualifier makes a place of its own.
    const place = claimedBy[end];
    if (
      end === i + 1 &&
      place?.entity.kind === 'place' &&
      words.placeQualifiers.has(t.key) &&
      !t.initial
    ) {
      absorbed.add(place);
      runs.push({ first: i, last: place.last, kind: 'place', support: 'evidence' });
      i = place.last;
      continue;
    }
    const organization = organizationEnd(doc, i, end, claimedBy);
    if (organization === DROP) {
      i = end;
      continue;
    }
    if (organization > end) {
      for (let k = end; k < organization; k++) {
        const m = claimedBy[k];
        if (m) absorbed.add(m);
      }
      end = organization;
    }
    for (const run of classifyRun(doc, i, end)) runs.push(run);
    i = Math.max(end, i + 1);
  }
  return { runs, absorbed };
}

/** The lexicon match claiming each token (the last one given, where matches overlap). */
type Claims = readonly (LexMatch | undefined)[];

function claims(tokens: number, lexMatches: readonly LexMatch[]): Claims {
  const claimed: (LexMatch | undefined)[] = [];
  for (let k = 0; k < tokens; k++) claimed.push(undefined);
  for (const m of lexMatches) for (let k = m.first; k < m.last; k++) claimed[k] = m;
  return claimed;
}

/** The end of the run of name tokens starting at i. */
function runEnd(doc: Doc, i: number, claimed: Claims): number {
  const { tokens, keys, words } = doc;
  const sentence = tokens[i]?.sentence;
  let j = i + 1;
  while (j < tokens.length) {
    const u = tokens[j] as DocToken;
    if (claimed[j] !== undefined || u.sentence !== sentence) break;
    if (nameLike(u) && !u.initial) {
      j++;
      continue;
    }
    // Initials: "J. K. Rowling", "Rüdiger K."
    if (
      u.text === '.' &&
      /^\p{Lu}$/u.test(tokens[j - 1]?.text ?? '') &&
      nameLike(tokens[j + 1] ?? u)
    ) {
      j++;
      continue;
    }
    // Particles inside a name: "von der Leyen", "Lula da Silva", "bin Salman".
    let k = j;
    while (k < tokens.length && words.nameParticles.has(keys[k] ?? '') && !tokens[k]?.capitalised)
      k++;
    // No particle: nothing joins (the checks below are pure, so leaving them out changes nothing).
    if (k === j) break;
    const chain = keys.slice(j, k).join(' ');
    const next = tokens[k];
    // "Hannelore Brückner von der Freien Universität": after a full name, "von" is a preposition.
    let names = 0;
    for (let n = i; n < j; n++) if (isRoleToken(words, keys, n) === 0) names++;
    const afterNext = tokens[k + 1];
    const institution = afterNext !== undefined && isOrganizationToken(words, afterNext);
    const joins =
      names < 3 &&
      !institution &&
      PARTICLE_CHAINS.has(chain) &&
      next !== undefined &&
      claimed[k] === undefined &&
      nameLike(next) &&
      !isOrganizationToken(words, next) &&
      isRoleToken(words, keys, k) === 0 &&
      !words.notNames.has(next.key);
    if (joins) {
      j = k + 1;
      continue;
    }
    break;
  }
  return j;
}

/**
 * Where an organisation's name that starts in [from, end) really ends: institutional
 * names in Italian, French and Spanish capitalise only their first word ("Procura
 * europea", "Guardia di finanza", "Corte d'appello di Milano").
 */
function organizationEnd(
  doc: Doc,
  from: number,
  end: number,
  claimed: Claims,
  headed = false,
): number {
  const { tokens, keys, words } = doc;
  let hasHead = headed;
  for (let k = from; k < end; k++)
    if (isOrganizationToken(words, tokens[k] as DocToken)) hasHead = true;
  if (!hasHead) return end;
  const sentence = tokens[from]?.sentence;
  let last = end;
  let k = end;
  let afterConnector = false;
  while (k < tokens.length && k - from < MAX_ORGANIZATION_TOKENS) {
    const t = tokens[k] as DocToken;
    if (t.sentence !== sentence) break;
    const connector = words.connectors.matchAt(keys, k);
    if (connector > 0) {
      k += connector;
      afterConnector = true;
      continue;
    }
    if (!t.word) break;
    const named = claimed[k];
    if (named && (named.entity.kind === 'place' || named.entity.kind === 'country')) {
      k = named.last;
      last = k;
      afterConnector = false;
      continue;
    }
    // "Comité international de la Croix-Rouge": the lexicon knows the whole; this run is a part.
    if (named && named.entity.kind === 'organization' && afterConnector) return DROP;
    if (nameLike(t) && claimed[k] === undefined) {
      k++;
      last = k;
      afterConnector = false;
      continue;
    }
    const lower = !t.capitalised && !words.stopwords.has(t.key);
    if (lower && (afterConnector || ADJECTIVE.test(t.key)) && claimed[k] === undefined) {
      k++;
      last = k;
      afterConnector = false;
      continue;
    }
    break;
  }
  return last;
}

/** Returned by organizationEnd when the run is part of a name the lexicon knows. */
const DROP = -1;

/**
 * "tribunal correctionnel de Paris", "glacier du Birch": an institution or a place whose
 * name starts with a lower-case word, found from that word when a capitalised name follows.
 */
function lowercaseHeaded(
  doc: Doc,
  i: number,
  claimed: Claims,
  heads: ReadonlyMap<string, NameRun['kind']>,
): NameRun | null {
  const t = doc.tokens[i] as DocToken;
  if (t.capitalised || claimed[i] !== undefined) return null;
  const head = heads.get(t.key);
  if (head === undefined) return null;
  const organization = head === 'organization';
  const end = organizationEnd(doc, i, i + 1, claimed, true);
  if (end <= i + 1) return null;
  if (!(doc.tokens[end - 1] as DocToken).capitalised) return null;
  return {
    first: i,
    last: end,
    kind: organization ? 'organization' : 'place',
    support: 'evidence',
  };
}

const headsByWords = new WeakMap<WordSets, ReadonlyMap<string, NameRun['kind']>>();

/**
 * Both lists of lower-case heads in one map (an organisation's head wins), so that each
 * lower-case word of a text (most of them) is looked up once, not twice.
 */
function lowercaseHeads(words: WordSets): ReadonlyMap<string, NameRun['kind']> {
  let heads = headsByWords.get(words);
  if (!heads) {
    const both = new Map<string, NameRun['kind']>();
    for (const key of words.lowercasePlaceHeads) both.set(key, 'place');
    for (const key of words.lowercaseOrganizationHeads) both.set(key, 'organization');
    heads = both;
    headsByWords.set(words, heads);
  }
  return heads;
}

function classifyRun(doc: Doc, from: number, to: number, afterSplit = false): NameRun[] {
  const { tokens, words } = doc;
  // "Repubblica Sergio Mattarella", "Nico Schlotterbeck Jamal Musiala": a given name inside
  // the run starts a new name.
  // An organisation named after a king stays whole: "Instituto de Salud Carlos III".
  const regnal = ROMAN.test(tokens[to - 1]?.text ?? '');
  for (let k = from + 1; k < to && !regnal; k++) {
    const t = tokens[k] as DocToken;
    const before = tokens[k - 1] as DocToken;
    const splits =
      to - k >= 2 && isGivenName(words, t.key) && !isGivenName(words, before.key) && before.word;
    if (splits) return [...classifyRun(doc, from, k, afterSplit), ...classifyRun(doc, k, to, true)];
  }
  const run = classify(doc, from, to, afterSplit);
  return run ? [run] : [];
}

function classify(doc: Doc, from: number, end: number, afterSplit: boolean): NameRun | null {
  const { tokens, keys, words } = doc;
  let to = end;
  // "Premier League", "Security Council": a role word inside an organisation's name; and a
  // run the organisation finder extended over lower-case words is an organisation outright.
  let extended = false;
  for (let k = from; k < end && !extended; k++) {
    const t = tokens[k] as DocToken;
    extended = t.word && !t.capitalised && !words.nameParticles.has(t.key);
  }
  const organizationName = extended || isOrganizationToken(words, tokens[end - 1] as DocToken);
  let first = from;
  let evidence = false;
  let peeledPortfolio = false;
  // Peel off what precedes the name: titles, roles, portfolios, time words, sentence starters.
  while (first < to) {
    const t = tokens[first] as DocToken;
    const roleLength = isRoleToken(words, keys, first);
    const peel = roleLength > 0 && !organizationName && !isOrganizationToken(words, t);
    if (words.honorifics.has(t.key) || peel) {
      first += Math.max(roleLength, 1);
      if (tokens[first]?.text === '.') first++;
      evidence = true;
      continue;
    }
    const previous = tokens[first - 1];
    const afterFunctionWord =
      previous !== undefined && !previous.capitalised && words.stopwords.has(previous.key);
    const portfolio = words.portfolios.has(t.key) && afterFunctionWord && !organizationName;
    if (portfolio) peeledPortfolio = true;
    const ordinary =
      words.notNames.has(t.key) ||
      portfolio ||
      (t.initial && (words.stopwords.has(t.key) || lowercaseWordsOf(doc).has(t.key))) ||
      (!t.word && t.text !== '.');
    if (!ordinary) break;
    first++;
  }
  // A role inside the run: "Defence Secretary Pete Hegseth", "US-Präsident Donald Trump".
  for (let k = first; k < to - 1 && !organizationName; k++) {
    const roleLength = isRoleToken(words, keys, k);
    if (
      roleLength > 0 &&
      k + roleLength < to &&
      !isOrganizationToken(words, tokens[k] as DocToken)
    ) {
      first = k + roleLength;
      evidence = true;
      k = first - 1;
    }
  }
  // Letters after the name: "Hugo de Villiers KC".
  while (to > first && words.postNominals.has(tokens[to - 1]?.key ?? '')) to--;
  if (first >= to) return null;
  const span = tokens.slice(first, to);
  // "Festival de Jerez", "Coppa Davis": events are not actors.
  if (span.some((t) => t.capitalised && words.eventHeads.has(t.key))) return null;
  const head = span[0] as DocToken;
  const tail = span[span.length - 1] as DocToken;
  const length = span.length;
  // "Marine Le Pen": a given name that is also an organisation word ("Marine") leads a person.
  const givenFirst = length >= 2 && isGivenName(words, head.key);
  if (span.every((t) => t.allCaps || !t.word)) {
    // "H3N2", "CO2", "KI", "GDP": codes and acronyms of things are not organisations.
    const acronym =
      length === 1 &&
      head.text.length <= 6 &&
      !ROMAN.test(head.text) &&
      !/\d/.test(head.text) &&
      !words.commonAcronyms.has(head.key);
    return acronym ? { first, last: to, kind: 'organization', support: 'evidence' } : null;
  }
  // "France Inter", "Iran International", "China Daily": a country's name leading other
  // capitalised words (the lexicon left it to this run) names an organisation.
  if (length >= 2 && !givenFirst && !evidence && namesPlace(doc, head)) {
    return { first, last: to, kind: 'organization', support: 'evidence' };
  }
  if (span.some((t, k) => isOrganizationToken(words, t) && !(k === 0 && givenFirst))) {
    // A lone compound is an institution only when it says whose: "Bundesarbeitsministerium",
    // not "Notenbank" or "Statistikbehörde".
    const organization = length >= 2 || /^(?:bundes|landes|staats)|ministerium$/.test(head.key);
    return organization ? { first, last: to, kind: 'organization', support: 'evidence' } : null;
  }
  // "Housing Secretary", "Prime Minister": a role, not a name.
  if (isRoleToken(words, keys, to - 1) > 0 || isRoleToken(words, keys, first) === length)
    return null;
  const place =
    length >= 2 &&
    (words.placeHeadsLeading.has(head.key) || words.placeHeadsTrailing.has(tail.key));
  if (place) return { first, last: to, kind: 'place', support: 'evidence' };
  if (doc.lang === 'de' && span.some((t) => GERMAN_NOUN.test(t.key) && !isGivenName(words, t.key)))
    return null;
  if (length === 1) {
    if (isGivenName(words, head.key) && !evidence) return null;
    // "catedrática de Economía Aplicada": what follows a portfolio is its qualifier.
    if (peeledPortfolio) return null;
    // "Analysts said": a sentence's first word needs more than a verb of saying.
    const spoken = !head.initial && spokenOf(doc, first, to);
    return { first, last: to, kind: 'person', support: evidence || spoken ? 'evidence' : 'weak' };
  }
  if (afterSplit || isGivenName(words, head.key)) evidence = true;
  // "Presupuestos Generales": words the text also writes in lower case are no name.
  const common = span.some(
    (t) => t.word && lowercaseWordsOf(doc).has(t.key) && !words.nameParticles.has(t.key),
  );
  if (!evidence && common) return null;
  evidence ||= spokenOf(doc, first, to);
  return { first, last: to, kind: 'person', support: evidence ? 'evidence' : 'weak' };
}

function namesPlace(doc: Doc, t: DocToken): boolean {
  return (
    doc.lexicon.formsByFirst
      .get(t.key)
      ?.some((f) => f.keys.length === 1 && f.type === 'name' && f.entity.kind === 'country') ??
    false
  );
}

/** A verb of saying right before or after the name: "said Smith", "Rossi ha detto". */
function spokenOf(doc: Doc, first: number, last: number): boolean {
  const { keys, words, tokens } = doc;
  let after = last;
  if (tokens[after]?.text === ',') after++;
  if (words.speech.matchAt(keys, after) > 0) return true;
  for (let n = 1; n <= 3; n++) {
    const at = first - n;
    if (at < 0 || tokens[at]?.sentence !== tokens[first]?.sentence) break;
    if (words.speech.matchAt(keys, at) === n) return true;
  }
  return false;
}
