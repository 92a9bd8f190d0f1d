import * as http from 'node:http';
import type * as https from 'node:https';
import { pipeline, type Readable, Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { formatBytes, InputError } from '../core/input/errors.js';
import { FeedError, shownUrl } from './errors.js';
import { DEFAULT_MAX_BYTES } from './read-capped.js';

export { shownUrl } from './errors.js';

export const USER_AGENT = 'briefwire/0.1 (+https://github.com/briefwire)';
export const DEFAULT_TIMEOUT_MS = 15_000;
export const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const ACCEPT =
  'text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5';

/** Response headers, read as a WHATWG Headers object reads them (`get` is case-blind). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface FetchOptions {
  /** For the whole exchange, redirects and body included. Default 15 s. */
  timeoutMs?: number;
  /** The body is aborted as soon as it passes this many (decoded) bytes. Default 5 MiB. */
  maxBytes?: number;
  /**
   * Keep the first `maxBytes` of a longer body and stop reading it, instead of failing
   * with `too-large`: for what a page's head says (its og:image), not the page.
   */
  truncate?: boolean;
  /** At most this many redirects are followed. Default 5. */
  maxRedirects?: number;
  /** The User-Agent header. Default USER_AGENT. */
  userAgent?: string;
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
  onErrorStatus?: (status: number, headers: ResponseHeaders, url: URL) => void;
  /**
   * The agents that open the connections, e.g. guardedAgents() (the SSRF guard at connect
   * time, see guard.ts). Default: plain keep-alive agents.
   */
  agents?: HttpAgents | undefined;
}

/** An http.Agent and an https.Agent: who opens the connections of a fetch, per scheme. */
export interface HttpAgents {
  http: http.Agent;
  https: https.Agent;
}

/** How long an idle kept-alive connection waits for the next request (a redirect, a poll). */
export const IDLE_SOCKET_MS = 4_000;

/** Agent options for feeds: keep-alive for redirects and polls of one host, little else. */
export const AGENT_OPTIONS = { keepAlive: true, timeout: IDLE_SOCKET_MS, maxFreeSockets: 16 };

let plainAgents: Promise<HttpAgents> | undefined;

/** Keep-alive agents that connect anywhere (allowPrivate, the CLI's `brief URL`). */
export function openAgents(): Promise<HttpAgents> {
  plainAgents ??= import('node:https').then((tls) => ({
    http: new http.Agent(AGENT_OPTIONS),
    https: new tls.Agent(AGENT_OPTIONS),
  }));
  return plainAgents;
}

export interface FetchedBytes {
  bytes: Uint8Array;
  /** The Content-Type header, or null when the server sent none. */
  contentType: string | null;
  /** The URL after redirects. */
  finalUrl: string;
  status: number;
  /** Response headers of the final response (ETag, Last-Modified… for conditional GETs). */
  headers: ResponseHeaders;
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

/** Network error codes (Node, undici, zlib, TLS) in words, for any message about a request. */
export const NETWORK_CAUSES: Readonly<Record<string, string>> = {
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
  HPE_HEADER_OVERFLOW: 'the response headers are too large',
  HPE_INVALID_CONSTANT: 'the server does not speak HTTP',
  ERR_STREAM_PREMATURE_CLOSE: 'the server closed the connection',
  Z_DATA_ERROR: 'the compressed body is corrupt',
  Z_BUF_ERROR: 'the compressed body is cut short',
  ERR__ERROR_FORMAT_PADDING_1: 'the compressed body is corrupt',
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
    if (typeof code === 'string' && NETWORK_CAUSES[code]) return NETWORK_CAUSES[code];
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && message && message !== 'fetch failed') words = message;
    e = (e as { cause?: unknown }).cause;
  }
  return words ?? 'the request failed';
}

/** The FeedError in an error's cause chain (the connect-time guard's refusal), if any. */
function feedErrorIn(error: unknown): FeedError | null {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    if (e instanceof FeedError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Node's response headers (lower-case names, set-cookie an array) read like WHATWG Headers. */
function readHeaders(raw: http.IncomingHttpHeaders): ResponseHeaders {
  return {
    get: (name) => {
      const value = raw[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** One GET: resolves with the response once its headers are in. */
function send(
  url: URL,
  headers: Record<string, string>,
  agents: HttpAgents,
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    // http.request speaks TLS when its agent does: the https agent sets port 443 and SNI.
    const req = http.request(url, {
      method: 'GET',
      headers,
      agent: url.protocol === 'https:' ? agents.https : agents.http,
      signal,
    });
    req.on('error', reject);
    req.on('response', resolve);
    req.end();
  });
}

/**
 * GET an http(s) URL and return its body bytes, through node:http: `agents` decide how
 * connections are made (give guardedAgents() to refuse private addresses at connect time).
 * Follows at most `maxRedirects` (5) redirects itself, each hop checked (http/https only,
 * plus `checkUrl`), streams the body and aborts it as soon as it passes `maxBytes`.
 * gzip/deflate/br are decoded as fetch would; the cap counts decoded bytes. Throws
 * InputError: `bad-url` (not http/https, malformed, refused by checkUrl), `unreachable`
 * (non-2xx status, DNS/connection/TLS errors, timeout, too many redirects), `too-large`;
 * a refusal by the agents' guard (FeedError `refused`) is thrown as a FeedError naming the
 * hop. A cancelled `signal` rejects with its reason. A 304 answer to a request sent with
 * If-None-Match / If-Modified-Since is returned (status 304, no bytes).
 */
export async function fetchBytes(
  url: string | URL,
  options: FetchOptions = {},
): Promise<FetchedBytes> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  const headers: Record<string, string> = {
    'user-agent': options.userAgent ?? USER_AGENT,
    accept: ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
    ...lowerKeys(options.headers ?? {}),
  };
  const first = parseHttpUrl(url);
  const agents = options.agents ?? (await openAgents());

  // One timer for the whole exchange, cleared at the end: nothing outlives the fetch.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The fetch timed out', 'TimeoutError'));
  }, timeoutMs);
  const cancel = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) cancel();
  else options.signal?.addEventListener('abort', cancel, { once: true });

  const fail = (error: unknown, at: URL): never => {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof InputError) throw error;
    // The agents' guard refused the address: the message names the hop.
    const refused = feedErrorIn(error);
    if (refused) {
      const from = at.href === first.href ? '' : ` (redirected from ${shownUrl(first)})`;
      throw new FeedError(refused.code, shownUrl(at), `${refused.detail}${from}`, {
        cause: refused,
      });
    }
    if (timedOut) {
      throw new InputError(
        'unreachable',
        shownUrl(at),
        `no complete response within ${seconds(timeoutMs)} (timed out)`,
        { cause: error },
      );
    }
    throw new InputError('unreachable', shownUrl(at), describeCause(error), { cause: error });
  };

  try {
    let current = first;
    for (let hop = 0; ; hop++) {
      await options.checkUrl?.(current);
      let response: http.IncomingMessage;
      try {
        response = await send(current, headers, agents, controller.signal);
      } catch (error) {
        return fail(error, current);
      }
      const status = response.statusCode ?? 0;
      const responseHeaders = readHeaders(response.headers);
      // A body not wanted (redirect, error, 304): read up to a little of it so that the
      // connection can serve again, else drop the connection. Its errors are of no interest.
      response.on('error', () => undefined);
      const discard = async (): Promise<void> => {
        // Only a short body declared as such is worth the wait; anything else (a body of
        // unknown length, one over the cap) costs the connection, not the time.
        const length = Number(responseHeaders.get('content-length'));
        if (Number.isFinite(length) && length <= DRAIN_BYTES) await drain(response, DRAIN_BYTES);
        else response.destroy();
      };

      const location = responseHeaders.get('location');
      if (REDIRECTS.has(status) && location) {
        await discard();
        if (hop >= maxRedirects) {
          throw new InputError(
            'unreachable',
            shownUrl(first),
            `too many redirects (more than ${maxRedirects}); the last one to ${shownUrl(parseLoose(location, current))}`,
          );
        }
        current = parseHttpUrl(location, current);
        continue;
      }

      const conditional = 'if-none-match' in headers || 'if-modified-since' in headers;
      if (status === 304 && conditional) {
        await discard();
        return {
          bytes: new Uint8Array(0),
          contentType: responseHeaders.get('content-type'),
          finalUrl: current.href,
          status: 304,
          headers: responseHeaders,
        };
      }
      if (status < 200 || status >= 300) {
        await discard();
        options.onErrorStatus?.(status, responseHeaders, current);
        const text = http.STATUS_CODES[status] ?? '';
        throw new InputError(
          'unreachable',
          shownUrl(current),
          `HTTP ${status}${text ? ` ${text}` : ''}`,
        );
      }

      const decoders = decodersFor(responseHeaders.get('content-encoding'), status);
      const declared = Number(responseHeaders.get('content-length'));
      const truncate = options.truncate === true;
      if (!truncate && decoders.length === 0 && Number.isFinite(declared) && declared > maxBytes) {
        await discard();
        throw tooLarge(current, maxBytes, declared);
      }

      let bytes: Uint8Array;
      try {
        bytes = await readCapped(response, decoders, maxBytes, current, truncate);
      } catch (error) {
        return fail(error, current);
      }
      return {
        bytes,
        contentType: responseHeaders.get('content-type'),
        finalUrl: current.href,
        status,
        headers: responseHeaders,
      };
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', cancel);
  }
}

/** Reads a body up to `limit` bytes and lets it go; a longer one is dropped with its socket. */
/** A discarded body is read to its end, so its connection can serve again, up to this. */
const DRAIN_BYTES = 16 * 1024;

async function drain(body: Readable, limit: number): Promise<void> {
  let seen = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      seen += chunk.byteLength;
      if (seen > limit) break;
    }
  } catch {
    // gone already
  }
  if (!body.readableEnded) body.destroy();
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

type Decoder = () => NodeJS.ReadWriteStream;

/** Lenient like fetch: a body cut short gives what was decoded, not an error. */
const ZLIB_FLUSH = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const BROTLI_FLUSH = {
  flush: zlib.constants.BROTLI_OPERATION_FLUSH,
  finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
};

/**
 * The decoders of a Content-Encoding, first applied first, as fetch does it: gzip (x-gzip),
 * deflate (zlib-wrapped or raw), br; a list is undone from the last coding back; a coding
 * it does not know leaves the whole body as it came.
 */
function decodersFor(encoding: string | null, status: number): Decoder[] {
  if (!encoding || status === 204 || status === 205) return [];
  const decoders: Decoder[] = [];
  for (const coding of encoding.toLowerCase().split(',').reverse()) {
    const name = coding.trim();
    if (name === '' || name === 'identity') continue;
    if (name === 'gzip' || name === 'x-gzip') decoders.push(() => zlib.createGunzip(ZLIB_FLUSH));
    else if (name === 'deflate') decoders.push(inflateAny);
    else if (name === 'br') decoders.push(() => zlib.createBrotliDecompress(BROTLI_FLUSH));
    else return [];
  }
  return decoders;
}

/**
 * `deflate` as servers send it: zlib-wrapped (RFC 1950) or, wrongly but often, raw; told
 * apart by the first byte (compression method 8), as fetch does.
 */
function inflateAny(): Transform {
  let inner: zlib.Inflate | zlib.InflateRaw | null = null;
  const outer: Transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (!inner) {
        inner =
          ((chunk[0] ?? 0) & 0x0f) === 0x08
            ? zlib.createInflate(ZLIB_FLUSH)
            : zlib.createInflateRaw(ZLIB_FLUSH);
        inner.on('data', (data: Buffer) => outer.push(data));
        inner.on('error', (error) => outer.destroy(error));
      }
      inner.write(chunk, () => callback());
    },
    flush(callback) {
      if (!inner) {
        callback();
        return;
      }
      inner.once('end', () => callback());
      inner.end();
    },
    destroy(error, callback) {
      inner?.destroy();
      callback(error);
    },
  });
  return outer;
}

/**
 * The body, decoded, chunk by chunk, cancelled the moment it passes maxBytes: too large, or
 * with `truncate` its first maxBytes.
 */
async function readCapped(
  body: Readable,
  decoders: readonly Decoder[],
  maxBytes: number,
  url: URL,
  truncate = false,
): Promise<Uint8Array> {
  const source: Readable =
    decoders.length === 0
      ? body
      : (pipeline(
          [body, ...decoders.map((make) => make())],
          () => undefined, // errors reach the loop below through the last stream
        ) as unknown as Readable);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (total + chunk.byteLength > maxBytes) {
        if (!truncate) throw tooLarge(url, maxBytes);
        chunks.push(chunk.subarray(0, maxBytes - total));
        total = maxBytes;
        break;
      }
      total += chunk.byteLength;
      chunks.push(chunk);
    }
  } finally {
    if (!body.destroyed) body.destroy();
  }
  if (chunks.length === 1) return chunks[0] as Buffer;
  return Buffer.concat(chunks, total);
}
