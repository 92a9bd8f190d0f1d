/**
 * The shipped lexicon's forms are tokenised when it is built (scripts/build-lexicon.mjs), so
 * start-up tokenises nothing. What the engine loads must be what its own tokenizer makes of
 * each form's text today: the same folded keys, the same exact tokens for forms in capitals,
 * and the same capital, or a brief would match names differently from the words it reads.
 */
import { describe, expect, it } from 'vitest';
import data from '../../../src/core/lexicon/data.generated.json' with { type: 'json' };
import { defaultLexicon, type LexForm } from '../../../src/core/lexicon/index.js';
import { isAllCaps } from '../../../src/core/text/fold.js';
import { tokenize } from '../../../src/core/text/tokens.js';

const forms = (data as unknown as { forms: unknown[][] }).forms;

describe('the shipped lexicon’s forms', () => {
  it('hold the tokens the engine’s tokenizer makes of their text', () => {
    const wrong: string[] = [];
    for (const [text, , , keys, capitalised, exact] of forms as [
      string,
      number,
      string,
      string,
      number,
      string | null,
    ][]) {
      const tokens = tokenize(text);
      const expected = [
        tokens.map((t) => t.key).join(' '),
        /^\p{Lu}/u.test(text) ? 1 : 0,
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
});
