/**
 * The catalogue of texts (src/core/i18n/<language>.json) as a translator edits it: every
 * language has every key of English, or says which language stands in for the ones it
 * lacks; no file has a key English lacks (a typo would never be shown); every translation
 * keeps the English text's placeholders.
 */
import { describe, expect, it } from 'vitest';
import {
  CATALOGUE,
  CATALOGUE_LANGUAGES,
  fallbackOf,
  sourceOf,
  text,
} from '../../../src/core/i18n/catalogue.js';

const keys = (language: (typeof CATALOGUE_LANGUAGES)[number]) =>
  Object.keys(CATALOGUE[language]).filter((key) => !key.startsWith('@'));
const placeholders = (template: string) =>
  [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** `briefs.one` and `briefs.few` are one text (`briefs`) in the plural forms of a language. */
const base = (key: string) => key.replace(/\.(zero|one|two|few|many|other)$/, '');

describe('the catalogue', () => {
  it('has every English key in every language, unless the language names its fallback', () => {
    const english = new Set(keys('en').map(base));
    for (const language of CATALOGUE_LANGUAGES) {
      const own = new Set(keys(language).map(base));
      const missing = [...english].filter((key) => !own.has(key));
      if (fallbackOf(language) === null) expect(missing, language).toEqual([]);
      const unknown = [...own].filter((key) => !english.has(key));
      expect(unknown, language).toEqual([]);
    }
  });

  it('keeps the English placeholders in every translation, and an `other` form of every plural', () => {
    for (const language of CATALOGUE_LANGUAGES) {
      const file = CATALOGUE[language];
      for (const key of keys(language)) {
        const english = CATALOGUE.en[key] ?? CATALOGUE.en[`${base(key)}.other`];
        expect(placeholders(file[key] ?? ''), `${language} ${key}`).toEqual(
          placeholders(english ?? ''),
        );
        if (base(key) !== key)
          expect(file[`${base(key)}.other`], `${language} ${key}`).toBeDefined();
      }
    }
  });

  it('has all five languages complete: no reply, notice or label falls back to English', () => {
    for (const language of CATALOGUE_LANGUAGES) expect(fallbackOf(language), language).toBeNull();
    for (const language of ['it', 'fr', 'de', 'es'] as const) {
      expect(sourceOf(language, 'notice.feedQuietOver')).toBe(language);
      expect(sourceOf(language, 'reply.unknownCommandSuggest')).toBe(language);
    }
    expect(text('fr', 'digest.heading', { date: '6 déc. 2026', briefs: '3 brèves' })).toBe(
      'Résumé — 6 déc. 2026 (3 brèves)',
    );
    expect(text('de', 'notice.feedQuietOver', { feed: 'Wire', age: '9 T.' })).toBe(
      'Der Feed Wire veröffentlicht wieder, nach 9 T. ohne neue Meldungen.',
    );
  });

  it('chooses the plural form by the language’s own rules', () => {
    expect(text('en', 'briefs', { count: 0 })).toBe('0 briefs');
    expect(text('fr', 'briefs', { count: 0 })).toBe('0 brève');
    expect(text('it', 'briefs', { count: 1 })).toBe('1 notizia');
    expect(text('de', 'briefs', { count: 2 })).toBe('2 Meldungen');
  });
});
