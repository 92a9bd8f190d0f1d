/**
 * Untrusted bytes → Article or ParsedFeed, never stalling the caller's thread: HTML pages
 * and big feeds are read in a worker with a deadline (worker.ts); what is measured fast and
 * bounded stays on the thread (plain text, small feeds and feed items with little markup:
 * see IN_THREAD).
 */
import { formatBytes, InputError } from '../core/input/errors.js';
import { parseArticle, type RawInput, sniff } from '../core/input/index.js';
import type { Article } from '../core/types.js';
import type { ParsedFeed, ParseFeedOptions } from '../feeds/parse.js';
import { FeedError } from '../net/errors.js';
import { runInWorker, WORKER_HEAP_MB } from './worker.js';

/** How long reading one article may take: Readability on a 5 MiB page takes a few seconds. */
export const ARTICLE_DEADLINE_MS = 15_000;
/** How long reading one feed may take: rss-parser on a 10 MiB feed takes under a second. */
export const FEED_DEADLINE_MS = 30_000;
/**
 * What is read on the caller's thread: feeds and non-HTML inputs this small and with this
 * little markup (`<` and `&`: every tag, raw or escaped, has one). Their cost is bounded by
 * the markup: the costliest such feed (every tag an element of item HTML read through the
 * DOM) measured tens of milliseconds (`npm run bench`), what a worker takes to start. The
 * rest, and every HTML page (Readability), goes to a worker.
 */
export const IN_THREAD = { bytes: 256 * 1024, markup: 5_000 } as const;

/** Small, with little markup: see IN_THREAD. */
export function readableInThread(bytes: Uint8Array): boolean {
  if (bytes.byteLength > IN_THREAD.bytes) return false;
  let markup = 0;
  for (const byte of bytes) {
    if ((byte === 0x3c || byte === 0x26) && ++markup > IN_THREAD.markup) return false;
  }
  return true;
}

export interface ReadOptions {
  /** Default ARTICLE_DEADLINE_MS / FEED_DEADLINE_MS. */
  deadlineMs?: number | undefined;
  /** Shutdown: the reading stops. */
  signal?: AbortSignal | undefined;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

function tooMuch(what: 'page' | 'feed', deadlineMs: number, why: 'time' | 'memory'): string {
  return why === 'time'
    ? `took over ${duration(deadlineMs)} to read; briefwire gives up on ${what}s that take that long`
    : `needs more than ${formatBytes(WORKER_HEAP_MB * 1024 * 1024)} of memory to read; briefwire gives up on such ${what}s`;
}

/**
 * parseArticle, in a worker for HTML pages and for anything not readableInThread. Rejects
 * as parseArticle does, and with InputError `too-complex` past the deadline.
 */
export async function readArticle(input: RawInput, options: ReadOptions = {}): Promise<Article> {
  const light =
    readableInThread(input.bytes) && sniff(input.bytes, input.contentType).kind !== 'html';
  if (light) return parseArticle(input);
  const deadlineMs = options.deadlineMs ?? ARTICLE_DEADLINE_MS;
  const label = input.name ?? input.url ?? 'input';
  return (await runInWorker(
    { kind: 'article', input },
    {
      deadlineMs,
      tooMuch: (why) => new InputError('too-complex', label, tooMuch('page', deadlineMs, why)),
      signal: options.signal,
    },
  )) as Article;
}

/**
 * parseFeed, in a worker for feeds not readableInThread. Rejects as parseFeed does, and
 * with FeedError `too-complex` past the deadline.
 */
export async function readFeed(
  bytes: Uint8Array,
  options: ParseFeedOptions & ReadOptions = {},
): Promise<ParsedFeed> {
  const { deadlineMs: given, signal, ...parseOptions } = options;
  if (readableInThread(bytes)) {
    // The feed parser (rss-parser, a DOM) loads on the first feed: `briefwire brief` of a
    // text file starts without it.
    const { parseFeed } = await import('../feeds/parse.js');
    return parseFeed(bytes, parseOptions);
  }
  const deadlineMs = given ?? FEED_DEADLINE_MS;
  const label = parseOptions.label ?? parseOptions.url ?? 'feed';
  return (await runInWorker(
    { kind: 'feed', bytes, options: parseOptions },
    {
      deadlineMs,
      tooMuch: (why) => new FeedError('too-complex', label, tooMuch('feed', deadlineMs, why)),
      signal,
    },
  )) as ParsedFeed;
}
