import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { formatBytes, InputError } from '../core/input/errors.js';

/**
 * Every read of a file a user named goes through here. The cap holds whatever `stat`
 * says: a device (`/dev/zero`), a pipe or a file growing as it is read has no size up
 * front, so the bytes are counted as they come and the read stops at the cap + 1 byte.
 */

/** 5 MiB: far above any article, small enough to hold in memory (files, stdin and URLs). */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** One read(2) at a time: small enough that a capped read never holds much past its cap. */
const CHUNK = 64 * 1024;

export interface ReadCappedOptions {
  /** More than this many bytes fails with `too-large`. */
  maxBytes: number;
  /** What to call the file in messages (the path as the user gave it). */
  label: string;
}

/** An fs error in words, for `unreadable`. */
export function fsProblem(error: unknown): string {
  switch ((error as { code?: unknown }).code) {
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

function unreadable(error: unknown, label: string): InputError {
  if (error instanceof InputError) return error;
  return new InputError('unreadable', label, fsProblem(error), { cause: error });
}

/** A regular file's size, when it says it is over the cap: refused before reading a byte. */
function declaredTooLarge(
  info: { isFile(): boolean; size: number },
  options: ReadCappedOptions,
): InputError | null {
  if (!info.isFile() || info.size <= options.maxBytes) return null;
  return new InputError(
    'too-large',
    options.label,
    `is ${formatBytes(info.size)}, over the ${formatBytes(options.maxBytes)} limit`,
  );
}

/** The bytes read so far; fails the moment they pass the cap. */
class Collected {
  readonly #chunks: Buffer[] = [];
  #total = 0;

  constructor(readonly options: ReadCappedOptions) {}

  /** Room for the next read: up to one byte past the cap, to tell "at the cap" from "over". */
  get room(): number {
    return Math.min(CHUNK, this.options.maxBytes + 1 - this.#total);
  }

  add(chunk: Buffer): void {
    this.#total += chunk.byteLength;
    if (this.#total > this.options.maxBytes) {
      throw new InputError(
        'too-large',
        this.options.label,
        `is over the ${formatBytes(this.options.maxBytes)} limit`,
      );
    }
    this.#chunks.push(chunk);
  }

  bytes(): Buffer {
    return this.#chunks.length === 1
      ? (this.#chunks[0] as Buffer)
      : Buffer.concat(this.#chunks, this.#total);
  }
}

/**
 * All of a file, at most `maxBytes`. Rejects with InputError `unreadable` (missing, a
 * directory, no permission, a read error) or `too-large` (a regular file whose size is
 * over the cap is refused before it is read; anything else as soon as it passes the cap).
 */
export async function readFileCapped(path: string, options: ReadCappedOptions): Promise<Buffer> {
  const collected = new Collected(options);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const tooLarge = declaredTooLarge(await handle.stat(), options);
    if (tooLarge) throw tooLarge;
    for (;;) {
      const buffer = Buffer.allocUnsafe(collected.room);
      const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null);
      if (bytesRead === 0) return collected.bytes();
      collected.add(buffer.subarray(0, bytesRead));
    }
  } catch (error) {
    throw unreadable(error, options.label);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** readFileCapped for synchronous callers (the config file, read once at start). */
export function readFileCappedSync(path: string, options: ReadCappedOptions): Buffer {
  const collected = new Collected(options);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const tooLarge = declaredTooLarge(fstatSync(fd), options);
    if (tooLarge) throw tooLarge;
    for (;;) {
      const buffer = Buffer.allocUnsafe(collected.room);
      const bytesRead = readSync(fd, buffer, 0, buffer.byteLength, null);
      if (bytesRead === 0) return collected.bytes();
      collected.add(buffer.subarray(0, bytesRead));
    }
  } catch (error) {
    throw unreadable(error, options.label);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** All of a stream (stdin), failing with `too-large` as soon as it passes maxBytes. */
export async function readStreamCapped(
  stream: NodeJS.ReadableStream,
  options: ReadCappedOptions,
): Promise<Buffer> {
  const collected = new Collected(options);
  try {
    for await (const chunk of stream) {
      collected.add(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
    }
  } catch (error) {
    (stream as { destroy?: () => void }).destroy?.();
    throw unreadable(error, options.label);
  }
  return collected.bytes();
}
