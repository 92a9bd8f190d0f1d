import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultLexicon } from '../../src/core/lexicon/index.js';
import { learnCasing } from '../../src/core/ner/casing.js';
import { parseConll } from '../../src/core/ner/conll.js';
import { crc32 as crc32InJs } from '../../src/core/ner/hash.js';
import { encodeModel } from '../../src/core/ner/model.js';
import { trainTagger } from '../../src/core/ner/train.js';
import {
  checkNerModel,
  crc32,
  defaultModelPath,
  loadNerModel,
  ModelFileError,
} from '../../src/ner/load.js';
import { tempFolder } from '../support/files.js';

const { file, dir } = tempFolder('ner-model');

const docs = parseConll('Ada\tB-PER\nLovelace\tI-PER\nwrote\tO\n\nIn\tO\nTurin\tB-LOC\n', 'inline');
const model = trainTagger(docs, {
  lang: 'en',
  lexicon: defaultLexicon(),
  tables: { casing: learnCasing(docs), clusters: new Map() },
  bits: 12,
  epochs: 2,
  seed: 1,
  prune: 0.01,
  rate: () => 1,
  meta: { sources: ['inline'], permissive: true },
});

const failure = (path: string) => {
  try {
    loadNerModel(path);
  } catch (error) {
    return error;
  }
  throw new Error('loaded');
};

describe('loading a model file', () => {
  it('reads a saved model', () => {
    expect(loadNerModel(file('en.bwnr', encodeModel(model))).meta.lang).toBe('en');
  });

  it('names a missing file and how to make it, in one line', () => {
    const error = failure(`${dir}/de.bwnr`);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toBe(
      `${dir}/de.bwnr: model file missing; run \`npm run train\` to make it again`,
    );
  });

  it('names a corrupt file, what is wrong and how to make it again, in one line', () => {
    const bytes = encodeModel(model);
    bytes[40] = (bytes[40] as number) ^ 1;
    const path = file('corrupt.bwnr', bytes);
    const message = (failure(path) as Error).message;
    expect(message).toBe(
      `${path}: corrupt model file (checksum mismatch); run \`npm run train\` to make it again`,
    );
    expect(message).not.toContain('\n');
  });

  it('names a file of something else', () => {
    const path = file('notes.bwnr', 'just some text');
    expect((failure(path) as Error).message).toMatch(
      /notes\.bwnr: corrupt model file \(not a briefwire entity model\)/,
    );
  });
});

describe("the loader's checksum (the runtime's CRC-32 where it has one)", () => {
  it('is the checksum a model file is written with, whole and continued chunk by chunk', () => {
    let seed = 7;
    const bytes = Uint8Array.from({ length: 100_003 }, () => {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      return seed >>> 24;
    });
    for (const length of [0, 1, 7, 8, 9, 4096, bytes.length]) {
      const part = bytes.subarray(0, length);
      expect(crc32(part)).toBe(crc32InJs(part));
    }
    let continued = 0;
    for (let at = 0; at < bytes.length; at += 4096)
      continued = crc32(bytes.subarray(at, at + 4096), continued);
    expect(continued).toBe(crc32InJs(bytes));
  });
});

describe('checking a model file without loading it (the bot at start)', () => {
  const shipped = readFileSync(defaultModelPath('en'));
  const checkFailure = (path: string) => {
    try {
      checkNerModel(path);
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('accepts a whole file, read in chunks (the shipped English model is megabytes)', () => {
    expect(shipped.length).toBeGreaterThan(1024 * 1024);
    expect(checkFailure(file('whole.bwnr', shipped))).toBe('accepted');
  });

  it('refuses what loading would refuse, with the same line', () => {
    const late = Uint8Array.from(shipped);
    late[late.length - 10] = (late[late.length - 10] as number) ^ 1;
    const flipped = file('flipped.bwnr', late);
    expect(checkFailure(flipped)).toBe(
      `${flipped}: corrupt model file (checksum mismatch); run \`npm run train\` to make it again`,
    );
    const truncated = file('truncated.bwnr', shipped.subarray(0, shipped.length - 1));
    expect(checkFailure(truncated)).toMatch(/truncated\.bwnr: corrupt model file \(truncated/);
    expect(checkFailure(file('text.bwnr', 'just some text'))).toMatch(
      /corrupt model file \(not a briefwire entity model\)/,
    );
    expect(checkFailure(`${dir}/fr.bwnr`)).toMatch(/fr\.bwnr: model file missing/);
  });
});
