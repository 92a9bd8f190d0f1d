import { codeUnitClasses } from './code-units.js';
export interface Sentence {
  text: string;
  start: number;
  end: number;
}

// Words that end with a period without ending a sentence. Lower-case, without the period.
const ABBREVIATIONS: Record<string, readonly string[]> = {
  common: [
    'dr',
    'prof',
    'st',
    'no',
    'nr',
    'vs',
    'ca',
    'approx',
    'jr',
    'sr',
    'gen',
    'col',
    'lt',
    'capt',
    'sgt',
    'mt',
    'ft',
    'p',
    'pp',
    'vol',
    'fig',
    'art',
    'ed',
    'ibid',
    'op',
    'cit',
    'min',
    'max',
  ],
  en: [
    'mr',
    'mrs',
    'ms',
    'messrs',
    'sen',
    'rep',
    'gov',
    'pres',
    'rev',
    'hon',
    'inc',
    'ltd',
    'corp',
    'co',
    'dept',
    'univ',
    'jan',
    'feb',
    'mar',
    'apr',
    'jun',
    'jul',
    'aug',
    'sep',
    'sept',
    'oct',
    'nov',
    'dec',
    'mon',
    'tue',
    'wed',
    'thu',
    'fri',
    'sat',
    'sun',
    'e.g',
    'i.e',
    'a.m',
    'p.m',
    'u.s',
    'u.k',
    'u.n',
    'est',
    'bn',
    'mln',
  ],
  it: [
    'sig',
    'sigg',
    'sig.ra',
    'dott',
    'dott.ssa',
    'avv',
    'on',
    'ing',
    'arch',
    'mons',
    'ecc',
    'pag',
    'cfr',
    'es',
    'gen',
    'feb',
    'mar',
    'apr',
    'mag',
    'giu',
    'lug',
    'ago',
    'set',
    'ott',
    'nov',
    'dic',
    'sen',
    'spa',
    'mld',
    'mln',
    'n',
  ],
  fr: [
    'm',
    'mm',
    'mme',
    'mmes',
    'mlle',
    'me',
    'pr',
    'mgr',
    'cf',
    'env',
    'janv',
    'févr',
    'avr',
    'juil',
    'sept',
    'oct',
    'nov',
    'déc',
    'av',
    'apr',
    'j.-c',
    'etc',
    'md',
    'mds',
    'bd',
  ],
  de: [
    'z.b',
    'u.a',
    'd.h',
    'bzw',
    'ca',
    'usw',
    'etc',
    'vgl',
    'ggf',
    'inkl',
    'evtl',
    'sog',
    'abs',
    'mio',
    'mrd',
    'hr',
    'fr',
    'str',
    'jan',
    'feb',
    'aug',
    'sept',
    'okt',
    'nov',
    'dez',
    'dipl',
    'chr',
    'v',
    'geb',
    'tel',
  ],
  es: [
    'sr',
    'sra',
    'srta',
    'sres',
    'd',
    'dña',
    'dra',
    'lic',
    'ing',
    'ee',
    'uu',
    'ee.uu',
    'etc',
    'pág',
    'núm',
    'aprox',
    'ene',
    'feb',
    'abr',
    'jun',
    'jul',
    'ago',
    'sept',
    'oct',
    'nov',
    'dic',
    'avda',
    'admón',
    'mill',
  ],
};

// Abbreviations that also close sentences ("… salari, affitti ecc. Tutto è salito."): they
// end one when a capital follows.
const MAY_END = new Set(['etc', 'ecc', 'usw']);

// Words after which "3." is a German ordinal ("zum 2. Mal", "im 3. Quartal").
const ORDINAL_BEFORE = new Set(
  'am im vom zum beim der die das den dem des ab bis seit zur'.split(' '),
);

const MONTHS = new Set(
  'januar jänner februar märz april mai juni juli august september oktober november dezember'.split(
    ' ',
  ),
);

const abbreviationSets = new Map<string, Set<string>>();
function abbreviationsFor(lang: string): Set<string> {
  let set = abbreviationSets.get(lang);
  if (!set) {
    set = new Set([...(ABBREVIATIONS.common ?? []), ...(ABBREVIATIONS[lang] ?? [])]);
    // Without a known language, accept every language's abbreviations: missing a
    // boundary costs less than cutting "Dr. Müller" in two.
    if (!ABBREVIATIONS[lang])
      for (const list of Object.values(ABBREVIATIONS)) for (const a of list) set.add(a);
    abbreviationSets.set(lang, set);
  }
  return set;
}

// Sentence punctuation, a paragraph break (LF or CRLF), or a line that starts a list item.
// The second class is the full stops of scripts written without spaces between sentences
// (Chinese, Japanese) or with their own marks (Devanagari, Arabic, Urdu).
const TERMINAL = /[.!?…]+|[。！？।॥؟۔]+|\r?\n[ \t\r]*\n|\r?\n(?=[ \t]*[-•*–—])/g;
const UNSPACED_STOP = /^[。！？।॥؟۔]/;
// Closing quotes and brackets stay with the sentence they end: » ” ’ and, in German, “ ‘
// („…“ and ‚…‘). Only « » is spaced in French.
const CLOSER_UNITS: ReadonlySet<number> = new Set(
  [...'»”“"’‘\')]」』'].map((c) => c.charCodeAt(0)),
);

/**
 * The length of the closers among the 8 code units from `at` (the match of the regex
 * ^(?:[»”“"’‘')\]」』]|[ \u00a0]»)* there), read in place: no slice or match object for each
 * stop of the text.
 */
function closersAt(text: string, at: number): number {
  const limit = Math.min(text.length, at + 8);
  let i = at;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (CLOSER_UNITS.has(c)) i++;
    else if ((c === 32 || c === 0xa0) && i + 1 < limit && text.charCodeAt(i + 1) === 0xbb) i += 2;
    else break;
  }
  return i - at;
}
const NEXT = /^[\s\u00a0]*(["«“„‘'(¿¡–—-]?[ \u00a0]?)(\S)/u;
const WORD_CHAR = /[\p{L}\p{N}.'’-]/u;
// A stop glued to the next sentence, as scraped text loses its paragraph breaks:
// "domestique.Consternant", `in a row."Tommy`. A capital then a lower-case letter must
// follow, so "U.S.A", "3.5" and "ASP.NET" stay whole.
const GLUED_NEXT = /^["«“„]?\p{Lu}\p{Ll}/u;
const LOWER_BEFORE = /\p{Ll}{2}$/u;

/** WORD_CHAR per UTF-16 code unit: 1 or 0. */
const wordChar = codeUnitClasses((ch) => (WORD_CHAR.test(ch) ? 1 : 0));

/** How far back from a stop endsSentence reads the word before it. */
const WORD_BEFORE_REACH = 40;

/** Splits text into sentences, verbatim, with their offsets in `text`. */
export function splitSentences(text: string, lang = 'und'): Sentence[] {
  const abbreviations = abbreviationsFor(lang);
  const german = lang === 'de' || !ABBREVIATIONS[lang];
  const sentences: Sentence[] = [];
  const quotes = new StraightQuotes(text);
  let from = 0;
  // exec in a loop, not matchAll: no iterator result per stop.
  TERMINAL.lastIndex = 0;
  for (let m = TERMINAL.exec(text); m !== null; m = TERMINAL.exec(text)) {
    const at = m.index;
    if (at < from) continue;
    let end = at + m[0].length;
    if (m[0].includes('\n')) {
      pushSentence(sentences, text, from, at);
      quotes.paragraphAt(end);
      from = end;
      continue;
    }
    let closers = closersAt(text, end);
    // A straight quote right after the stop closes a quotation only if one is open: with an
    // even count before it, it opens the next sentence.
    if (closers > 0 && text.charCodeAt(end) === 34 && quotes.evenBefore(end)) closers = 0;
    end += closers;
    if (UNSPACED_STOP.test(m[0])) {
      pushSentence(sentences, text, from, end);
      from = end;
      continue;
    }
    const after = text.slice(end, end + 12);
    const next = NEXT.exec(after);
    if (next && !/^[\s\u00a0]/.test(after) && end < text.length) {
      // "3.5", "U.S.A", "bild.de": no boundary without a space, unless glued.
      const glued =
        GLUED_NEXT.test(after) &&
        (closers > 0 || LOWER_BEFORE.test(text.slice(Math.max(0, at - 2), at)));
      if (!glued) continue;
    }
    if (next && !isSentenceStart(next[2] ?? '')) continue;
    if (m[0] === '.' && !endsSentence(text, at, after, abbreviations, german)) {
      continue;
    }
    pushSentence(sentences, text, from, end);
    from = end;
  }
  pushSentence(sentences, text, from, text.length);
  return sentences;
}

/** Counts straight double quotes from the start of the paragraph, scanning forward once. */
class StraightQuotes {
  #at = 0;
  #count = 0;
  constructor(private readonly text: string) {}

  paragraphAt(offset: number): void {
    this.#at = offset;
    this.#count = 0;
  }

  evenBefore(offset: number): boolean {
    const { text } = this;
    for (let i = this.#at; i < offset; i++) if (text.charCodeAt(i) === 34) this.#count++;
    this.#at = Math.max(this.#at, offset);
    return this.#count % 2 === 0;
  }
}

// Letters of scripts without case (CJK, Arabic, Hebrew, Devanagari …) start a sentence too.
const SENTENCE_START = /[\p{Lu}\p{Lt}\p{Lo}\p{N}]/u;

/**
 * Whether a character (one code point) may start a sentence. An ASCII one is judged by its
 * code, the class's only ASCII members being A-Z and 0-9: a text whose sentences all open
 * so is spared compiling the regex, one of the dearest of a process's first brief.
 */
function isSentenceStart(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code < 128) return (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  return SENTENCE_START.test(char);
}

/**
 * Whether the stop at `at` ends a sentence, by the word before it (the run of word
 * characters within WORD_BEFORE_REACH, scanned back in place: asked at every stop of the
 * text, so no slice of the text before it and, for a word without a stop, hyphen or
 * apostrophe, no regex).
 */
function endsSentence(
  text: string,
  at: number,
  after: string,
  abbreviations: Set<string>,
  german: boolean,
): boolean {
  const from = Math.max(0, at - WORD_BEFORE_REACH);
  let start = at;
  let marks = false;
  for (; start > from; start--) {
    const c = text.charCodeAt(start - 1);
    if (wordChar(c) !== 1) break;
    if (c === 46 || c === 45 || c === 39 || c === 0x2019) marks = true;
  }
  if (start === at) return true;
  const word = text.slice(start, at).toLowerCase();
  // Without an elided article: "L'On." is "On.".
  const key = marks ? word.replace(/^.*['’]/, '').replace(/^[.'’-]+/, '') : word;
  if (MAY_END.has(key)) return true; // the caller has seen a capital or a digit follow
  if (abbreviations.has(key)) return false;
  // An initial ("J. K. Rowling", "Rüdiger K.") or a dotted acronym ("U.S.", "a.m."): one
  // letter is at most two code units, and an acronym holds a stop.
  if (key.length <= 2 ? /^\p{L}$/u.test(key) : marks && /^(?:\p{L}\.)+\p{L}$/u.test(key))
    return false;
  // A German ordinal: before a month ("am 3. Oktober") or after an article or a
  // preposition ("zum 2. Mal"); "stieg auf 3. Die Polizei …" still ends a sentence.
  if (/^\d{1,3}$/.test(key)) {
    const nextWord = /^[\s\u00a0]*([\p{L}]+)/u.exec(after)?.[1]?.toLowerCase() ?? '';
    if (MONTHS.has(nextWord)) return false;
    const before = text.slice(from, at);
    const previous = /(\p{L}+)[\s\u00a0]+\d+$/u.exec(before)?.[1]?.toLowerCase() ?? '';
    if (german && ORDINAL_BEFORE.has(previous) && /^[\s\u00a0]*\p{Lu}/u.test(after)) return false;
  }
  return true;
}

function pushSentence(out: Sentence[], text: string, from: number, to: number): void {
  let start = from;
  let end = to;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  if (end > start) out.push({ text: text.slice(start, end), start, end });
}
