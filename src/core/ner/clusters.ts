import { fold } from '../text/fold.js';
import type { AnnotatedDocument } from './conll.js';
import { hashString, prng } from './hash.js';

export interface ClusterOptions {
  /** Words seen fewer times get no cluster. */
  minCount: number;
  /** Fine clusters; each also belongs to one of `coarse` groups of fine clusters. */
  clusters: number;
  coarse: number;
  /** Dimensions of the random projection the words are clustered in. */
  dims: number;
  iterations: number;
  seed: number;
}

export const CLUSTER_DEFAULTS: ClusterOptions = {
  minCount: 4,
  clusters: 256,
  coarse: 32,
  dims: 64,
  iterations: 8,
  seed: 7,
};

/**
 * Distributional word clusters from running text: each word is described by the words
 * around it (positive PMI of its left and right neighbours among the most frequent
 * words), projected to a few random dimensions and grouped by spherical k-means; the
 * fine clusters are grouped again into coarse ones. Words that are used alike ("Paris",
 * "Berlin"; "said", "told") share a cluster, which lets what the tagger learned for one
 * carry to the others. Returns hash of the folded word → coarse × clusters + fine + 1.
 */
export function learnClusters(
  docs: readonly AnnotatedDocument[],
  options: ClusterOptions = CLUSTER_DEFAULTS,
): Map<number, number> {
  const counts = new Map<string, number>();
  const sentences: string[][] = [];
  for (const doc of docs)
    for (const s of doc.sentences) {
      const keys = s.tokens.map((t) => fold(t));
      sentences.push(keys);
      for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  const vocabulary = [...counts]
    .filter(([, c]) => c >= options.minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([w]) => w);
  if (vocabulary.length < options.clusters) return new Map();
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  // Context words: the most frequent ones, on each side.
  const contexts = Math.min(1000, vocabulary.length);
  const V = vocabulary.length;
  const C = contexts * 2;
  const cooc = new Map<number, number>();
  const contextTotals = new Float64Array(C);
  const wordTotals = new Float64Array(V);
  let total = 0;
  for (const keys of sentences) {
    for (let i = 0; i < keys.length; i++) {
      const w = index.get(keys[i] as string);
      if (w === undefined) continue;
      const left = i > 0 ? index.get(keys[i - 1] as string) : undefined;
      const right = i + 1 < keys.length ? index.get(keys[i + 1] as string) : undefined;
      for (const c of [
        left !== undefined && left < contexts ? left : -1,
        right !== undefined && right < contexts ? contexts + right : -1,
      ]) {
        if (c < 0) continue;
        const key = w * C + c;
        cooc.set(key, (cooc.get(key) ?? 0) + 1);
        contextTotals[c] = (contextTotals[c] as number) + 1;
        wordTotals[w] = (wordTotals[w] as number) + 1;
        total++;
      }
    }
  }
  // Random projection of the PPMI vectors: a seeded ±1 matrix, C × dims.
  const D = options.dims;
  const random = prng(options.seed);
  const projection = new Float32Array(C * D);
  for (let k = 0; k < projection.length; k++) projection[k] = random() < 0.5 ? -1 : 1;
  const vectors = new Float32Array(V * D);
  for (const [key, n] of cooc) {
    const w = Math.floor(key / C);
    const c = key - w * C;
    const pmi = Math.log((n * total) / ((wordTotals[w] as number) * (contextTotals[c] as number)));
    if (pmi <= 0) continue;
    for (let d = 0; d < D; d++)
      vectors[w * D + d] = (vectors[w * D + d] as number) + pmi * (projection[c * D + d] as number);
  }
  normalise(vectors, V, D);
  const fine = kmeans(vectors, V, D, options.clusters, options.iterations, random);
  const coarse = kmeans(
    fine.centroids,
    options.clusters,
    D,
    options.coarse,
    options.iterations,
    random,
  );
  const table = new Map<number, number>();
  for (let w = 0; w < V; w++) {
    const f = fine.assignment[w] as number;
    table.set(
      hashString(vocabulary[w] as string),
      (coarse.assignment[f] as number) * options.clusters + f + 1,
    );
  }
  return table;
}

function normalise(vectors: Float32Array, n: number, dims: number): void {
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += (vectors[i * dims + d] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dims; d++) vectors[i * dims + d] = (vectors[i * dims + d] as number) / norm;
  }
}

/** Spherical k-means, seeded from evenly spaced points of the (frequency-ordered) input. */
function kmeans(
  vectors: Float32Array,
  n: number,
  dims: number,
  k: number,
  iterations: number,
  random: () => number,
): { assignment: Int32Array; centroids: Float32Array } {
  const centroids = new Float32Array(k * dims);
  for (let c = 0; c < k; c++) {
    const i = Math.min(n - 1, Math.floor(((c + random()) * n) / k));
    centroids.set(vectors.subarray(i * dims, (i + 1) * dims), c * dims);
  }
  const assignment = new Int32Array(n);
  for (let iteration = 0; iteration < iterations; iteration++) {
    for (let i = 0; i < n; i++) {
      let best = -Infinity;
      let arg = 0;
      for (let c = 0; c < k; c++) {
        let dot = 0;
        for (let d = 0; d < dims; d++)
          dot += (vectors[i * dims + d] as number) * (centroids[c * dims + d] as number);
        if (dot > best) {
          best = dot;
          arg = c;
        }
      }
      assignment[i] = arg;
    }
    centroids.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignment[i] as number;
      for (let d = 0; d < dims; d++)
        centroids[c * dims + d] =
          (centroids[c * dims + d] as number) + (vectors[i * dims + d] as number);
    }
    normalise(centroids, k, dims);
  }
  return { assignment, centroids };
}
