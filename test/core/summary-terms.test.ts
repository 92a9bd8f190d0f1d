import { describe, expect, it } from 'vitest';
import {
  stem,
  type TermId,
  termMarks,
  termSpace,
  Vocabulary,
} from '../../src/core/summary-terms.js';
import { tokenize } from '../../src/core/text/tokens.js';

const STOPWORDS = new Set(['the', 'and', 'was']);

describe("an article's vocabulary", () => {
  it('numbers stems 0, 1, 2… in the order first met, one id for every word of a stem', () => {
    const v = new Vocabulary(STOPWORDS);
    const first = v.terms([tokenize('Ministers ratified the treaty')]);
    const second = v.terms([tokenize('The treaty was ratificated by ministers')]);
    expect(first).toEqual([0, 1, 2]);
    expect(first.map((id) => v.stem(id))).toEqual(['minist', 'ratifi', 'treaty']);
    // "ratificated" and "ratified" share their stem; "by" is too short to be a term.
    expect(second).toEqual([2, 1, 0]);
    expect(v.id(stem('ratification'))).toBe(1);
    expect(v.id('harbour')).toBe(3);
  });

  it("gives each list a term once, in its text's order, across the runs it reads", () => {
    const v = new Vocabulary(STOPWORDS);
    const runs = [tokenize('Harbour workers strike.'), tokenize('The strike closes the harbour.')];
    expect(v.terms(runs).map((id) => v.stem(id))).toEqual(['harbou', 'worker', 'strike', 'closes']);
    // A list made later takes the ids an earlier one took.
    expect(v.terms([tokenize('Workers strike')])).toEqual([1, 2]);
  });

  it('leaves out stopwords, words of two letters and figures', () => {
    const v = new Vocabulary(STOPWORDS);
    expect(v.terms([tokenize('The 42 ships and we sail 2026')]).map((id) => v.stem(id))).toEqual([
      'ships',
      'sail',
    ]);
  });

  it('keeps numbering past its first few hundred stems', () => {
    const v = new Vocabulary(STOPWORDS);
    // Five letters, so that no two share a stem: q + i in base 26 + z.
    const letter = (n: number) => String.fromCharCode(97 + (n % 26));
    const words = Array.from(
      { length: 1000 },
      (_, i) => `q${letter(i / 676)}${letter(i / 26)}${letter(i)}z`,
    );
    const ids = v.terms([tokenize(words.join(' '))]);
    expect(ids).toHaveLength(1000);
    expect(v.terms([tokenize(words.join(' '))])).toEqual(ids);
  });

  it('says no stem for an id it did not give', () => {
    const v = new Vocabulary(STOPWORDS);
    const [harbour] = v.terms([tokenize('harbour')]);
    expect(v.stem(harbour as TermId)).toBe('harbou');
    expect(() => v.stem(1 as TermId)).toThrow(RangeError);
  });
});

describe('arrays indexed by term id', () => {
  it('are as long as the highest id of the lists, plus one', () => {
    const v = new Vocabulary(STOPWORDS);
    const a = v.terms([tokenize('harbour strike')]);
    const b = v.terms([tokenize('ministers treaty')]);
    expect(termSpace([{ terms: a }], b)).toBe(4);
    expect(termSpace([], [])).toBe(0);
    // A unit's antecedent may be a word no list holds (a noun of two letters).
    expect(termSpace([{ terms: a, antecedent: v.id('re') }], b)).toBe(5);
    expect([...termMarks(b, termSpace([{ terms: a }], b))]).toEqual([0, 0, 1, 1]);
  });
});
