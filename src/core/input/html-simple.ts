/**
 * The fast path of htmlToText for simple fragments — the usual feed description: p, br, a,
 * b/i/em/strong, span, lists, headings, img, entities. One pass over the string, no DOM.
 *
 * It emulates exactly what the DOM path sees (linkedom, i.e. htmlparser2 in HTML mode, then
 * nodeToText) for the markup it accepts, and gives up (null) on anything else, so that the
 * caller falls back to the DOM: other elements (script, style, table, iframe, pre …),
 * comments, CDATA, doctypes, processing instructions, hidden elements, named entities
 * outside the table below, numeric references without `;` or to unusual code points, and
 * tags or attributes written in any way the tokenizer below does not read exactly as
 * htmlparser2 does. test/core/input/html-simple.test.ts checks both paths give the same
 * text on generated fragments.
 */

/** How nodeToText treats an element the fast path accepts. */
const Kind = {
  /** Nothing of its own: a, b, span … */
  Inline: 0,
  /** A paragraph break before and after (nodeToText's BLOCK). */
  Block: 1,
  /** A line break (br). */
  Break: 2,
  /** Dropped with its content (nodeToText's SKIP); only void ones here: img. */
  Skip: 3,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const KINDS = new Map<string, Kind>();
for (const tag of [
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'big',
  'cite',
  'code',
  'data',
  'del',
  'dfn',
  'em',
  'font',
  'i',
  'ins',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'time',
  'tt',
  'u',
  'var',
  'wbr',
]) {
  KINDS.set(tag, Kind.Inline);
}
for (const tag of [
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'ol',
  'p',
  'section',
  'ul',
]) {
  KINDS.set(tag, Kind.Block);
}
KINDS.set('br', Kind.Break);
KINDS.set('img', Kind.Skip);

/** htmlparser2's void elements among the accepted ones: no content, no end tag. */
const VOID = new Set(['br', 'hr', 'img', 'wbr']);

/**
 * htmlparser2's `openImpliesClose` for the accepted elements: opening the key closes the
 * open element on top of the stack while it is one of the set.
 */
const P = new Set(['p']);
const IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['li', new Set(['li'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
]);
for (const tag of [
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'address',
  'article',
  'aside',
  'blockquote',
  'div',
  'dl',
  'figcaption',
  'figure',
  'footer',
  'header',
  'hr',
  'ol',
  'section',
  'ul',
]) {
  IMPLIES_CLOSE.set(tag, P);
}

/** The named references decoded here (with their `;`); any other name → the DOM path. */
const ENTITIES = new Map<string, string>();
// HTML 4's Latin-1 set, U+00A0 … U+00FF in order.
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg ' +
  'plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute ' +
  'Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml ' +
  'Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc ' +
  'euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ' +
  'ugrave uacute ucirc uuml yacute thorn yuml';
LATIN1.split(' ').forEach((name, k) => {
  ENTITIES.set(name, String.fromCharCode(0xa0 + k));
});
// Greek letters: capitals from U+0391 (U+03A2 is unassigned), small ones from U+03B1.
const GREEK =
  'Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho - ' +
  'Sigma Tau Upsilon Phi Chi Psi Omega';
GREEK.split(' ').forEach((name, k) => {
  if (name === '-') return;
  ENTITIES.set(name, String.fromCharCode(0x391 + k));
  ENTITIES.set(name.toLowerCase(), String.fromCharCode(0x3b1 + k));
});
for (const [name, code] of [
  ['quot', 0x22],
  ['QUOT', 0x22],
  ['amp', 0x26],
  ['AMP', 0x26],
  ['apos', 0x27],
  ['lt', 0x3c],
  ['LT', 0x3c],
  ['gt', 0x3e],
  ['GT', 0x3e],
  ['COPY', 0xa9],
  ['REG', 0xae],
  ['OElig', 0x152],
  ['oelig', 0x153],
  ['Scaron', 0x160],
  ['scaron', 0x161],
  ['Yuml', 0x178],
  ['fnof', 0x192],
  ['circ', 0x2c6],
  ['tilde', 0x2dc],
  ['sigmaf', 0x3c2],
  ['ensp', 0x2002],
  ['emsp', 0x2003],
  ['thinsp', 0x2009],
  ['zwnj', 0x200c],
  ['zwj', 0x200d],
  ['lrm', 0x200e],
  ['rlm', 0x200f],
  ['hyphen', 0x2010],
  ['ndash', 0x2013],
  ['mdash', 0x2014],
  ['lsquo', 0x2018],
  ['rsquo', 0x2019],
  ['sbquo', 0x201a],
  ['ldquo', 0x201c],
  ['rdquo', 0x201d],
  ['bdquo', 0x201e],
  ['dagger', 0x2020],
  ['Dagger', 0x2021],
  ['bull', 0x2022],
  ['hellip', 0x2026],
  ['permil', 0x2030],
  ['prime', 0x2032],
  ['Prime', 0x2033],
  ['lsaquo', 0x2039],
  ['rsaquo', 0x203a],
  ['oline', 0x203e],
  ['frasl', 0x2044],
  ['euro', 0x20ac],
  ['trade', 0x2122],
  ['TRADE', 0x2122],
  ['larr', 0x2190],
  ['uarr', 0x2191],
  ['rarr', 0x2192],
  ['darr', 0x2193],
  ['harr', 0x2194],
  ['minus', 0x2212],
] as const) {
  ENTITIES.set(name, String.fromCharCode(code));
}

/** The named references of the fast path (for tests). */
export const SIMPLE_ENTITY_NAMES: readonly string[] = [...ENTITIES.keys()];

/** The elements of the fast path (for tests). */
export const SIMPLE_TAGS: readonly string[] = [...KINDS.keys()];

// Character codes.
const TAB = 9;
const LF = 10;
const FF = 12;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const APOS = 39;
const SLASH = 47;
const SEMI = 59;
const EQ = 61;
const GT = 62;

/** htmlparser2's whitespace (not JavaScript's \s). */
function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === FF || c === CR;
}

function isAlpha(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlnum(c: number): boolean {
  return isAlpha(c) || isDigit(c);
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** A character allowed in an attribute name here (htmlparser2 takes more; those → DOM). */
function isNameChar(c: number): boolean {
  return isAlnum(c) || c === 45 || c === 95 || c === 58 || c === 46; // - _ : .
}

/** What nodeToText's isHidden looks for in a style attribute. */
const HIDING_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;

/** Source whitespace inside a text node, as nodeToText collapses it. */
const TEXT_SPACE = /[ \t\n\r\f]+/g;

/** Deeper nesting goes to the DOM (closing tags search the stack, as htmlparser2 does). */
const MAX_DEPTH = 256;

/** Thrown to give up: the fragment is not simple. */
const NOT_SIMPLE = Symbol('not simple');
/** Thrown by TextWriter: the text has characters only the general clean-up gets right. */
const NEEDS_CLEAN_UP = Symbol('needs clean-up');

/** Where the tokenizer puts text and breaks. */
interface Sink {
  /** Decoded text between two tags. */
  text(s: string): void;
  /** 1 for <br>, 2 for the start or end of a block. */
  breaks(count: 1 | 2): void;
  result(): string;
}

/** Assembles what nodeToText would, before its clean-up (finishText). */
class RawWriter implements Sink {
  private out = '';
  text(s: string): void {
    this.out += s.replace(TEXT_SPACE, ' ');
  }
  breaks(count: 1 | 2): void {
    this.out += count === 1 ? '\n' : '\n\n';
  }
  result(): string {
    return this.out;
  }
}

/**
 * Whitespace as nodeToText's clean-up sees it in the end: text-node whitespace, and the
 * no-break space and vertical tab its line clean-up turns into spaces.
 */
const ANY_SPACE = /[ \t\n\v\f\r\u00a0]+/g;
/** Text a TextWriter cannot take as it is: other than single spaces, or special. */
const NOT_PLAIN =
  /[\t\n\v\f\r\u00a0\u00ad\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]| {2}/;
/**
 * Characters for the general clean-up: whitespace that trim() removes but the line
 * clean-up does not collapse, and the invisible ones normalizeParagraphs deletes.
 */
const SPECIAL = /[\u00ad\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]/;

/**
 * Writes the final text directly, as finishText would make it of RawWriter's output:
 * words of a line separated by one space, a line break for breaks adding up to one, a
 * blank line for more, nothing before the first word or after the last. Throws
 * NEEDS_CLEAN_UP on text with characters of SPECIAL.
 */
class TextWriter implements Sink {
  private out = '';
  private space = false;
  private newlines = 0;
  text(s: string): void {
    let t = s;
    if (NOT_PLAIN.test(t)) {
      t = t.replace(ANY_SPACE, ' ');
      if (SPECIAL.test(t)) throw NEEDS_CLEAN_UP;
    }
    let start = 0;
    let end = t.length;
    if (end === 0) return;
    if (t.charCodeAt(0) === SPACE) {
      this.space = true;
      start = 1;
    }
    const trailing = end > start && t.charCodeAt(end - 1) === SPACE;
    if (trailing) end--;
    if (end > start) {
      const words = start === 0 && end === t.length ? t : t.slice(start, end);
      if (this.out === '') this.out = words;
      else if (this.newlines === 0) this.out += this.space ? ` ${words}` : words;
      else this.out += this.newlines === 1 ? `\n${words}` : `\n\n${words}`;
      this.space = false;
      this.newlines = 0;
    }
    if (trailing) this.space = true;
  }
  breaks(count: 1 | 2): void {
    this.newlines += count;
  }
  result(): string {
    return this.out;
  }
}

/**
 * The text of a simple HTML fragment exactly as htmlToText's DOM path gives it, or null
 * when the fragment is not simple. `finish` is nodeToText's clean-up of the assembled
 * text, for the rare text with characters the one-pass writer leaves to it.
 */
export function simpleFragmentText(html: string, finish: (raw: string) => string): string | null {
  try {
    try {
      return tokenize(html, new TextWriter());
    } catch (error) {
      if (error !== NEEDS_CLEAN_UP) throw error;
      return finish(tokenize(html, new RawWriter()));
    }
  } catch (error) {
    if (error === NOT_SIMPLE) return null;
    throw error;
  }
}

function tokenize(html: string, sink: Sink): string {
  const n = html.length;
  /** Open elements (htmlparser2's stack, below the body), innermost last. */
  const stack: string[] = [];
  /** The text since the last tag, entities decoded. */
  let text = '';
  /** Where the undecoded part of the current text starts. */
  let from = 0;
  let i = 0;

  const flushText = (end: number): void => {
    if (text) {
      sink.text(end > from ? text + html.slice(from, end) : text);
      text = '';
    } else if (end > from) {
      sink.text(html.slice(from, end));
    }
  };
  const close = (tag: string): void => {
    if (KINDS.get(tag) === Kind.Block) sink.breaks(2);
  };

  /** The next & and < at or after i (n when none): each string searched once. */
  let amp = -1;
  let lt = -1;
  while (i < n) {
    if (amp < i) {
      amp = html.indexOf('&', i);
      if (amp < 0) amp = n;
    }
    if (lt < i) {
      lt = html.indexOf('<', i);
      if (lt < 0) lt = n;
    }
    if (amp < lt) {
      i = amp;
      const end = decodeReference(html, i);
      if (end < 0) {
        i++; // a literal &
        continue;
      }
      text += html.slice(from, i) + decoded;
      from = i = end;
      continue;
    }
    i = lt;
    if (i >= n) break;
    const next = i + 1 < n ? html.charCodeAt(i + 1) : -1;
    if (isAlpha(next)) {
      flushText(i);
      i = openTag(html, i + 1);
      const tag = lastTag;
      const implied = IMPLIES_CLOSE.get(tag);
      if (implied) {
        while (stack.length > 0 && implied.has(stack[stack.length - 1] as string)) {
          close(stack.pop() as string);
        }
      }
      const kind = KINDS.get(tag);
      if (kind === Kind.Block) sink.breaks(2);
      else if (kind === Kind.Break) sink.breaks(1);
      if (VOID.has(tag)) close(tag);
      else if (stack.push(tag) > MAX_DEPTH) throw NOT_SIMPLE;
      from = i;
    } else if (next === SLASH) {
      flushText(i);
      i = closeTag(html, i + 2);
      const tag = lastTag;
      if (tag === 'br') {
        sink.breaks(1); // htmlparser2 reads </br> as <br>
      } else if (!VOID.has(tag)) {
        const at = stack.lastIndexOf(tag);
        if (at >= 0) {
          while (stack.length > at) close(stack.pop() as string);
        } else if (tag === 'p') {
          // An unmatched </p> is read as <p></p>.
          sink.breaks(2);
          sink.breaks(2);
        }
      }
      from = i;
    } else if (next === 33 || next === 63) {
      throw NOT_SIMPLE; // <! (comments, CDATA, doctype) and <? (processing instructions)
    } else {
      i++; // a literal <
    }
  }
  flushText(n);
  while (stack.length > 0) close(stack.pop() as string);
  return sink.result();
}

/** The tag name read by openTag / closeTag (lower case). */
let lastTag = '';
/** The text of the reference read by decodeReference. */
let decoded = '';

/** The tag name starting at `i` (a letter): sets lastTag; returns where it ends. */
function tagName(html: string, i: number): number {
  let j = i + 1;
  while (j < html.length && isAlnum(html.charCodeAt(j))) j++;
  const after = j < html.length ? html.charCodeAt(j) : -1;
  // htmlparser2's name runs to whitespace, / or >: `<b-x>`, `<b<i>`, `<b` at the end → DOM.
  if (!(isSpace(after) || after === SLASH || after === GT)) throw NOT_SIMPLE;
  lastTag = html.slice(i, j).toLowerCase();
  if (!KINDS.has(lastTag)) throw NOT_SIMPLE;
  return j;
}

/** `<name attrs… /?>` from after the `<`: sets lastTag; returns the index after `>`. */
function openTag(html: string, start: number): number {
  const n = html.length;
  let i = tagName(html, start);
  for (;;) {
    let spaced = false;
    while (i < n && isSpace(html.charCodeAt(i))) {
      i++;
      spaced = true;
    }
    if (i >= n) throw NOT_SIMPLE;
    const c = html.charCodeAt(i);
    if (c === GT) return i + 1;
    if (c === SLASH) {
      // Self-closing syntax means nothing in HTML (void elements close anyway).
      i++;
      while (i < n && isSpace(html.charCodeAt(i))) i++;
      if (html.charCodeAt(i) !== GT) throw NOT_SIMPLE;
      return i + 1;
    }
    if (!spaced || !isAlpha(c)) throw NOT_SIMPLE;
    const nameStart = i;
    while (i < n && isNameChar(html.charCodeAt(i))) i++;
    const name = html.slice(nameStart, i).toLowerCase();
    let j = i;
    while (j < n && isSpace(html.charCodeAt(j))) j++;
    let value = '';
    if (html.charCodeAt(j) === EQ) {
      j++;
      while (j < n && isSpace(html.charCodeAt(j))) j++;
      const q = html.charCodeAt(j);
      if (q === QUOTE || q === APOS) {
        const end = html.indexOf(q === QUOTE ? '"' : "'", j + 1);
        if (end < 0) throw NOT_SIMPLE;
        value = html.slice(j + 1, end);
        i = end + 1;
        const after = html.charCodeAt(i);
        if (!(isSpace(after) || after === SLASH || after === GT)) throw NOT_SIMPLE;
      } else {
        const valueStart = j;
        while (j < n && !isSpace(html.charCodeAt(j)) && html.charCodeAt(j) !== GT) j++;
        if (j === valueStart) throw NOT_SIMPLE;
        value = html.slice(valueStart, j);
        i = j;
      }
    } else {
      const after = html.charCodeAt(i);
      if (!(isSpace(after) || after === SLASH || after === GT)) throw NOT_SIMPLE;
    }
    // What isHidden reads; the DOM decides those (attribute entities, case, duplicates).
    if (name === 'hidden' || name === 'aria-hidden') throw NOT_SIMPLE;
    if (name === 'style' && (value.includes('&') || HIDING_STYLE.test(value))) throw NOT_SIMPLE;
  }
}

/** `</name>` or `</name  >` from after the `</`: sets lastTag; returns the index after `>`. */
function closeTag(html: string, start: number): number {
  if (!isAlpha(html.charCodeAt(start))) throw NOT_SIMPLE;
  let i = tagName(html, start);
  while (i < html.length && isSpace(html.charCodeAt(i))) i++;
  if (html.charCodeAt(i) !== GT) throw NOT_SIMPLE;
  return i + 1;
}

/**
 * The character reference at `i` (an `&`): sets `decoded` and returns where it ends; -1
 * when the & is a literal one (htmlparser2 keeps `& `, `&.`, a final `&`). Throws for a
 * reference this table does not know or that htmlparser2 reads in its own way.
 */
function decodeReference(html: string, i: number): number {
  const n = html.length;
  const c = i + 1 < n ? html.charCodeAt(i + 1) : -1;
  if (c === HASH) {
    let j = i + 2;
    const hex = j < n && (html.charCodeAt(j) | 0x20) === 120; // x or X
    if (hex) j++;
    const digitsStart = j;
    while (html.charCodeAt(j) === 48) j++; // leading zeros
    const significant = j;
    while (j < n && (hex ? isHex(html.charCodeAt(j)) : isDigit(html.charCodeAt(j)))) j++;
    // Past 7 significant digits it is beyond U+10FFFF anyway (the parser's U+FFFD) → DOM.
    if (j === digitsStart || j - significant > 7 || html.charCodeAt(j) !== SEMI) throw NOT_SIMPLE;
    const cp = j === significant ? 0 : Number.parseInt(html.slice(significant, j), hex ? 16 : 10);
    // 0, C1 controls, surrogates and beyond U+10FFFF are replaced by the parser: → DOM.
    if (cp === 0 || (cp >= 0x80 && cp < 0xa0) || (cp >= 0xd800 && cp < 0xe000) || cp > 0x10ffff)
      throw NOT_SIMPLE;
    decoded = String.fromCodePoint(cp);
    return j + 1;
  }
  if (!isAlnum(c)) return -1;
  let j = i + 2;
  while (j < n && isAlnum(html.charCodeAt(j))) j++;
  if (html.charCodeAt(j) !== SEMI) throw NOT_SIMPLE; // `&amp` and such: legacy rules → DOM
  const value = ENTITIES.get(html.slice(i + 1, j));
  if (value === undefined) throw NOT_SIMPLE;
  decoded = value;
  return j + 1;
}
