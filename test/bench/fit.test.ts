import { describe, expect, it } from 'vitest';
import { checkExtra, type Example, extraFeatures, ranking } from '../../bench/summary/fit.js';
import { FEATURES } from '../../src/core/summary.js';
import type { TermId } from '../../src/core/summary-terms.js';

/** An article of three units whose features are all 0 but `length` and `centrality`. */
function article(lengths: number[], headline: boolean): Example {
  const length = FEATURES.indexOf('length');
  const centrality = FEATURES.indexOf('centrality');
  return {
    features: lengths.map((l, i) =>
      FEATURES.map((_, k) => (k === length ? l : k === centrality ? i : 0)),
    ),
    // One term, its id numbered by the article's vocabulary.
    headline: { terms: headline ? [0 as TermId] : [], actors: new Set() },
    extraCache: new Map(),
  } as unknown as Example;
}

describe('features tried beside the shipped ones (--extra)', () => {
  it('ranks and standardises a feature within its article', () => {
    const rows = extraFeatures(article([0.2, 0.8, 0.2], true), ['r:length', 'z:centrality']);
    const d = FEATURES.length;
    // The longest unit ranks 1; the two short ones tie halfway below it.
    expect(rows.map((x) => x[d])).toEqual([0.25, 1, 0.25]);
    const z = rows.map((x) => x[d + 1] as number);
    expect(z[1]).toBeCloseTo(0, 10);
    expect(z[2]).toBeCloseTo(-(z[0] as number), 10);
    expect((z[0] as number) ** 2 + (z[2] as number) ** 2).toBeCloseTo(3, 10);
  });

  it('splits a feature between articles with a real headline and those without', () => {
    const d = FEATURES.length;
    const specs = ['h:length', 'n:length', 'hasHeadline'];
    const withHeadline = extraFeatures(article([0.5, 0.3, 0.1], true), specs);
    const without = extraFeatures(article([0.5, 0.3, 0.1], false), specs);
    expect(withHeadline[0]?.slice(d)).toEqual([0.5, 0, 1]);
    expect(without[0]?.slice(d)).toEqual([0, 0.5, 0]);
  });

  it('names what it accepts when a spec is wrong', () => {
    expect(() => checkExtra('x:length')).toThrow(/h\|n\|z\|r:FEATURE/);
    expect(() => checkExtra('r:lenght')).toThrow(/features: bias, first/);
    expect(() => checkExtra('hasHeadline')).not.toThrow();
  });
});

describe('the pairwise ranking fit (--fitter pairs)', () => {
  it('learns which feature puts a unit above the others of its article', () => {
    // Two articles; the label follows the second feature and ignores the third.
    const xs = [
      [1, 0.1, 0.9],
      [1, 0.5, 0.1],
      [1, 0.9, 0.5],
      [1, 0.3, 0.3],
      [1, 0.7, 0.8],
      [1, 0.2, 0.0],
    ];
    const ys = xs.map((x) => x[1] as number);
    const w = ranking(xs, ys, [0, 0, 0, 1, 1, 1], 0.1);
    expect(w[1]).toBeGreaterThan(1);
    expect(Math.abs(w[2] as number)).toBeLessThan((w[1] as number) / 4);
  });
});
