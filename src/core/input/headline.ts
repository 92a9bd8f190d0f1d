import type { DomDocument } from './dom.js';
import { oneLine } from './normalize.js';

/** The page's own headline candidates, read before anything rewrites the document. */
export interface PageTitles {
  /** <title>. */
  title: string | null;
  /** The first <h1>. */
  h1: string | null;
}

export function readPageTitles(doc: DomDocument): PageTitles {
  return {
    title: oneLine(doc.querySelector('title')?.textContent) || null,
    h1: oneLine(doc.querySelector('h1')?.textContent) || null,
  };
}

export interface HeadlineSources extends PageTitles {
  /** og:title, twitter:title or JSON-LD headline. */
  meta: string | null;
  /** Readability's guess. */
  readability: string | null;
  /** og:site_name and the like. */
  siteName: string | null;
  url: string | null;
}

// What sites put between the headline and their name: "Quake hits Japan | World News".
const SEPARATOR = /\s+(?:[|·•»›:]{1,2}|[-–—]{1,2}|\/)\s+/;

const key = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

/** Names the site goes by: og:site_name and the host's main label ("ledger" of www.ledger.co.uk). */
function siteKeys(siteName: string | null, url: string | null): string[] {
  const keys: string[] = [];
  if (siteName) keys.push(key(siteName));
  if (url) {
    try {
      const labels = new URL(url).hostname.replace(/^www\d?\./, '').split('.');
      const main =
        labels.length > 2 && /^(?:co|com|org|net|gov|ac)$/.test(labels.at(-2) ?? '')
          ? labels.at(-3)
          : labels.at(-2);
      if (main) keys.push(key(main));
    } catch {
      // Not a URL: the site name alone will do.
    }
  }
  return keys.filter((k) => k.length >= 2);
}

const isSiteSegment = (segment: string, sites: readonly string[]) => {
  const k = key(segment);
  return (
    k !== '' && sites.some((s) => k === s || k.includes(s) || (k.length >= 4 && s.includes(k)))
  );
};

/** A short run of capitalised words: a section or site name ("World News", "BBC"). */
const looksLikeName = (segment: string) => {
  const words = segment.split(/\s+/);
  return words.length <= 4 && words.every((w) => /^[\p{Lu}\p{N}&]/u.test(w));
};

const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;

/** A title without the site's name (and section) before or after it. */
export function withoutSiteName(title: string, sites: readonly string[]): string {
  let segments = title.split(SEPARATOR);
  if (segments.length < 2) return title;
  // The site's own name, at either end.
  while (segments.length > 1 && isSiteSegment(segments.at(-1) as string, sites))
    segments = segments.slice(0, -1);
  while (segments.length > 1 && isSiteSegment(segments[0] as string, sites))
    segments = segments.slice(1);
  // A trailing section name ("| World News") after a headline of some length.
  while (
    segments.length > 1 &&
    looksLikeName(segments.at(-1) as string) &&
    wordCount(segments.slice(0, -1).join(' ')) >= 3
  ) {
    segments = segments.slice(0, -1);
  }
  if (segments.length === title.split(SEPARATOR).length) return title;
  // Put back what stood between the kept segments.
  const first = title.indexOf(segments[0] as string);
  const last = segments.at(-1) as string;
  const end = title.indexOf(last, first) + last.length;
  return title.slice(first, end).trim();
}

/**
 * The page's headline: its <h1> when the page's titles agree with it (the site's own
 * headline, without decoration), else og:title, Readability's title or <title>, each
 * without the site's name.
 */
export function pageHeadline(s: HeadlineSources): string | null {
  const sites = siteKeys(s.siteName, s.url);
  const titles = [s.meta, s.title, s.readability].filter((t): t is string => !!t);
  const h1 = s.h1 && wordCount(s.h1) >= 2 && !isSiteSegment(s.h1, sites) ? s.h1 : null;
  if (h1 && titles.some((t) => key(t).includes(key(h1)))) return h1;
  for (const t of titles) {
    const clean = withoutSiteName(t, sites);
    if (clean) return clean;
  }
  return h1;
}
