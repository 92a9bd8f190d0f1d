import { describe, expect, it } from 'vitest';
import { defaultLexicon } from '../../../src/core/lexicon/index.js';
import { EMPTY_TABLES, FeatureExtractor } from '../../../src/core/ner/features.js';
import { hashString } from '../../../src/core/ner/hash.js';

// What the analysis of a spelling holds: the tagger keeps up to 100,000 of them, so each is
// one object of numbers and shared references, with no array of its own.

const extractor = new FeatureExtractor({
  lang: 'en',
  lexicon: defaultLexicon(),
  tables: EMPTY_TABLES,
});

describe("a spelling's analysis", () => {
  it('holds the hashes of its lower-case first and last one to four letters', () => {
    const info = extractor.analyse('Whitcombe');
    expect([info.prefix1, info.prefix2, info.prefix3, info.prefix4]).toEqual(
      ['w', 'wh', 'whi', 'whit'].map(hashString),
    );
    expect([info.suffix1, info.suffix2, info.suffix3, info.suffix4]).toEqual(
      ['e', 'be', 'mbe', 'ombe'].map(hashString),
    );
  });

  it('has no affix as long as the word itself (0)', () => {
    const info = extractor.analyse('Kim');
    expect([info.prefix1, info.prefix2, info.prefix3, info.prefix4]).toEqual([
      hashString('k'),
      hashString('ki'),
      0,
      0,
    ]);
    expect([info.suffix1, info.suffix2, info.suffix3, info.suffix4]).toEqual([
      hashString('m'),
      hashString('im'),
      0,
      0,
    ]);
  });

  it('is one object: no array or typed array inside it to allocate, keep and sweep', () => {
    const info = extractor.analyse('Ministerium');
    const own = Object.entries(info).filter(
      ([, value]) => Array.isArray(value) || ArrayBuffer.isView(value),
    );
    // `forms` is the lexicon's own list, shared by every spelling of the word.
    expect(own.map(([name]) => name).filter((name) => name !== 'forms')).toEqual([]);
  });
});
