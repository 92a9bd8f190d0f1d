import { isGivenName } from '../lexicon/index.js';
import type { Doc, DocToken } from './document.js';
import { ADJECTIVE, isRoleToken } from './names.js';

const words = (text: string) => new Set(text.split(' '));

/** Words that may sit inside a role phrase without being names: "generale", "deputy". */
const MODIFIERS = words(
  'ex former deputy vice acting interim outgoing incoming new chief senior top general executive ' +
    'generale delegato delegata esecutivo uscente nuovo nuova vicario aggiunto ' +
    'adjoint adjointe general generale delegue deleguee sortant nouveau nouvelle ancien ancienne ' +
    'stellvertretende stellvertretender ehemalige ehemaliger neue neuer amtierende amtierender ' +
    'ejecutivo ejecutiva delegado delegada saliente nuevo nueva adjunto adjunta antiguo exministro',
);

/**
 * Word lists of one language each, and of all five for any other language. Per language,
 * because a word's class differs between them: "a" is an article in English, a verb
 * ("has") in French and a preposition in Italian and Spanish; "die" is German's article.
 */
function byLanguage(lists: Record<string, string>): (lang: string) => ReadonlySet<string> {
  const sets = new Map(Object.entries(lists).map(([lang, list]) => [lang, words(list)]));
  const all = new Set([...sets.values()].flatMap((set) => [...set]));
  return (lang) => sets.get(lang) ?? all;
}

/** Articles and possessives: a role phrase may contain one only right after a preposition. */
const determiners = byLanguage({
  en: 'the a an its his her their this that',
  it: "il lo la i gli le l' un una uno un' suo sua questo questa",
  fr: "le la les l' un une son sa ses ce cet cette",
  de: 'der die das den dem des ein eine einen einem einer eines sein seine ihr ihre',
  es: 'el la los las un una su sus este esta',
});

// Folded keys: French "à" is "a" here, told apart from the verb "a" by its accent (auxiliaries).
const prepositions = byLanguage({
  en: 'of for at in on to from with by',
  it:
    "di del della dello dei degli delle dell' d' a al alla allo ai agli alle all' da dal dalla " +
    "dai dagli dalle dall' in nel nella nello nei negli nelle nell' su sul sulla sui sugli sulle " +
    "sull' per con tra fra",
  fr: "de du des d' a au aux en pour par chez sur sous avec dans contre",
  de: 'von vom zu zum zur fur mit bei beim aus an am auf im in nach uber unter gegen',
  es: 'de del a al en con para por sobre desde entre',
});

const CONJUNCTIONS = words('e ed et and und y o or ou oder');

/**
 * Auxiliary verbs, as written (lower-cased, not folded: French "a" is a verb and "à" a
 * preposition, Italian "è" a verb and "e" a conjunction).
 */
const auxiliaries = byLanguage({
  en: 'has have had',
  it: 'ha hanno aveva è',
  fr: 'a ont avait est',
  de: 'hat haben ist',
  es: 'ha han había habia es',
});

const isAuxiliary = (doc: Doc, t: DocToken | undefined): boolean =>
  t !== undefined && auxiliaries(doc.lang).has(t.text.toLowerCase());

/**
 * English's indefinite articles. Only English's: an indefinite description before a name
 * is rare there ("a partner in crime in her friend X", "a major overhaul ... midfielder
 * X") and common in French and Italian, where it is the role ("un porte-parole de la
 * ville, X"). Until 2026-12-07 English "a" stopped a role as French's auxiliary did.
 */
const INDEFINITES = words('a an');

const isIndefinite = (doc: Doc, t: DocToken | undefined): boolean =>
  doc.lang === 'en' && t !== undefined && INDEFINITES.has(t.key);

const MAX_ROLE_TOKENS = 12;

// Endings of nouns for occupations, for the roles no list can hold ("la restauratrice",
// "l'archivista", "une urgentiste", "la antropóloga"). Only lower-case words next to a
// name count, so a German surname ending in -er never becomes a role.
const OCCUPATION: Record<string, RegExp> = {
  it: /(?:ista|isti|iste|tore|tori|trice|trici|iere|iera|ieri|ologo|ologa|ologi|ario|aria|ante|ente)$/,
  es: /(?:ista|istas|dor|dora|dores|doras|ologo|ologa|ario|aria|ante|ente)$/,
  fr: /(?:eur|euse|rice|iste|ienne|ologue)$/,
  en: /(?:ist|ian|ologist)$/,
};

/** Length of the role phrase at token k: a listed role, or a lower-case occupation noun. */
function roleAt(doc: Doc, k: number): number {
  if (k < 0) return 0;
  const listed = isRoleToken(doc.words, doc.keys, k);
  if (listed > 0) return listed;
  const t = doc.tokens[k];
  const occupation = OCCUPATION[doc.lang];
  if (!t?.lower || !occupation || t.key.length < 6 || t.key.endsWith('mente')) return 0;
  return occupation.test(t.key) && !doc.words.stopwords.has(t.key) ? 1 : 0;
}

/**
 * The role the text gives the person named by tokens [first, last): a phrase headed by a
 * role word right before the name ("il ministro della Difesa ucraino Rustem Umerov",
 * "Russian Defence Minister X") or an apposition right after it ("X, the head of Y,").
 * `named` holds the tokens of countries, places and organisations, which may sit inside.
 */
export function roleFor(
  doc: Doc,
  first: number,
  last: number,
  named: ReadonlySet<number>,
): string | null {
  const before = roleBefore(doc, first, named);
  // "Commander Dominic Murphy, head of the Counter Terrorism Command": a bare title before
  // the name says less than the apposition after it.
  if (before === null || !/\s/.test(before)) return roleAfter(doc, last, named) ?? before;
  return before;
}

function roleBefore(doc: Doc, first: number, named: ReadonlySet<number>): string | null {
  const { tokens, words } = doc;
  let end = first - 1;
  // "son avocat, Me Christophe Ingrain": a title between role and name.
  if (
    tokenAt(tokens, end)?.text === '.' &&
    words.honorifics.has(tokenAt(tokens, end - 1)?.key ?? '')
  )
    end -= 2;
  else if (words.honorifics.has(tokenAt(tokens, end)?.key ?? '')) end--;
  if (tokenAt(tokens, end)?.text === ',') end--;
  const sentence = tokens[first]?.sentence;
  let head: number | null = null;
  // Walk back over tokens that may belong to a role phrase; remember the leftmost head.
  for (let k = end; k >= 0 && first - k <= MAX_ROLE_TOKENS; k--) {
    const t = tokens[k] as DocToken;
    // "presidente della Federazione italiana tennis e padel (Fitp), Angelo Binaghi".
    if (t.text === ')' && tokenAt(tokens, k - 2)?.text === '(' && tokenAt(tokens, k - 1)?.word) {
      k -= 2;
      continue;
    }
    if (t.sentence !== sentence || !(t.word || isElision(t))) break;
    if (roleAt(doc, k) > 0) {
      // "a prévenu Mathilde Panot": a participle after an auxiliary is a verb, not a role.
      // "a partner in crime in her friend X": after an indefinite article a role word
      // describes someone, it does not title the name; the nearer head, if any, does.
      const before = tokenAt(tokens, k - 1);
      if (tokens[k]?.lower && (isAuxiliary(doc, before) || isIndefinite(doc, before))) break;
      head = k;
      continue;
    }
    if (!inRoleBefore(doc, k, named)) break;
  }
  if (head === null) return null;
  // "capo della" before "Difesa" is no role: a phrase never ends on a function word.
  const last = tokens[end] as DocToken;
  if (!last.capitalised && isFunctionWord(doc, last) && !named.has(end) && roleAt(doc, end) === 0)
    return null;
  // Pre-modifiers written before the head: "Russian Defence Minister", "Ukraine's".
  let start = head;
  while (start > 0) {
    const t = tokens[start - 1] as DocToken;
    if (t.sentence !== sentence) break;
    if (isPossessive(t) && tokenAt(tokens, start - 2)?.capitalised) {
      start -= 2;
      continue;
    }
    // "Home Secretary", "foreign minister": a portfolio word, capitalised or not.
    const portfolio = words.portfolios.has(t.key);
    if (!t.word || (t.initial && !named.has(start - 1) && !portfolio)) break;
    if (!(t.capitalised || named.has(start - 1) || MODIFIERS.has(t.key) || portfolio)) break;
    if (isFunctionWord(doc, t) && !named.has(start - 1)) break;
    start--;
  }
  return phrase(doc, start, end + 1);
}

/** May token k stand inside a role phrase that ends right before a name? */
function inRoleBefore(doc: Doc, k: number, named: ReadonlySet<number>): boolean {
  const { tokens, words } = doc;
  const t = tokens[k] as DocToken;
  const previous = tokenAt(tokens, k - 1);
  if (named.has(k) || MODIFIERS.has(t.key)) return true;
  if (words.timeWords.has(t.key)) return false;
  if (prepositions(doc.lang).has(t.key)) return true;
  if (determiners(doc.lang).has(t.key) || isElision(t)) {
    // "de la BCE", "of the Bank"; in German a genitive after a noun: "Chef der Bank".
    if (previous && prepositions(doc.lang).has(previous.key)) return true;
    return (
      doc.lang === 'de' && (t.key === 'der' || t.key === 'des') && previous?.capitalised === true
    );
  }
  if (CONJUNCTIONS.has(t.key)) {
    // "ministra dell'Università e della Ricerca", but not "Simone Vagnozzi e il supercoach".
    const next = tokens[k + 1];
    return (
      next !== undefined &&
      (prepositions(doc.lang).has(next.key) || (next.capitalised && !isGivenName(words, next.key)))
    );
  }
  if (t.capitalised) return !t.initial && !isGivenName(words, t.key);
  // "tennis e padel": the second of two nouns joined by "and".
  if (previous && CONJUNCTIONS.has(previous.key) && tokenAt(tokens, k - 2)?.lower) return true;
  // "el presidente paraguayo": one adjective right after the head, whatever its ending.
  if (roleAt(doc, k - 1) > 0 && !words.stopwords.has(t.key)) return true;
  // "della banca", "di un istituto": a lower-case noun right after a preposition.
  const afterPreposition =
    previous !== undefined &&
    (prepositions(doc.lang).has(previous.key) ||
      (determiners(doc.lang).has(previous.key) &&
        prepositions(doc.lang).has(tokenAt(tokens, k - 2)?.key ?? '')));
  return afterPreposition || ADJECTIVE.test(t.key);
}

function roleAfter(doc: Doc, last: number, named: ReadonlySet<number>): string | null {
  const { tokens, keys, words } = doc;
  if (tokens[last]?.text !== ',') return null;
  let k = last + 1;
  // "Giancarlo De Santis, 58 anni, amministratore delegato": skip the age.
  if (/^\d{1,3}$/.test(tokens[k]?.text ?? '')) {
    let e = k + 1;
    if (tokens[e]?.word) e++;
    if (tokens[e]?.text !== ',') return null;
    k = e + 1;
  }
  // "X, and his counterpart Y signed": a conjunction after the comma joins another clause
  // or another person to the sentence; it never opens an apposition of X.
  if (CONJUNCTIONS.has(keys[k] ?? '')) return null;
  const sentence = tokens[last]?.sentence;
  // "We met Emmanuel Macron," may be where the text (or a truncated feed item) ends: k
  // can stand past the last token, so nothing here may assume a token at k.
  if (determiners(doc.lang).has(keys[k] ?? '') || isElision(tokens[k])) k++;
  const start = k;
  // The head must come within a few words: "the French foreign minister".
  let head = -1;
  for (let n = 0; n < 4 && k + n < tokens.length; n++) {
    if (roleAt(doc, k + n) > 0) {
      head = k + n;
      break;
    }
    const t = tokens[k + n] as DocToken;
    // "X, a reçu son homologue", "X, has met her counterpart": a verb follows the name, so
    // what comes after it is the sentence's predicate, not an apposition.
    if (isAuxiliary(doc, t)) return null;
    const modifier =
      t.capitalised || named.has(k + n) || MODIFIERS.has(t.key) || /^\p{Ll}/u.test(t.text);
    if (!t.word || !modifier) break;
  }
  if (head < 0) return null;
  // The apposition runs to the next comma, a verb of saying, or a second role joined by "and".
  for (let e = head + 1; e < tokens.length && e - start <= MAX_ROLE_TOKENS; e++) {
    const t = tokens[e] as DocToken;
    if (t.sentence !== sentence) return phrase(doc, start, e);
    if (!t.word && /^[,;:)(—–«»"“”.!?…]$/.test(t.text)) return phrase(doc, start, e);
    if (words.speech.matchAt(keys, e) > 0) return phrase(doc, start, e);
    if (CONJUNCTIONS.has(t.key)) {
      const next = tokens[e + 1];
      const another = next && (roleAt(doc, e + 1) > 0 || determiners(doc.lang).has(next.key));
      if (another) return phrase(doc, start, e);
    }
  }
  return null;
}

/**
 * tokens[k], or undefined before the first token. Not tokens[-1]: a negative index is a
 * named-property lookup, and a load that has seen one stays on V8's slow generic path.
 */
function tokenAt(tokens: readonly DocToken[], k: number): DocToken | undefined {
  return k >= 0 ? tokens[k] : undefined;
}

function isFunctionWord(doc: Doc, t: DocToken): boolean {
  return (
    prepositions(doc.lang).has(t.key) ||
    determiners(doc.lang).has(t.key) ||
    CONJUNCTIONS.has(t.key) ||
    (doc.words.stopwords.has(t.key) && t.key.length <= 3)
  );
}

/** Ends on an apostrophe ("dell'", "l’"): /['’]$/ without a regex, asked of most tokens a role walks over. */
function isElision(t: DocToken | undefined): boolean {
  if (t === undefined) return false;
  const last = t.text.charCodeAt(t.text.length - 1);
  return last === 39 || last === 0x2019;
}

function isPossessive(t: DocToken): boolean {
  return t.text === "'s" || t.text === '’s';
}

function phrase(doc: Doc, from: number, to: number): string | null {
  const first = doc.tokens[from];
  const last = doc.tokens[to - 1];
  if (!first || !last || to <= from) return null;
  return doc.text.slice(first.start, last.end);
}
