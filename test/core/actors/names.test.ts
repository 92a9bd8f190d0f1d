/**
 * The model path asks the rules' chunker only about the runs its spans start in
 * (modelRuns): the chunker then classifies only the runs holding one of those tokens, and
 * each of them is exactly what the full reading finds.
 */
import { describe, expect, it } from 'vitest';
import { prepare } from '../../../src/core/actors/document.js';
import { matchLexicon } from '../../../src/core/actors/gazetteer.js';
import { findNameRuns } from '../../../src/core/actors/names.js';
import { defaultLexicon } from '../../../src/core/lexicon/index.js';
import { FIXTURE_DIR, LATER_DIR, loadFixtures } from '../quality/score.js';

const read = (text: string, lang: string) => prepare(text, lang, defaultLexicon());

describe('findNameRuns asked about some tokens only', () => {
  it('classifies only the runs holding them', () => {
    const text = 'Minister Jane Holloway met Tom Baxter of Greenfield Partners on Monday.';
    const doc = read(text, 'en');
    const lex = matchLexicon(doc);
    const surface = (r: { first: number; last: number }) =>
      text.slice(doc.tokens[r.first]?.start, doc.tokens[r.last - 1]?.end);
    expect(findNameRuns(doc, lex).runs.map(surface)).toEqual(
      expect.arrayContaining(['Jane Holloway', 'Tom Baxter']),
    );
    const tom = doc.tokens.findIndex((t) => t.text === 'Tom');
    expect(findNameRuns(doc, lex, new Set([tom])).runs.map(surface)).toEqual(['Tom Baxter']);
  });

  it('finds, for every token asked about, the run the full reading has there', () => {
    for (const fixture of [...loadFixtures(FIXTURE_DIR), ...loadFixtures(LATER_DIR)]) {
      const doc = read(fixture.text, fixture.lang);
      const lex = matchLexicon(doc);
      const all = findNameRuns(doc, lex).runs;
      // Every third capitalised word: runs holding none of them must be left out.
      const asked = new Set(
        doc.tokens.filter((t) => t.capitalised && t.index % 3 === 0).map((t) => t.index),
      );
      const some = findNameRuns(doc, lex, asked).runs;
      const holds = (r: { first: number; last: number }) =>
        [...asked].some((k) => r.first <= k && k < r.last);
      for (const k of asked)
        expect(
          some.find((r) => r.first <= k && k < r.last),
          fixture.name,
        ).toEqual(all.find((r) => r.first <= k && k < r.last));
      expect(some.length, fixture.name).toBeLessThan(all.length);
      expect(some.every((r) => all.some((a) => a.first === r.first && a.last === r.last))).toBe(
        true,
      );
      expect(all.filter(holds).length).toBeLessThanOrEqual(some.length);
    }
  });
});
