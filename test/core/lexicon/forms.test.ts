/**
 * The shipped lexicon's forms are tokenised when it is built (scripts/build-lexicon.mjs), so
 * start-up tokenises nothing. What the engine loads must be what its own tokenizer makes of
 * each form's text today: the same folded keys, the same exact tokens for forms in capitals,
 * and the same capital, or a brief would match names differently from the words it reads.
 */
import { describe, expect, it } from 'vitest';
import data from '../../../src/core/lexicon/data.generated.json' with { type: 'json' };
import { defaultLexicon, type LexForm, records } from '../../../src/core/lexicon/index.js';
import { isAllCaps } from '../../../src/core/text/fold.js';
import { tokenize } from '../../../src/core/text/tokens.js';
import { shippedEntities, shippedForms } from './shipped.js';

const forms = shippedForms();

describe('the shipped lexicon’s forms', () => {
  it('hold the tokens the engine’s tokenizer makes of their text', () => {
    const wrong: string[] = [];
    for (const { text, keys, capitalised, exact } of forms) {
      const tokens = tokenize(text);
      const expected = [
        tokens.map((t) => t.key).join(' '),
        /^\p{Lu}/u.test(text),
        isAllCaps(text.replace(/[^\p{L}\p{N}]/gu, '')) ? tokens.map((t) => t.text).join(' ') : null,
      ];
      if (JSON.stringify([keys, capitalised, exact]) !== JSON.stringify(expected)) wrong.push(text);
    }
    expect(forms.length).toBeGreaterThan(10_000);
    expect(wrong).toEqual([]);
  });

  it('are indexed by their first key, longest first, as the matcher reads them', () => {
    const lexicon = defaultLexicon();
    const nato = lexicon.formsByFirst.get('nato') as readonly LexForm[];
    expect(nato.some((f) => f.entity.id === 'nato' && f.exact?.join(' ') === 'NATO')).toBe(true);
    const us = lexicon.formsByFirst.get('u.s.') as readonly LexForm[];
    expect(us.map((f) => f.keys.length)).toEqual(
      [...us.map((f) => f.keys.length)].sort((a, b) => b - a),
    );
    // "U.S." is one token, as annotated text writes it.
    expect(us.some((f) => f.keys.join(' ') === 'u.s.')).toBe(true);
    // Only forms a lower-case word may start are in the uncased index ("mer Rouge", "russo").
    for (const list of lexicon.uncasedFormsByFirst.values())
      for (const f of list) expect(f.capitalised || f.exact !== null).toBe(false);
    expect(lexicon.entities.get('nato')?.kind).toBe('organization');
  });

  it('are read from the data as the build wrote them, each with its entity, once', () => {
    const lexicon = defaultLexicon();
    const entities = shippedEntities();
    const read = [...lexicon.formsByFirst].flatMap(([first, list]) =>
      list.map((f) => {
        expect(f.keys[0]).toBe(first);
        return [f.entity.id, f.type, f.keys.join(' '), f.capitalised, f.exact?.join(' ') ?? null];
      }),
    );
    const written = forms.map((f) => [
      entities[f.entity]?.id,
      f.type,
      f.keys,
      f.capitalised,
      f.exact,
    ]);
    expect(read).toEqual(written);
    // One object per entity, whichever form or search reaches it.
    const putin = lexicon.entities.get('vladimir-putin');
    expect(putin).toEqual({
      id: 'vladimir-putin',
      kind: 'person',
      names: { en: 'Vladimir Putin' },
    });
    for (const f of lexicon.formsByFirst.get('putin') ?? []) expect(f.entity).toBe(putin);
    expect(lexicon.entities.size).toBe(new Set(entities.map((e) => e.id)).size);
  });

  it('a lower-case word may start are the uncased index, the same objects in the same order', () => {
    const lexicon = defaultLexicon();
    const expected = [...lexicon.formsByFirst]
      .map(
        ([first, list]) => [first, list.filter((f) => !f.capitalised && f.exact === null)] as const,
      )
      .filter(([, list]) => list.length > 0);
    expect([...lexicon.uncasedFormsByFirst]).toEqual(expected);
    for (const [first, list] of lexicon.uncasedFormsByFirst)
      for (const f of list) expect(lexicon.formsByFirst.get(first)).toContain(f);
    expect(lexicon.uncasedFormsByFirst.get('russo')?.some((f) => f.entity.id === 'russia')).toBe(
      true,
    );
    expect(lexicon.uncasedFormsByFirst.has('putin')).toBe(false);
  });
});

describe('the shipped lexicon’s strings', () => {
  // V8 makes every part split from a two-byte string two-byte: one "ł" in a long string
  // would double the memory of every key, id and name split from it.
  it('keep each record with a character past U+00FF in a chunk of its own', () => {
    const shipped = data as unknown as {
      entities: string[];
      firsts: string[];
      forms: string[];
      words: Record<string, Record<string, string[]>>;
    };
    const lists: [string[], string][] = [
      [shipped.entities, ';'],
      [shipped.firsts, ' '],
      [shipped.forms, '#'],
      ...Object.values(shipped.words).flatMap((lists) =>
        Object.values(lists).map((list): [string[], string] => [list, ';']),
      ),
    ];
    const wide = /[\u0100-\uffff]/;
    for (const [chunks, separator] of lists)
      for (const chunk of chunks) if (wide.test(chunk)) expect(chunk).not.toContain(separator);
    expect(records(shipped.firsts, ' ')).toContain('łodz');
    expect(records(['a;b', 'ł', 'c'], ';')).toEqual(['a', 'b', 'ł', 'c']);
    expect(records([], ';')).toEqual([]);
  });
});
