/**
 * OPML 2.0 subscription lists (http://opml.org/spec2.opml), written by /export and read by
 * /import. A subscription's filters travel in a `briefwire:filters` attribute, so an
 * export imported elsewhere keeps them; other readers ignore it.
 */

export const OPML_NAMESPACE = 'https://github.com/briefwire/briefwire/opml';

export interface OpmlFeed {
  xmlUrl: string;
  title: string;
  /** Filter text; '' for none. */
  filters: string;
}

/** Characters XML 1.0 cannot carry at all, escaped or not. */
const INVALID_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text for an XML attribute value or element: escaped, invalid characters dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

export function toOpml(feeds: readonly OpmlFeed[], head: { title: string; created: Date }): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<opml version="2.0" xmlns:briefwire="${OPML_NAMESPACE}">`,
    '  <head>',
    `    <title>${escapeXml(head.title)}</title>`,
    `    <dateCreated>${head.created.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
  ];
  for (const feed of feeds) {
    const title = escapeXml(feed.title);
    const filters = feed.filters ? ` briefwire:filters="${escapeXml(feed.filters)}"` : '';
    lines.push(
      `    <outline type="rss" text="${title}" title="${title}" xmlUrl="${escapeXml(feed.xmlUrl)}"${filters}/>`,
    );
  }
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}

/** Text that is no OPML list; the message is one line for the chat. */
export class OpmlError extends Error {
  override readonly name = 'OpmlError';
}

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X'
          ? Number.parseInt(name.slice(2), 16)
          : Number.parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

/** Attribute names lower-cased (feeds in the wild write xmlurl and XMLURL too). */
function attributes(source: string): Map<string, string> {
  const found = new Map<string, string>();
  const attribute = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (const m of source.matchAll(attribute)) {
    const name = (m[1] as string).toLowerCase();
    if (!found.has(name)) found.set(name, decodeEntities(m[2] ?? m[3] ?? ''));
  }
  return found;
}

/**
 * The feeds of an OPML document: every `<outline>` with an `xmlUrl`, nested ones too
 * (categories), in document order. Lenient about the rest, as readers are; throws
 * OpmlError when the text is no OPML or lists no feed.
 */
export function parseOpml(text: string): OpmlFeed[] {
  const xml = text.replace(/<!--[\s\S]*?-->/g, '');
  if (!/<opml[\s>]/i.test(xml)) {
    throw new OpmlError(
      /^\s*https?:\/\/\S+\s*$/i.test(text)
        ? 'this is a URL; use /subscribe URL for one feed'
        : 'no <opml> element',
    );
  }
  const feeds: OpmlFeed[] = [];
  const outline = /<outline\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
  for (const m of xml.matchAll(outline)) {
    const attrs = attributes(m[1] ?? '');
    const xmlUrl = attrs.get('xmlurl')?.trim();
    if (!xmlUrl) continue;
    feeds.push({
      xmlUrl,
      title: (attrs.get('title') ?? attrs.get('text') ?? '').trim(),
      filters: (attrs.get('briefwire:filters') ?? '').trim(),
    });
  }
  if (feeds.length === 0) throw new OpmlError('no <outline> with an xmlUrl');
  return feeds;
}
