import { fileURLToPath } from 'node:url';
import { InputError } from '../core/input/errors.js';
import type { Article } from '../core/types.js';
import { DEFAULT_MAX_BYTES, readFileCapped, readStreamCapped } from '../net/read-capped.js';
import { readArticle } from './read.js';

export interface LoadOptions {
  /** Read for `-`; defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** Largest input accepted, for files, stdin and URLs. Default 5 MiB. */
  maxBytes?: number;
  /** For URLs. Default 15 s. */
  timeoutMs?: number;
  /** How long reading the bytes may take; default ARTICLE_DEADLINE_MS (src/input/read.ts). */
  deadlineMs?: number;
  signal?: AbortSignal;
}

/**
 * What a user gives `briefwire brief FILE|URL|-` → Article. `-` reads stdin, `http(s)://`
 * fetches the URL (see fetchBytes), `file://` and anything else is a file path. The bytes
 * then go through parseArticle (in a worker for pages: see readArticle).
 *
 * Rejects with InputError: `unreadable` (missing file, a directory, no permission, a read
 * error), `too-large` (over maxBytes; a file's size is checked before reading it),
 * `bad-url` (another scheme such as ftp://), plus the codes of fetchBytes and parseArticle.
 */
export async function loadArticle(source: string, options: LoadOptions = {}): Promise<Article> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;

  if (source === '-') {
    const stream = options.stdin ?? process.stdin;
    const bytes = await readStreamCapped(stream, { maxBytes, label: 'stdin' });
    return readArticle({ bytes, name: 'stdin' }, options);
  }

  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(source)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    // Loaded on demand: node's HTTP client is not needed to brief a file.
    const { fetchBytes } = await import('../net/http.js');
    const fetched = await fetchBytes(source, {
      maxBytes,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return readArticle(
      {
        bytes: fetched.bytes,
        contentType: fetched.contentType,
        url: fetched.finalUrl,
        name: source,
      },
      options,
    );
  }
  if (scheme !== undefined && scheme !== 'file') {
    throw new InputError(
      'bad-url',
      source,
      `${scheme}:// is not supported; give a file path, an http(s) URL, or - for stdin`,
    );
  }

  let path = source;
  if (scheme === 'file') {
    try {
      path = fileURLToPath(source);
    } catch (error) {
      throw new InputError('bad-url', source, 'is not a valid file:// URL', { cause: error });
    }
  }
  const bytes = await readFileCapped(path, { maxBytes, label: source });
  return readArticle({ bytes, name: source }, options);
}
