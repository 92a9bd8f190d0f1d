import { type DomElement, type DomNode, isElement, parseHtmlDocument, TEXT_NODE } from './dom.js';
import { streamedFragmentText } from './html-stream.js';
import { checkMarkup } from './markup-limits.js';
import { TextBuilder } from './text-builder.js';

/** Elements whose content is never article text. */
const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'title',
  'meta',
  'link',
  'svg',
  'math',
  'iframe',
  'object',
  'embed',
  'canvas',
  'video',
  'audio',
  'img',
  'picture',
  'source',
  'button',
  'select',
  'option',
  'input',
  'textarea',
  'dialog',
]);

/** Elements that start and end a paragraph. */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'caption',
  'center',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
]);

const CELL = new Set(['td', 'th']);

function isHidden(el: DomElement): boolean {
  if (el.hasAttribute('hidden')) return true;
  if (el.getAttribute('aria-hidden') === 'true') return true;
  const style = el.getAttribute('style');
  return style !== null && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}

/**
 * The text of a DOM subtree as the engine reads it: block elements become paragraphs
 * separated by blank lines, <br> a line break, entities decoded (by the parser), scripts,
 * styles, comments, forms and hidden elements dropped, whitespace collapsed outside <pre>
 * (TextBuilder).
 */
export function nodeToText(root: DomNode): string {
  const text = new TextBuilder();
  // An explicit stack instead of recursion: pages can nest thousands of levels deep.
  type Frame = { node: DomNode; pre: boolean } | { close: 'block' | 'cell' };
  const stack: Frame[] = [{ node: root, pre: false }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if ('close' in frame) {
      if (frame.close === 'block') text.paragraphBreak();
      else text.space();
      continue;
    }
    const { node, pre } = frame;
    if (node.nodeType === TEXT_NODE) {
      const data = node.textContent ?? '';
      if (pre) text.preText(data);
      else text.text(data);
      continue;
    }
    let inPre = pre;
    let close: 'block' | 'cell' | null = null;
    if (node !== root && isElement(node)) {
      const tag = node.localName.toLowerCase();
      if (SKIP.has(tag) || isHidden(node)) continue;
      if (tag === 'br') {
        text.lineBreak();
        continue;
      }
      if (BLOCK.has(tag)) {
        text.paragraphBreak();
        close = 'block';
        if (tag === 'pre') inPre = true;
      } else if (CELL.has(tag)) {
        text.space();
        close = 'cell';
      }
    } else if (!isElement(node) && node !== root && node.nodeType !== 9 && node.nodeType !== 11) {
      continue; // comments, processing instructions, doctypes
    }
    if (close) stack.push({ close });
    const kids = node.childNodes;
    for (let k = kids.length - 1; k >= 0; k--) {
      const child = kids[k];
      if (child) stack.push({ node: child, pre: inPre });
    }
  }
  return text.finish();
}

/**
 * HTML (a page or a fragment, e.g. a feed item's description) → plain text with paragraph
 * breaks. The one HTML-to-text function of the input layer: pages, feed content and
 * descriptions all go through it. Throws MarkupTooComplex for HTML over the markup limits
 * (nested too deep, too many elements) that the fast path does not read.
 */
export function htmlToText(html: string): string {
  return streamHtmlToText(html) ?? domHtmlToText(html);
}

/**
 * htmlToText's fast path: a fragment read from htmlparser2's events without a DOM, giving
 * exactly the DOM path's text; null for a whole document or markup past the limits (see
 * html-stream.ts).
 */
export function streamHtmlToText(html: string): string | null {
  return streamedFragmentText(html, SETS);
}

const SETS = { skip: SKIP, block: BLOCK, cell: CELL };

/**
 * htmlToText through the DOM: the reference for the fast path. Markup over the limits is
 * refused (MarkupTooComplex) before a DOM is built: its DOM alone would stall the caller.
 */
export function domHtmlToText(html: string): string {
  checkMarkup(html);
  return nodeToText(parseHtmlDocument(html).body);
}
