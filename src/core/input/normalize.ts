import type { Article } from '../types.js';
import { InputError } from './errors.js';

/** Characters that carry no text: soft hyphen, zero-width space, word joiner, BOM. */
const INVISIBLE = /[\u00ad\u200b\u2060\ufeff]/g;

/** What oneLine changes: invisible characters, whitespace but single inner spaces. */
const NOT_ONE_LINE = new RegExp(`${INVISIBLE.source}|[^\\S ]| {2}|^ | $`);

/**
 * Collapse all whitespace to single spaces: titles, names, meta values. Most are one line
 * already: one test instead of two regex replaces and a trim (every title, link and date
 * of a feed goes through here).
 */
export function oneLine(s: string | null | undefined): string {
  if (!s) return '';
  if (!NOT_ONE_LINE.test(s)) return s;
  return s.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/**
 * Body text as the engine reads it: LF line ends, no trailing spaces, no runs of spaces
 * inside a line, paragraphs separated by exactly one blank line, no leading/trailing
 * blank lines. Single line breaks inside a paragraph are kept.
 */
export function normalizeParagraphs(s: string): string {
  const lines = s
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\u00a0]+$/, ''));
  const out: string[] = [];
  let blank = false;
  for (const line of lines) {
    if (line.trim() === '') {
      blank = out.length > 0;
      continue;
    }
    if (blank) out.push('');
    blank = false;
    out.push(line);
  }
  return out.join('\n');
}

const ISO_DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/i;

/**
 * A date as ISO 8601, as precise as the source gave it, or null. A time makes it a UTC
 * instant (`2024-11-29T08:00:00.000Z`; no zone means UTC), as do the RFC 822 dates feeds
 * use (`Fri, 29 Nov 2024 08:00:00 GMT`); a date without one stays a day, a month or a year
 * (`2024-11-29`, `2024-11`, `2024`), so nothing later shows a midnight nobody wrote.
 */
export function parseDate(value: string | null | undefined): string | null {
  const s = oneLine(value);
  if (!s) return null;
  const m = ISO_DATE.exec(s);
  if (m) {
    const year = Number(m[1]);
    const month = m[2] ? Number(m[2]) : 1;
    const day = m[3] ? Number(m[3]) : 1;
    const hour = m[4] ? Number(m[4]) : 0;
    const minute = m[5] ? Number(m[5]) : 0;
    const second = m[6] ? Number(m[6]) : 0;
    const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) {
      return null;
    }
    const first = Date.UTC(year, month - 1, day);
    if (new Date(first).getUTCDate() !== day) return null; // 2024-02-31
    if (m[4] === undefined) {
      // A day, a month or a year: kept as written, checked as its first instant.
      if (plausible(first) === null) return null;
      return [m[1], m[2], m[3]].filter((part) => part !== undefined).join('-');
    }
    let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
    const zone = m[8];
    if (zone && zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
      t -= sign * offset * 60_000;
    }
    return plausible(t);
  }
  if (!/[a-z]/i.test(s) && !/\d[/.]\d/.test(s)) return null;
  const hasZone = /\b(?:GMT|UTC|UT|Z|[ECMP][SD]T)\b|[+-]\d{2}:?\d{2}\s*$/i.test(s);
  let t = Date.parse(hasZone ? s : `${s} UTC`);
  if (Number.isNaN(t)) t = Date.parse(s);
  return Number.isNaN(t) ? null : plausible(t);
}

/** The instants of the years 1800 to 2200 (UTC): a date outside them is a mistake. */
const EARLIEST = Date.UTC(1800, 0, 1);
const LATEST = Date.UTC(2201, 0, 1);

function plausible(t: number): string | null {
  return t >= EARLIEST && t < LATEST ? new Date(t).toISOString() : null;
}

/** `it-IT`, `it_IT`, `IT` → `it`; anything that is not a two-letter code → null. */
export function languageHint(value: string | null | undefined): string | null {
  const m = /^([a-z]{2})(?:[-_]|$)/i.exec(oneLine(value));
  return m?.[1] ? m[1].toLowerCase() : null;
}

/** An absolute http(s) URL, resolved against `base` when relative; otherwise null. */
export function resolveUrl(
  href: string | null | undefined,
  base?: string | null | undefined,
): string | null {
  const s = oneLine(href);
  if (!s) return null;
  let url: URL;
  try {
    url = base ? new URL(s, base) : new URL(s);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/** A title from the text when the input has none: its first line, cut at a word. */
export function titleFromText(text: string, max = 120): string {
  const first = oneLine(text.split('\n').find((line) => line.trim() !== '') ?? '');
  if (first.length <= max) return first;
  const cut = first.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

export interface ArticleParts {
  title?: string | null | undefined;
  text?: string | null | undefined;
  url?: string | null | undefined;
  source?: string | null | undefined;
  publishedAt?: string | null | undefined;
  language?: string | null | undefined;
}

/**
 * The Article every parser returns: every field present (null when unknown), a one-line
 * title (taken from the text when missing), normalised paragraphs. With `titleAsText`,
 * an input that is only a title becomes a one-paragraph article.
 */
export function finishArticle(
  parts: ArticleParts,
  label: string,
  options: { titleAsText: boolean },
): Article {
  let text = normalizeParagraphs(parts.text ?? '');
  let title = oneLine(parts.title);
  if (!title && text) title = titleFromText(text);
  if (!title) throw new InputError('not-an-article', label, 'found no title and no text');
  if (!text) {
    if (!options.titleAsText) {
      throw new InputError('not-an-article', label, 'found a title but no article text');
    }
    text = title;
  }
  return {
    title,
    text,
    url: parts.url ?? null,
    source: oneLine(parts.source) || null,
    publishedAt: parts.publishedAt ?? null,
    language: parts.language ?? null,
  };
}
