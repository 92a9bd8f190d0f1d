/**
 * The shipped lexicon (src/core/lexicon/data.generated.json, made by `npm run build`) and the
 * engine agree on ids: the build makes an id from a name with the engine's own slug, so a
 * place the lexicon knows and a name it does not get ids of one form ("Gießen" → giessen).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tagText } from '../../../src/core/brief.js';
import { slug } from '../../../src/core/text/fold.js';
import { shippedEntities } from './shipped.js';

const entities = shippedEntities();

/** Ids written by hand in config/gazetteer (people, organisations, places): chosen, not made. */
function handWrittenIds(): Set<string> {
  const ids = new Set<string>();
  for (const name of ['people', 'organizations', 'places']) {
    const url = new URL(`../../../config/gazetteer/${name}.yaml`, import.meta.url);
    for (const entry of parse(readFileSync(url, 'utf8')) as { id: string }[]) ids.add(entry.id);
  }
  return ids;
}

describe('the shipped lexicon', () => {
  it('makes every id it derives from a name with the engine’s slug of that name', () => {
    const chosen = handWrittenIds();
    const derived = entities.filter((entity) => !chosen.has(entity.id));
    expect(derived.length).toBeGreaterThan(1000);
    const wrong = derived.filter((entity) => entity.id !== slug(entity.en));
    expect(wrong.map((entity) => `${entity.id} ← ${entity.en}`)).toEqual([]);
  });

  it('writes every id, chosen or made, as a slug', () => {
    const wrong = entities.filter((entity) => entity.id !== slug(entity.id));
    expect(wrong.map((entity) => entity.id)).toEqual([]);
  });

  it('tags a place with ß by the id any name with ß gets (Gießen → giessen)', () => {
    const [place] = tagText('Die Polizei in Gießen meldete am Montag einen Unfall.', 'de');
    expect(place).toMatchObject({ text: 'Gießen', kind: 'place', id: 'giessen' });
    expect(slug('Gießen')).toBe('giessen');
  });
});
