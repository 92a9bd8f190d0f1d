import { STATUS_CODES } from 'node:http';
import { formatBytes, InputError } from '../core/input/errors.js';

export const USER_AGENT = 'briefwire/0.1 (+https://github.com/briefwire)';
export const DEFAULT_TIMEOUT_MS = 15_000;
/** 5 MiB: far above any article, small enough to hold in memory. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const ACCEPT =
  'text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5';

export interface FetchOptions {
  /** For the whole exchange, redirects and body included. Default 15 s. */
  timeoutMs?: number;
  /** The body is aborted as soon as it passes this many (decoded) bytes. Default 5 MiB. */
  maxBytes?: number;
  /** Cancels the fetch; its reason is thrown as is. */
  signal?: AbortSignal;
  /** Extra request headers (e.g. If-None-Match); they override the defaults. */
  headers?: Record<string, string>;
  /**
   * Called with the first URL and every redirect target before it is requested; throw
   * (e.g. an InputError `bad-url`) to refuse it, e.g. to keep away from private addresses.
   */
  checkUrl?: (url: URL) => void | Promise<void>;
  /**
   * Called with a final response whose status fetchBytes refuses (not 2xx, not a 304 to a
   * conditional request) before it throws `unreachable`; throw to refuse it with your own
   * error instead, e.g. one that carries Retry-After.
   */
  onErrorStatus?: (status: number, headers: Headers, url: URL) => void;
}

export interface FetchedBytes {
  bytes: Uint8Array;
  /** The Content-Type header, or null when the server sent none. */
  contentType: string | null;
  /** The URL after redirects. */
  finalUrl: string;
  status: number;
  /** Response headers of the final response (ETag, Last-Modified… for conditional GETs). */
  headers: Headers;
}

/** The URL as messages show it: without user:password. */
export function shownUrl(url: URL | string): string {
  if (typeof url === 'string') return url;
  if (!url.username && !url.password) return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function parseHttpUrl(raw: string | URL, base?: URL): URL {
  let url: URL;
  try {
    url = base ? new URL(raw, base) : new URL(raw);
  } catch {
    throw new InputError('bad-url', String(raw), 'is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      'bad-url',
      shownUrl(url),
      `only http:// and https:// URLs can be fetched, not ${url.protocol}//`,
    );
  }
  return url;
}

const CAUSES: Record<string, string> = {
  ENOTFOUND: 'host not found (DNS lookup failed)',
  EAI_AGAIN: 'DNS lookup failed for now; check the network and try again',
  ECONNREFUSED: 'connection refused; is the server running?',
  ECONNRESET: 'the server closed the connection',
  EPIPE: 'the server closed the connection',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_HEADERS_OVERFLOW: 'the response headers are too large',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host',
};

/** The innermost error with a code, in words. */
function describeCause(error: unknown): string {
  let e: unknown = error;
  let words: string | null = null;
  for (let depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CAUSES[code]) return CAUSES[code];
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && message && message !== 'fetch failed') words = message;
    e = (e as { cause?: unknown }).cause;
  }
  return words ?? 'the request failed';
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * GET an http(s) URL and return its body bytes. Follows at most 5 redirects itself (each
 * hop checked: http/https only, plus `checkUrl`), streams the body and aborts it as soon
 * as it passes `maxBytes`. gzip/deflate/br are decoded by fetch; the cap counts decoded
 * bytes. Throws InputError: `bad-url` (not http/https, malformed, refused by checkUrl),
 * `unreachable` (non-2xx status, DNS/connection/TLS errors, timeout, too many redirects),
 * `too-large`. A cancelled `signal` rejects with its reason. A 304 answer to a request
 * sent with If-None-Match / If-Modified-Since is returned (status 304, no bytes).
 */
export async function fetchBytes(
  url: string | URL,
  options: FetchOptions = {},
): Promise<FetchedBytes> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    accept: ACCEPT,
    ...lowerKeys(options.headers ?? {}),
  };

  const first = parseHttpUrl(url);
  let current = first;
  const fail = (error: unknown, at: URL): never => {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof InputError) throw error;
    if (isTimeout(error) || timeout.aborted) {
      throw new InputError(
        'unreachable',
        shownUrl(at),
        `no complete response within ${seconds(timeoutMs)} (timed out)`,
        { cause: error },
      );
    }
    throw new InputError('unreachable', shownUrl(at), describeCause(error), { cause: error });
  };

  for (let hop = 0; ; hop++) {
    await options.checkUrl?.(current);
    let response: Response;
    try {
      response = await fetch(current, { headers, redirect: 'manual', signal });
    } catch (error) {
      return fail(error, current);
    }

    const location = response.headers.get('location');
    if (REDIRECTS.has(response.status) && location) {
      await response.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) {
        throw new InputError(
          'unreachable',
          shownUrl(first),
          `too many redirects (more than ${MAX_REDIRECTS}); last one to ${shownUrl(parseLoose(location, current))}`,
        );
      }
      current = parseHttpUrl(location, current);
      continue;
    }

    const conditional = 'if-none-match' in headers || 'if-modified-since' in headers;
    if (response.status === 304 && conditional) {
      await response.body?.cancel().catch(() => undefined);
      return {
        bytes: new Uint8Array(0),
        contentType: response.headers.get('content-type'),
        finalUrl: current.href,
        status: 304,
        headers: response.headers,
      };
    }
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel().catch(() => undefined);
      options.onErrorStatus?.(response.status, response.headers, current);
      const text = response.statusText || STATUS_CODES[response.status] || '';
      throw new InputError(
        'unreachable',
        shownUrl(current),
        `HTTP ${response.status}${text ? ` ${text}` : ''}`,
      );
    }

    const declared = Number(response.headers.get('content-length'));
    const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
    if (!encoded && Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(current, maxBytes, declared);
    }

    let bytes: Uint8Array;
    try {
      bytes = await readCapped(response, maxBytes, current);
    } catch (error) {
      return fail(error, current);
    }
    return {
      bytes,
      contentType: response.headers.get('content-type'),
      finalUrl: current.href,
      status: response.status,
      headers: response.headers,
    };
  }
}

function parseLoose(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function tooLarge(url: URL, maxBytes: number, size?: number): InputError {
  return new InputError(
    'too-large',
    shownUrl(url),
    size === undefined
      ? `the response is larger than the ${formatBytes(maxBytes)} limit`
      : `the response is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit`,
  );
}

/** The body, chunk by chunk, cancelled the moment it passes maxBytes. */
async function readCapped(response: Response, maxBytes: number, url: URL): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(url, maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
