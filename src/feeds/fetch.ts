import { stat } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import { fileURLToPath } from 'node:url';
import { FeedError, shownUrl, toFeedError } from '../net/errors.js';
import {
  checkFeedUrl,
  type GuardOptions,
  guardedAgents,
  type LocalAddresses,
  type LookupAll,
  ownsAgents,
} from '../net/guard.js';
import { fetchBytes, type HttpAgents, type ResponseHeaders } from '../net/http.js';
import { fsProblem, readFileCapped } from '../net/read-capped.js';
import { formatDuration } from '../shared/duration.js';

/** 10 MiB: the largest feeds on the web are a few MiB. */
export const FEED_MAX_BYTES = 10 * 1024 * 1024;

/** What a feed reader asks for: the feed formats first, anything else last. */
export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

export interface FetchFeedOptions {
  /** The ETag of the last 200: sent as If-None-Match. */
  etag?: string | null | undefined;
  /** The Last-Modified of the last 200: sent as If-Modified-Since. */
  lastModified?: string | null | undefined;
  /** Allow loopback/private addresses (config feeds, tests); off for URLs from a chat. */
  allowPrivate?: boolean | undefined;
  /** Allow `file:` URLs (config feeds, the demo feed, `briefwire feed check FILE`). */
  allowFile?: boolean | undefined;
  /** Default 10 MiB (decoded bytes). */
  maxBytes?: number | undefined;
  /** For the whole exchange; default fetchBytes' 15 s. */
  timeoutMs?: number | undefined;
  /** At most this many redirects (config `http.maxRedirects`); default 5. */
  maxRedirects?: number | undefined;
  /** The User-Agent header (config `http.userAgent`); default fetchBytes' USER_AGENT. */
  userAgent?: string | undefined;
  signal?: AbortSignal | undefined;
  /** What to call a file feed in messages (the path as the user gave it). */
  label?: string | undefined;
  /** DNS for the guard, before each hop and as each connection is made (tests). */
  lookup?: LookupAll | undefined;
  /** This machine's own addresses, for the guard (tests); default its interfaces. */
  localAddresses?: LocalAddresses | undefined;
  /**
   * The agents that connect (tests). Default: guarded ones (guardedAgents) that refuse a
   * forbidden address as they connect, or plain ones with `allowPrivate`. Agents given
   * here replace the connect-time guard; the checks before each hop still apply.
   */
  agents?: HttpAgents | undefined;
  /** The clock for Retry-After dates (tests). */
  now?: (() => number) | undefined;
}

export type FetchFeedResult =
  | {
      status: 'not-modified';
      finalUrl: string;
      /** The validators to send next time (the server's, else the ones sent). */
      etag: string | null;
      lastModified: string | null;
    }
  | {
      status: 'ok';
      bytes: Uint8Array;
      /** The Content-Type header (its charset is used by parseFeed), null for files. */
      contentType: string | null;
      /** After redirects: the base for the feed's relative links. */
      finalUrl: string;
      etag: string | null;
      lastModified: string | null;
    };

/**
 * A Retry-After header value → milliseconds from `now`: delta-seconds (`120`) or an
 * HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`; a past date is 0). Null when unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | null {
  const v = value?.trim();
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

/**
 * One poll of a feed. HTTP(S): conditional GET (If-None-Match / If-Modified-Since from the
 * last response's validators → `not-modified` on 304), Accept for feed types, gzip/br
 * decoded, at most `maxRedirects` (5) redirects, a byte cap and a timeout. Unless
 * `allowPrivate`, the SSRF guard checks every hop (the first URL included) before it is
 * requested, and again where it counts, as the connection is made: the socket connects to
 * the very address that was checked, so a DNS answer that changes in between (rebinding)
 * is refused too. `file:` URLs (with `allowFile`) read the file; its size and mtime stand
 * in for an ETag.
 *
 * Throws FeedError: `bad-url`, `refused`, `unreachable`, `http` (an error status, `status`
 * set), `retry-later` (429/503, `retryAfterMs` from Retry-After when given), `too-large`,
 * `unreadable` (files). A cancelled `signal` rejects with its reason.
 */
export async function fetchFeed(
  url: string | URL,
  options: FetchFeedOptions = {},
): Promise<FetchFeedResult> {
  const guard: GuardOptions = {
    allowPrivate: options.allowPrivate,
    allowFile: options.allowFile,
    lookup: options.lookup,
    localAddresses: options.localAddresses,
  };
  const first = await checkFeedUrl(url, guard);
  if (first.protocol === 'file:') return readFeedFile(first, options);

  const maxBytes = options.maxBytes ?? FEED_MAX_BYTES;
  const headers: Record<string, string> = { accept: FEED_ACCEPT };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;

  // Agents of its own for a test's lookup, destroyed at the end; else the shared ones.
  const own = !options.agents && ownsAgents(guard);
  const agents = options.agents ?? (await guardedAgents(guard)) ?? undefined;
  let hop = 0;
  try {
    const got = await fetchBytes(first, {
      maxBytes,
      headers,
      agents,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxRedirects !== undefined ? { maxRedirects: options.maxRedirects } : {}),
      ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      checkUrl: async (next) => {
        // The first URL was checked above; every redirect target is checked here.
        if (hop++ === 0) return;
        try {
          await checkFeedUrl(next, guard);
        } catch (error) {
          if (!(error instanceof FeedError)) throw error;
          throw new FeedError(
            error.code,
            error.source,
            `${error.detail} (redirected from ${shownUrl(first)})`,
            { cause: error },
          );
        }
      },
      onErrorStatus: (status, responseHeaders, at) => {
        throw statusError(status, responseHeaders, at, options.now?.() ?? Date.now());
      },
    });
    const etag = got.headers.get('etag');
    const lastModified = got.headers.get('last-modified');
    if (got.status === 304) {
      return {
        status: 'not-modified',
        finalUrl: got.finalUrl,
        etag: etag ?? options.etag ?? null,
        lastModified: lastModified ?? options.lastModified ?? null,
      };
    }
    return {
      status: 'ok',
      bytes: got.bytes,
      contentType: got.contentType,
      finalUrl: got.finalUrl,
      etag,
      lastModified,
    };
  } catch (error) {
    if (options.signal?.aborted && error === options.signal.reason) throw error;
    throw toFeedError(error, shownUrl(first));
  } finally {
    if (own) {
      agents?.http.destroy();
      agents?.https.destroy();
    }
  }
}

function statusError(status: number, headers: ResponseHeaders, url: URL, now: number): FeedError {
  const words = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now);
    return new FeedError(
      'retry-later',
      shownUrl(url),
      retryAfterMs === null ? words : `${words}; retry after ${formatDuration(retryAfterMs)}`,
      { status, retryAfterMs },
    );
  }
  return new FeedError('http', shownUrl(url), words, { status });
}

async function readFeedFile(url: URL, options: FetchFeedOptions): Promise<FetchFeedResult> {
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch (error) {
    throw new FeedError('bad-url', url.href, 'is not a valid file:// URL', { cause: error });
  }
  const label = options.label ?? path;
  const maxBytes = options.maxBytes ?? FEED_MAX_BYTES;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw new FeedError('unreadable', label, fsProblem(error), { cause: error });
  }
  // Size and mtime as the ETag: an unchanged file is not read again.
  const etag = `W/"${info.size.toString(16)}-${Math.round(info.mtimeMs).toString(16)}"`;
  const lastModified = info.mtime.toUTCString();
  if (options.etag === etag && info.isFile()) {
    return { status: 'not-modified', finalUrl: url.href, etag, lastModified };
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFileCapped(path, { maxBytes, label });
  } catch (error) {
    throw toFeedError(error, label);
  }
  return { status: 'ok', bytes, contentType: null, finalUrl: url.href, etag, lastModified };
}
