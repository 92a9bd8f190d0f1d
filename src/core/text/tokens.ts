import { codeUnitClasses } from './code-units.js';
import { fold, isAllCaps, isCapitalised } from './fold.js';

/**
 * Punctuation after which a word stands as at a sentence start (a quotation, a bracket, a
 * colon, a dash, a bullet), so its capital says nothing about a name. '``' is the opening
 * quote of the Penn Treebank-style annotated corpora the entity model learns from.
 */
export const SENTENCE_OPENERS: ReadonlySet<string> = new Set([
  '«',
  '“',
  '„',
  '"',
  '‘',
  "'",
  '(',
  '[',
  ':',
  '—',
  '–',
  '-',
  '‹',
  '¿',
  '¡',
  '•',
  '``',
]);

export interface Token {
  readonly text: string;
  /** Folded form (lower case, no accents): what lexicon lookups compare. */
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly word: boolean;
  readonly capitalised: boolean;
  readonly allCaps: boolean;
  /** Starts with a lower-case letter: an ordinary word, unless a particle. */
  readonly lower: boolean;
  /** Position in the token list. */
  readonly index: number;
  /** Index of the sentence holding the token, once sentences are known. */
  sentence: number;
  /** First word of a sentence or after an opening quote, once sentences are known. */
  initial: boolean;
}

const WORD = 1;
const CAPITALISED = 2;
const ALL_CAPS = 4;
const LOWER = 8;
const INITIAL = 16;

/**
 * A token as tokenize makes it: its yes/no facts are bits of one number and its end is
 * read from its start and length. A brief holds its ~800 tokens to its end, so a young
 * collection in the middle of it copies them all: 72 bytes a token, where an object with
 * a field for each of them took 112.
 */
class TextToken implements Token {
  readonly text: string;
  readonly key: string;
  readonly start: number;
  readonly index: number;
  sentence = 0;
  #flags: number;

  constructor(text: string, key: string, start: number, flags: number, index: number) {
    this.text = text;
    this.key = key;
    this.start = start;
    this.index = index;
    this.#flags = flags;
  }

  get end(): number {
    return this.start + this.text.length;
  }
  get word(): boolean {
    return (this.#flags & WORD) !== 0;
  }
  get capitalised(): boolean {
    return (this.#flags & CAPITALISED) !== 0;
  }
  get allCaps(): boolean {
    return (this.#flags & ALL_CAPS) !== 0;
  }
  get lower(): boolean {
    return (this.#flags & LOWER) !== 0;
  }
  get initial(): boolean {
    return (this.#flags & INITIAL) !== 0;
  }
  set initial(initial: boolean) {
    this.#flags = initial ? this.#flags | INITIAL : this.#flags & ~INITIAL;
  }
}

type Shape = Pick<Token, 'key' | 'capitalised' | 'allCaps' | 'lower'>;

// News repeats its words; folding and classifying each spelling once keeps tagging linear
// and cheap. The cache is dropped whole when it grows past a bound, so memory stays flat.
const shapes = new Map<string, Shape>();
const MAX_SHAPES = 200_000;

function shapeOf(text: string): Shape {
  let shape = shapes.get(text);
  if (!shape) {
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shape = {
      key: fold(text),
      capitalised: isCapitalised(text),
      allCaps: isAllCaps(text),
      lower: /^\p{Ll}/u.test(text),
    };
    shapes.set(text, shape);
  }
  return shape;
}

// A word: letters or digits, with inner hyphens, apostrophes and ampersands kept
// ("Suk-yeol", "O'Brien", "AT&T"), so names stay whole; every other non-space character
// is a token of its own.
// A hand-written scanner over a per-code-unit class table: a Unicode-aware regex costs
// several times more on every token.
const OTHER = 0;
const ALNUM = 1;
const MARK = 2;
const SPACE = 3;
const JOINER = 4;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const classOf = codeUnitClasses((ch) => {
  if (LETTER_OR_DIGIT.test(ch)) return ALNUM;
  if (/\p{M}/u.test(ch)) return MARK;
  if (/\s/u.test(ch)) return SPACE;
  if (/[-‐'’&]/.test(ch)) return JOINER;
  return OTHER;
});

// Elided articles and prepositions that glue onto the next word: "l'Ucraina",
// "dell'Onu", "d'Ukraine", "qu'il". A capitalised single letter other than L is left
// alone, so "D'Alema" and "N'Golo" stay names.
const ELISION =
  /^(?:l|d|dell|dall|nell|sull|all|coll|degl|dagl|negl|sugl|agl|un|quest|quell|c|j|m|n|s|t|qu|lorsqu|puisqu|jusqu|presqu|quelqu|tutt|sant)$/;

/** Splits text into word and punctuation tokens with their offsets. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = classOf(text.charCodeAt(i));
    if (c === SPACE) {
      i++;
      continue;
    }
    if (c !== ALNUM) {
      // A surrogate pair (an emoji, an astral letter) stays one token.
      const width = isHighSurrogate(text.charCodeAt(i)) && i + 1 < n ? 2 : 1;
      push(tokens, text.slice(i, i + width), i, false);
      i += width;
      continue;
    }
    let j = i + 1;
    // Where the word's first apostrophe is, seen as the scan crosses it: a word holds one
    // only as a joiner between letters.
    let apostrophe = -1;
    while (j < n) {
      const code = text.charCodeAt(j);
      const d = classOf(code);
      if (d === ALNUM || d === MARK) j++;
      else if (d === JOINER && j + 1 < n && classOf(text.charCodeAt(j + 1)) === ALNUM) {
        if (apostrophe < 0 && (code === 39 || code === 0x2019)) apostrophe = j - i;
        j += 2;
      } else if (
        (code === 44 || code === 46 || code === 58) &&
        isDigit(text.charCodeAt(j - 1)) &&
        isDigit(text.charCodeAt(j + 1))
      ) {
        // A figure's separators: "1,000", "3.5", "10:30", a score "1:4", as annotated text
        // writes them (one token).
        j += 2;
      } else break;
    }
    // An initial ("J. K. Rowling", "P. Simmons") keeps its stop: one token "J.", as the
    // annotated text the entity model learns from writes it, not a letter and a stop. Its
    // key is the letter's, so word lists read it as before ("M." of "M. Macron" is an
    // honorific).
    if (j === i + 1 && text.charCodeAt(i + 1) === 46) {
      // Capitals with stops ("U.S.", "S.A."): one token, as annotated text writes them.
      const end = dottedCapitalsEnd(text, i);
      if (end > i + 2) {
        push(tokens, text.slice(i, end), i, true);
        i = end;
        continue;
      }
      if (initialAt(text, i)) {
        push(tokens, text.slice(i, i + 2), i, true, text[i]?.toLowerCase());
        i += 2;
        continue;
      }
    }
    word(tokens, text.slice(i, j), i, apostrophe);
    i = j;
  }
  return tokens;
}

/**
 * The runs of letters and digits of `text`, as `text.split(/[^\p{L}\p{N}]+/u)` gives them
 * (empty strings left out), read from the code-unit table: a process's first brief is
 * spared compiling that regex. A character beyond the Basic Multilingual Plane (a pair of
 * surrogates) is asked of the regex the table is built with.
 */
export function letterDigitRuns(text: string): string[] {
  const runs: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i) as number;
    const width = code > 0xffff ? 2 : 1;
    const inRun =
      width === 1 ? classOf(code) === ALNUM : LETTER_OR_DIGIT.test(text.slice(i, i + 2));
    if (inRun && start < 0) start = i;
    else if (!inRun && start >= 0) {
      runs.push(text.slice(start, i));
      start = -1;
    }
    i += width;
  }
  if (start >= 0) runs.push(text.slice(start));
  return runs;
}

/**
 * The end of a run of two or more capitals each followed by a stop at i ("U.S.", "S.A.",
 * "U.K."), not followed by a letter; i when there is none.
 */
function dottedCapitalsEnd(text: string, i: number): number {
  let k = i;
  while (isCapital(text.charCodeAt(k)) && text.charCodeAt(k + 1) === 46) k += 2;
  if (k - i < 4 || classOf(text.charCodeAt(k)) === ALNUM) return i;
  return k;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isCapital(code: number): boolean {
  return code >= 65 && code <= 90;
}

/**
 * Whether the one-letter word at i is an initial: a capital, a stop right after it, then a
 * space and a capital ("P. Simmons", "George W. Bush"). A capital then a stop at a line's
 * end or before a lower-case word ("la vitamina D. la") is not.
 */
function initialAt(text: string, i: number): boolean {
  return (
    isCapital(text.charCodeAt(i)) &&
    text.charCodeAt(i + 1) === 46 &&
    text.charCodeAt(i + 2) === 32 &&
    isCapital(text.charCodeAt(i + 3))
  );
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Pushes one word, split where an elision or an English possessive glues two together;
 * `apostrophe` is the offset of its first apostrophe (' or ’), or -1.
 */
function word(tokens: Token[], raw: string, start: number, apostrophe: number): void {
  if (apostrophe < 0) {
    push(tokens, raw, start, true);
    return;
  }
  // English possessive: "Hungary's" is "Hungary" + "'s".
  if (/^\p{Lu}.*['’]s$/u.test(raw)) {
    push(tokens, raw.slice(0, -2), start, true);
    push(tokens, raw.slice(-2), start + raw.length - 2, false);
    return;
  }
  const head = raw.slice(0, apostrophe);
  if (ELISION.test(head.toLowerCase()) && !/^[A-KM-Z]$/.test(head)) {
    push(tokens, raw.slice(0, apostrophe + 1), start, false);
    push(tokens, raw.slice(apostrophe + 1), start + apostrophe + 1, true);
    return;
  }
  push(tokens, raw, start, true);
}

/** The keys of one-character punctuation tokens, by character code. */
const punctuationKeys = new Array<string | undefined>(0x10000);

const NOT_PLAIN = 0;
const PLAIN_LOWER = 1;
const PLAIN_DIGIT = 2;
const PLAIN_TITLE = 3;

/**
 * Whether the word's shape is plain ASCII, known without the shape cache: a-z, digits and
 * hyphens only, starting with a letter (PLAIN_LOWER) or a digit (PLAIN_DIGIT, neither
 * capitalised nor lower), whose key is the word itself; or a capital then a-z only
 * ("Rossi", PLAIN_TITLE), whose key is the word in lower case.
 */
function plainness(text: string): number {
  const first = text.charCodeAt(0);
  if (first >= 65 && first <= 90) {
    if (text.length < 2) return NOT_PLAIN;
    for (let k = 1; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c < 97 || c > 122) return NOT_PLAIN;
    }
    return PLAIN_TITLE;
  }
  const kind =
    first >= 97 && first <= 122 ? PLAIN_LOWER : first >= 48 && first <= 57 ? PLAIN_DIGIT : 0;
  if (kind === NOT_PLAIN) return NOT_PLAIN;
  for (let k = 1; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if ((c < 97 || c > 122) && (c < 48 || c > 57) && c !== 45) return NOT_PLAIN;
  }
  return kind;
}

/**
 * Most words are plain ASCII ("the", "di", "Rossi", "2024") and most other tokens are one
 * punctuation mark: both are known without the shape cache, whose hash-table probe per
 * token costs more than the check.
 */
function push(
  tokens: Token[],
  text: string,
  start: number,
  word: boolean,
  /** The key when not the text's own (an initial's is its letter's). */
  keyed?: string,
): void {
  let key: string;
  let flags = word ? WORD : 0;
  const plain = word ? plainness(text) : NOT_PLAIN;
  if (plain === PLAIN_TITLE) {
    key = text.toLowerCase();
    flags |= CAPITALISED;
  } else if (plain !== NOT_PLAIN) {
    key = text;
    if (plain === PLAIN_LOWER) flags |= LOWER;
  } else if (!word && text.length === 1) {
    const code = text.charCodeAt(0);
    key = punctuationKeys[code] ?? shapeOf(text).key;
    punctuationKeys[code] = key;
  } else {
    const shape = shapeOf(text);
    key = shape.key;
    if (word && shape.capitalised) flags |= CAPITALISED;
    if (word && shape.allCaps) flags |= ALL_CAPS;
    if (word && shape.lower) flags |= LOWER;
  }
  tokens.push(new TextToken(text, keyed ?? key, start, flags, tokens.length));
}
