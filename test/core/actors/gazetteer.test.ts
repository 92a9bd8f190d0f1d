/**
 * The lexicon is read two ways: trusting capitals (the rules' reading, where the name
 * finder judges a one-word place that starts a longer name) and not (the entity model's
 * reading, where every lexicon name counts). They differ where a one-word place starts a
 * longer name ("Milan Horvat"); both join a given name to a known surname.
 */
import { describe, expect, it } from 'vitest';
import { prepare } from '../../../src/core/actors/document.js';
import {
  formsStartingWith,
  matchLexicon,
  UNFILTERED_LOOKUPS,
} from '../../../src/core/actors/gazetteer.js';
import { defaultLexicon } from '../../../src/core/lexicon/index.js';
import { shippedForms } from '../lexicon/shipped.js';

const read = (text: string, lang: string) => prepare(text, lang, defaultLexicon());
const names = (ms: { start: number; end: number }[], text: string) =>
  ms.map((m) => text.slice(m.start, m.end));

describe('the two readings of the lexicon', () => {
  it('differ where a one-word place starts a longer name', () => {
    const text = 'Yesterday Milan Horvat met Dmitri Peskov and Nato-Gipfel delegates in Milan.';
    const doc = read(text, 'en');
    const trusting = matchLexicon(doc);
    const untrusting = matchLexicon(doc, { trustCapitals: false });
    expect(names(untrusting, text).filter((n) => n === 'Milan')).toHaveLength(2);
    expect(names(trusting, text).filter((n) => n === 'Milan')).toHaveLength(1);
    for (const reading of [trusting, untrusting])
      expect(names(reading, text)).toContain('Dmitri Peskov');
  });
});

describe('the lexicon scan', () => {
  // Most tokens start no name, and the scan turns them away by a bitmap of the index's
  // first words before probing the index: no name may be turned away with them.
  it('finds every form of the lexicon in a text that is only that form', () => {
    const forms = shippedForms();
    const missed: string[] = [];
    for (const { text, type } of forms) {
      if (type === 'demonym') continue;
      const doc = read(text, 'en');
      // "L'Aquila", "'s-Hertogenbosch": the scan starts names on words, not on elisions.
      if (!doc.tokens[0]?.word) continue;
      if (matchLexicon(doc, { trustCapitals: false })[0]?.first !== 0) missed.push(text);
    }
    expect(forms.length).toBeGreaterThan(10_000);
    expect(missed).toEqual([]);
  });

  // The bitmap is built only once the index has been asked UNFILTERED_LOOKUPS times (a
  // one-article run never pays for it): before and after, the index's own answer.
  it('finds the forms a word starts as the index holds them, before its bitmap is built and after', () => {
    const index = defaultLexicon().formsByFirst;
    const words = [...[...index.keys()].slice(0, 50), 'yesterday', 'met', 'zzqx', ''];
    for (let n = 0; n <= UNFILTERED_LOOKUPS; n += words.length)
      for (const word of words) expect(formsStartingWith(index, word)).toBe(index.get(word));
  });
});

describe('hyphenated compounds', () => {
  // The scan finds the text's hyphens by searching the text, not each word: a compound
  // counts wherever it falls among the other hyphens, with either hyphen character.
  it('name the lexicon name they start, with either hyphen, among other dashes', () => {
    const text =
      'Nato‐Gipfel - eine Nato-Tagung in Berlin‐Mitte, dann US-Präsident und EU‐Kommission - Nato-Truppen.';
    const doc = read(text, 'de');
    expect(names(matchLexicon(doc, { trustCapitals: false }), text)).toEqual([
      'Nato',
      'Nato',
      'Berlin',
      'US',
      'EU',
      'Nato',
    ]);
  });
});
