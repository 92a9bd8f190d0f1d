import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { briefArticle, tagText } from '../../../src/core/brief.js';
import { loadLanguageDetector } from '../../../src/core/language.js';

beforeAll(() => loadLanguageDetector());

/**
 * Feeds cut articles anywhere: after a name, a comma, an age, an open bracket. The tagger
 * looks a few tokens left and right of every name, so the edges of the text are where it
 * can read past the last token.
 */
describe('an article that ends right after a name', () => {
  it.each([
    ['a comma', 'Yesterday in the morning we met Emmanuel Macron,'],
    ['a comma and an age', 'Abbiamo incontrato Sergio Mattarella, 83,'],
    ['a comma after a name the text alone finds', 'Ha parlato Giancarlo De Santis,'],
    ['a comma, as the whole text', 'Emmanuel Macron,'],
  ])('still gets a brief (%s)', (_, text) => {
    const brief = briefArticle({ title: 'Incontro', text });
    // Too short to summarise or not, the brief is there: its headline and its people.
    expect(brief.title).toBe('Incontro');
    expect(brief.actors.some((a) => a.kind === 'person')).toBe(true);
  });

  it('still reads the apposition when the text goes on', () => {
    const brief = briefArticle({
      title: 'Visit',
      text: 'We met Emmanuel Macron, the French president, in Paris.',
    });
    expect(brief.actors.find((a) => a.id === 'emmanuel-macron')?.role).toBe('French president');
  });
});

/** Pieces the role and name finders look at: names, roles, determiners, ages, punctuation. */
const PIECES = [
  'Emmanuel Macron',
  'Macron',
  'Sergio Mattarella',
  'Giancarlo De Santis',
  'Ursula von der Leyen',
  'Me',
  'Mr',
  'Dr.',
  'il ministro',
  'the',
  'a',
  'of',
  'della',
  "dell'",
  "l'",
  'and',
  'e',
  'president',
  'presidente',
  'ministro degli Esteri',
  'head',
  'restauratrice',
  'said',
  'ha detto',
  'Nato',
  'Fitp',
  '58',
  ',',
  '.',
  '(',
  ')',
  "'s",
  ':',
  '—',
  '"',
  'J.',
  'in',
  'Roma',
  'Tribunale',
  'di',
  'Milano',
  'Verteidigungsminister',
  'der',
];

const article = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 14 })
  .map((pieces) => pieces.join(' '));

describe('the tagger on any sequence of names, roles and punctuation', () => {
  it('never throws and gives mentions that point into the text', () => {
    fc.assert(
      fc.property(article, fc.constantFrom('en', 'it', 'fr', 'de', 'es'), (text, lang) => {
        for (const m of tagText(text, lang)) expect(text.slice(m.start, m.end)).toBe(m.text);
        const brief = briefArticle({ title: text, text, language: lang });
        expect(brief.title).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});
