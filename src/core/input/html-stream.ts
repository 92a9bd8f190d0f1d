import { Parser } from 'htmlparser2';
import { MARKUP_LIMITS } from './markup-limits.js';
import { TextBuilder } from './text-builder.js';

/**
 * htmlToText's fast path for fragments (a feed item's description, content): the events
 * of htmlparser2's Parser — the parser linkedom builds its DOM from, so the same elements,
 * implied closes, void elements and decoded entities — read in one pass without building
 * a DOM, the way nodeToText reads the DOM (same SKIP, BLOCK, CELL sets, hidden elements).
 * It replaced a hand-written imitation of htmlparser2's tokenizer (ARCHITECTURE.md,
 * "Libraries we chose"); test/core/input/html-stream.test.ts checks it against the DOM path.
 *
 * Null, for the DOM path to read, when the fragment has its own <html>, <head> or <body>
 * (parseHtmlDocument moves things around those), or goes past the markup limits (the DOM
 * path refuses it with the reason).
 */
export function streamedFragmentText(html: string, sets: ElementSets): string | null {
  // Even a stray </body> matters: wrapped in a <body> (parseHtmlDocument), it ends the wrapper.
  if (DOCUMENT_TAG.test(html)) return null;
  return new FragmentReader(sets).read(html);
}

/** nodeToText's element sets: skipped, block and table cell elements. */
export interface ElementSets {
  skip: ReadonlySet<string>;
  block: ReadonlySet<string>;
  cell: ReadonlySet<string>;
}

/** Elements parseHtmlDocument treats specially: a fragment with one goes to the DOM. */
const DOCUMENT_TAG = /<\/?(?:html|head|body)(?![^\s/>])/i;
/** What an element does to the text when it closes (and, skipped, to what is inside it). */
const CLOSE = { nothing: 0, block: 1, cell: 2, pre: 3, skipped: 4 } as const;
/** As nodeToText's isHidden: a style that hides the element. */
const HIDING_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;
/** The attributes of isHidden whose first value counts, as bits of FragmentReader's #seen. */
const SEEN = { ariaHidden: 1, style: 2 } as const;

/**
 * The handler of one reading. An element is taken in when its start tag is over, at the
 * next event (its attributes come in between): htmlparser2 builds an object of every
 * tag's attributes for an `onopentag` handler, where isHidden needs three, and those of
 * only some tags.
 */
class FragmentReader {
  readonly #sets: ElementSets;
  readonly #text = new TextBuilder();
  /** What each open element does when it closes: see CLOSE. */
  readonly #open: number[] = [];
  #skipped = 0;
  #pre = 0;
  #elements = 0;
  #refused = false;
  /** The element whose start tag is being read; null once it is taken in. */
  #tag: string | null = null;
  #hidden = false;
  /** Which of isHidden's attributes the tag had already: the first of each counts. */
  #seen = 0;
  readonly #parser: Parser;

  constructor(sets: ElementSets) {
    this.#sets = sets;
    // linkedom's options: attribute names as written (its getAttribute then matches only lower case).
    this.#parser = new Parser(this, { decodeEntities: true, lowerCaseAttributeNames: false });
  }

  read(html: string): string | null {
    // In what the DOM path parses it in (parseHtmlDocument's wrapper, whose <html> and
    // <head> before it are closed): a fragment's unfinished tail (`</`, `<a href="x`) reads
    // the same with the wrapper's end after it. The <body> adds nothing, as the DOM's root.
    this.#parser.end(`<body>${html}</body></html>`);
    this.#takeIn();
    return this.#refused ? null : this.#text.finish();
  }

  onopentagname(tag: string): void {
    this.#takeIn();
    this.#tag = tag;
    this.#hidden = false;
    this.#seen = 0;
  }

  /** isHidden's three attributes, the first of each name as in the attributes object. */
  onattribute(name: string, value: string): void {
    if (name === 'hidden') this.#hidden = true;
    else if (name === 'aria-hidden') {
      if (!(this.#seen & SEEN.ariaHidden) && value === 'true') this.#hidden = true;
      this.#seen |= SEEN.ariaHidden;
    } else if (name === 'style') {
      if (!(this.#seen & SEEN.style) && HIDING_STYLE.test(value)) this.#hidden = true;
      this.#seen |= SEEN.style;
    }
  }

  onclosetag(): void {
    this.#takeIn();
    if (this.#refused) return;
    switch (this.#open.pop()) {
      case CLOSE.skipped:
        this.#skipped--;
        break;
      case CLOSE.pre:
        this.#pre--;
        this.#text.paragraphBreak();
        break;
      case CLOSE.block:
        this.#text.paragraphBreak();
        break;
      case CLOSE.cell:
        this.#text.space();
    }
  }

  ontext(data: string): void {
    this.#takeIn();
    if (this.#refused || this.#skipped > 0) return;
    if (this.#pre > 0) this.#text.preText(data);
    else this.#text.text(data);
  }

  /**
   * A comment counts toward the element limit as checkMarkup counts it (the DOM keeps it as
   * a node), so that what the DOM path would refuse this path leaves to it.
   */
  oncomment(): void {
    this.#takeIn();
    if (!this.#refused && ++this.#elements > MARKUP_LIMITS.elements) this.#refuse();
  }

  /** Stops reading at once: markup past the limits can be quadratic for the parser's stack. */
  #refuse(): void {
    this.#refused = true;
    this.#parser.pause();
  }

  /** The element whose start tag was read, as nodeToText takes in an element. */
  #takeIn(): void {
    const tag = this.#tag;
    if (tag === null || this.#refused) return;
    this.#tag = null;
    const open = this.#open;
    if (++this.#elements > MARKUP_LIMITS.elements || open.length >= MARKUP_LIMITS.depth) {
      this.#refuse();
      return;
    }
    const sets = this.#sets;
    if (this.#skipped > 0 || sets.skip.has(tag) || this.#hidden) {
      this.#skipped++;
      open.push(CLOSE.skipped);
    } else if (tag === 'br') {
      this.#text.lineBreak();
      open.push(CLOSE.nothing);
    } else if (sets.block.has(tag)) {
      this.#text.paragraphBreak();
      if (tag === 'pre') {
        this.#pre++;
        open.push(CLOSE.pre);
      } else open.push(CLOSE.block);
    } else if (sets.cell.has(tag)) {
      this.#text.space();
      open.push(CLOSE.cell);
    } else {
      open.push(CLOSE.nothing);
    }
  }
}
