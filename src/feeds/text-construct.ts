/**
 * Atom text constructs (RFC 4287 §3.1; Atom 0.3's `type` media types and `mode`) as HTML,
 * the one form parse.ts reads titles and content in. What rss-parser does (`title._`,
 * whatever the type) loses plain text that looks like markup: an Atom title
 * `History of the &lt;blink&gt; tag` is text, not a tag to strip.
 */

type Fields = Record<string, unknown>;

/** How a text construct's content is to be read. */
type TextKind = 'text' | 'html' | 'xhtml' | 'binary';

function kindOf(type: string | undefined, mode: string | undefined): TextKind {
  const t = type?.trim().toLowerCase();
  if (!t) return mode === 'escaped' ? 'html' : 'text'; // Atom 0.3 escaped content is HTML
  if (t === 'text' || t === 'text/plain') return 'text';
  if (t === 'html' || t === 'text/html') return 'html';
  if (t === 'xhtml' || t === 'application/xhtml+xml') return 'xhtml';
  if (t.startsWith('text/') || !t.includes('/')) return 'text';
  if (t.endsWith('+xml') || t.endsWith('/xml')) return 'xhtml';
  return 'binary'; // another media type: base64 of an image, a PDF… nothing to read
}

/**
 * Plain text as HTML that reads back the same: `<` escaped, so nothing in it is a tag.
 * `&` is left alone on purpose: feeds escape their text twice (`&amp;amp;`, `&amp;#8217;`)
 * far more often than they mean a literal entity name, so entities are decoded once more.
 */
export function textAsHtml(text: string): string {
  return text.includes('<') ? text.replace(/</g, '&lt;') : text;
}

/**
 * The words of an element the XML parser left as a tree (`{ div: [{ _: 'XHTML ', em:
 * ['title'] }] }`), attributes left out. Iterative, with a stack of its own: a hostile
 * feed nests elements thousands deep. The parser keeps no order between text and child
 * elements, so these are the words, not the exact sentence (parse.ts hands such markup
 * over as text before parsing; this is for what is left).
 */
export function treeText(value: unknown): string | undefined {
  const parts: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') {
      if (next) parts.push(next);
    } else if (Array.isArray(next)) {
      for (let k = next.length - 1; k >= 0; k--) stack.push(next[k]);
    } else if (next && typeof next === 'object') {
      const children = Object.entries(next as Fields).filter(([key]) => key !== '$');
      for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]?.[1]);
    }
  }
  return parts.join(' ').replace(/\s+/g, ' ').trim() || undefined;
}

/** treeText as HTML that reads back the same words. */
export function treeAsHtml(value: unknown): string | undefined {
  const words = treeText(value);
  return words === undefined ? undefined : textAsHtml(words);
}

function attribute(node: Fields, name: string): string | undefined {
  const value = (node.$ as Fields | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * An Atom text construct, as the XML parser gives it (a string, or `{ _, $ }` with its
 * attributes), → HTML: `text` (the default) taken literally, `html` as it is, `xhtml` as
 * markup, Atom 0.3 `mode="base64"` decoded first. Undefined when there is nothing to read
 * (no content, a binary media type).
 */
export function atomTextAsHtml(node: unknown): string | undefined {
  if (typeof node === 'string') return textAsHtml(node);
  if (!node || typeof node !== 'object') return undefined;
  const element = node as Fields;
  const mode = attribute(element, 'mode')?.trim().toLowerCase();
  const kind = kindOf(attribute(element, 'type'), mode);
  if (kind === 'binary') return undefined;
  const body = element._;
  if (typeof body !== 'string') return treeAsHtml(element);
  const text = mode === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  // xhtml whose markup was only text: the XML parser decoded it, it is text now.
  return kind === 'html' ? text : textAsHtml(text);
}
