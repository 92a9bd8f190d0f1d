import { describe, expect, it } from 'vitest';
import { fold, isAllCaps, isCapitalised } from '../../../src/core/text/fold.js';
import { letterDigitRuns, type Token, tokenize } from '../../../src/core/text/tokens.js';

/** The tokens of `text`, after checking that each one's offsets point at its text. */
function tokens(text: string): Token[] {
  const result = tokenize(text);
  for (const t of result) expect(text.slice(t.start, t.end)).toBe(t.text);
  return result;
}

function words(text: string): string[] {
  return tokens(text).map((t) => t.text);
}

describe('tokenize: elisions', () => {
  it("splits an Italian elided article from the noun: l'Ucraina → l' + Ucraina", () => {
    expect(words("Mosca attacca l'Ucraina.")).toEqual(['Mosca', 'attacca', "l'", 'Ucraina', '.']);
    expect(words("L'Ucraina resiste")).toEqual(["L'", 'Ucraina', 'resiste']);
  });

  it("splits elided prepositions: dell'Onu, all'Ue, nell'Iran", () => {
    expect(words("il segretario dell'Onu, all'Ue e nell'Iran")).toEqual([
      'il',
      'segretario',
      "dell'",
      'Onu',
      ',',
      "all'",
      'Ue',
      'e',
      "nell'",
      'Iran',
    ]);
  });

  it("splits French elisions: d'Ukraine, qu'il, l'Élysée, jusqu'à", () => {
    expect(words("La position d'Ukraine, qu'il défend jusqu'à l'Élysée")).toEqual([
      'La',
      'position',
      "d'",
      'Ukraine',
      ',',
      "qu'",
      'il',
      'défend',
      "jusqu'",
      'à',
      "l'",
      'Élysée',
    ]);
  });

  it('treats the typographic apostrophe like the straight one', () => {
    expect(words('il vertice dell’Unione europea')).toEqual([
      'il',
      'vertice',
      'dell’',
      'Unione',
      'europea',
    ]);
  });

  it('marks the elided article as a non-word and the noun as a word', () => {
    const [article, noun] = tokens("l'Ucraina");
    expect(article).toMatchObject({ text: "l'", word: false, start: 0, end: 2 });
    expect(noun).toMatchObject({ text: 'Ucraina', word: true, start: 2, end: 9 });
  });

  it("keeps names with an apostrophe whole: D'Alema, N'Golo, O'Brien", () => {
    expect(words("Massimo D'Alema ha incontrato N'Golo Kanté e Sean O'Brien.")).toEqual([
      'Massimo',
      "D'Alema",
      'ha',
      'incontrato',
      "N'Golo",
      'Kanté',
      'e',
      'Sean',
      "O'Brien",
      '.',
    ]);
  });
});

describe('tokenize: English possessives', () => {
  it("splits Hungary's into Hungary + 's, with either apostrophe", () => {
    expect(words("Hungary's veto blocked the deal")).toEqual([
      'Hungary',
      "'s",
      'veto',
      'blocked',
      'the',
      'deal',
    ]);
    expect(words('Zelensky’s plan')).toEqual(['Zelensky', '’s', 'plan']);
  });

  it("keeps the name a word and 's not a word, with exact offsets", () => {
    expect(tokens("the EU's response")).toMatchObject([
      { text: 'the', start: 0, end: 3, word: true },
      { text: 'EU', start: 4, end: 6, word: true },
      { text: "'s", start: 6, end: 8, word: false },
      { text: 'response', start: 9, end: 17, word: true },
    ]);
  });
});

describe('tokenize: hyphenated names', () => {
  it('keeps Yoon Suk-yeol and Jean-Luc whole', () => {
    expect(words('Yoon Suk-yeol met Jean-Luc Mélenchon in Seoul.')).toEqual([
      'Yoon',
      'Suk-yeol',
      'met',
      'Jean-Luc',
      'Mélenchon',
      'in',
      'Seoul',
      '.',
    ]);
  });

  it('keeps a name joined by the Unicode hyphen (U+2010) whole', () => {
    expect(words('il presidente Yoon Suk‐yeol')).toEqual(['il', 'presidente', 'Yoon', 'Suk‐yeol']);
  });
});

describe('tokenize: offsets and keys', () => {
  it('gives every token offsets into the original text, across accents and emoji', () => {
    const text = '🇺🇦 Kyiv, 29 novembre — «Il Cremlino tace», dice l’Onu. Séoul répond.';
    const result = tokens(text);
    expect(result.map((t) => t.text)).toContain('Kyiv');
    expect(result.map((t) => t.text)).toContain('Séoul');
    for (let i = 1; i < result.length; i++) {
      expect(result[i]?.start).toBeGreaterThanOrEqual(result[i - 1]?.end ?? 0);
    }
  });

  it('folds the key to lower case without accents, so Séoul and seoul compare equal', () => {
    expect(tokens('Séoul')[0]?.key).toBe('seoul');
    expect(tokens('Élysée')[0]?.key).toBe('elysee');
  });

  it('returns no tokens for empty or blank text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' \n\t ')).toEqual([]);
  });
});

describe("tokenize: every token's key and casing", () => {
  // Plain lower-case words, numbers and punctuation marks skip the shape cache: each must
  // still get exactly what fold() and the casing tests say of its text.
  it('are what fold() and the casing tests say, for every kind of word and mark', () => {
    const text =
      'the co-op 2024 g7 3-0 x2 mer Rouge AB Ab aB É é ß straße İstanbul ıx ǅemal Ⅻ ' +
      'don`t l’Ucraina NATO-Gipfel . , « » — – ( ) ¿ ¡ ’ ` ´ # 😀 \u200b K';
    for (const t of tokens(text)) {
      expect(t.key, t.text).toBe(fold(t.text));
      expect(t.capitalised, t.text).toBe(t.word && isCapitalised(t.text));
      expect(t.allCaps, t.text).toBe(t.word && isAllCaps(t.text));
      expect(t.lower, t.text).toBe(t.word && /^\p{Ll}/u.test(t.text));
    }
  });
});

describe('tokenize: initials', () => {
  it('keeps an initial with its stop, as annotated text writes it: "J. K. Rowling", "P. Simmons"', () => {
    expect(words('George W. Bush met J. K. Rowling.')).toEqual([
      'George',
      'W.',
      'Bush',
      'met',
      'J.',
      'K.',
      'Rowling',
      '.',
    ]);
    const [initial] = tokenize('P. Simmons took four wickets.');
    expect(initial).toMatchObject({ text: 'P.', start: 0, end: 2, word: true });
  });

  it('keeps capitals with stops whole: "U.S.", "S.A.", "U.K."', () => {
    expect(words('The U.S. Treasury and Cofinec S.A. in the U.K.')).toEqual([
      'The',
      'U.S.',
      'Treasury',
      'and',
      'Cofinec',
      'S.A.',
      'in',
      'the',
      'U.K.',
    ]);
  });

  it('reads an initial by its letter, so "M." of "M. Macron" is still the honorific', () => {
    expect(tokenize('M. Macron a parlé.')[0]?.key).toBe('m');
  });

  it('leaves a capital and a stop that end a sentence apart: "vitamina D. la", "plan B.\\nThe"', () => {
    expect(words('la vitamina D. la dose')).toContain('D');
    expect(words('the plan B.\nThe rest')).toEqual(['the', 'plan', 'B', '.', 'The', 'rest']);
  });
});

describe('tokenize: ampersands', () => {
  it('keep a name joined by one whole: AT&T, S&P, H&M; a spaced one stands apart', () => {
    expect(words('AT&T and S&P 500 fell; H&M rose.')).toEqual([
      'AT&T',
      'and',
      'S&P',
      '500',
      'fell',
      ';',
      'H&M',
      'rose',
      '.',
    ]);
    expect(words('Johnson & Johnson')).toEqual(['Johnson', '&', 'Johnson']);
  });
});

describe('tokenize: figures', () => {
  it('keep their separators: "1,000", "3.5", "10:30", a score "1:4"; a stop after one ends it', () => {
    expect(words('It cost 1,000 euros, 3.5 % more, at 10:30 after a 1:4 defeat in 2024.')).toEqual([
      'It',
      'cost',
      '1,000',
      'euros',
      ',',
      '3.5',
      '%',
      'more',
      ',',
      'at',
      '10:30',
      'after',
      'a',
      '1:4',
      'defeat',
      'in',
      '2024',
      '.',
    ]);
  });
});

describe('letterDigitRuns', () => {
  it('gives the runs of letters and digits, as a split at every other character does', () => {
    const texts = [
      'Corea del Nord',
      "  O'Brien-Smith, G7 & AT&T  ",
      'Yoon Suk-yeol',
      'Ελλάδα Ωμέγα',
      '東京都 2026年',
      'مرحبا ٣٤٥',
      'Cafe\u0301 de\u0301ja\u0300', // combining marks: no letters, so they split
      '𝐀𝐁𝐂 test 𝟏𝟐', // letters and digits beyond the BMP
      'a😀b 🇮🇹 c',
      'lone \ud800 high, lone \udc00 low, reversed \udc00\ud800 pair',
      '',
      '---',
      'x',
      '\ud835',
    ];
    for (const text of texts)
      expect([text, letterDigitRuns(text)]).toEqual([
        text,
        text.split(/[^\p{L}\p{N}]+/u).filter(Boolean),
      ]);
    expect(letterDigitRuns('𝐀𝐁𝐂 test 𝟏𝟐')).toEqual(['𝐀𝐁𝐂', 'test', '𝟏𝟐']);
  });
});
