import { ENTITY_TYPES, type EntityType, spansOf } from './labels.js';

/** Counts for precision and recall of exact spans (same tokens, same type). */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Scores extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

export function score(c: Counts): Scores {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

/** conlleval-style tallies: overall, per type, and per any grouping the caller names. */
export class Tally {
  readonly overall: Counts = { tp: 0, fp: 0, fn: 0 };
  readonly byType = new Map<EntityType, Counts>(
    ENTITY_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]),
  );
  readonly byGroup = new Map<string, Counts>();

  /** Adds one sentence's gold and predicted labels. */
  add(gold: ArrayLike<number>, predicted: ArrayLike<number>, group?: string): void {
    const g = spansOf(gold);
    const p = spansOf(predicted);
    const key = (s: { first: number; last: number; type: string }) =>
      `${s.first}:${s.last}:${s.type}`;
    const goldKeys = new Set(g.map(key));
    const groupCounts = group === undefined ? undefined : this.#group(group);
    const bump = (field: keyof Counts, type: EntityType) => {
      this.overall[field]++;
      (this.byType.get(type) as Counts)[field]++;
      if (groupCounts) groupCounts[field]++;
    };
    const predictedKeys = new Set<string>();
    for (const s of p) {
      predictedKeys.add(key(s));
      bump(goldKeys.has(key(s)) ? 'tp' : 'fp', s.type);
    }
    for (const s of g) if (!predictedKeys.has(key(s))) bump('fn', s.type);
  }

  #group(name: string): Counts {
    let c = this.byGroup.get(name);
    if (!c) {
      c = { tp: 0, fp: 0, fn: 0 };
      this.byGroup.set(name, c);
    }
    return c;
  }
}
