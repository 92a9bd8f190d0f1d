/**
 * The lexicon scan and the phrase sets turn most words away by a KeyFilter before probing
 * their hash tables: a key the set holds must never be turned away, and most others must.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  defaultLexicon,
  KeyFilter,
  LANGS,
  PhraseSet,
  phraseKeys,
} from '../../../src/core/lexicon/index.js';
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
    const set = new PhraseSet(
      ['prime minister', 'minister', "dell'", 'ministro degli esteri'].map(phraseKeys),
    );
    const keys = ['the', 'prime', 'minister', 'met', "dell'", 'ministro', 'degli', 'esteri'];
    expect(keys.map((_, at) => set.matchAt(keys, at))).toEqual([0, 2, 1, 0, 1, 3, 0, 0]);
  });

  it("finds every one of the gazetteer's role, speech, place and connector phrases", () => {
    // The lists as written in config/gazetteer; the shipped lexicon holds their keys.
    const lists = gazetteerWords();
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
        for (const phrase of perLang(lists[name], lang)) {
          checked++;
          // The phrase's keys as running text reads them: an elided particle is one key.
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

describe("the lexicon's word sets", () => {
  it("hold the gazetteer's words and the stop words as the engine folds them", () => {
    const lists = gazetteerWords();
    // Any other language reads every language's words.
    for (const lang of [...LANGS, 'xx']) {
      const words = defaultLexicon().words(lang);
      const folded = (name: string) => new Set(perLang(lists[name], lang).map(fold));
      for (const name of [
        'nameParticles',
        'placeHeadsLeading',
        'placeHeadsTrailing',
        'postNominals',
        'portfolios',
        'notNames',
        'timeWords',
        'eventHeads',
        'commonAcronyms',
        'placeQualifiers',
        'givenNames',
      ] as const)
        expect(words[name], `${lang} ${name}`).toEqual(folded(name));
      expect(words.stopwords).toEqual(new Set(perLang(stopwords, lang).map(fold)));
      // Honorifics without their period; English company words in every language.
      expect(words.honorifics).toEqual(
        new Set(perLang(lists.honorifics, lang).map((h) => fold(h).replace(/\.$/, ''))),
      );
      expect(words.organizationHeads).toEqual(
        new Set(
          [
            ...perLang(lists.organizationHeads, lang),
            ...perLang(lists.organizationHeads, 'en'),
          ].map(fold),
        ),
      );
      // German compounds in every language.
      expect(words.roleSuffixes).toEqual(perLang(lists.roleSuffixes, 'xx').map(fold));
      expect(words.organizationSuffixes).toEqual(
        perLang(lists.organizationSuffixes, 'xx').map(fold),
      );
      const heads = lists.lowercaseHeads as Record<string, string[]>;
      expect(words.lowercaseOrganizationHeads).toEqual(new Set(heads.organization?.map(fold)));
      expect(words.lowercasePlaceHeads).toEqual(new Set(heads.place?.map(fold)));
    }
  });
});

type Lists = Record<string, string[] | Record<string, string[]>>;

function gazetteerWords(): Lists {
  const url = new URL('../../../config/gazetteer/words.yaml', import.meta.url);
  return parse(readFileSync(url, 'utf8')) as Lists;
}

const stopwords = createRequire(import.meta.url)('stopwords-iso') as Record<string, string[]>;

/** A language's list: its own, or every language's for a language the lexicon does not know. */
function perLang(lists: Lists[string] | undefined, lang: string): string[] {
  if (Array.isArray(lists)) return lists;
  if (!(LANGS as readonly string[]).includes(lang)) return LANGS.flatMap((l) => lists?.[l] ?? []);
  return lists?.[lang] ?? [];
}
