import type { Doc, DocToken } from './document.js';
import { ADJECTIVE, isRoleToken } from './names.js';

/** Words that may sit inside a role phrase without being names: "generale", "deputy". */
const MODIFIERS = new Set(
  (
    'ex former deputy vice acting interim outgoing incoming new chief senior top general executive ' +
    'generale delegato delegata esecutivo uscente nuovo nuova vicario aggiunto ' +
    'adjoint adjointe general generale delegue deleguee sortant nouveau nouvelle ancien ancienne ' +
    'stellvertretende stellvertretender ehemalige ehemaliger neue neuer amtierende amtierender ' +
    'ejecutivo ejecutiva delegado delegada saliente nuevo nueva adjunto adjunta antiguo exministro'
  ).split(' '),
);

/** Determiners a role phrase may start after but never with. */
const DETERMINERS = new Set(
  (
    "the a an its his her their this that il lo la i gli le l' un una uno un' suo sua questo questa " +
    'le la les un une son sa ses ce cet cette der die das den dem ein eine einen einem einer sein seine ' +
    'ihr ihre el la los las un una su sus este esta'
  ).split(' '),
);

const MAX_ROLE_TOKENS = 12;

/**
 * The role the text gives the person named by tokens [first, last): a phrase headed by a
 * role word right before the name ("il ministro della Difesa ucraino Rustem Umerov",
 * "Russian Defence Minister X") or an apposition right after it ("X, the head of Y,").
 */
export function roleFor(
  doc: Doc,
  first: number,
  last: number,
  named: ReadonlySet<number>,
): string | null {
  return roleBefore(doc, first, named) ?? roleAfter(doc, last, named);
}

function roleBefore(doc: Doc, first: number, named: ReadonlySet<number>): string | null {
  const { tokens, keys, words } = doc;
  let end = first - 1;
  // "son avocat, Me Christophe Ingrain": a title between role and name.
  if (tokens[end]?.text === '.' && words.honorifics.has(tokens[end - 1]?.key ?? '')) end -= 2;
  else if (words.honorifics.has(tokens[end]?.key ?? '')) end--;
  if (tokens[end]?.text === ',') end--;
  const sentence = tokens[first]?.sentence;
  let best: number | null = null;
  // Walk back over tokens that may belong to a role phrase; remember the leftmost head.
  for (let k = end; k >= 0 && first - k <= MAX_ROLE_TOKENS; k--) {
    const t = tokens[k] as DocToken;
    if (t.sentence !== sentence || !(t.word || isElision(t))) break;
    if (isRoleToken(words, keys, k) > 0) {
      best = k;
      continue;
    }
    // "de la BCE", "of the Bank": an article right after a preposition stays in the phrase.
    const previous = tokens[k - 1];
    const afterPreposition =
      previous !== undefined && !previous.capitalised && isPreposition(doc, previous);
    if ((DETERMINERS.has(t.key) || isElision(t)) && !afterPreposition) break;
    if (!inRole(doc, t, named)) break;
  }
  if (best === null) return null;
  // "capo della" before "Difesa" is no role: a phrase never ends on a function word.
  const lastWord = tokens[end] as DocToken;
  const functionWord = !lastWord.capitalised && words.stopwords.has(lastWord.key);
  if (functionWord && !named.has(end) && isRoleToken(words, keys, end) === 0) return null;
  // Pre-modifiers written before the head: "Russian Defence Minister", "US Secretary".
  let start = best;
  while (start > 0) {
    const t = tokens[start - 1] as DocToken;
    if (t.sentence !== sentence || !t.word || (t.initial && !named.has(start - 1))) break;
    if (!(t.capitalised || named.has(start - 1) || MODIFIERS.has(t.key))) break;
    if (DETERMINERS.has(t.key) || (words.stopwords.has(t.key) && !named.has(start - 1))) break;
    start--;
  }
  return phrase(doc, start, end + 1);
}

function roleAfter(doc: Doc, last: number, named: ReadonlySet<number>): string | null {
  const { tokens, keys, words } = doc;
  if (tokens[last]?.text !== ',') return null;
  let k = last + 1;
  const sentence = tokens[last]?.sentence;
  if (DETERMINERS.has(keys[k] ?? '')) k++;
  const start = k;
  // The head must come within a few words: "the French foreign minister".
  let head = -1;
  for (let n = 0; n < 4 && k + n < tokens.length; n++) {
    if (isRoleToken(words, keys, k + n) > 0) {
      head = k + n;
      break;
    }
    const t = tokens[k + n] as DocToken;
    if (
      !t.word ||
      !(t.capitalised || named.has(k + n) || MODIFIERS.has(t.key) || /^\p{Ll}/u.test(t.text))
    )
      break;
  }
  if (head < 0) return null;
  // The apposition runs to the next comma or sentence end.
  for (let e = head + 1; e < tokens.length && e - start <= MAX_ROLE_TOKENS; e++) {
    const t = tokens[e] as DocToken;
    if (t.sentence !== sentence) return phrase(doc, start, e);
    if (!t.word && /^[,;:)(—–]$/.test(t.text)) return phrase(doc, start, e);
    if (words.speech.matchAt(keys, e) > 0) return phrase(doc, start, e);
  }
  return null;
}

function inRole(doc: Doc, t: DocToken, named: ReadonlySet<number>): boolean {
  if (named.has(t.index) || MODIFIERS.has(t.key) || isElision(t)) return true;
  if (t.capitalised && !t.initial) return true;
  if (DETERMINERS.has(t.key)) return true;
  // "milieu lyonnais", "banca centrale austriaca": adjectives after the head.
  return doc.words.stopwords.has(t.key) || (!t.capitalised && ADJECTIVE.test(t.key));
}

function isElision(t: DocToken): boolean {
  return /['’]$/.test(t.text);
}

/** A function word that is not an article: "de", "della", "of", "für". */
function isPreposition(doc: Doc, t: DocToken): boolean {
  return (doc.words.stopwords.has(t.key) && !DETERMINERS.has(t.key)) || isElision(t);
}

function phrase(doc: Doc, from: number, to: number): string | null {
  const first = doc.tokens[from];
  const last = doc.tokens[to - 1];
  if (!first || !last || to <= from) return null;
  return doc.text.slice(first.start, last.end);
}
