import { describe, expect, it } from 'vitest';
import { opensWithPointer } from '../../../src/core/text/openers.js';

/** The folded opening keys the summariser passes, and the first word as written. */
const opens = (sentence: string, lang: string) => {
  const words = sentence.split(/[^\p{L}'’]+/u).filter(Boolean);
  const keys = words.map((w) =>
    w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’]$/, ''),
  );
  return opensWithPointer(keys.slice(0, 6), lang, words[0] ?? '');
};

describe('an opening that points back', () => {
  it('is a connective or pronoun that needs the sentence before it', () => {
    expect(opens('E poi ha aggiunto che la riforma passerà.', 'it')).toBe(true);
    expect(opens('Il vise désormais une rénovation complète.', 'fr')).toBe(true);
    expect(opens('Él dijo que no se presentaría.', 'es')).toBe(true);
  });

  it('is not the Italian verb "è", which folds to the same letters as the connective "e"', () => {
    // «È una giornata storica», ha dichiarato Meloni: the quote opens with "is", points at nothing.
    expect(opens('È una giornata storica per la democrazia italiana.', 'it')).toBe(false);
    expect(opens("E' una giornata storica per la democrazia italiana.", 'it')).toBe(false);
    expect(opens('El Gobierno aprobó el decreto.', 'es')).toBe(false);
  });
});
