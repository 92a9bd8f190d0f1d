// The speed of briefs with the entity model, alone (`npm run build`, then
// `node bench/ner-speed.mjs`): per language, briefs and tagger tokens per CPU second,
// p50/p99 and the heap, then `briefwire brief` start-up (median wall and CPU of the whole process).
// Figures are CPU time of this thread (process.cpuUsage): on a shared machine wall time
// waits for other processes.
//
// `--against DIR` (an older build's dist/, e.g. from `git worktree add` and a build there;
// its CLI reads the models beside it, DIR/../models)
// measures both builds in one process, in alternating slices on the same articles, and
// prints new / old: a ratio fair even on a loaded machine. It checks first that both give
// the same briefs and the same tagger output (labels and confidences, to the last bit).
// `--models-against DIR` measures this build twice in one process, the same way: with
// this checkout's models/ner and with the model files in DIR (<lang>.bwnr, e.g. a model
// trained with `npm run train -- --out DIR`), and prints shipped / DIR. Their briefs may
// differ (it is another model); the bench says where they do. Not with --against.
// `--own-models` (with --against): each build reads the models beside it, DIR/../models/ner
// (a build is its code and its models: for a comparison across a model change). Without
// it both builds read this checkout's models, so only the code differs.
// `--heap service` first sets the V8 heap flags `briefwire run` sets as it starts
// (SERVICE_HEAP_FLAGS, src/bot/heap.ts): the briefs as the running bot makes them, whose
// young generation and heap growth those flags change. Without it, V8's defaults, as the
// short commands (`briefwire brief`) run. `--json` ends with one JSON line of the rows.
// `--only brief|tagger|stream|startup` runs one part; `--rounds N` sets the slices per build.
//
// The stream part (bench/ner-stream.mjs) briefs distinct articles, each once, from the
// dev data beside the entity data (`--data DIR`, BRIEFWIRE_NER_DATA, or ../shared/data/ner;
// the part is skipped with a line without it): CPU µs per word, and briefs/CPU-s at 600
// words, beside the same figures for the bench article repeated. With `--against` each
// build briefs the stream in processes of its own, in turn (STREAM_RUNS each; medians),
// and it checks they give the same briefs on every article (a hash of them).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureStream, streamSource } from './ner-stream.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LANGS = ['en', 'it', 'fr', 'de', 'es'];
const { values: args } = parseArgs({
  options: {
    against: { type: 'string' },
    'models-against': { type: 'string' },
    'own-models': { type: 'boolean', default: false },
    only: { type: 'string' },
    data: { type: 'string' },
    rounds: { type: 'string', default: '8' },
    heap: { type: 'string', default: 'defaults' },
    json: { type: 'boolean', default: false },
  },
});
if (!['defaults', 'service'].includes(args.heap))
  throw new Error(`--heap is "defaults" or "service", not "${args.heap}"`);
// Before any module of the bot loads, as cli.ts does for `briefwire run`.
if (args.heap === 'service') (await import(`${ROOT}dist/bot/heap.js`)).favourHeapSize();
const ROUNDS = Number(args.rounds);
const WARM_CALLS = 400;
const SLICE_CALLS = { brief: 60, tagger: 200 };
const STARTUP_RUNS = 11;
// With --against, the stream runs each build in a process of its own, this many times each:
// in one process the builds share a heap and ratios swung with their order by up to ±30 %.
const STREAM_RUNS = 3;
const wanted = (part) => !args.only || args.only === part;

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const quantile = (xs, q) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
};

function loadArticle(lang) {
  const [title, ...rest] = readFileSync(`${ROOT}bench/articles/${lang}.txt`, 'utf8').split('\n');
  return { title: title.trim(), text: rest.join('\n').trim() };
}

/** One build's entry points, with the model files of `models` (this checkout's models/ner). */
async function build(dist, models = `${ROOT}models/ner`) {
  const at = (path) => import(`${resolve(dist)}/${path}`);
  const { briefArticle } = await at('index.js');
  const { shippedTaggers } = await at('ner/taggers.js');
  const { splitSentences } = await at('core/text/sentences.js');
  const { tokenize } = await at('core/text/tokens.js');
  const engine = { tagger: shippedTaggers({ folder: models }) };
  return {
    dist,
    models,
    brief: (article) => briefArticle(article, engine),
    tagger: (lang) => engine.tagger(lang),
    sentences(article, lang) {
      const text = `${article.title}\n\n${article.text}`;
      const tokens = tokenize(text);
      return splitSentences(text, lang).map((s) =>
        tokens.filter((t) => t.start >= s.start && t.end <= s.end).map((t) => t.text),
      );
    },
  };
}

/** Alternating slices of each call; per call: calls per CPU second, wall p50/p99 in ms. */
function measure(calls, sliceCalls) {
  for (const call of calls) for (let i = 0; i < WARM_CALLS; i++) call();
  const totals = calls.map(() => ({ n: 0, cpu: 0, times: [] }));
  for (let r = 0; r < ROUNDS; r++)
    calls.forEach((call, k) => {
      const total = totals[k];
      const c0 = cpuMs();
      for (let i = 0; i < sliceCalls; i++) {
        const t0 = performance.now();
        call();
        total.times.push(performance.now() - t0);
      }
      total.cpu += cpuMs() - c0;
      total.n += sliceCalls;
    });
  return totals.map((t) => ({
    perCpuSec: (t.n / t.cpu) * 1000,
    p50: quantile(t.times, 0.5),
    p99: quantile(t.times, 0.99),
  }));
}

if (args.against && args['models-against'])
  throw new Error('--against compares builds, --models-against models: one at a time');
const builds = [await build(`${ROOT}dist`)];
if (args.against)
  builds.push(
    await build(
      args.against,
      args['own-models'] ? resolve(args.against, '../models/ner') : `${ROOT}models/ner`,
    ),
  );
if (args['models-against'])
  builds.push(await build(`${ROOT}dist`, resolve(args['models-against'])));
const names = builds.map((b, i) =>
  i === 0 ? 'this build' : args['models-against'] ? `models of ${b.models}` : b.dist,
);
const fmt = (x, digits = 0) => x.toFixed(digits);
const rows = [];
const parted = args.only === 'startup' || args.only === 'stream';
for (const lang of parted ? [] : LANGS) {
  const article = loadArticle(lang);
  const sentences = builds[0].sentences(article, lang);
  const tokens = sentences.reduce((n, s) => n + s.length, 0);
  if (builds.length > 1) {
    const briefs = builds.map((b) => JSON.stringify(b.brief(article)));
    const tags = builds.map((b) => {
      const { labels, confidence } = b.tagger(lang).tagDocumentScored(sentences);
      return JSON.stringify([labels.map((l) => [...l]), confidence.map((c) => c && [...c])]);
    });
    const what = args['models-against'] ? 'models' : 'builds';
    if (briefs[1] !== briefs[0]) console.log(`${lang}: the ${what}' briefs differ`);
    if (tags[1] !== tags[0]) console.log(`${lang}: the ${what}' tagger output differs`);
  }
  const row = { lang, tokens };
  if (wanted('brief')) {
    const m = measure(
      builds.map((b) => () => b.brief(article)),
      SLICE_CALLS.brief,
    );
    row['briefs/CPU-s'] = m.map((x) => fmt(x.perCpuSec)).join(' vs ');
    row['p50 ms'] = m.map((x) => fmt(x.p50, 2)).join(' vs ');
    row['p99 ms'] = m.map((x) => fmt(x.p99, 2)).join(' vs ');
    if (m.length > 1) row['briefs ×'] = fmt(m[0].perCpuSec / m[1].perCpuSec, 2);
  }
  if (wanted('tagger')) {
    const m = measure(
      builds.map((b) => {
        const tagger = b.tagger(lang);
        return () => tagger.tagDocumentScored(sentences);
      }),
      SLICE_CALLS.tagger,
    );
    row['tagger M tokens/CPU-s'] = m.map((x) => fmt((x.perCpuSec * tokens) / 1e6, 2)).join(' vs ');
    if (m.length > 1) row['tagger ×'] = fmt(m[0].perCpuSec / m[1].perCpuSec, 2);
  }
  row['heap MB'] = (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0);
  rows.push(row);
}
if (rows.length > 0) {
  console.log(
    `CPU time, ${ROUNDS} alternating slices per build, V8 heap flags: ${args.heap}: ${names.join(' vs ')}`,
  );
  console.table(rows);
  if (args.json) console.log(JSON.stringify({ nerSpeed: { heap: args.heap, rows } }));
}

/** The stream part with --against: each build in processes of its own, in turn. */
function streamAgainst(folder) {
  const runs = builds.map(() => []);
  for (let r = 0; r < STREAM_RUNS; r++) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const k of order) {
      const child = spawnSync(
        process.execPath,
        [`${ROOT}bench/ner-stream.mjs`, builds[k].dist, folder, builds[k].models],
        { cwd: ROOT, encoding: 'utf8' },
      );
      if (child.status !== 0)
        throw new Error(`stream of ${builds[k].dist} failed: ${child.stderr}`);
      runs[k].push(JSON.parse(child.stdout.trim().split('\n').at(-1)));
    }
  }
  const first = runs[0][0];
  const median = (xs) => quantile(xs, 0.5);
  const rows = Object.entries(first.langs).map(([lang, x]) => {
    const of = (k, f) => median(runs[k].map((run) => f(run.langs[lang])));
    const ratio = (f) =>
      median(runs[0].map((run, i) => f(runs[1][i].langs[lang]) / f(run.langs[lang])));
    if (runs.some((rs) => rs.some((run) => run.langs[lang].briefsHash !== x.briefsHash)))
      console.log(`${lang}: the builds' briefs differ on the stream`);
    return {
      lang,
      from: x.from,
      articles: x.articles,
      words: x.words,
      'stream µs/word': [0, 1]
        .map((k) =>
          fmt(
            of(k, (l) => l.usPerWord),
            2,
          ),
        )
        .join(' vs '),
      'repeated µs/word': [0, 1]
        .map((k) =>
          fmt(
            of(k, (l) => l.repeatedUsPerWord),
            2,
          ),
        )
        .join(' vs '),
      'stream ×': fmt(
        ratio((l) => l.usPerWord),
        3,
      ),
      'repeated ×': fmt(
        ratio((l) => l.repeatedUsPerWord),
        3,
      ),
    };
  });
  console.log(
    `Stream of distinct articles (from ${join(first.folder, '..')}), each briefed once, each build in ${STREAM_RUNS} processes of its own in turn; medians, × the median of the paired ratios (old / new µs): ${names.join(' vs ')}`,
  );
  console.table(rows);
}

if (wanted('stream')) {
  const source = await streamSource(builds[0].dist, args.data);
  if (source.skipped) console.log(source.skipped);
  else if (args['models-against'])
    console.log('stream: not with --models-against (a build streams with its own models)');
  else if (builds.length > 1) streamAgainst(source.folder);
  else {
    const rows = [];
    for (const lang of LANGS) {
      const { from, articles } = source.articles(lang);
      if (articles.length === 0) continue;
      const m = measureStream(
        builds.map((b) => b.brief),
        articles,
        loadArticle(lang),
        source.warmUp(lang),
      );
      if (m.length > 1) {
        const differ = m[0].briefs.filter(
          (b, i) => JSON.stringify(b) !== JSON.stringify(m[1].briefs[i]),
        ).length;
        if (differ > 0)
          console.log(`${lang}: the builds' briefs differ on ${differ} articles of the stream`);
      }
      const both = (f, digits = 0) => m.map((x) => fmt(f(x), digits)).join(' vs ');
      rows.push({
        lang,
        from,
        articles: m[0].articles,
        words: m[0].words,
        'stream µs/word': both((x) => x.usPerWord, 2),
        'repeated µs/word': both((x) => x.repeatedUsPerWord, 2),
        'stream briefs/CPU-s @600': both((x) => x.perCpuSec),
        'repeated @600': both((x) => x.repeatedPerCpuSec),
        ...(m.length > 1 && {
          'stream ×': fmt(m[1].usPerWord / m[0].usPerWord, 3),
          'repeated ×': fmt(m[1].repeatedUsPerWord / m[0].repeatedUsPerWord, 3),
        }),
      });
    }
    console.log(
      `Stream of distinct articles (from ${join(source.folder, '..')}), each briefed once, CPU time: ${names.join(' vs ')}`,
    );
    console.table(rows);
  }
}

// Start-up: the CLI as a child process; its own CPU (user + system) read at its exit.
const CPU_AT_EXIT = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\ncpu-us '+(({user,system})=>user+system)(process.cpuUsage())+'\\n'))`;
// The CLI reads its own checkout's models: with --models-against, one build to start.
const startupBuilds = args['models-against'] ? builds.slice(0, 1) : builds;
if (wanted('startup')) {
  const runs = startupBuilds.map(() => ({ wall: [], cpu: [] }));
  for (let r = 0; r <= STARTUP_RUNS; r++)
    startupBuilds.forEach((b, k) => {
      const t0 = performance.now();
      const child = spawnSync(
        process.execPath,
        ['--import', CPU_AT_EXIT, `${b.dist}/cli.js`, 'brief', '--json', 'bench/articles/en.txt'],
        { cwd: ROOT, encoding: 'utf8' },
      );
      const wall = performance.now() - t0;
      if (child.status !== 0) throw new Error(`${b.dist}/cli.js failed: ${child.stderr}`);
      if (r === 0) return; // untimed: fills the file cache
      runs[k].wall.push(wall);
      runs[k].cpu.push(Number(/cpu-us (\d+)/.exec(child.stderr)?.[1]) / 1000);
    });
  console.log(`briefwire brief --json bench/articles/en.txt, ${STARTUP_RUNS} runs each:`);
  runs.forEach((r, k) => {
    const wall = `wall median ${fmt(quantile(r.wall, 0.5))} ms (min ${fmt(Math.min(...r.wall))})`;
    const cpu = `CPU median ${fmt(quantile(r.cpu, 0.5))} ms (min ${fmt(Math.min(...r.cpu))})`;
    console.log(`  ${names[k]}: ${wall}, ${cpu}`);
  });
}
