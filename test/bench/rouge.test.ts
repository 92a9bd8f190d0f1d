import { describe, expect, it } from 'vitest';
import { lcsLength, rouge, rougeTokens } from '../../bench/summary/rouge.js';

describe('ROUGE as rouge-score computes it', () => {
  it("gives rouge-score's README figures for its own example", () => {
    // rouge_scorer.RougeScorer(['rouge1', 'rougeL']).score(
    //   'The quick brown fox jumps over the lazy dog', 'The quick brown dog jumps on the log.')
    const s = rouge(
      'The quick brown fox jumps over the lazy dog',
      'The quick brown dog jumps on the log.',
    );
    expect(s.rouge1.precision).toBeCloseTo(0.75, 10);
    expect(s.rouge1.recall).toBeCloseTo(0.6666666666666666, 10);
    expect(s.rouge1.f1).toBeCloseTo(0.7058823529411765, 10);
    // LCS "the quick brown jumps the": 5 of 8 predicted, 5 of 9 reference tokens.
    expect(s.rougeL.precision).toBeCloseTo(0.625, 10);
    expect(s.rougeL.recall).toBeCloseTo(0.5555555555555556, 10);
    expect(s.rougeL.f1).toBeCloseTo(0.5882352941176471, 10);
    // Bigrams: 2 shared ("the quick", "quick brown") of 7 predicted and 8 in the reference.
    expect(s.rouge2.precision).toBeCloseTo(2 / 7, 10);
    expect(s.rouge2.recall).toBeCloseTo(2 / 8, 10);
  });

  it('clips repeated n-grams to the count the reference has', () => {
    expect(rouge('the cat', 'the the the').rouge1.precision).toBeCloseTo(1 / 3, 10);
  });

  it('reads every script: accents and non-Latin letters are word characters', () => {
    expect(rougeTokens("L'été à Zürich — 3,5 %")).toEqual(['l', 'été', 'à', 'zürich', '3', '5']);
    expect(rouge('Москва заявила', 'Москва').rouge1.recall).toBe(0.5);
  });

  it('measures the longest common subsequence, not a substring', () => {
    expect(lcsLength(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd'])).toBe(3);
    expect(rouge('', 'anything').rouge2.f1).toBe(0);
  });
});
