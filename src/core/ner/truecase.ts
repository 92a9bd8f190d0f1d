import { mapped } from '../../shared/arrays.js';
import { fold } from '../text/fold.js';
import { mostlyLowerCase } from './casing.js';
import { hashString } from './hash.js';
import type { KeyTable } from './int-table.js';

/**
 * Sentences in capitals ("IL MINISTRO GIANCARLO GIORGETTI INCONTRA I SINDACATI") give the
 * tagger no case to read, and it learned names from case. Such a sentence is given the
 * casing its words have elsewhere: the spelling the same document uses mid-sentence,
 * else what the model's casing table learned from the training text (a word mostly
 * written in lower case is written so, one mostly capitalised is capitalised), else a
 * capital for a word of five letters or more (an unknown word in capitals is most often
 * a name; `unknown`, given the word's index in its sentence, may say which are, the rest
 * are written in lower case) and capitals kept for a shorter one ("NATO", "FBI") or for
 * one the other sentences write in capitals too ("UNESCO"). The tokens stay the same
 * tokens, so the labels line up with the original text.
 */
export function truecaseCapitals(
  sentences: readonly (readonly string[])[],
  casing: KeyTable,
  unknown: UnknownWords = 'capitalised',
): (readonly string[])[] {
  const capitals = mapped(sentences, inCapitals);
  if (!capitals.some(Boolean)) return sentences as (readonly string[])[];
  const asked = new Set<string>();
  sentences.forEach((tokens, s) => {
    if (capitals[s]) for (const token of tokens) asked.add(token.toLowerCase());
  });
  const spellings = documentSpellings(sentences, (s) => capitals[s] === true, asked);
  const acronyms = new Set(sentences.flatMap((tokens, s) => (capitals[s] ? [] : tokens)));
  return mapped(sentences, (tokens, s) => {
    if (!capitals[s]) return tokens;
    let first = true;
    return mapped(tokens, (token, i) => {
      if (!hasLetter(token)) return token;
      const initial = first;
      first = false;
      // Single letters too: "A" and "E" of "A TORINO", "ROSSI E BIANCHI".
      if (token !== token.toUpperCase() || /\d/.test(token)) return token;
      const spelled = mostFrequent(spellings.get(token.toLowerCase()));
      const capitalises = unknown === 'capitalised' || unknown(i);
      // An acronym the rest of the text writes so too ("UNESCO") stays in capitals.
      const cased = spelled ?? (acronyms.has(token) ? token : byTable(token, casing, capitalises));
      return initial ? capitalise(cased) : cased;
    });
  });
}

/**
 * A headline as the tagger should read it, beside the body it heads (the body's tokens
 * by sentence). In capitals it is truecased as truecaseCapitals does, an unknown word
 * capitalised only if `givenNameAt` its index or the one before it; in title case
 * ("Minister Signs Water Deal In Valdoria"), where a capital says as little, each
 * capitalised word after the first that the body writes in lower case, or that the
 * casing table says is mostly written so, is lower-cased; the rest keep their capital.
 * The tokens stay the same tokens, so the labels line up with the headline.
 */
export function truecaseHeadline(
  headline: readonly string[],
  body: readonly (readonly string[])[],
  casing: KeyTable,
  givenNameAt: (i: number) => boolean = () => false,
): readonly string[] {
  // A headline's unknown word is a name only if it is a given name or follows one
  // ("LUCÍA FERRANDIS"): a name the body has is spelled by the body, and a capital on an
  // unknown verb glues it to the name before it ("LUCÍA FERRANDIS DIMITE", "ROSSI FIRMA").
  const named = (i: number) => givenNameAt(i) || givenNameAt(i - 1);
  if (inCapitals(headline))
    return truecaseCapitals([...body, headline], casing, named).at(-1) as readonly string[];
  if (!inTitleCase(headline)) return headline;
  // The words that may change: capitalised, after the first word, and not in capitals.
  let first = true;
  const changing = mapped(headline, (token) => {
    if (!hasLetter(token)) return false;
    const initial = first;
    first = false;
    return !initial && /^\p{Lu}/u.test(token) && !isAllCaps(token);
  });
  // Only their spellings are looked for, and whether a body sentence is in capitals is
  // asked only of those holding one of them.
  const capitals: (boolean | undefined)[] = [];
  const spellings = documentSpellings(
    body,
    (s) => (capitals[s] ??= inCapitals(body[s] as readonly string[])),
    new Set(headline.filter((_, i) => changing[i]).map((token) => token.toLowerCase())),
  );
  return mapped(headline, (token, i) => {
    if (!changing[i]) return token;
    const spelled = mostFrequent(spellings.get(token.toLowerCase()));
    if (spelled !== undefined) return spelled;
    return mostlyLowerCase(casing.get(hashString(fold(token))) ?? 0) ? token.toLowerCase() : token;
  });
}

/**
 * The document's own spelling of each word `asked` about (lower case → spelling → count),
 * from its sentences not marked `skip`, away from a sentence's first word. Only the asked
 * words are counted: a headline asks about a dozen of the body's hundreds, so the other
 * tokens are turned away by length and first letter before any case conversion.
 */
function documentSpellings(
  sentences: readonly (readonly string[])[],
  skip: (s: number) => boolean,
  asked: ReadonlySet<string>,
): Map<string, Map<string, number>> {
  const spellings = new Map<string, Map<string, number>>();
  const filter = new AskedFilter(asked);
  sentences.forEach((tokens, s) => {
    let skipped: boolean | undefined;
    for (let i = 1; i < tokens.length; i++) {
      const token = tokens[i] as string;
      if (!filter.mayHold(token)) continue;
      // Lower case, not folded: "E" is not "è".
      const key = token.toLowerCase();
      if (!asked.has(key) || !hasLetter(token) || isAllCaps(token)) continue;
      skipped ??= skip(s);
      if (skipped) break;
      let counts = spellings.get(key);
      if (!counts) {
        counts = new Map();
        spellings.set(key, counts);
      }
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
  });
  return spellings;
}

/**
 * Turns away a token whose lower case cannot be one of a set of lower-case words, by its
 * length and its first letter, without converting it. Lower-casing keeps a string's
 * length and maps ASCII to ASCII, with two exceptions: "İ" (U+0130) becomes "i" and a
 * combining dot (U+0307), and the Kelvin sign (U+212A) becomes "k". So a token starting
 * beyond ASCII is judged by its length alone, and with a word holding U+0307 asked about,
 * every token may hold.
 */
class AskedFilter {
  /** Bits (length × 128 + lower-cased first ASCII code) of the asked words. */
  readonly #bits: Uint32Array;
  /** Bits of the asked words' lengths. */
  readonly #lengths: Uint32Array;
  readonly #all: boolean;
  readonly #longest: number;

  constructor(asked: ReadonlySet<string>) {
    let longest = 0;
    for (const key of asked) longest = Math.max(longest, key.length);
    this.#longest = longest;
    this.#bits = new Uint32Array((((longest + 1) * 128) >>> 5) + 1);
    this.#lengths = new Uint32Array((longest >>> 5) + 1);
    let all = false;
    for (const key of asked) {
      if (key.includes('\u0307')) all = true;
      set(this.#lengths, key.length);
      const c = key.charCodeAt(0);
      if (c < 128) set(this.#bits, key.length * 128 + lowerAscii(c));
    }
    this.#all = all;
  }

  mayHold(token: string): boolean {
    if (this.#all) return true;
    // A longer token is turned away before its bit is read: a read beyond the bits' end
    // takes V8's slow path for out-of-bounds typed array loads.
    if (token.length > this.#longest) return false;
    const c = token.charCodeAt(0);
    return c < 128
      ? has(this.#bits, token.length * 128 + lowerAscii(c))
      : has(this.#lengths, token.length);
  }
}

function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function set(bits: Uint32Array, bit: number): void {
  bits[bit >>> 5] = (bits[bit >>> 5] as number) | (1 << (bit & 31));
}

function has(bits: Uint32Array, bit: number): boolean {
  return (((bits[bit >>> 5] ?? 0) >>> (bit & 31)) & 1) === 1;
}

/**
 * Title case: after the first word, at least three words of four letters or more, three
 * in four of them capitalised (and not in capitals). Sentence-case headlines
 * ("Ministra Lucía Ferrandis dimite tras la auditoría") keep their capitals: they mean a name.
 */
function inTitleCase(tokens: readonly string[]): boolean {
  let long = 0;
  let capitalised = 0;
  let first = true;
  for (const token of tokens) {
    if (!/^\p{L}/u.test(token)) continue;
    if (first) {
      first = false;
      continue;
    }
    if ([...token].length < 4) continue;
    long++;
    if (/^\p{Lu}/u.test(token) && !isAllCaps(token)) capitalised++;
  }
  return long >= 3 && capitalised * 4 >= long * 3;
}

/** As the features read a headline: three letter words or more, three in four in capitals. */
function inCapitals(tokens: readonly string[]): boolean {
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < tokens.length; i++) {
    // Three in four in capitals means upper >= 3 × the others: once even every token left
    // in capitals could not make up for the others so far, the answer is no. An ordinary
    // sentence is known after a handful of words.
    if (upper + (tokens.length - i) < 3 * (letters - upper)) return false;
    const token = tokens[i] as string;
    // Most words start with a lower-case ASCII letter: a letter, and not in capitals,
    // known without a regex or a case conversion.
    const c = token.charCodeAt(0);
    if (c >= 97 && c <= 122) {
      letters++;
      continue;
    }
    // A capital followed by a lower-case ASCII letter ("Passau"): a letter, not in capitals.
    if (c >= 65 && c <= 90) {
      const next = token.charCodeAt(1);
      if (next >= 97 && next <= 122) {
        letters++;
        continue;
      }
    } else if (c < 128) continue; // ASCII, and no letter: digits, punctuation.
    if (!/^\p{L}/u.test(token)) continue;
    letters++;
    if (isAllCaps(token)) upper++;
  }
  return letters >= 3 && upper * 4 >= letters * 3;
}

/**
 * How a word the casing table does not know is written: capitalised if five letters or
 * more, or said by the position of the word (a function of its index in its sentence).
 */
export type UnknownWords = 'capitalised' | ((i: number) => boolean);

function byTable(token: string, casing: KeyTable, capitalises: boolean): string {
  const code = casing.get(hashString(fold(token))) ?? 0;
  // Capitals kept on a short word ("NATO", "FBI"): the table never sees acronyms.
  if (code === 0) {
    if ([...token].length < 5) return token;
    return capitalises ? capitalise(token) : token.toLowerCase();
  }
  return mostlyLowerCase(code) ? token.toLowerCase() : capitalise(token);
}

/** "ÁLVAREZ-PALLETE" → "Álvarez-Pallete", "L'AQUILA" → "L'Aquila". */
function capitalise(token: string): string {
  return token.toLowerCase().replace(/(^|[-'’])(\p{L})/gu, (_, lead, c) => lead + c.toUpperCase());
}

function mostFrequent(counts: Map<string, number> | undefined): string | undefined {
  if (!counts) return undefined;
  let best: string | undefined;
  let top = 0;
  for (const [spelling, n] of counts)
    if (n > top) {
      top = n;
      best = spelling;
    }
  return best;
}

function hasLetter(token: string): boolean {
  return /\p{L}/u.test(token);
}

function isAllCaps(token: string): boolean {
  return token.length > 1 && token === token.toUpperCase() && token !== token.toLowerCase();
}
