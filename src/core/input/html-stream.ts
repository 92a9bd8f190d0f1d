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
export function streamedFragmentText(
  html: string,
  sets: { skip: ReadonlySet<string>; block: ReadonlySet<string>; cell: ReadonlySet<string> },
): string | null {
  // Even a stray </body> matters: wrapped in a <body> (parseHtmlDocument), it ends the wrapper.
  if (DOCUMENT_TAG.test(html)) return null;
  const text = new TextBuilder();
  /** What each open element does when it closes: see CLOSE. */
  const open: number[] = [];
  let skipped = 0;
  let pre = 0;
  let elements = 0;
  let refused = false;
  // Stops reading at once: markup past the limits can be quadratic for the parser's stack.
  const refuse = (): void => {
    refused = true;
    parser.pause();
  };
  const parser = new Parser(
    {
      onopentag(tag, attributes) {
        if (refused) return;
        if (++elements > MARKUP_LIMITS.elements || open.length >= MARKUP_LIMITS.depth) {
          refuse();
          return;
        }
        if (skipped > 0 || sets.skip.has(tag) || isHidden(attributes)) {
          skipped++;
          open.push(CLOSE.skipped);
        } else if (tag === 'br') {
          text.lineBreak();
          open.push(CLOSE.nothing);
        } else if (sets.block.has(tag)) {
          text.paragraphBreak();
          if (tag === 'pre') {
            pre++;
            open.push(CLOSE.pre);
          } else open.push(CLOSE.block);
        } else if (sets.cell.has(tag)) {
          text.space();
          open.push(CLOSE.cell);
        } else {
          open.push(CLOSE.nothing);
        }
      },
      onclosetag() {
        if (refused) return;
        switch (open.pop()) {
          case CLOSE.skipped:
            skipped--;
            break;
          case CLOSE.pre:
            pre--;
            text.paragraphBreak();
            break;
          case CLOSE.block:
            text.paragraphBreak();
            break;
          case CLOSE.cell:
            text.space();
        }
      },
      ontext(data) {
        if (refused || skipped > 0) return;
        if (pre > 0) text.preText(data);
        else text.text(data);
      },
    },
    // linkedom's options: attribute names as written (its getAttribute then matches only lower case).
    { decodeEntities: true, lowerCaseAttributeNames: false },
  );
  // In what the DOM path parses it in (parseHtmlDocument's wrapper, whose <html> and
  // <head> before it are closed): a fragment's unfinished tail (`</`, `<a href="x`) reads
  // the same with the wrapper's end after it. The <body> adds nothing, as the DOM's root.
  parser.end(`<body>${html}</body></html>`);
  return refused ? null : text.finish();
}

/** Elements parseHtmlDocument treats specially: a fragment with one goes to the DOM. */
const DOCUMENT_TAG = /<\/?(?:html|head|body)(?![^\s/>])/i;
/** What an element does to the text when it closes (and, skipped, to what is inside it). */
const CLOSE = { nothing: 0, block: 1, cell: 2, pre: 3, skipped: 4 } as const;

/** As nodeToText's isHidden, on the attributes as the parser gives them. */
function isHidden(attributes: Record<string, string>): boolean {
  if ('hidden' in attributes) return true;
  if (attributes['aria-hidden'] === 'true') return true;
  const style = attributes.style;
  return style !== undefined && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}
