import { describe, expect, it } from 'vitest';
import { actorTerms, editDistance, maxDistance, searchKey } from '../../src/store/search.js';

describe('searchKey', () => {
  it('folds case, accents and punctuation', () => {
    expect(searchKey('Séoul')).toBe('seoul');
    expect(searchKey('  Yoon Suk-yeol ')).toBe('yoon suk yeol');
    expect(searchKey('Łódź')).toBe('lodz');
    expect(searchKey('Øresund')).toBe('oresund');
    expect(searchKey('Straße')).toBe('strasse');
    expect(searchKey('Kim Jong-un’s')).toBe('kim jong un s');
  });
});

describe('actorTerms', () => {
  it('are the whole names and aliases, and their words of two letters or more', () => {
    expect(actorTerms(['Andrei Belousov', 'Belousov', 'A. Belousov'])).toEqual([
      { term: 'andrei belousov', whole: true },
      { term: 'andrei', whole: false },
      { term: 'belousov', whole: true },
      { term: 'a belousov', whole: true },
    ]);
  });
});

describe('editDistance', () => {
  it('counts inserts, deletes, substitutions and swaps of neighbours', () => {
    expect(editDistance('belusov', 'belousov', 2)).toBe(1);
    expect(editDistance('beluosov', 'belousov', 2)).toBe(1);
    expect(editDistance('seul', 'seoul', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
    expect(editDistance('same', 'same', 2)).toBe(0);
  });

  it('stops past the limit', () => {
    expect(editDistance('belousov', 'putin', 2)).toBe(3);
    expect(editDistance('abcdefgh', 'hgfedcba', 2)).toBe(3);
  });

  it('tolerates more typos in longer queries', () => {
    expect(maxDistance('kim')).toBe(0);
    expect(maxDistance('seul')).toBe(1);
    expect(maxDistance('belusov')).toBe(2);
  });
});
