/**
 * Every actor cluster has one hidden class (V8's "map"), whichever part of the engine made
 * it: the code that ranks and names actors is optimised for the clusters it meets, and a
 * cluster of another shape throws that code away ("wrong map") and has it optimised again.
 * The headline's own names were made by a literal of their own, and `actorId` added the
 * id a cluster did not have.
 */
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { prepare } from '../../../src/core/actors/document.js';
import { headlineNames } from '../../../src/core/actors/headline.js';
import { headlineRuns } from '../../../src/core/actors/model-runs.js';
import { type ActorCluster, actorId, analyse } from '../../../src/core/actors/resolve.js';
import { defaultLexicon } from '../../../src/core/lexicon/index.js';
import { shippedTaggers } from '../../../src/ner/taggers.js';
import { LATER_DIR, loadFixtures } from '../quality/score.js';

setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b);') as (
  a: unknown,
  b: unknown,
) => boolean;

describe('actor clusters', () => {
  it('have one hidden class, from the body or the headline, before and after actorId', () => {
    const lexicon = defaultLexicon();
    const taggers = shippedTaggers();
    const clusters: ActorCluster[] = [];
    let fromHeadline = 0;
    for (const f of [...loadFixtures(), ...loadFixtures(LATER_DIR)]) {
      const tagger = taggers(f.lang);
      if (!tagger) continue;
      const [title = '', ...rest] = f.text.split('\n');
      const body = analyse(rest.join('\n'), f.lang, lexicon, tagger);
      const headline = prepare(title, f.lang, lexicon);
      const ofBody = new Set(body.clusters);
      const found = headlineNames(
        headline,
        headlineRuns(headline, body.doc, tagger),
        body.clusters,
        new Set(),
      );
      fromHeadline += found.filter((n) => !ofBody.has(n.cluster)).length;
      clusters.push(...body.clusters);
    }
    // The brief names the actors it ranks: some clusters get their id, others never do.
    for (const c of clusters.slice(0, clusters.length / 2)) actorId(c);
    expect(fromHeadline).toBeGreaterThan(0);
    const odd = clusters.filter((c) => !haveSameMap(c, clusters[0]));
    expect(odd.map((c) => c.key)).toEqual([]);
  });
});
