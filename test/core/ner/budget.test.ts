import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultLexicon } from '../../../src/core/lexicon/index.js';
import { learnCasing } from '../../../src/core/ner/casing.js';
import { parseConll } from '../../../src/core/ner/conll.js';
import {
  FeatureExtractor,
  MAX_FEATURES,
  type OptionalFeature,
} from '../../../src/core/ner/features.js';
import { bucketsOf, encodeModel } from '../../../src/core/ner/model.js';
import { trainTagger } from '../../../src/core/ner/train.js';

// A model with a feature budget: fewer context features for the tagger to look up per
// token (the budget switches), and no weights for rare ones (minCount).

const fixture = new URL('../../fixtures/ner/tiny.conll', import.meta.url);
const docs = parseConll(readFileSync(fixture, 'utf8'), 'tiny.conll');
const BITS = 16;
const tables = { casing: learnCasing(docs), clusters: new Map<number, number>() };

function train(minCount?: number) {
  return trainTagger(docs, {
    lang: 'en',
    lexicon: defaultLexicon(),
    tables,
    bits: BITS,
    epochs: 8,
    seed: 1,
    prune: 0.01,
    rate: () => 1,
    ...(minCount !== undefined && { minCount }),
    meta: { sources: ['tiny-news', 'tiny-tweets'], permissive: true },
  });
}

/**
 * Per token of the slice: its context features (sentence(), contextOnly), as buckets; or
 * with `all`, its word features too.
 */
function contextFeatures(features: OptionalFeature[] = [], all = false): number[][] {
  const extractor = new FeatureExtractor({
    lang: 'en',
    lexicon: defaultLexicon(),
    tables,
    features,
  });
  const perToken: number[][] = [];
  for (const doc of docs) {
    const infos = doc.sentences.map((s) => extractor.infos(s.tokens));
    const facts = extractor.docFacts(infos);
    doc.sentences.forEach((s, i) => {
      const n = s.tokens.length;
      const out = new Int32Array(n * MAX_FEATURES);
      const counts = new Int32Array(n);
      extractor.sentence(s.tokens, infos[i] ?? [], facts, out, counts, !all);
      for (let t = 0; t < n; t++)
        perToken.push(
          Array.from(
            out.subarray(t * MAX_FEATURES, t * MAX_FEATURES + (counts[t] as number)),
            (f) => f & (2 ** BITS - 1),
          ),
        );
    });
  }
  return perToken;
}

describe('a model trained with a minimum count for context features', () => {
  it('gives no weight to a context feature seen at only one training token', () => {
    const seen = new Map<number, number>();
    for (const token of contextFeatures())
      for (const bucket of token) seen.set(bucket, (seen.get(bucket) ?? 0) + 1);
    // (A bucket a word feature hashes to as well keeps that feature's weight.)
    // sentence() writes a token's word features before its context ones.
    const ctx = contextFeatures();
    const words = new Set(
      contextFeatures([], true).flatMap((all, t) =>
        all.slice(0, all.length - (ctx[t] as number[]).length),
      ),
    );
    const once = [...seen]
      .filter(([bucket, n]) => n === 1 && !words.has(bucket))
      .map(([bucket]) => bucket);
    const full = new Set(bucketsOf(train().weights));
    const cut = new Set(bucketsOf(train(2).weights));
    // Without the cut, features seen once carry weight; with it, none does.
    expect(once.filter((b) => full.has(b)).length).toBeGreaterThan(20);
    expect(once.filter((b) => cut.has(b))).toEqual([]);
    expect(cut.size).toBeLessThan(full.size);
  });

  it('is the model it was without the option when the minimum is 0 or 1', () => {
    const plain = encodeModel(train());
    expect(Buffer.from(encodeModel(train(0))).equals(plain)).toBe(true);
    expect(Buffer.from(encodeModel(train(1))).equals(plain)).toBe(true);
    expect(Buffer.from(encodeModel(train(2))).equals(encodeModel(train(2)))).toBe(true);
  });
});

describe('the budget switches of the feature templates', () => {
  const capitalised = docs.flatMap((d) =>
    d.sentences.flatMap((s) => s.tokens.map((t) => /^\p{Lu}/u.test(t))),
  );

  it('doc-joined looks up one document-context feature of a capitalised word, not four', () => {
    const before = contextFeatures();
    const after = contextFeatures(['doc-joined']);
    before.forEach((features, t) => {
      expect(features.length - (after[t] as number[]).length).toBe(capitalised[t] ? 3 : 0);
    });
  });

  it('chunk-joined looks up one feature for the name chunk’s shape and cues, not two', () => {
    const before = contextFeatures(['doc-joined']);
    const after = contextFeatures(['doc-joined', 'chunk-joined']);
    const fewer = before.map((features, t) => features.length - (after[t] as number[]).length);
    // "Marta Quillon", "Brightwater Holdings": every token in a name chunk drops one.
    expect(new Set(fewer)).toEqual(new Set([0, 1]));
    expect(fewer.slice(0, 2)).toEqual([1, 1]);
  });
});
