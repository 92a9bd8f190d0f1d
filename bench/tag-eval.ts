// `npm run eval:tag`: mention-level precision, recall and F1 (exact span and type) of what
// `briefwire tag` prints, on the entity dev data (nerDataFolder: --data DIR,
// BRIEFWIRE_NER_DATA, or ../shared/data/ner; read, never copied). The tagger's own dev F1
// (`npm run train`) is read on the data's tokens; this reads the whole engine on text, as
// a user's pipeline does: each dev document is written out as text (tokens joined as a
// writer would, a sentence a line), tagged, and its mentions compared with the gold spans
// by character offsets. person is PER, organization ORG, country and place LOC.
//
//   npm run eval:tag [-- --langs it,en --docs 300 --errors]
//
// --docs N: at most N documents per source (spread evenly); --errors: the kinds of error
// per language, most frequent first, with examples.
//
// Then the brief's actors on the same documents (those of three sentences or more): the
// share of a document's distinct gold names (any type, case and accents aside) that the
// brief lists as an actor's name or alias (recall), and of the actors it lists that are a
// gold name of the document (precision). The brief lists key actors, not every name, so
// its recall is lower than the mention view's by design.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { briefArticle, tagText } from '../src/core/brief.js';
import { loadLanguageDetector } from '../src/core/language.js';
import { type AnnotatedDocument, parseConll, writtenLine } from '../src/core/ner/conll.js';
import { spansOf } from '../src/core/ner/labels.js';
import { fold } from '../src/core/text/fold.js';
import { nerDataFolder } from '../src/ner/data-folder.js';
import { shippedTaggers } from '../src/ner/taggers.js';

const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const folder = nerDataFolder(option('--data'));
const langs = (option('--langs') ?? 'it,en,fr,de,es').split(',');
const perSource = Number(option('--docs') ?? 300);
const showErrors = argv.includes('--errors');

const TYPE: Record<string, string> = {
  person: 'PER',
  organization: 'ORG',
  country: 'LOC',
  place: 'LOC',
};

interface Mention {
  start: number;
  end: number;
  type: string;
}

/** The document as text (a sentence a line, as articleOf writes it), and its gold mentions. */
function written(doc: AnnotatedDocument): { text: string; gold: Mention[] } {
  let text = '';
  const gold: Mention[] = [];
  for (const s of doc.sentences) {
    if (text) text += '\n';
    const base = text.length;
    const { line, starts, ends } = writtenLine(s.tokens);
    text += line;
    for (const x of spansOf(s.labels))
      gold.push({
        start: base + (starts[x.first] as number),
        end: base + (ends[x.last - 1] as number),
        type: x.type,
      });
  }
  return { text, gold };
}

interface Tally {
  right: number;
  gold: number;
  found: number;
}

/** Briefs' actors: how many are right of those listed, and gold names the briefs name. */
interface ActorTally {
  right: number;
  listed: number;
  names: number;
  named: number;
}

/** What went wrong with a gold mention, or a found one that is none. */
function errorOf(g: Mention | undefined, found: readonly Mention[], m?: Mention): string {
  if (!g) return `found ${m?.type}, none in gold`;
  const same = found.find((f) => f.start === g.start && f.end === g.end);
  if (same) return `type ${g.type} read as ${same.type}`;
  const over = found.find((f) => f.start < g.end && f.end > g.start);
  if (over) return over.end - over.start > g.end - g.start ? 'span too wide' : 'span too narrow';
  return `missed ${g.type}`;
}

await loadLanguageDetector();
const tagger = shippedTaggers();
const pct = (x: number) => (100 * x).toFixed(1).padStart(5);
console.log(
  'mention-level P / R / F1 ×100 of `briefwire tag` on the dev data (exact span and type)',
);
for (const lang of langs) {
  const path = join(folder, lang, 'dev.conll');
  if (!existsSync(path)) {
    console.log(`${lang}: no ${path}: skipped`);
    continue;
  }
  const bySource = new Map<string, AnnotatedDocument[]>();
  for (const d of parseConll(readFileSync(path, 'utf8'), `${lang}/dev.conll`))
    bySource.set(d.source, [...(bySource.get(d.source) ?? []), d]);
  const tallies = new Map<string, Tally>();
  const actorTallies = new Map<string, ActorTally>();
  const errors = new Map<string, string[]>();
  const note = (kind: string, text: string, at: Mention) => {
    const list = errors.get(kind) ?? [];
    list.push(
      `${text.slice(Math.max(0, at.start - 30), at.start)}[${text.slice(at.start, at.end)}]${text.slice(at.end, at.end + 30)}`.replace(
        /\n/g,
        ' ⏎ ',
      ),
    );
    errors.set(kind, list);
  };
  for (const [source, docs] of bySource) {
    const step = Math.max(1, Math.floor(docs.length / perSource));
    for (let k = 0; k < docs.length; k += step) {
      const { text, gold } = written(docs[k] as AnnotatedDocument);
      const found = tagText(text, lang, { tagger }).map((m) => ({
        start: m.start,
        end: m.end,
        type: TYPE[m.kind] ?? m.kind,
      }));
      const key = (m: Mention) => `${m.start}:${m.end}:${m.type}`;
      const goldKeys = new Set(gold.map(key));
      const foundKeys = new Set(found.map(key));
      let right = 0;
      for (const g of goldKeys) if (foundKeys.has(g)) right++;
      for (const name of [source, 'all']) {
        const t = tallies.get(name) ?? { right: 0, gold: 0, found: 0 };
        t.right += right;
        t.gold += goldKeys.size;
        t.found += foundKeys.size;
        tallies.set(name, t);
      }
      const doc = docs[k] as AnnotatedDocument;
      if (doc.sentences.length >= 3) {
        const goldNames = new Set(gold.map((g) => fold(text.slice(g.start, g.end))));
        const [title, ...body] = text.split('\n');
        const brief = briefArticle(
          { title: title ?? '', text: body.join('\n'), language: lang },
          { tagger },
        );
        let right = 0;
        const seen = new Set<string>();
        for (const a of brief.actors) {
          const names = [a.name, ...a.aliases].map(fold);
          for (const n of names) if (goldNames.has(n)) seen.add(n);
          if (names.some((n) => goldNames.has(n))) right++;
        }
        for (const name of [source, 'all']) {
          const t = actorTallies.get(name) ?? { right: 0, listed: 0, names: 0, named: 0 };
          t.right += right;
          t.listed += brief.actors.length;
          t.names += goldNames.size;
          t.named += seen.size;
          actorTallies.set(name, t);
        }
      }
      if (!showErrors) continue;
      for (const g of gold) if (!foundKeys.has(key(g))) note(errorOf(g, found), text, g);
      for (const m of found)
        if (!gold.some((g) => g.start < m.end && g.end > m.start))
          note(errorOf(undefined, found, m), text, m);
    }
  }
  for (const [name, t] of tallies) {
    const p = t.right / Math.max(1, t.found);
    const r = t.right / Math.max(1, t.gold);
    const f1 = p + r > 0 ? (2 * p * r) / (p + r) : 0;
    console.log(
      `${lang} ${name.padEnd(18)} P ${pct(p)}  R ${pct(r)}  F1 ${pct(f1)}  gold ${t.gold}`,
    );
  }
  for (const [name, t] of actorTallies) {
    const p = t.right / Math.max(1, t.listed);
    const r = t.named / Math.max(1, t.names);
    console.log(
      `${lang} ${name.padEnd(18)} brief actors: P ${pct(p)}  R ${pct(r)}  (${t.listed} actors, ${t.names} gold names)`,
    );
  }
  for (const [kind, list] of [...errors].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${kind}: ${list.length}`);
    for (const example of list.slice(0, 5)) console.log(`    ${example}`);
  }
}
