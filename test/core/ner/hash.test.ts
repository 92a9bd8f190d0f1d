import { describe, expect, it } from 'vitest';
import { shapeHash, shapeOf } from '../../../src/core/ner/features.js';
import {
  HASH_START,
  hashEnd,
  hashRange,
  hashString,
  hashUnit,
} from '../../../src/core/ner/hash.js';

// A model's weights are found by these hashes: a faster way to compute one must give the
// value the model was trained with, for every kind of spelling.
const SPELLINGS = [
  '',
  'a',
  'the',
  'Mario',
  'NATO',
  'G7',
  'U.S.',
  '1996-08-30',
  'co-op',
  'Séoul',
  'ÉTATS-UNIS',
  'straße',
  'İstanbul',
  'ǅemal',
  'Ⅻ',
  'e\u0301',
  'l’Onu',
  'don`t',
  '😀',
  'a😀b😀',
  '𐐀𐐨x',
  '\uD800x',
  'x\uDC00',
  '١٢٣',
  'ΣΑΣ',
  'Aa1-Bb2.Cc3,Dd4;Ee5',
];

describe('feature hashes computed without building the string', () => {
  it('hashRange is hashString of the slice, for every affix of every spelling', () => {
    for (const text of SPELLINGS)
      for (let from = 0; from <= text.length; from++)
        for (let to = from; to <= text.length; to++)
          expect(hashRange(text, from, to), `${text} ${from}..${to}`).toBe(
            hashString(text.slice(from, to)),
          );
  });

  it('hashUnit from HASH_START, then hashEnd, is hashString of the units', () => {
    for (const text of SPELLINGS) {
      let h = HASH_START;
      for (let i = 0; i < text.length; i++) h = hashUnit(h, text.charCodeAt(i));
      expect(hashEnd(h), text).toBe(hashString(text));
    }
  });

  it("shapeHash is the hash of the word's shape (case, digits, marks, astral characters)", () => {
    for (const text of SPELLINGS) expect(shapeHash(text), text).toBe(hashString(shapeOf(text)));
  });
});
