import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModel, ModelFormatError, type NerModel } from '../core/ner/model.js';

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

/** Reads and checks one model file (once, at start-up: the tagger never reads files). */
export function loadNerModel(path: string): NerModel {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFileError(
      path,
      code === 'ENOENT' ? 'model file missing' : `unreadable (${code ?? 'error'})`,
    );
  }
  try {
    return decodeModel(bytes);
  } catch (error) {
    if (error instanceof ModelFormatError)
      throw new ModelFileError(path, `corrupt model file (${error.message})`);
    throw error;
  }
}
