import { type Doc, type DocToken, prepare } from './document.js';
import { type HeadlineReading, SURE_SPAN } from './model-runs.js';
import { type ActorCluster, nameKeys, newCluster } from './resolve.js';
import { roleFor } from './roles.js';

/** An actor named in a headline: the cluster, and the headline's words that name it. */
export interface HeadlineName {
  cluster: ActorCluster;
  first: number;
  last: number;
}

/**
 * The actors the model reads in a headline (its reading by headlineRuns), besides the
 * lexicon's names (tokens in `claimed`, which it skips). A name the body names too is that actor ("Ferrandis" of
 * "Lucía Ferrandis"). A name only the headline has becomes an actor of its own, held to
 * what the body asks of a name read once: the model is sure of it, or (for a person) the
 * headline gives a role; a lone word read as a person is not enough. New clusters are
 * added to `clusters`.
 */
export function headlineNames(
  headline: Doc,
  { cased, runs }: HeadlineReading,
  clusters: ActorCluster[],
  claimed: ReadonlySet<number>,
): HeadlineName[] {
  const found: HeadlineName[] = [];
  const read = asRead(headline, cased);
  for (const run of runs) {
    let free = true;
    for (let k = run.first; k < run.last; k++) if (claimed.has(k)) free = false;
    if (!free) continue;
    const keys = nameKeys(read, run.first, run.last);
    if (keys.length === 0) continue;
    const joined = keys.join(' ');
    const known =
      clusters.find((c) => c.nameKeys.join(' ') === joined) ??
      clusters.find(
        (c) =>
          c.kind === 'person' && run.kind === 'person' && keys.every((k) => c.nameKeys.includes(k)),
      );
    if (known) {
      found.push({ cluster: known, first: run.first, last: run.last });
      continue;
    }
    if (run.kind === 'person' && keys.length === 1) continue;
    const role = run.kind === 'person' ? roleFor(read, run.first, run.last, new Set()) : null;
    if (run.score < SURE_SPAN && role === null) continue;
    const start = (read.tokens[run.first] as DocToken).start;
    const end = (read.tokens[run.last - 1] as DocToken).end;
    // Made as every cluster is (newCluster): a literal of its own was another hidden class.
    const cluster = newCluster(`${run.kind}:${joined}`, {
      kind: run.kind,
      lexId: null,
      lexName: null,
      nameKeys: keys,
      fullName: read.text.slice(start, end),
    });
    cluster.role = role;
    clusters.push(cluster);
    found.push({ cluster, first: run.first, last: run.last });
  }
  return found;
}

/**
 * The headline as the model read it: in capitals or title case, with the casing its words
 * have in the body ("Lucía Ferrandis", "ministra" of "LA MINISTRA LUCÍA FERRANDIS"), so
 * names and roles read from it are spelled as the body would. The headline itself when
 * nothing changed, or when the new text would not split into the same tokens.
 */
function asRead(headline: Doc, cased: readonly string[]): Doc {
  const { tokens, text } = headline;
  if (cased.every((c, k) => c === tokens[k]?.text)) return headline;
  let out = text.slice(0, tokens[0]?.start ?? 0);
  tokens.forEach((t, k) => {
    out += (cased[k] as string) + text.slice(t.end, tokens[k + 1]?.start ?? text.length);
  });
  const read = prepare(out, headline.lang, headline.lexicon);
  return read.tokens.length === tokens.length ? read : headline;
}
