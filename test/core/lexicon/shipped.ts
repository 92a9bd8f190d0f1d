/**
 * The shipped lexicon's forms as written, read back from src/core/lexicon/data.generated.json
 * by its documented layout (src/core/lexicon/index.ts, LexiconData), for the tests that check
 * each form against the engine: its text, entity index and type, and what the build made of it.
 */
import data from '../../../src/core/lexicon/data.generated.json' with { type: 'json' };
import { records } from '../../../src/core/lexicon/index.js';

const shipped = data as unknown as { entities: string[]; forms: string[] };

export interface ShippedForm {
  text: string;
  entity: number;
  type: string;
  /** Folded keys joined by spaces. */
  keys: string;
  capitalised: boolean;
  /** Tokens as written joined by spaces, for a form that matches only exactly; else null. */
  exact: string | null;
}

export function shippedForms(): ShippedForm[] {
  const forms: ShippedForm[] = [];
  for (const group of records(shipped.forms, '#'))
    for (const line of group.split(';')) {
      const [entity, type, keys, capitalised, exact, text] = line.split('|') as string[];
      forms.push({
        text: text as string,
        entity: Number(entity),
        type: type as string,
        keys: keys as string,
        capitalised: capitalised === '1',
        exact: exact === '' ? null : (exact as string),
      });
    }
  return forms;
}

/** The shipped entities' ids and English names, in the lexicon's order. */
export function shippedEntities(): { id: string; kind: string; en: string }[] {
  return records(shipped.entities, ';').map((line) => {
    const [id, kind, ...names] = line.split('|') as string[];
    return { id: id as string, kind: kind as string, en: names[names.indexOf('en') + 1] as string };
  });
}
