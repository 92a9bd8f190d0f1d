import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { formatBytes, InputError } from '../core/input/errors.js';
import type { Article } from '../core/types.js';
import { DEFAULT_MAX_BYTES, fetchBytes } from '../feeds/http.js';
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
    const bytes = await readStream(stream, maxBytes, 'stdin');
    return readArticle({ bytes, name: 'stdin' }, options);
  }

  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(source)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
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
  const bytes = await readFileCapped(path, source, maxBytes);
  return readArticle({ bytes, name: source }, options);
}

function fsProblem(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'ENOTDIR':
      return 'no such file (a part of the path is not a directory)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    default:
      return `cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
}

async function readFileCapped(path: string, label: string, maxBytes: number): Promise<Uint8Array> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw new InputError('unreadable', label, fsProblem(error), { cause: error });
  }
  if (info.isDirectory()) {
    throw new InputError('unreadable', label, 'is a directory, not a file');
  }
  if (info.isFile() && info.size > maxBytes) {
    throw new InputError(
      'too-large',
      label,
      `is ${formatBytes(info.size)}, over the ${formatBytes(maxBytes)} limit`,
    );
  }
  // Streamed with the same cap: a FIFO or a file growing while read has no size up front.
  let stream: NodeJS.ReadableStream;
  try {
    stream = createReadStream(path);
  } catch (error) {
    throw new InputError('unreadable', label, fsProblem(error), { cause: error });
  }
  return readStream(stream, maxBytes, label);
}

/** All of a stream, failing with `too-large` as soon as it passes maxBytes. */
async function readStream(
  stream: NodeJS.ReadableStream,
  maxBytes: number,
  label: string,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Uint8Array);
      total += bytes.byteLength;
      if (total > maxBytes) {
        (stream as { destroy?: () => void }).destroy?.();
        throw new InputError('too-large', label, `is over the ${formatBytes(maxBytes)} limit`);
      }
      chunks.push(bytes);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError('unreadable', label, fsProblem(error), { cause: error });
  }
  return Buffer.concat(chunks, total);
}
