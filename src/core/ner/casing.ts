import { fold } from '../text/fold.js';
import type { AnnotatedDocument } from './conll.js';
import { hashString } from './hash.js';

/**
 * How often each word is written in lower case, learned from running text: for a word
 * seen at least twice away from a sentence start, a code of its lower-case share (7
 * bands) × its frequency (3 bands). Keyed by the hash of the folded form.
 */
export function learnCasing(docs: readonly AnnotatedDocument[]): Map<number, number> {
  const lower = new Map<string, number>();
  const upper = new Map<string, number>();
  for (const doc of docs)
    for (const { tokens } of doc.sentences) {
      let first = true;
      for (const token of tokens) {
        const c = token[0] ?? '';
        const isLower = c !== c.toUpperCase();
        const isUpper = c !== c.toLowerCase();
        if (!isLower && !isUpper) continue;
        const initial = first;
        first = false;
        if (initial || (token.length > 1 && token === token.toUpperCase())) continue;
        const key = fold(token);
        const counts = isLower ? lower : upper;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  const table = new Map<number, number>();
  for (const key of new Set([...lower.keys(), ...upper.keys()])) {
    const lc = lower.get(key) ?? 0;
    const total = lc + (upper.get(key) ?? 0);
    if (total < 2) continue;
    table.set(hashString(key), casingCode(lc, total));
  }
  return table;
}

export function casingCode(lowerCount: number, total: number): number {
  const ratio = lowerCount / total;
  const band =
    lowerCount === 0
      ? 0
      : ratio < 0.1
        ? 1
        : ratio < 0.4
          ? 2
          : ratio < 0.7
            ? 3
            : ratio < 0.95
              ? 4
              : ratio < 1
                ? 5
                : 6;
  const frequency = total < 5 ? 0 : total < 50 ? 1 : 2;
  return 1 + band * 3 + frequency;
}

/** Whether a casing code says the word is written in lower case 70 % of the time or more. */
export function mostlyLowerCase(code: number): boolean {
  return code > 0 && Math.floor((code - 1) / 3) >= 4;
}
