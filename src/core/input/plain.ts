import type { Article } from '../types.js';
import { finishArticle, languageHint, oneLine, parseDate, resolveUrl } from './normalize.js';

export interface PlainTextOptions {
  /** Where the text came from; used as the url when the text names none. */
  url?: string | undefined;
  /** File path, URL or `stdin`, for error messages. */
  label?: string | undefined;
}

type HeaderKey = 'title' | 'url' | 'source' | 'date' | 'language' | 'ignored';

const HEADER_KEYS: Record<string, HeaderKey> = {
  title: 'title',
  headline: 'title',
  url: 'url',
  link: 'url',
  source: 'source',
  site: 'source',
  date: 'date',
  published: 'date',
  language: 'language',
  lang: 'language',
  author: 'ignored',
  by: 'ignored',
};

const HEADER_LINE = /^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$/;

/** `date 2024-11`, `date: 2024-11-29`, `Date 2024-11-29T08:00Z` at the start of the title. */
const DATE_TOKEN =
  /^date\s*[:=]?\s*(\d{4}-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?)?)(?=\s|$)\s*(?:[-–—|:]\s+)?/i;

/** The date of a line that holds only one (`date 2024-11-29`, `Date: 2024-11`), else null. */
function dateOnly(line: string | undefined): string | null {
  const text = oneLine(line);
  const token = DATE_TOKEN.exec(text);
  return token?.[1] && token[0].trimEnd() === text ? parseDate(token[1]) : null;
}

function headerOf(line: string): { key: HeaderKey; value: string } | null {
  const m = HEADER_LINE.exec(line);
  if (!m?.[1]) return null;
  const key = HEADER_KEYS[m[1].toLowerCase()];
  if (!key) return null;
  const value = m[2] ?? '';
  // `date: 2024-11-29 Belousov in Pyongyang` is a title with a date token, not a header.
  if (key === 'date' && parseDate(value) === null) return null;
  return { key, value };
}

/**
 * Plain text → Article. The first non-empty line is the title, the rest the text
 * (paragraphs kept, CRLF normalised, trailing spaces trimmed). A leading `date 2024-11`
 * token on the title line, or a line of only that after it, becomes publishedAt (as
 * precise as written, see parseDate). When the first line is a `Key: value`
 * header (Title, URL, Source, Date, Language), the header block up to the first blank or
 * other line is read like an email header. A text that is only a title line becomes a
 * one-paragraph article whose text is that line.
 */
export function parsePlainText(input: string, options: PlainTextOptions = {}): Article {
  const lines = input
    .replace(/^\ufeff/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  let i = 0;
  while (i < lines.length && lines[i]?.trim() === '') i++;

  const header: Partial<Record<HeaderKey, string>> = {};
  if (headerOf(lines[i] ?? '')) {
    for (let h = headerOf(lines[i] ?? ''); h; h = headerOf(lines[i] ?? '')) {
      if (header[h.key] === undefined) header[h.key] = h.value;
      i++;
    }
  }

  let title = oneLine(header.title);
  let publishedAt = parseDate(header.date);
  if (!title) {
    while (i < lines.length && !title) {
      const line = oneLine(lines[i]);
      i++;
      if (!line) continue;
      const token = DATE_TOKEN.exec(line);
      if (token?.[1]) {
        publishedAt ??= parseDate(token[1]);
        title = line.slice(token[0].length).trim();
      } else {
        title = line;
      }
    }
  }

  // `date 2024-11-29` alone on the line after the title is metadata too, not body text.
  let next = i;
  while (next < lines.length && lines[next]?.trim() === '') next++;
  const dateLine = dateOnly(lines[next]);
  if (publishedAt === null && dateLine !== null) {
    publishedAt = dateLine;
    i = next + 1;
  }

  return finishArticle(
    {
      title,
      text: lines.slice(i).join('\n'),
      url: resolveUrl(header.url) ?? resolveUrl(options.url),
      source: header.source,
      publishedAt,
      language: languageHint(header.language),
    },
    options.label ?? 'input',
    { titleAsText: true },
  );
}
