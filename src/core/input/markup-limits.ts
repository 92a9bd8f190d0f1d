import { Parser, Tokenizer } from 'htmlparser2';

/**
 * How much HTML the input layer builds a DOM of. Readability's work on a page grows with
 * about the cube of its nesting depth (1,000 nested <div>s, 11 KB, took 17–25 s; 2,000 took
 * 174 s), and linkedom's with its square; real pages nest a few dozen levels and hold a few
 * thousand elements. Browsers stop nesting around here too (Chrome at 512, Firefox at 200).
 */
export interface MarkupLimits {
  /** Elements inside one another. */
  depth: number;
  /** Elements and comments (the DOM keeps comments as nodes; they cost what elements do). */
  elements: number;
}

export const MARKUP_LIMITS: Readonly<MarkupLimits> = { depth: 256, elements: 100_000 };

/**
 * Past the depth limit the scan goes on to name the markup's real depth, up to this many
 * times the limit: the scanner's work per tag grows with the depth (htmlparser2 keeps its
 * stack newest-first), so it stops there.
 */
const DEPTH_SHOWN_UP_TO = 8;

/** Markup over a limit: what, how much (`more`: at least that much; the scan stopped). */
export interface MarkupExcess {
  what: 'depth' | 'elements';
  found: number;
  more: boolean;
  limit: number;
}

/**
 * The depth and element count of HTML as linkedom would build it (the same parser,
 * htmlparser2, with its implied closes and void elements), without building anything;
 * null when both are within `limits`. Stops as soon as the answer is known, so its work
 * is bounded by the limits, not by the markup: the 2,000-deep page takes a millisecond.
 */
export function markupExcess(
  html: string,
  limits: Readonly<MarkupLimits> = MARKUP_LIMITS,
): MarkupExcess | null {
  // Every element and comment starts with a `<`: markup with few of them is within limits.
  const few = Math.min(limits.depth, limits.elements);
  if (countOf(html, '<', few + 1) <= few) return null;
  const depthCap = limits.depth * DEPTH_SHOWN_UP_TO;
  let depth = 0;
  let deepest = 0;
  let elements = 0;
  let stopped = false;
  const STOP = Symbol('stop');
  const counted = (): void => {
    if (++elements > limits.elements) {
      stopped = true;
      throw STOP;
    }
  };
  const parser = new Parser(
    {
      onopentagname() {
        counted();
        if (++depth > deepest) deepest = depth;
        if (depth > depthCap) {
          stopped = true;
          throw STOP;
        }
      },
      onclosetag() {
        depth--;
      },
      oncomment: counted,
    },
    { decodeEntities: false, lowerCaseAttributeNames: false },
  );
  try {
    parser.end(html);
  } catch (error) {
    if (error !== STOP) throw error;
  }
  if (deepest > depthCap)
    return { what: 'depth', found: depthCap, more: true, limit: limits.depth };
  if (deepest > limits.depth) {
    return { what: 'depth', found: deepest, more: false, limit: limits.depth };
  }
  if (stopped)
    return { what: 'elements', found: limits.elements, more: true, limit: limits.elements };
  return null;
}

/** How many times `char` occurs in `text`, counting no further than `enough`. */
function countOf(text: string, char: string, enough: number): number {
  let count = 0;
  for (let at = text.indexOf(char); at >= 0 && count < enough; at = text.indexOf(char, at + 1)) {
    count++;
  }
  return count;
}

const number = (n: number): string => n.toLocaleString('en-US');

/**
 * The excess as a message: `subject` is what nests (`the page`, `its HTML`), `readable`
 * what briefwire reads (`pages`, `HTML`).
 * `the page nests 2,000 elements deep; briefwire reads pages up to 256 levels`
 */
export function describeExcess(excess: MarkupExcess, subject: string, readable: string): string {
  const amount = `${excess.more ? 'more than ' : ''}${number(excess.found)}`;
  return excess.what === 'depth'
    ? `${subject} nests ${amount} elements deep; briefwire reads ${readable} up to ${number(excess.limit)} levels`
    : `${subject} has ${amount} elements; briefwire reads ${readable} of up to ${number(excess.limit)}`;
}

/** HTML over the markup limits (see markupExcess), thrown where no label is known. */
export class MarkupTooComplex extends Error {
  override readonly name = 'MarkupTooComplex';
  constructor(readonly excess: MarkupExcess) {
    super(describeExcess(excess, 'the HTML', 'HTML'));
  }
}

/** Throws MarkupTooComplex when `html` is over the limits. */
export function checkMarkup(html: string, limits: Readonly<MarkupLimits> = MARKUP_LIMITS): void {
  const excess = markupExcess(html, limits);
  if (excess !== null) throw new MarkupTooComplex(excess);
}

/**
 * The text of HTML over the limits, read by htmlparser2's tokenizer alone, with no DOM and
 * no stack of open elements (the parser's own stack costs time with the depth): linear in
 * the markup whatever its depth, so a hostile title or item still says what it says. Every
 * tag is a word break; the structure (paragraphs, lists) is lost, which is all such markup
 * deserves.
 */
export function streamedText(html: string): string {
  const parts: string[] = [];
  const space = (): void => {
    parts.push(' ');
  };
  const wanted: Record<string, (...args: number[]) => void> = {
    ontext: (start, end) => {
      parts.push(html.slice(start, end));
    },
    ontextentity: (codepoint) => {
      parts.push(String.fromCodePoint(codepoint));
    },
    onopentagname: space,
    onclosetag: space,
  };
  // The tokenizer calls a dozen callbacks (attributes, comments, CDATA…): all but the
  // text and the tag boundaries are nothing to this reader.
  const callbacks = new Proxy(wanted, { get: (target, name: string) => target[name] ?? noop });
  const tokenizer = new Tokenizer(
    { decodeEntities: true, xmlMode: false },
    callbacks as unknown as ConstructorParameters<typeof Tokenizer>[1],
  );
  tokenizer.write(html);
  tokenizer.end();
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function noop(): void {}
