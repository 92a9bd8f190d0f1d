import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { crc32 as crc32InJs } from '../core/ner/hash.js';
import {
  type Checksum,
  checkModelChecksum,
  checkModelHeader,
  decodeModel,
  MODEL_HEADER_BYTES,
  ModelFormatError,
  type NerModel,
} from '../core/ner/model.js';

/** The folder of the models `npm run train` writes (shipped in the package). */
export function modelFolder(permissive = false): string {
  return fileURLToPath(
    new URL(`../../models/${permissive ? 'ner-permissive' : 'ner'}/`, import.meta.url),
  );
}

/** Where a language's model lives by default: models/ner/<lang>.bwnr. */
export function defaultModelPath(lang: string, permissive = false): string {
  return `${modelFolder(permissive)}${lang}.bwnr`;
}

/**
 * A model file that cannot be used. The message is one line: the file (relative to the
 * working directory when inside it), what is wrong, and how to make it again.
 */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`${shown(path)}: ${reason}; run \`npm run train\` to make it again`);
    this.path = path;
  }
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || rel === '' ? path : rel;
}

/**
 * zlib's CRC-32 (native; Node 20.15 and later), else the engine's own. A model is checked at
 * every start, in code that runs once and cold: ~2.4 MB through the JavaScript one costs
 * ~10 ms of a `briefwire brief`, zlib's ~1 ms. node:zlib is loaded anyway (net/http).
 */
export const crc32: Checksum = (zlib as { crc32?: Checksum }).crc32 ?? crc32InJs;

/** Reads and checks one model file (once, at start-up: the tagger never reads files). */
export function loadNerModel(path: string): NerModel {
  return asModelFile(path, () => decodeModel(readModelFile(path), crc32));
}

/**
 * Checks one model file (present, readable, whole: its header and checksum) without keeping
 * or decoding it, so that a long-running process can refuse a broken file at start and still
 * load each language's model only when that language first comes. The file is read in
 * small chunks: a whole-file buffer per language would stay in the process's resident size.
 */
export function checkNerModel(path: string): void {
  asModelFile(path, () => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw fileError(path, error);
    }
    try {
      const chunk = new Uint8Array(CHECK_CHUNK_BYTES);
      const size = fstatSync(fd).size;
      const header = chunk.subarray(0, readSync(fd, chunk, 0, MODEL_HEADER_BYTES, 0));
      const expected = checkModelHeader(header, size);
      let crc = 0;
      for (let at = MODEL_HEADER_BYTES; at < size; ) {
        const n = readSync(fd, chunk, 0, chunk.length, at);
        if (n === 0) break;
        crc = crc32(chunk.subarray(0, n), crc);
        at += n;
      }
      checkModelChecksum(crc, expected);
    } catch (error) {
      if (error instanceof ModelFormatError) throw error;
      throw fileError(path, error);
    } finally {
      closeSync(fd);
    }
  });
}

const CHECK_CHUNK_BYTES = 64 * 1024;

function fileError(path: string, error: unknown): ModelFileError {
  const code = (error as NodeJS.ErrnoException).code;
  return new ModelFileError(
    path,
    code === 'ENOENT' ? 'model file missing' : `unreadable (${code ?? 'error'})`,
  );
}

function readModelFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw fileError(path, error);
  }
}

/** Runs `read`, turning a format error into the one-line ModelFileError. */
function asModelFile<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ModelFormatError)
      throw new ModelFileError(path, `corrupt model file (${error.message})`);
    throw error;
  }
}
