import Parser from 'rss-parser';
import { xmlItemImage } from './media.js';
import { atomTextAsHtml, treeAsHtml } from './text-construct.js';
import { type XmlTree, xmlTree } from './xml-tree.js';

type Fields = Record<string, unknown>;

/** What rss-parser calls of its `xmlParser` (an xml2js Parser): a parse with a callback. */
interface XmlParser {
  parseString(xml: string, done: (error: unknown, result?: XmlTree | null) => void): void;
}

/** rss-parser's field list entries: `name`, or `[from, to, {keepArray, includeSnippet}]`. */
type FieldSpec = string | [string, string, { keepArray?: boolean; includeSnippet?: boolean }?];

/**
 * utils.getContent, for the text forms; an element left as a tree (child elements: parse.ts
 * hands those over as text, see inline-markup.ts) is read as its words, without the
 * recursion of rss-parser's XML builder.
 */
function textContent(content: unknown): string | undefined {
  if (content && typeof content === 'object') {
    const text = (content as Fields)._;
    return typeof text === 'string' ? text : treeAsHtml(content);
  }
  return content as string;
}

/** utils.copyFromXML without `includeSnippet` (the bot never reads a snippet). */
function copyFields(xml: Fields, dest: Fields, fields: readonly FieldSpec[]): void {
  for (const field of fields) {
    const from = typeof field === 'string' ? field : field[0];
    const to = typeof field === 'string' ? field : field[1];
    const value = xml[from] as unknown[] | undefined;
    if (value !== undefined) {
      dest[to] = typeof field !== 'string' && field[2]?.keepArray ? value : value[0];
    }
    const copied = dest[to] as Fields | undefined;
    if (copied && typeof copied._ === 'string') dest[to] = copied._;
  }
}

const hasItems = (value: unknown): value is unknown[] => Array.isArray(value) && value.length > 0;

function attribute(element: unknown, name: string): string | undefined {
  const value = ((element as Fields | undefined)?.$ as Fields | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** utils.getLink, the element rather than its href: its xml:base counts too. */
function pickLink(links: unknown, rel: string, fallback: number): Fields | undefined {
  if (!hasItems(links)) return undefined;
  const all = links as Fields[];
  return all.find((link) => attribute(link, 'rel') === rel) ?? all[fallback];
}

/**
 * The xml:base attributes (outermost first) that a relative href in `elements` resolves
 * against, on top of the document's URL: parse.ts resolves them in turn (RFC 4287 §2,
 * XML Base: a nested xml:base is relative to the one around it).
 */
function xmlBases(...elements: unknown[]): string[] {
  return elements.map((e) => attribute(e, 'xml:base')).filter((b): b is string => !!b);
}

/**
 * rss-parser, minus what the bot never reads of an item: `contentSnippet` (an HTML strip
 * and entity decode of every item's content, a fifth of its time), `isoDate` (see
 * isoDateOf), `categories`, and of `enclosure` and Media RSS only the lead image
 * (`image`, see media.ts). For RSS, what it reads is what rss-parser 3.13
 * gives, field for field. For Atom, it reads what rss-parser does not: text constructs by
 * their type (see atomTextAsHtml: titles, content and summaries come out as HTML), and
 * `xmlBase` on the feed and each item, the xml:base chain their links resolve against.
 * Neither walks an XML tree recursively.
 */
export class LeanParser extends Parser<Fields, Fields> {
  /**
   * The XML is read by xmlTree (saxes: xml2js's tree with rss-parser's default xml2js
   * options, in about half the time). sax-js, under xml2js, lets through some XML that is
   * not well-formed and that feeds carry: control characters, HTML entities (`&nbsp;`), a
   * duplicate attribute, a `<` in an attribute value. A document saxes refuses is read by
   * xml2js as before, so that a feed reads as it did, and what is no XML fails with
   * xml2js's error, as it did.
   */
  constructor(options?: Omit<Parser.ParserOptions<Fields, Fields>, 'xml2js'>) {
    super(options);
    const self = this as unknown as { xmlParser: XmlParser };
    const lenient = self.xmlParser as XmlParser & { reset(): void };
    self.xmlParser = {
      parseString(xml, done) {
        let tree: XmlTree;
        try {
          tree = xmlTree(xml);
        } catch {
          // A fresh sax parser: xml2js's keeps the error state of text after a root it
          // ignored, and would let the next malformed document through.
          lenient.reset();
          lenient.parseString(xml, done);
          return;
        }
        done(null, tree);
      },
    };
  }

  parseItemRss(xmlItem: Fields, itemFields: FieldSpec[]): Fields {
    const item: Fields = {};
    copyFields(xmlItem, item, itemFields);
    if (xmlItem.description) {
      item.content = textContent((xmlItem.description as unknown[] | undefined)?.[0]);
    }
    if (xmlItem.guid) {
      const guid = (xmlItem.guid as unknown[])[0] as Fields;
      item.guid = guid._ ? guid._ : guid;
    }
    const attributes = xmlItem.$ as Fields | undefined;
    if (attributes?.['rdf:about']) item['rdf:about'] = attributes['rdf:about'];
    const image = xmlItemImage(xmlItem);
    if (image !== undefined) item.image = image;
    return item;
  }

  buildAtomFeed(xmlObj: Fields): Fields {
    const root = xmlObj.feed as Fields;
    const feed: Fields & { items: Fields[] } = { items: [] };
    copyFields(root, feed, this.#customFields('feed'));
    const link = pickLink(root.link, 'alternate', 0);
    if (link) {
      feed.link = attribute(link, 'href');
      feed.xmlBase = xmlBases(root, link);
    }
    const title = hasItems(root.title) ? atomTextAsHtml(root.title[0]) : undefined;
    if (title) feed.title = title;
    if (hasItems(root.updated)) feed.lastBuildDate = root.updated[0];
    const entries = hasItems(root.entry) ? (root.entry as Fields[]) : [];
    feed.items = entries.map((entry) => {
      const item = this.parseItemAtom(entry);
      item.xmlBase = [...xmlBases(root, entry), ...((item.xmlBase as string[]) ?? [])];
      return item;
    });
    return feed;
  }

  parseItemAtom(entry: Fields): Fields {
    const item: Fields = {};
    copyFields(entry, item, this.#customFields('item'));
    const title = hasItems(entry.title) ? atomTextAsHtml(entry.title[0]) : undefined;
    if (title) item.title = title;
    const link = pickLink(entry.link, 'alternate', 0);
    if (link) {
      item.link = attribute(link, 'href');
      item.xmlBase = xmlBases(link);
    }
    // As rss-parser: an unreadable date throws (parse.ts drops those before parsing).
    const published = entry.published as string[] | undefined;
    const updated = entry.updated as string[] | undefined;
    if (published?.length && published[0]?.length) {
      item.pubDate = new Date(published[0]).toISOString();
    }
    if (!item.pubDate && updated?.length && updated[0]?.length) {
      item.pubDate = new Date(updated[0]).toISOString();
    }
    const author = (entry.author as Fields[] | undefined)?.[0];
    if (author && hasItems(author.name)) item.author = author.name[0];
    if (hasItems(entry.content)) item.content = atomTextAsHtml(entry.content[0]);
    if (hasItems(entry.summary)) item.summary = atomTextAsHtml(entry.summary[0]);
    if (entry.id) item.id = (entry.id as unknown[])[0];
    const image = xmlItemImage(entry);
    if (image !== undefined) item.image = image;
    return item;
  }

  #customFields(of: 'feed' | 'item'): FieldSpec[] {
    return (
      (this as unknown as { options: { customFields: Record<string, FieldSpec[]> } }).options
        .customFields[of] ?? []
    );
  }
}

/**
 * rss-parser's `isoDate` of an item, worked out only when needed: its pubDate (or date)
 * as JavaScript's Date reads it, or undefined.
 */
export function isoDateOf(item: Fields): string | undefined {
  const date = (item.pubDate || item.date) as { trim(): string } | undefined;
  if (!date) return undefined;
  try {
    return new Date(date.trim()).toISOString();
  } catch {
    return undefined;
  }
}
