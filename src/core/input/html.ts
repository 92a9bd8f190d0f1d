import { Readability } from '@mozilla/readability';
import type { Article } from '../types.js';
import { type DomDocument, type DomElement, parseHtmlDocument } from './dom.js';
import { InputError } from './errors.js';
import { pageHeadline, readPageTitles } from './headline.js';
import { nodeToText } from './html-text.js';
import { describeExcess, markupExcess } from './markup-limits.js';
import { finishArticle, languageHint, oneLine, parseDate, resolveUrl } from './normalize.js';
import { dropPageBoilerplate } from './page-boilerplate.js';

export interface HtmlOptions {
  /** The page's address: the base for relative links and the url when it names none. */
  url?: string | undefined;
  /** File path, URL or `stdin`, for error messages. */
  label?: string | undefined;
}

/** Site chrome dropped when the body text is the fallback. */
const CHROME =
  'nav, header, footer, aside, form, menu, [role="navigation"], [role="banner"], [role="contentinfo"], [role="complementary"], [role="search"]';

/** class/id tokens of ad slots, which Readability keeps when they sit inside the story. */
const AD_TOKEN =
  /^(?:ad|ads|adv|advert|adverts|advertisement|advertising|sponsored|dfp|ad[-_].+|.+[-_]ads?|dfp[-_].+|gpt[-_].+|google[-_]?ads?.*)$/i;

function isAdSlot(el: DomElement): boolean {
  if (el.hasAttribute('data-ad') || el.hasAttribute('data-ad-slot')) return true;
  if (/^advert/i.test(el.getAttribute('aria-label') ?? '')) return true;
  const tokens = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`.split(/\s+/);
  return tokens.some((t) => t !== '' && AD_TOKEN.test(t));
}

function inStory(el: DomElement): boolean {
  for (let p = el.parentNode; p; p = p.parentNode) {
    const name = p.nodeName.toLowerCase();
    if (name === 'article' || name === 'main') return true;
  }
  return false;
}

/**
 * Before Readability: drop ad slots, navigation, and the page's own header, footer and
 * asides (those outside <article>/<main>). Readability judges by class names and keeps
 * all of these on short pages.
 */
function removeChrome(doc: DomDocument): void {
  for (const el of Array.from(
    doc.body.querySelectorAll('[class], [id], [data-ad], [aria-label]'),
  )) {
    if (el.localName !== 'body' && isAdSlot(el)) el.remove();
  }
  for (const el of Array.from(
    doc.body.querySelectorAll('nav, [role="navigation"], [role="search"], menu'),
  )) {
    el.remove();
  }
  for (const el of Array.from(doc.body.querySelectorAll('header, footer, aside'))) {
    if (!inStory(el)) el.remove();
  }
}

/**
 * The lead image (og:image, else twitter:image) of a page, or of its head alone: an absolute
 * http(s) URL resolved against `url`, or null. Only the markup up to `</head>` is parsed.
 */
export function pageImage(html: string, url: string): string | null {
  const end = html.search(/<\/head\s*>/i);
  const head = end === -1 ? html : html.slice(0, end);
  if (markupExcess(head) !== null) return null;
  return readMeta(parseHtmlDocument(head), url).image;
}

interface PageMeta {
  title: string | null;
  url: string | null;
  source: string | null;
  publishedAt: string | null;
  language: string | null;
  description: string | null;
  /** og:image (or twitter:image), absolute http(s). */
  image: string | null;
}

/**
 * An HTML page → Article. The main text comes from Readability (site chrome, ads and
 * comments dropped), falling back to the body text without nav/header/footer/aside when
 * Readability finds no article. Metadata: og:title / Readability title / <title>;
 * canonical link or og:url (resolved against `url`); og:site_name; published time from
 * article:published_time, JSON-LD datePublished or <time datetime>; <html lang>; the
 * lead image from og:image (or twitter:image).
 * Throws InputError `not-an-article` when the page has no text at all, `too-complex` when
 * it is over the markup limits (nested too deep, too many elements: see markup-limits.ts),
 * before any DOM is built.
 */
export function parseHtml(html: string, options: HtmlOptions = {}): Article {
  const label = options.label ?? options.url ?? 'input';
  const excess = markupExcess(html);
  if (excess !== null) {
    throw new InputError('too-complex', label, describeExcess(excess, 'the page', 'pages'));
  }
  const doc = parseHtmlDocument(html);
  const meta = readMeta(doc, options.url);
  const pageTitles = readPageTitles(doc);
  removeChrome(doc);
  dropPageBoilerplate(doc);

  let readableTitle: string | null = null;
  let text = '';
  try {
    // Readability takes a DOM Document; linkedom's is one in all it uses.
    const reader = new Readability<unknown>(doc as never, { serializer: (node) => node });
    const result = reader.parse();
    readableTitle = oneLine(result?.title) || null;
    if (result?.content) text = nodeToText(result.content as DomElement);
  } catch {
    text = '';
  }
  if (!text) {
    // Readability mutates the document it reads: take the fallback from a fresh parse.
    const fresh = parseHtmlDocument(html);
    removeChrome(fresh);
    dropPageBoilerplate(fresh);
    for (const el of Array.from(fresh.body.querySelectorAll(CHROME))) el.remove();
    text = nodeToText(fresh.body);
    if (!text) text = nodeToText(parseHtmlDocument(html).body);
  }

  const title = pageHeadline({
    ...pageTitles,
    meta: meta.title,
    readability: readableTitle,
    siteName: meta.source,
    url: meta.url,
  });
  text = dropLeadingTitle(text, title);
  if (!text && meta.description) text = meta.description;
  if (!text) {
    throw new InputError(
      'not-an-article',
      label,
      'the page has no readable text (is it built by JavaScript, or a login page?)',
    );
  }
  const article = finishArticle(
    {
      title,
      text,
      url: meta.url,
      source: meta.source,
      publishedAt: meta.publishedAt,
      language: meta.language,
    },
    label,
    { titleAsText: false },
  );
  return meta.image ? { ...article, image: meta.image } : article;
}

/** Readability often keeps the headline as the first paragraph; the title carries it. */
function dropLeadingTitle(text: string, title: string | null): string {
  if (!title) return text;
  const breakAt = text.indexOf('\n\n');
  const first = breakAt < 0 ? text : text.slice(0, breakAt);
  if (oneLine(first).toLowerCase() !== oneLine(title).toLowerCase()) return text;
  return breakAt < 0 ? '' : text.slice(breakAt + 2);
}

function readMeta(doc: DomDocument, baseUrl: string | undefined): PageMeta {
  const metas = new Map<string, string>();
  for (const el of Array.from(doc.getElementsByTagName('meta'))) {
    const key =
      el.getAttribute('property') ?? el.getAttribute('name') ?? el.getAttribute('itemprop');
    const content = el.getAttribute('content');
    const name = key?.trim().toLowerCase();
    if (name && content?.trim() && !metas.has(name)) metas.set(name, content);
  }
  const get = (...names: string[]): string | null => {
    for (const name of names) {
      const value = oneLine(metas.get(name));
      if (value) return value;
    }
    return null;
  };

  let canonical: string | null = null;
  for (const el of Array.from(doc.getElementsByTagName('link'))) {
    const rel = (el.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
    if (rel.includes('canonical')) {
      canonical = el.getAttribute('href');
      if (canonical) break;
    }
  }
  const ld = readJsonLd(doc);
  const baseEl = doc.querySelector('base[href]')?.getAttribute('href');
  const base = resolveUrl(baseEl, baseUrl) ?? baseUrl;

  const root = doc.documentElement;
  const time =
    doc.querySelector('article time[datetime]') ?? doc.querySelector('time[datetime]') ?? null;

  return {
    title: get('og:title', 'twitter:title') ?? (oneLine(ld.headline) || null),
    url:
      resolveUrl(canonical, base) ??
      resolveUrl(get('og:url'), base) ??
      resolveUrl(ld.url, base) ??
      resolveUrl(baseUrl),
    source: get('og:site_name', 'application-name') ?? (oneLine(ld.publisher) || null),
    publishedAt:
      parseDate(get('article:published_time', 'og:published_time', 'datepublished')) ??
      parseDate(ld.datePublished) ??
      parseDate(time?.getAttribute('datetime')) ??
      parseDate(get('date', 'dc.date', 'dc.date.issued', 'pubdate', 'publishdate')),
    language:
      languageHint(root?.getAttribute('lang')) ??
      languageHint(root?.getAttribute('xml:lang')) ??
      languageHint(get('content-language', 'og:locale')) ??
      languageHint(ld.inLanguage),
    description: get('og:description', 'description', 'twitter:description'),
    image: resolveUrl(
      get('og:image:secure_url', 'og:image', 'og:image:url', 'twitter:image', 'twitter:image:src'),
      base,
    ),
  };
}

interface JsonLdArticle {
  headline?: string;
  datePublished?: string;
  publisher?: string;
  url?: string;
  inLanguage?: string;
}

const ARTICLE_TYPES = /article|posting|report/i;

/** The article node of the page's JSON-LD, if any (Article, NewsArticle, BlogPosting…). */
function readJsonLd(doc: DomDocument): JsonLdArticle {
  const nodes: Record<string, unknown>[] = [];
  const collect = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) collect(v, depth + 1);
      return;
    }
    const obj = value as Record<string, unknown>;
    nodes.push(obj);
    if (obj['@graph']) collect(obj['@graph'], depth + 1);
  };
  for (const script of Array.from(doc.querySelectorAll('script'))) {
    const type = (script.getAttribute('type') ?? '').toLowerCase();
    if (!type.includes('ld+json')) continue;
    try {
      collect(JSON.parse(script.textContent ?? ''), 0);
    } catch {
      // Broken JSON-LD is common; the page's other metadata still counts.
    }
  }
  const isArticle = (n: Record<string, unknown>): boolean => {
    const type = n['@type'];
    const types = Array.isArray(type) ? type : [type];
    return types.some((t) => typeof t === 'string' && ARTICLE_TYPES.test(t));
  };
  const node = nodes.find(isArticle) ?? nodes.find((n) => typeof n.datePublished === 'string');
  if (!node) return {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const publisher = node.publisher;
  const publisherName =
    typeof publisher === 'string'
      ? publisher
      : publisher && typeof publisher === 'object' && !Array.isArray(publisher)
        ? str((publisher as Record<string, unknown>).name)
        : undefined;
  const out: JsonLdArticle = {};
  const headline = str(node.headline) ?? str(node.name);
  if (headline) out.headline = headline;
  const published = str(node.datePublished) ?? str(node.dateCreated);
  if (published) out.datePublished = published;
  if (publisherName) out.publisher = publisherName;
  const url = str(node.url) ?? str(node.mainEntityOfPage);
  if (url) out.url = url;
  const lang = str(node.inLanguage);
  if (lang) out.inLanguage = lang;
  return out;
}
