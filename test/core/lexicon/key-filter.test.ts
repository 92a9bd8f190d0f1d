/**
 * The lexicon scan and the phrase sets turn most words away by a KeyFilter before probing
 * their hash tables: a key the set holds must never be turned away, and most others must.
 */
import { describe, expect, it } from 'vitest';
import data from '../../../src/core/lexicon/data.generated.json' with { type: 'json' };
import { defaultLexicon, KeyFilter, LANGS, PhraseSet } from '../../../src/core/lexicon/index.js';
import { fold } from '../../../src/core/text/fold.js';
import { tokenize } from '../../../src/core/text/tokens.js';

describe('KeyFilter', () => {
  it('holds every key it was made from, and turns most other words away', () => {
    const lexicon = defaultLexicon();
    const keys = [...lexicon.formsByFirst.keys()];
    const filter = new KeyFilter(keys, 1 << 17);
    expect(keys.filter((k) => !filter.mayHold(k))).toEqual([]);
    const held = new Set(keys);
    const others = [...lexicon.words('en').givenNames, ...lexicon.words('de').stopwords].filter(
      (k) => !held.has(k),
    );
    expect(others.length).toBeGreaterThan(1000);
    const passed = others.filter((k) => filter.mayHold(k)).length;
    expect(passed / others.length).toBeLessThan(0.15);
  });
});

describe('PhraseSet', () => {
  it('finds each of its phrases, longest first, and nothing else', () => {
    const set = new PhraseSet(['prime minister', 'minister', "dell'", 'ministro degli esteri']);
    const keys = ['the', 'prime', 'minister', 'met', "dell'", 'ministro', 'degli', 'esteri'];
    expect(keys.map((_, at) => set.matchAt(keys, at))).toEqual([0, 2, 1, 0, 1, 3, 0, 0]);
  });

  it("finds every one of the lexicon's role, speech, place and connector phrases", () => {
    const lists = (
      data as unknown as { words: Record<string, string[] | Record<string, string[]>> }
    ).words;
    let checked = 0;
    for (const lang of LANGS) {
      const words = defaultLexicon().words(lang);
      const sets = {
        roles: words.roles,
        speech: words.speech,
        locatives: words.locatives,
        connectors: words.connectors,
      };
      for (const [name, set] of Object.entries(sets)) {
        const list = lists[name];
        // A list is per language, or one for all.
        const phrases = Array.isArray(list) ? list : (list?.[lang] ?? []);
        for (const phrase of phrases) {
          checked++;
          // The phrase's keys as the set reads them: an elided particle is one key.
          const keys = phrase
            .split(' ')
            .flatMap((part) =>
              /['’]$/.test(part) ? [fold(part)] : tokenize(part).map((t) => t.key),
            );
          expect(set.matchAt(keys, 0), `${lang} ${name}: ${phrase}`).toBeGreaterThan(0);
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});
