/**
 * ROUGE-N and ROUGE-L F1, as Google's rouge-score computes them (the Python package the
 * summarisation literature reports with): lower-case, every run of characters that are not
 * letters or digits is a separator, no stemming, no stop-word removal; n-gram matches are
 * clipped to the smaller count; ROUGE-L is the longest common subsequence of the whole token
 * sequences (rouge-score's `rougeL`). The one change is Unicode: rouge-score keeps only
 * [a-z0-9], which would cut "été" into nothing; here every letter of every script counts,
 * as in the multilingual variants of XL-Sum and MLSUM.
 */
import { countWords } from './defects.js';

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

export interface RougeScores {
  rouge1: Prf;
  rouge2: Prf;
  rougeL: Prf;
}

export function rougeTokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '');
}

function prf(matches: number, predicted: number, reference: number): Prf {
  const precision = predicted > 0 ? matches / predicted : 0;
  const recall = reference > 0 ? matches / reference : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function rougeN(reference: readonly string[], predicted: readonly string[], n: number): Prf {
  const ref = ngramCounts(reference, n);
  const pred = ngramCounts(predicted, n);
  let matches = 0;
  for (const [gram, count] of pred) matches += Math.min(count, ref.get(gram) ?? 0);
  return prf(matches, Math.max(0, predicted.length - n + 1), Math.max(0, reference.length - n + 1));
}

/** Length of the longest common subsequence, in O(m·n) time and O(n) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        a[i - 1] === b[j - 1]
          ? (previous[j - 1] as number) + 1
          : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

export function rouge(reference: string, predicted: string): RougeScores {
  const ref = rougeTokens(reference);
  const pred = rougeTokens(predicted);
  return {
    rouge1: rougeN(ref, pred, 1),
    rouge2: rougeN(ref, pred, 2),
    rougeL: prf(lcsLength(ref, pred), pred.length, ref.length),
  };
}

/** Mean ROUGE F1s and length over many summaries: sums and a count. */
export interface RougeTally {
  n: number;
  r1: number;
  r2: number;
  rl: number;
  words: number;
}

export const rougeTally = (): RougeTally => ({ n: 0, r1: 0, r2: 0, rl: 0, words: 0 });

/** Adds one summary's ROUGE-1/2/L F1 against its reference, and its words, to `t`. */
export function addRouge(t: RougeTally, reference: string, text: string): void {
  const s = rouge(reference, text);
  t.n++;
  t.r1 += s.rouge1.f1;
  t.r2 += s.rouge2.f1;
  t.rl += s.rougeL.f1;
  t.words += countWords(text);
}
