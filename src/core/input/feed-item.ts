import Parser from 'rss-parser';
import type { Article } from '../types.js';
import { InputError } from './errors.js';
import { htmlToText } from './html-text.js';
import { describeExcess, MarkupTooComplex } from './markup-limits.js';
import { finishArticle, languageHint, oneLine, parseDate, resolveUrl } from './normalize.js';
import { FEED_ROOTS, PREAMBLE, rootElementName } from './xml-root.js';

export interface FeedItemOptions {
  /** Where the XML came from: the base for relative links when the feed names none. */
  url?: string | undefined;
  /** File path, URL or `stdin`, for error messages. */
  label?: string | undefined;
}

type Fields = Record<string, unknown>;

/**
 * Feed content → plain text through the same function as HTML pages. Content without
 * any tag is plain text: its blank lines still separate paragraphs.
 */
function contentToText(value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) return '';
  if (/<[a-z!/]/i.test(value)) return htmlToText(value);
  return htmlToText(
    value
      .split(/\r?\n[ \t]*\r?\n/)
      .map((p) => `<p>${p}</p>`)
      .join(''),
  );
}

function inline(value: unknown): string {
  if (typeof value !== 'string') return '';
  return /[<&]/.test(value) ? oneLine(htmlToText(value)) : oneLine(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as Fields)._ === 'string') {
    return (value as Fields)._ as string;
  }
  return undefined;
}

/** rss-parser throws on an Atom date it cannot read; such a date is better dropped. */
function dropUnreadableAtomDates(xml: string): string {
  return xml.replace(
    /<(published|updated)(\s[^>]*)?>([^<]*)<\/\1\s*>/g,
    (whole, _tag: string, _attrs: string, value: string) =>
      Number.isNaN(Date.parse(value.trim())) ? '' : whole,
  );
}

/** A bare <item>/<entry> wrapped in the smallest feed rss-parser accepts. */
function wrapBareItem(xml: string, root: string): string {
  const body = xml.replace(/^\ufeff/, '').replace(PREAMBLE, '');
  return root === 'entry'
    ? `<feed xmlns="http://www.w3.org/2005/Atom">${body}</feed>`
    : `<rss version="2.0"><channel>${body}</channel></rss>`;
}

function newestItem(items: Fields[]): Fields | undefined {
  let best: Fields | undefined;
  let bestTime = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const iso = parseDate(str(item.pubDate) ?? str(item.date) ?? str(item.isoDate));
    const t = iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY;
    if (best === undefined || t > bestTime) {
      best = item;
      bestTime = t;
    }
  }
  return best;
}

/**
 * One RSS 2.0 / RSS 1.0 / Atom item, or a whole feed document (its newest item, the first
 * when items carry no dates) → Article. Title, link (resolved against the feed's link or
 * `url`), content:encoded / content / description / summary as plain text, pubDate /
 * published / updated / dc:date as ISO, source = the feed's title, language from
 * dc:language, the channel's <language> or xml:lang.
 * Async because rss-parser's parseString is; throws InputError `not-an-article` for XML
 * that is not a feed, a feed without items, or an item without title and text;
 * `too-complex` for an item whose HTML is over the markup limits (see markup-limits.ts).
 */
export async function parseFeedItem(xml: string, options: FeedItemOptions = {}): Promise<Article> {
  const label = options.label ?? options.url ?? 'input';
  const root = rootElementName(xml);
  if (!root || !FEED_ROOTS.has(root)) {
    throw new InputError(
      'not-an-article',
      label,
      root ? `XML with a <${root}> root is not an RSS or Atom feed` : 'not an RSS or Atom feed',
    );
  }
  const source = dropUnreadableAtomDates(
    root === 'item' || root === 'entry' ? wrapBareItem(xml, root) : xml,
  );

  const parser = new Parser<Fields, Fields>({
    defaultRSS: 2,
    customFields: { item: [['source', 'rssSource']] },
  });
  let feed: Fields & { items: Fields[] };
  try {
    feed = (await parser.parseString(source)) as Fields & { items: Fields[] };
  } catch (error) {
    const why = error instanceof Error ? oneLine(error.message) : String(error);
    throw new InputError('not-an-article', label, `not a readable RSS/Atom feed (${why})`, {
      cause: error,
    });
  }

  const item = newestItem(feed.items ?? []);
  if (!item) throw new InputError('not-an-article', label, 'the feed has no items');

  const feedLink = resolveUrl(str(feed.link), options.url) ?? resolveUrl(options.url);
  const link =
    resolveUrl(str(item.link), feedLink) ??
    resolveUrl(str(item.guid)) ??
    resolveUrl(str(item.id)) ??
    resolveUrl(str(item['rdf:about']));

  let text = '';
  let title = '';
  try {
    title = inline(str(item.title));
    for (const key of ['content:encoded', 'content', 'summary', 'contentSnippet']) {
      text = contentToText(str(item[key]));
      if (text) break;
    }
  } catch (error) {
    if (!(error instanceof MarkupTooComplex)) throw error;
    throw new InputError(
      'too-complex',
      label,
      describeExcess(error.excess, "the item's HTML", 'HTML'),
      { cause: error },
    );
  }

  const xmlLang = /<(?:feed|entry|rss|channel)\b[^>]*\bxml:lang\s*=\s*["']([^"']+)["']/i.exec(
    source,
  )?.[1];

  return finishArticle(
    {
      title,
      text,
      url: link,
      source: inline(str(feed.title)) || inline(str(item.rssSource)) || inline(str(item.source)),
      publishedAt: parseDate(str(item.pubDate) ?? str(item.date)) ?? parseDate(str(item.isoDate)),
      language:
        languageHint(str(item.language)) ??
        languageHint(str(feed.language)) ??
        languageHint(xmlLang),
    },
    label,
    { titleAsText: true },
  );
}
