// `npm run eval:summary`: the brief's summary on the development data (../shared/data/summary,
// or --data DIR / $BRIEFWIRE_SUMMARY_DATA) against LEAD-2 and LEAD-3 computed in the same
// run: ROUGE-1/2/L F1 per set, average words, and how often each defect a reader notices
// occurs, on the clean articles and on dirty copies (boilerplate added; paragraph breaks lost).
// English is tuned on CNN/DM's training stories only; its test-split stories are reported
// apart as untuned figures. `--engine DIR` scores another build (a dist/ folder) the same way,
// to compare before and after a change.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type DevArticle, dataDir, loadArticles, SPLITS, splitOf } from './data.js';
import { DEFECTS, type Defect, defectsOf, endedEarly } from './defects.js';
import { glued, injectedMarkers, withBoilerplate } from './inject.js';
import { addRouge, type RougeTally, rougeTally } from './rouge.js';

interface Engine {
  briefArticle(a: { title: string; text: string; language?: string | null }): {
    summary: string[];
  };
  splitSentences(text: string, lang?: string): { text: string }[];
}

async function loadEngine(argv: readonly string[]): Promise<Engine> {
  const flag = argv.indexOf('--engine');
  const dir = flag >= 0 ? resolve(argv[flag + 1] ?? '') : null;
  const url = (rel: string) =>
    dir ? pathToFileURL(resolve(dir, rel)).href : new URL(`../../src/${rel}`, import.meta.url).href;
  const index = await import(url('index.js'));
  const sentences = await import(url('core/text/sentences.js'));
  const language = await import(url('core/language.js'));
  await language.loadLanguageDetector?.();
  return { briefArticle: index.briefArticle, splitSentences: sentences.splitSentences };
}

interface Tally extends RougeTally {
  sentences: number;
}
const tally = (): Tally => ({ ...rougeTally(), sentences: 0 });

function add(t: Tally, reference: string, bullets: readonly string[]): void {
  addRouge(t, reference, bullets.join(' '));
  t.sentences += bullets.length;
}

type DefectCounts = Record<Defect, number> & { briefs: number; examples: Map<Defect, string[]> };
const EXAMPLES = Number(process.env.EXAMPLES ?? 3);
const defectCounts = (): DefectCounts => ({
  briefs: 0,
  cutQuote: 0,
  boilerplate: 0,
  runOn: 0,
  dangling: 0,
  examples: new Map(),
});

function count(d: DefectCounts, found: Set<Defect>, bullets: readonly string[]): void {
  d.briefs++;
  for (const x of found) {
    d[x]++;
    const list = d.examples.get(x) ?? [];
    if (list.length < EXAMPLES) list.push(bullets.join(' ⏎ ').slice(0, 400));
    d.examples.set(x, list);
  }
}

const pct = (x: number, n: number) => (n > 0 ? ((100 * x) / n).toFixed(1) : '-');
const f = (x: number, n: number) => (n > 0 ? ((100 * x) / n).toFixed(2) : '-');

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const engine = await loadEngine(argv);
  const articles = loadArticles(dataDir(argv));
  const brief = (a: DevArticle) =>
    engine.briefArticle({ title: a.title, text: a.text, language: a.lang }).summary;
  const lead = (a: DevArticle, k: number) =>
    engine
      .splitSentences(a.text, a.lang)
      .slice(0, k)
      .map((s) => s.text);

  // Each split, and each language's whole development file (`en`, `fr`: the tuned and the
  // untuned or held-out halves together, as the target reads "the development data").
  type Row = { brief: Tally; lead2: Tally; lead3: Tally; firstLead: number };
  const rows = new Map<string, Row>();
  const rowsOf = (a: DevArticle): Row[] =>
    [splitOf(a), ...(a.lang === 'en' || a.lang === 'fr' ? [a.lang] : [])].map((name) => {
      let row = rows.get(name);
      if (!row) {
        row = { brief: tally(), lead2: tally(), lead3: tally(), firstLead: 0 };
        rows.set(name, row);
      }
      return row;
    });
  const variants = {
    clean: defectCounts(),
    boilerplate: defectCounts(),
    glued: defectCounts(),
  };
  const dirtyRouge = { boilerplate: tally(), glued: tally() };
  const t0 = performance.now();
  let ended = 0;
  for (const [k, a] of articles.entries()) {
    const bullets = brief(a);
    const opening = bullets[0] ?? '';
    const lede = lead(a, 1)[0] ?? '';
    // The lede ended at a clause boundary (src/core/text/clauses.ts) still opens the brief.
    const cut = endedEarly(opening, a.text);
    if (cut) ended++;
    for (const row of rowsOf(a)) {
      add(row.brief, a.reference, bullets);
      add(row.lead2, a.reference, lead(a, 2));
      add(row.lead3, a.reference, lead(a, 3));
      if (opening && (cut ? lede.startsWith(opening.slice(0, -1)) : opening === lede))
        row.firstLead++;
    }
    count(variants.clean, defectsOf(a, bullets, []), bullets);

    const other = articles[(k + 7) % articles.length]?.title ?? '';
    const dirty = withBoilerplate(a, other);
    if (dirty) {
      const b = brief(dirty);
      count(variants.boilerplate, defectsOf(dirty, b, injectedMarkers(a.lang)), b);
      add(dirtyRouge.boilerplate, a.reference, b);
    }
    const g = glued(a);
    const gb = brief(g);
    count(variants.glued, defectsOf(g, gb, []), gb);
    add(dirtyRouge.glued, a.reference, gb);
  }
  const seconds = (performance.now() - t0) / 1000;

  console.log(
    'ROUGE F1 ×100 (rouge-score tokenisation with Unicode letters, no stemming); words per summary',
  );
  const header = [
    'set',
    'n',
    'brief R1',
    'R2',
    'RL',
    'words',
    'sents',
    'LEAD-2 R1',
    'R2',
    'RL',
    'words',
    'LEAD-3 R1',
    'R2',
    'RL',
    'words',
    'starts@1',
  ];
  const table: string[][] = [header];
  const LABEL: Record<string, string> = {
    'en-test': 'en-test (untuned)',
    'fr-held': 'fr-held (held out)',
    en: 'en, all',
    fr: 'fr, all',
  };
  for (const split of SPLITS.flatMap((s) =>
    s === 'en-test' || s === 'fr-held' ? [s, s.slice(0, 2)] : [s],
  )) {
    const r = rows.get(split);
    if (!r) continue;
    const cells = (t: Tally) => [
      f(t.r1, t.n),
      f(t.r2, t.n),
      f(t.rl, t.n),
      (t.words / t.n).toFixed(1),
    ];
    table.push([
      LABEL[split] ?? split,
      String(r.brief.n),
      ...cells(r.brief),
      (r.brief.sentences / r.brief.n).toFixed(2),
      ...cells(r.lead2),
      ...cells(r.lead3),
      `${pct(r.firstLead, r.brief.n)}%`,
    ]);
  }
  printTable(table);

  console.log(
    '\nDefects, % of briefs (cut quotation, boilerplate, run-on > 60 words, dangling opening)',
  );
  const defectTable: string[][] = [['articles', 'briefs', ...DEFECTS, 'R2 vs clean']];
  const splits = SPLITS.flatMap((s) => rows.get(s) ?? []);
  const cleanR2 = splits.reduce((s, r) => s + r.brief.r2, 0);
  const cleanN = splits.reduce((s, r) => s + r.brief.n, 0);
  for (const [name, d] of Object.entries(variants)) {
    const dr = name === 'clean' ? null : dirtyRouge[name as keyof typeof dirtyRouge];
    defectTable.push([
      name === 'clean' ? 'as given' : name === 'boilerplate' ? 'boilerplate added' : 'breaks lost',
      String(d.briefs),
      ...DEFECTS.map((x) => `${pct(d[x], d.briefs)}%`),
      dr ? `${f(dr.r2, dr.n)} / ${f(cleanR2, cleanN)}` : '',
    ]);
  }
  printTable(defectTable);
  console.log(
    `Long sentences shown ended at a clause boundary ("…"): ${ended} of ${articles.length} briefs (as given)`,
  );
  if (argv.includes('--examples')) {
    for (const [name, d] of Object.entries(variants))
      for (const [x, examples] of d.examples)
        for (const example of examples) console.log(`${name} ${x}: ${example}`);
  }
  console.log(`\n${articles.length} articles × 3 variants in ${seconds.toFixed(1)} s`);
  console.log(
    JSON.stringify({
      rouge: Object.fromEntries(
        [...rows].map(([split, r]) => [
          split,
          Object.fromEntries(
            (['brief', 'lead2', 'lead3'] as const).map((k) => [
              k,
              {
                r1: Number(f(r[k].r1, r[k].n)),
                r2: Number(f(r[k].r2, r[k].n)),
                rl: Number(f(r[k].rl, r[k].n)),
                words: Number((r[k].words / r[k].n).toFixed(1)),
              },
            ]),
          ),
        ]),
      ),
      defects: Object.fromEntries(
        Object.entries(variants).map(([name, d]) => [
          name,
          Object.fromEntries(DEFECTS.map((x) => [x, Number(pct(d[x], d.briefs))])),
        ]),
      ),
    }),
  );
}

function printTable(rows: string[][]): void {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const [k, r] of rows.entries()) {
    console.log(
      r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '),
    );
    if (k === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

await main();
