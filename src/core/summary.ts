import type { Sentence } from './text/sentences.js';
import type { Token } from './text/tokens.js';

/** What the summariser needs to know about one sentence. */
export interface SentenceFacts {
  sentence: Sentence;
  /** Content-word stems. */
  terms: Set<string>;
  /** Ids of the actors the sentence names, with their salience. */
  actors: Map<string, number>;
  words: number;
}

const MIN_WORDS = 6;
const MAX_WORDS = 70;
const MAX_SENTENCES = 3;

/** A crude stem: enough to see "ratificare" and "ratificato" as one term. */
export function stem(key: string): string {
  return key.length > 6 ? key.slice(0, 6) : key;
}

export function contentTerms(
  tokens: readonly Token[],
  stopwords: ReadonlySet<string>,
): Set<string> {
  const terms = new Set<string>();
  for (const t of tokens)
    if (t.word && t.key.length > 2 && !stopwords.has(t.key) && !/^\d/.test(t.key))
      terms.add(stem(t.key));
  return terms;
}

/**
 * Picks 1–3 sentences, verbatim and in article order, that together cover the headline's
 * terms and the most salient actors. Each pick is scored only on what the earlier picks
 * left uncovered, so a story with two parallel events gets a sentence for each.
 */
export function summarise(
  facts: readonly SentenceFacts[],
  titleTerms: ReadonlySet<string>,
): Sentence[] {
  const candidates = facts
    .map((f, index) => ({ f, index }))
    .filter(({ f }) => f.words >= MIN_WORDS && f.words <= MAX_WORDS);
  const pool = candidates.length > 0 ? candidates : facts.map((f, index) => ({ f, index }));
  const coveredTerms = new Set<string>();
  const coveredActors = new Set<string>();
  const chosen: typeof pool = [];
  let firstGain = 0;
  while (chosen.length < MAX_SENTENCES) {
    let best: (typeof pool)[number] | undefined;
    let bestGain = 0;
    for (const c of pool) {
      if (chosen.includes(c)) continue;
      if (chosen.some((o) => overlap(o.f.terms, c.f.terms) > 0.5)) continue;
      const gain = score(c.f, c.index, titleTerms, coveredTerms, coveredActors);
      if (gain > bestGain) {
        best = c;
        bestGain = gain;
      }
    }
    // A story of four sentences or more gets at least two: its lead rarely tells all of it.
    const wanted = chosen.length < 2 && pool.length >= 4 ? 0.15 : 0.45;
    if (!best || (chosen.length > 0 && bestGain < firstGain * wanted)) break;
    if (chosen.length === 0) firstGain = bestGain;
    chosen.push(best);
    for (const t of best.f.terms) coveredTerms.add(t);
    for (const a of best.f.actors.keys()) coveredActors.add(a);
  }
  return chosen.sort((a, b) => a.index - b.index).map((c) => c.f.sentence);
}

function score(
  f: SentenceFacts,
  index: number,
  titleTerms: ReadonlySet<string>,
  coveredTerms: ReadonlySet<string>,
  coveredActors: ReadonlySet<string>,
): number {
  let title = 0;
  for (const t of f.terms) if (titleTerms.has(t) && !coveredTerms.has(t)) title++;
  let actors = 0;
  for (const [id, salience] of f.actors) if (!coveredActors.has(id)) actors += salience;
  // News is written lead first: the opening sentence usually says who did what, where.
  const lead = 1 / (1 + 0.25 * index) + (index === 0 ? 0.75 : 0);
  return (title / Math.max(3, titleTerms.size)) * 2 + Math.min(actors, 2.5) * 0.6 + lead * 0.8;
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / Math.max(1, Math.min(a.size, b.size));
}
