import { htmlToText } from '../core/input/html-text.js';
import { describeExcess, MarkupTooComplex, streamedText } from '../core/input/markup-limits.js';
import {
  languageHint,
  normalizeParagraphs,
  oneLine,
  parseDate,
  resolveUrl,
  titleFromText,
} from '../core/input/normalize.js';
import { sniff } from '../core/input/sniff.js';
import { rootElementName } from '../core/input/xml-root.js';
import type { Article } from '../core/types.js';
import { FeedError } from '../net/errors.js';
import { markupAsHtml } from './inline-markup.js';
import { isoDateOf, LeanParser } from './lean-parser.js';
import { jsonItemImage } from './media.js';
import { treeAsHtml } from './text-construct.js';

/** One entry of a feed, reduced to what the bot needs. */
export interface FeedItem {
  /** RSS guid, Atom id, RSS 1.0 rdf:about, JSON Feed id; null when the feed gives none. */
  guid: string | null;
  /** Absolute http(s) link (relative ones resolved against the feed URL); null when none. */
  link: string | null;
  /** One line; taken from the text when the item has no title. */
  title: string;
  /** Plain text, entities decoded, paragraphs separated by blank lines; may be ''. */
  text: string;
  /** ISO 8601 UTC, or null when the item has no readable date. */
  publishedAt: string | null;
  /** Two-letter language hint: the item's own, else the feed's; null when none. */
  language: string | null;
  /**
   * The lead image the item declares (media:content, enclosure, media:thumbnail, JSON Feed
   * image; see media.ts): absolute http(s), resolved like the link; null when none.
   */
  image: string | null;
}

export interface ParsedFeed {
  /** `RSS 2.0`, `RSS 1.0`, `RSS 0.91`, `Atom`, `JSON Feed 1.1`: for people. */
  format: string;
  title: string;
  /** The site the feed is about (absolute), or null. */
  link: string | null;
  language: string | null;
  /** In document order (feeds usually list the newest first). */
  items: FeedItem[];
  /** Items left out because they had neither title nor text. */
  skipped: number;
  /**
   * What was read only in part, one line each (for the log): a title or text whose HTML
   * is over the markup limits (nested too deep, too many elements) is read as empty.
   */
  problems: string[];
}

export interface ParseFeedOptions {
  /** Where the feed came from (after redirects): the base for relative links. */
  url?: string | null | undefined;
  /** The Content-Type header the bytes came with: charset and kind hint. */
  contentType?: string | null | undefined;
  /** What to call the feed in messages; defaults to url. */
  label?: string | undefined;
}

type Fields = Record<string, unknown>;

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && typeof (value as Fields)._ === 'string') {
    return (value as Fields)._ as string;
  }
  return undefined;
}

/** Markup HTML would read: a tag, a character reference (`&amp`, `&#39`…), a NUL. */
const MARKUP = /[<\0]|&[\w#]/;

/**
 * A title or name: one line, tags dropped and entities decoded when there are any. A
 * title whose only `&` are bare (`Q&A`, `Rock & roll`) is text to HTML too: no DOM pass.
 * Exported for tests.
 */
export function inline(value: unknown): string {
  // An element left as a tree (a `dc:title` with markup) gives its words.
  const s = str(value) ?? treeAsHtml(value);
  if (!s) return '';
  return MARKUP.test(s) ? oneLine(htmlToText(s)) : oneLine(s);
}

/**
 * Item content → plain text through the input layer's htmlToText. Content without a tag
 * or an entity is plain text already: its blank lines still separate paragraphs, and it
 * skips the DOM (most of the cost of a feed with short plain descriptions).
 */
function contentToText(value: unknown): string {
  const s = str(value);
  if (!s?.trim()) return '';
  if (/<[a-z!/]/i.test(s)) return htmlToText(s);
  const paragraphs = s.split(/\r?\n[ \t]*\r?\n/);
  if (/&/.test(s)) return htmlToText(paragraphs.map((p) => `<p>${p}</p>`).join(''));
  return normalizeParagraphs(paragraphs.map((p) => oneLine(p)).join('\n\n'));
}

/**
 * One title or text of a feed: HTML over the markup limits is read as streamed plain text
 * (no DOM, linear at any depth) and noted in `problems`, so that one hostile item costs
 * neither the poll nor the feed's other items, and still loses none of its words.
 */
function guarded(problems: string[], what: string, raw: unknown, read: () => string): string {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof MarkupTooComplex)) throw error;
    problems.push(
      `${what}: ${describeExcess(error.excess, 'its HTML', 'HTML')}; read as plain text`,
    );
    return streamedText(str(raw) ?? '');
  }
}

/** How an item is named in `problems`: its title, else its id, else its place in the feed. */
function itemName(title: string, guid: string | null, index: number): string {
  return `item ${title ? `"${title}"` : (guid ?? `#${index + 1}`)}`;
}

function orNull(s: string | undefined): string | null {
  const v = oneLine(s);
  return v ? v : null;
}

/** rss-parser throws on an Atom date it cannot read; such a date is better dropped. */
function dropUnreadableAtomDates(xml: string): string {
  return xml.replace(
    /<(published|updated)(\s[^>]*)?>([^<]*)<\/\1\s*>/g,
    (whole, _tag: string, _attrs: string, value: string) =>
      Number.isNaN(Date.parse(value.trim())) ? '' : whole,
  );
}

/** `AT&T` is not XML, but feeds carry it: escape ampersands that start no reference. */
function escapeBareAmpersands(xml: string): string {
  return xml.replace(/&(?!(?:#\d+|#x[0-9a-f]+|[a-z][\w.-]*);)/gi, '&amp;');
}

/** `<link rel="alternate" type="application/rss+xml" href="…">` of an HTML page. */
function advertisedFeed(html: string, base: string | null | undefined): string | null {
  for (const tag of html.slice(0, 200_000).match(/<link\b[^>]*>/gi) ?? []) {
    if (!/\brel\s*=\s*["']?alternate\b/i.test(tag)) continue;
    if (!/\btype\s*=\s*["']?application\/(?:rss|atom|feed)\+(?:xml|json)/i.test(tag)) continue;
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    const raw = href?.[1] ?? href?.[2] ?? href?.[3];
    const resolved = resolveUrl(raw?.replace(/&amp;/g, '&'), base);
    if (resolved) return resolved;
  }
  return null;
}

function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim() || 'text/plain';
}

/**
 * A feed document → its title, link, language and items. RSS 0.9x/1.0/2.0 and Atom go
 * through rss-parser; JSON Feed 1.x is read directly. Bytes are decoded as the input layer
 * does (BOM, Content-Type charset, XML prolog, UTF-8, windows-1251/1252 guess); a string
 * is taken as already decoded. Item text becomes plain text (htmlToText), entities are
 * decoded, relative links resolved against `url` (else the feed's own link).
 *
 * Throws FeedError: `empty`, `binary`, `not-a-feed` (an HTML page — naming the feed it
 * advertises, if any —, other XML, plain text, truncated or malformed XML, JSON that is no
 * JSON Feed). A valid feed without items is not an error.
 */
export async function parseFeed(
  input: string | Uint8Array,
  options: ParseFeedOptions = {},
): Promise<ParsedFeed> {
  const label = options.label ?? options.url ?? 'feed';
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const contentType =
    typeof input === 'string'
      ? `${mediaType(options.contentType)}; charset=utf-8`
      : options.contentType;
  const sniffed = sniff(bytes, contentType);
  switch (sniffed.kind) {
    case 'binary':
      throw new FeedError(
        'binary',
        label,
        `looks like binary data${sniffed.what ? ` (${sniffed.what})` : ''}, not a feed`,
      );
    case 'empty':
      throw new FeedError('empty', label, 'is empty; there is no feed to read');
    case 'html': {
      // A JSON Feed whose content_html holds "<body>" can pass for a page.
      if (/^\s*\{/.test(sniffed.text)) return parseJsonFeed(sniffed.text, label, options.url);
      const feed = advertisedFeed(sniffed.text, options.url);
      throw new FeedError(
        'not-a-feed',
        label,
        `is an HTML page, not a feed${feed ? ` (the page names a feed: ${feed})` : ''}`,
      );
    }
    case 'xml':
      if (!sniffed.root) {
        throw new FeedError(
          'not-a-feed',
          label,
          'the XML is cut short (no root element); the feed is incomplete',
        );
      }
      throw new FeedError(
        'not-a-feed',
        label,
        `is XML (<${sniffed.root}>) but not an RSS, Atom or JSON feed`,
      );
    case 'plain':
      if (/^\s*[{[]/.test(sniffed.text)) return parseJsonFeed(sniffed.text, label, options.url);
      throw new FeedError('not-a-feed', label, 'is plain text, not an RSS, Atom or JSON feed');
    case 'feed':
      return parseXmlFeed(sniffed.text, label, options.url);
  }
}

let parserInstance: LeanParser | undefined;

/** One rss-parser for every feed: its XML parsing of a string is synchronous and stateless. */
function xmlParser(): LeanParser {
  parserInstance ??= new LeanParser({
    defaultRSS: 2,
    customFields: { feed: ['dc:language'] },
  });
  return parserInstance;
}

/** Where rss-parser puts an item's text, the fullest first. */
const CONTENT_FIELDS = ['content:encoded', 'content', 'summary'] as const;

async function parseXmlFeed(
  xml: string,
  label: string,
  url: string | null | undefined,
): Promise<ParsedFeed> {
  const root = rootElementName(xml);
  if (root === 'item' || root === 'entry') {
    throw new FeedError('not-a-feed', label, `is a single <${root}>, not a whole feed`);
  }
  const version = /<rss\b[^>]*?\bversion\s*=\s*["']([\d.]+)["']/i.exec(xml.slice(0, 4096))?.[1];
  const format =
    root === 'feed' ? 'Atom' : root === 'rdf:rdf' ? 'RSS 1.0' : `RSS ${version ?? '2.0'}`;

  const parser = xmlParser();
  const source = markupAsHtml(root === 'feed' ? dropUnreadableAtomDates(xml) : xml);
  let feed: Fields & { items?: Fields[] };
  try {
    feed = await parser.parseString(source);
  } catch (first) {
    try {
      // One retry for the commonest breakage, a bare & (`AT&T`); otherwise the first error.
      const fixed = escapeBareAmpersands(source);
      if (fixed === source) throw first;
      feed = await parser.parseString(fixed);
    } catch {
      throw new FeedError('not-a-feed', label, unreadableXml(first, root), { cause: first });
    }
  }

  const head = xml.slice(0, 8192);
  // The literal first: the full pattern tries every tag of the head (5 µs a feed).
  const xmlLang = /xml:lang/i.test(head)
    ? /<(?:feed|rss|channel|rdf:RDF)\b[^>]*\bxml:lang\s*=\s*["']([^"']+)["']/i.exec(head)?.[1]
    : undefined;
  const language =
    languageHint(str(feed.language)) ??
    languageHint(str(feed['dc:language'])) ??
    languageHint(xmlLang);
  const link = resolveUrl(str(feed.link), baseOf(feed.xmlBase, url)) ?? null;
  const items: FeedItem[] = [];
  const problems: string[] = [];
  let skipped = 0;
  for (const [index, item] of (feed.items ?? []).entries()) {
    const guid = orNull(str(item.guid) ?? str(item.id) ?? str(item['rdf:about']));
    const title = guarded(problems, `${itemName('', guid, index)} title`, item.title, () =>
      inline(item.title),
    );
    let text = '';
    for (const key of CONTENT_FIELDS) {
      text = guarded(problems, itemName(title, guid, index), item[key], () =>
        contentToText(item[key]),
      );
      if (text) break;
    }
    const made = makeItem(
      {
        guid,
        href: str(item.link),
        // Without a <link>, a guid or id that is a URL is the item's address.
        fallbackHref: guid,
        title,
        text,
        date: parseDate(str(item.pubDate) ?? str(item.date)) ?? parseDate(isoDateOf(item)),
        language: languageHint(str(item.language)) ?? language,
        image: str(item.image),
      },
      baseOf(item.xmlBase, url),
      link,
    );
    if (made) items.push(made);
    else skipped++;
  }
  const title = guarded(problems, 'the feed title', feed.title, () => inline(feed.title));
  return { format, title, link, language, items, skipped, problems };
}

/**
 * The base a link resolves against: the document's URL, then each xml:base around the
 * link in turn, outermost first (LeanParser's `xmlBase`). A base that cannot be made an
 * absolute http(s) URL is passed over.
 */
function baseOf(xmlBase: unknown, url: string | null | undefined): string | null | undefined {
  let base = url;
  if (!Array.isArray(xmlBase)) return base;
  for (const next of xmlBase) {
    if (typeof next === 'string') base = resolveUrl(next, base) ?? base;
  }
  return base;
}

function unreadableXml(error: unknown, root: string | null): string {
  const raw = error instanceof Error ? error.message : String(error);
  const why = oneLine(raw.split('\n')[0]);
  if (/unclosed root tag|unexpected end|unable to parse xml/i.test(why)) {
    return `the XML is cut short (${why}); the feed is incomplete`;
  }
  if (root === 'rss' && /cannot read properties/i.test(why)) {
    return 'an <rss> document without a <channel> is not a feed';
  }
  if (/not recognized as rss/i.test(why)) return 'not an RSS or Atom feed';
  return `not a readable RSS/Atom feed (${why})`;
}

interface ItemParts {
  guid: string | null;
  href: string | undefined;
  fallbackHref: string | null;
  title: string;
  text: string;
  date: string | null;
  language: string | null;
  image: string | undefined;
}

/**
 * The longest image URL kept: Discord refuses an embed whose image URL is longer (its
 * `url` fields take 2048 characters), and no real image needs more.
 */
const IMAGE_URL_MAX = 2048;

/** `base`: what the item's relative link resolves against (the feed URL, xml:base applied). */
function makeItem(
  parts: ItemParts,
  base: string | null | undefined,
  feedLink: string | null,
): FeedItem | null {
  const text = parts.text;
  const title = parts.title || (text ? titleFromText(text) : '');
  if (!title) return null;
  const link =
    resolveUrl(parts.href, base) ??
    resolveUrl(parts.href, feedLink) ??
    resolveUrl(parts.fallbackHref) ??
    null;
  return {
    guid: parts.guid,
    link,
    title,
    text,
    publishedAt: parts.date,
    language: parts.language,
    image: imageUrl(parts.image, base, feedLink),
  };
}

function imageUrl(
  raw: string | undefined,
  base: string | null | undefined,
  feedLink: string | null,
): string | null {
  const url = resolveUrl(raw, base) ?? resolveUrl(raw, feedLink);
  return url !== null && url.length <= IMAGE_URL_MAX ? url : null;
}

const JSON_FEED_VERSION = /^https?:\/\/jsonfeed\.org\/version\/(1(?:\.\d+)?)\/?$/;

function parseJsonFeed(text: string, label: string, url: string | null | undefined): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? oneLine(error.message) : String(error);
    throw new FeedError('not-a-feed', label, `is not valid JSON (${why}); is it cut short?`, {
      cause: error,
    });
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new FeedError('not-a-feed', label, 'is JSON but not a JSON Feed (not an object)');
  }
  const feed = data as Fields;
  const version =
    typeof feed.version === 'string' ? JSON_FEED_VERSION.exec(feed.version)?.[1] : undefined;
  if (!version) {
    throw new FeedError(
      'not-a-feed',
      label,
      'is JSON but not a JSON Feed (no "version": "https://jsonfeed.org/version/1.1")',
    );
  }
  if (!Array.isArray(feed.items)) {
    throw new FeedError('not-a-feed', label, 'is a JSON Feed without an "items" array');
  }
  const language = languageHint(str(feed.language));
  const link = resolveUrl(str(feed.home_page_url), url);
  const items: FeedItem[] = [];
  const problems: string[] = [];
  let skipped = 0;
  for (const [index, entry] of (feed.items as unknown[]).entries()) {
    if (!entry || typeof entry !== 'object') {
      skipped++;
      continue;
    }
    const item = entry as Fields;
    const guid = orNull(str(item.id));
    const title = guarded(problems, `${itemName('', guid, index)} title`, item.title, () =>
      inline(item.title),
    );
    let text = '';
    for (const content of [item.content_html, plainAsHtml(str(item.content_text)), item.summary]) {
      text = guarded(problems, itemName(title, guid, index), content, () => contentToText(content));
      if (text) break;
    }
    const made = makeItem(
      {
        guid,
        href: str(item.url),
        fallbackHref: str(item.external_url) ?? null,
        title,
        text,
        date: parseDate(str(item.date_published)) ?? parseDate(str(item.date_modified)),
        language: languageHint(str(item.language)) ?? language,
        image: jsonItemImage(item),
      },
      url,
      link,
    );
    if (made) items.push(made);
    else skipped++;
  }
  return {
    format: `JSON Feed ${version}`,
    title: guarded(problems, 'the feed title', feed.title, () => inline(feed.title)),
    link,
    language,
    items,
    skipped,
    problems,
  };
}

/** content_text is plain text: an & or < in it is a character, not markup. */
function plainAsHtml(s: string | undefined): string | undefined {
  if (!s || !/[<&]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/**
 * A feed item as the engine's input: title, text (the title when the item has none), the
 * source named, and the language the feed's config entry sets over the item's own.
 */
export function itemToArticle(
  item: FeedItem,
  from: { source: string | null; languageHint?: string | null | undefined },
): Article {
  return {
    title: item.title,
    text: item.text || item.title,
    url: item.link,
    source: from.source,
    publishedAt: item.publishedAt,
    language: from.languageHint ?? item.language,
    image: item.image,
  };
}
