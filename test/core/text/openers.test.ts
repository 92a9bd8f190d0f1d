import { describe, expect, it } from 'vitest';
import { defaultLexicon, type Lang } from '../../../src/core/lexicon/index.js';
import { opensWithPointer } from '../../../src/core/text/openers.js';

/** The folded opening keys the summariser passes, the first two words as written, the stopwords. */
const opens = (sentence: string, lang: Lang) => {
  const words = sentence.split(/[^\p{L}'’]+/u).filter(Boolean);
  const keys = words.map((w) =>
    w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’]$/, ''),
  );
  const { stopwords } = defaultLexicon().words(lang);
  return opensWithPointer(keys.slice(0, 6), lang, words[0] ?? '', words[1], stopwords);
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

  it('is not a demonstrative that is a determiner: its noun says what it is about', () => {
    // «Questa riforma indebolisce il Parlamento», ha detto Elly Schlein.
    expect(
      opens(
        'Questa riforma indebolisce il Parlamento e svuota i poteri del capo dello Stato.',
        'it',
      ),
    ).toBe(false);
    expect(opens('Cette réforme coûtera dix milliards aux collectivités.', 'fr')).toBe(false);
    expect(opens('Diese Reform schwächt das Parlament.', 'de')).toBe(false);
    expect(opens('Esta reforma debilita al Parlamento.', 'es')).toBe(false);
    expect(opens('These measures will cost ten billion.', 'en')).toBe(false);
    expect(opens('This week the Senate votes on the bill.', 'en')).toBe(false);
  });

  it('is a demonstrative that stands for what was said before it', () => {
    expect(opens('Questa è la riforma più importante della legislatura.', 'it')).toBe(true);
    expect(opens('Questo significa che il Parlamento conterà meno.', 'it')).toBe(true);
    expect(opens('Ces derniers ont refusé de commenter.', 'fr')).toBe(true);
    expect(opens('Dies bedeutet weniger Macht für das Parlament.', 'de')).toBe(true);
    expect(opens('Diese wurden bereits verurteilt.', 'de')).toBe(true);
    expect(opens('This means the Senate will vote again.', 'en')).toBe(true);
    expect(opens('That led to the vote on Monday.', 'en')).toBe(true);
    expect(opens('Esto supone un cambio profundo.', 'es')).toBe(true);
  });
});
