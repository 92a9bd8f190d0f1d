import { InputError } from '../core/input/errors.js';

/** Why a feed could not be fetched or read. */
export type FeedErrorCode =
  /** Not a valid URL, or a scheme that is not allowed (ftp:, file: from chat). */
  | 'bad-url'
  /** The SSRF guard refused it: the host resolves to a loopback/private/link-local… address. */
  | 'refused'
  /** DNS, connection, TLS, timeout, too many redirects: the server could not be reached. */
  | 'unreachable'
  /** The server answered with an error status (`status` says which). */
  | 'http'
  /** 429 or 503: the server asks to come back later (`retryAfterMs` when it said when). */
  | 'retry-later'
  /** The body passed the byte cap. */
  | 'too-large'
  /** A file feed that cannot be read (missing, a directory, no permission). */
  | 'unreadable'
  /** Nothing but whitespace. */
  | 'empty'
  /** PDF, image, archive, undecodable bytes. */
  | 'binary'
  /** Readable, but not an RSS/Atom/JSON feed: an HTML page, other XML, truncated XML. */
  | 'not-a-feed'
  /** A feed that took too long, or too much memory, to read (see src/input/read.ts). */
  | 'too-complex';

export const FEED_ERROR_CODES: readonly FeedErrorCode[] = [
  'bad-url',
  'refused',
  'unreachable',
  'http',
  'retry-later',
  'too-large',
  'unreadable',
  'empty',
  'binary',
  'not-a-feed',
  'too-complex',
];

export interface FeedErrorOptions {
  cause?: unknown;
  /** The HTTP status, for `http` and `retry-later`. */
  status?: number | null;
  /** How long the server asked us to wait (Retry-After), in ms. */
  retryAfterMs?: number | null;
}

/**
 * A feed cannot be fetched or read. Like InputError, the message is one line naming what
 * was read: `http://10.0.0.5/feed: refused: resolves to a private address (10.0.0.5)`.
 */
export class FeedError extends Error {
  override readonly name = 'FeedError';
  readonly code: FeedErrorCode;
  /** The URL or file path the message is about. */
  readonly source: string;
  /** The message without the source prefix. */
  readonly detail: string;
  /** The HTTP status, when a server answered; otherwise null. */
  readonly status: number | null;
  /** For `retry-later`: the server's Retry-After in ms, or null when it gave none. */
  readonly retryAfterMs: number | null;

  constructor(code: FeedErrorCode, source: string, detail: string, options: FeedErrorOptions = {}) {
    const where = oneLine(source) || 'feed';
    const what = oneLine(detail);
    super(`${where}: ${what}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.source = where;
    this.detail = what;
    this.status = options.status ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }

  /** The same problem as an InputError of the input layer (fetchBytes, sniff), as a FeedError. */
  static fromInputError(error: InputError, source?: string): FeedError {
    const code: FeedErrorCode =
      error.code === 'not-an-article'
        ? 'not-a-feed'
        : error.code === 'bad-url' ||
            error.code === 'unreachable' ||
            error.code === 'too-large' ||
            error.code === 'unreadable' ||
            error.code === 'empty' ||
            error.code === 'binary' ||
            error.code === 'too-complex'
          ? error.code
          : 'unreachable';
    return new FeedError(code, source ?? error.source, error.detail, { cause: error });
  }
}

export function isFeedError(error: unknown, code?: FeedErrorCode): error is FeedError {
  return error instanceof FeedError && (code === undefined || error.code === code);
}

/** Any error as a FeedError: InputErrors translated, FeedErrors as they are, others wrapped. */
export function toFeedError(error: unknown, source: string): FeedError {
  if (error instanceof FeedError) return error;
  if (error instanceof InputError) return FeedError.fromInputError(error);
  const message = error instanceof Error ? error.message : String(error);
  return new FeedError('unreachable', source, message || 'the request failed', { cause: error });
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

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
