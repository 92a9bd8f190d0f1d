import { describe, expect, it } from 'vitest';
import { defaultLexicon, type Lang } from '../../../src/core/lexicon/index.js';
import { demonstrativeNoun, opensWithPointer } from '../../../src/core/text/openers.js';

/** The folded opening keys the summariser passes, and the first two words as written. */
const opening = (sentence: string) => {
  const words = sentence.split(/[^\p{L}'’]+/u).filter(Boolean);
  const keys = words.map((w) =>
    w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’]$/, ''),
  );
  return { keys: keys.slice(0, 6), words };
};
const opens = (sentence: string, lang: Lang) => {
  const { keys, words } = opening(sentence);
  return opensWithPointer(keys, lang, words[0] ?? '');
};
/** The noun an opening demonstrative names, with the language's stopwords. */
const noun = (sentence: string, lang: Lang) => {
  const { keys, words } = opening(sentence);
  return demonstrativeNoun(keys, lang, words[1], defaultLexicon().words(lang).stopwords);
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

  it('names what it points to when the demonstrative is a determiner', () => {
    // «Questa riforma indebolisce il Parlamento», ha detto Elly Schlein.
    const questa =
      'Questa riforma indebolisce il Parlamento e svuota i poteri del capo dello Stato.';
    expect(opens(questa, 'it')).toBe(true);
    expect(noun(questa, 'it')).toBe('riforma');
    expect(noun('Cette réforme coûtera dix milliards aux collectivités.', 'fr')).toBe('reforme');
    expect(noun('Diese Reform schwächt das Parlament.', 'de')).toBe('reform');
    expect(noun('Esta reforma debilita al Parlamento.', 'es')).toBe('reforma');
    expect(noun('These measures will cost ten billion.', 'en')).toBe('measures');
  });

  it('names nothing when the demonstrative stands for what was said before it', () => {
    expect(noun('Questa è la riforma più importante della legislatura.', 'it')).toBeUndefined();
    expect(noun('Questo significa che il Parlamento conterà meno.', 'it')).toBeUndefined();
    expect(noun('Ces derniers ont refusé de commenter.', 'fr')).toBeUndefined();
    expect(noun('Diese wurden bereits verurteilt.', 'de')).toBeUndefined();
    expect(noun('This means the Senate will vote again.', 'en')).toBeUndefined();
    expect(noun('That led to the vote on Monday.', 'en')).toBeUndefined();
    expect(noun('Esto supone un cambio profundo.', 'es')).toBeUndefined();
  });
});
