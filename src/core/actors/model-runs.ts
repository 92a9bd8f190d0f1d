import { spansOf } from '../ner/labels.js';
import type { NerTagger } from '../ner/tagger.js';
import type { Doc, DocToken } from './document.js';
import type { LexMatch } from './gazetteer.js';
import type { NameRun } from './names.js';

const KIND = { PER: 'person', LOC: 'place', ORG: 'organization' } as const;

/**
 * The names the entity model finds, as the runs the resolver groups into actors. The
 * lexicon keeps what it knows (ids, kinds, cross-language names): a model span that is
 * exactly a lexicon name is left to the lexicon; a lexicon name inside a longer model
 * span ("Tribunale di Milano") is absorbed by it.
 */
export function modelRuns(
  doc: Doc,
  tagger: NerTagger,
  lexMatches: readonly LexMatch[],
): { runs: NameRun[]; absorbed: Set<LexMatch>; named: LexMatch[] } {
  const bySentence: number[][] = doc.sentences.map(() => []);
  if (bySentence.length === 0) bySentence.push([]);
  doc.tokens.forEach((t, i) => {
    (bySentence[t.sentence] ?? (bySentence[bySentence.length - 1] as number[])).push(i);
  });
  const labels = tagger.tagDocument(
    bySentence.map((ix) => ix.map((i) => (doc.tokens[i] as DocToken).text)),
  );
  const byStart = new Map<number, LexMatch>();
  for (const m of lexMatches) byStart.set(m.first, m);
  const runs: NameRun[] = [];
  const absorbed = new Set<LexMatch>();
  const named: LexMatch[] = [];
  bySentence.forEach((ix, s) => {
    for (const span of spansOf(labels[s] as Uint8Array)) {
      const first = ix[span.first] as number;
      const last = (ix[span.last - 1] as number) + 1;
      const same = byStart.get(first);
      if (same && same.last === last) continue;
      for (const m of lexMatches) if (m.first < last && first < m.last) absorbed.add(m);
      // A name the lexicon knows in another case ("PARIS" in a headline in capitals).
      const known = lexiconName(doc, first, last);
      if (known) named.push(known);
      // A lone word read as a person needs the text to name them again, or a role, as
      // the rules ask: "Kopri", "Natixis" alone are more often not people.
      else {
        const support = span.type === 'PER' && last - first === 1 ? 'weak' : 'evidence';
        runs.push({ first, last, kind: KIND[span.type], support });
      }
    }
  });
  return { runs, absorbed, named };
}

function lexiconName(doc: Doc, first: number, last: number): LexMatch | undefined {
  const forms = doc.lexicon.formsByFirst.get(doc.keys[first] ?? '');
  const form = forms?.find(
    (f) =>
      f.type === 'name' &&
      f.keys.length === last - first &&
      f.keys.every((k, m) => doc.keys[first + m] === k),
  );
  if (!form) return undefined;
  return {
    first,
    last,
    start: (doc.tokens[first] as DocToken).start,
    end: (doc.tokens[last - 1] as DocToken).end,
    entity: form.entity,
    form,
  };
}
