import type { DomDocument, DomElement } from './dom.js';

/**
 * Class and id tokens of what pages put inside a story that is not the story: captions and
 * credits, bylines, share bars, newsletter boxes, "related"/"read more" links.
 */
const TOKEN =
  /^(?:.*[-_])?(?:caption|captions|credit|credits|byline|bylines|author|share|sharing|social|newsletter|related|read-?more|readmore|subscribe|signup|promo)(?:[-_].*)?$/i;

/** Such a box holds a few lines at most: a larger one is likely the story wrapped oddly. */
const MAX_CHARS = 400;

function isBoilerplate(el: DomElement): boolean {
  if (el.localName === 'figcaption') return true;
  if ((el.getAttribute('rel') ?? '').toLowerCase() === 'author') return true;
  const tokens = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`.split(/\s+/);
  if (!tokens.some((t) => t !== '' && TOKEN.test(t))) return false;
  return (el.textContent ?? '').length <= MAX_CHARS;
}

/**
 * Takes out, before Readability reads the page, the in-story boxes it keeps on short pages:
 * figure captions and credits, bylines, share bars, newsletter prompts, related links.
 * What reaches the text anyway is caught again by the text's own boilerplate filter.
 */
export function dropPageBoilerplate(doc: DomDocument): void {
  for (const el of Array.from(doc.body.querySelectorAll('figcaption, [class], [id], [rel]'))) {
    if (el.localName !== 'body' && el.localName !== 'html' && isBoilerplate(el)) el.remove();
  }
}
