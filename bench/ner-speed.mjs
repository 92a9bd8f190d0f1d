// The speed of briefs with the entity model, alone (`npm run build`, then
// `node bench/ner-speed.mjs`): per language, briefs and tagger tokens per CPU second,
// p50/p99 and the heap, then `briefwire brief` start-up (median wall and CPU of the whole process).
// Figures are CPU time of this thread (process.cpuUsage): on a shared machine wall time
// waits for other processes.
//
// `--against DIR` (an older build's dist/, e.g. from `git worktree add` and a build there;
// its CLI reads the models beside it, DIR/../models) measures both builds on the same
// articles, in alternating slices that take turns going first, and prints this / the other:
// a ratio fair even on a loaded machine. Which build comes first in a process still counts:
// against a copy of itself, the build that was loaded and briefed each article first read
// 4-10 % slower on it, whichever copy that was (until 2026-12-07 it was always this build:
// 0.84-1.05, 0.95 on average). So the briefs and the tagger run in child processes in
// pairs, one where this build comes first (loaded, checked, warmed up, first slice), one
// where the other does (`--pairs N`, default 1; the pairs take turns too). The table gives
// each process's ratio, by the build that came first, and the geometric mean of them all,
// where that bias cancels out. `--load-first this|other` is one such process. Each process
// checks first that both builds give the same briefs and the same tagger output (labels and
// confidences, to the last bit).
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
// short commands (`briefwire brief`) run. `--json` prints one JSON line of the rows after
// the table (the last line with `--only brief` or `--only tagger`; bench/run.mjs reads it).
// `--only brief|tagger|stream|startup` runs those parts (a comma list); `--rounds N` sets the
// slices per build.
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
    'load-first': { type: 'string' },
    pairs: { type: 'string', default: '1' },
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
const PAIRS = Number(args.pairs);
// Calls before the measured slices, per build and language. A brief reaches its steady
// state only after a few thousand calls: functions that run once per brief (rankActors,
// summaryInputs, modelRuns...) reach TurboFan after ~1,000-3,500 calls, and some are
// optimised again after a deopt. Briefing the en article over and over in one process,
// 200 calls at a time, read ~750-890 briefs/CPU-s for calls 200-1,000 and ~950-1,050
// after 3,600 (`node --trace-opt --trace-deopt`: 90 optimisations and 16 deopts after the
// 400th call, the last near the 3,400th). Until 2026-12-07 the warm-up was 400 calls, so
// the figure was partly the JIT's warm-up, which a bot that has run for a day is past.
const WARM_CALLS = { brief: 4000, tagger: 400 };
const SLICE_CALLS = { brief: 60, tagger: 200 };
const STARTUP_RUNS = 11;
// With --against, the stream runs each build in a process of its own, this many times each:
// in one process the builds share a heap and ratios swung with their order by up to ±30 %.
const STREAM_RUNS = 3;
const wanted = (part) => !args.only || args.only.split(',').includes(part);

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

const loaded = new Map();
/** One build's entry points, with the model files of `models`; loaded once per process. */
async function build(side) {
  const key = `${resolve(side.dist)}\0${side.models}`;
  if (!loaded.has(key)) loaded.set(key, await load(side));
  return loaded.get(key);
}
async function load({ dist, models }) {
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

/**
 * Alternating slices of each call; per call: calls per CPU second, wall p50/p99 in ms.
 * Call `first` warms up first and goes first in the even rounds, last in the odd ones:
 * with a fixed order the call that ran first read 4-10 % slower against a copy of itself.
 */
function measure(calls, sliceCalls, warmCalls, first = 0) {
  const order = calls.map((_, i) => (first + i) % calls.length);
  for (const k of order) for (let i = 0; i < warmCalls; i++) calls[k]();
  const totals = calls.map(() => ({ n: 0, cpu: 0, times: [] }));
  for (let r = 0; r < ROUNDS; r++)
    for (const k of r % 2 === 0 ? order : [...order].reverse()) {
      const total = totals[k];
      const c0 = cpuMs();
      for (let i = 0; i < sliceCalls; i++) {
        const t0 = performance.now();
        calls[k]();
        total.times.push(performance.now() - t0);
      }
      total.cpu += cpuMs() - c0;
      total.n += sliceCalls;
    }
  return totals.map((t) => ({
    perCpuSec: (t.n / t.cpu) * 1000,
    p50: quantile(t.times, 0.5),
    p99: quantile(t.times, 0.99),
  }));
}

if (args.against && args['models-against'])
  throw new Error('--against compares builds, --models-against models: one at a time');
if (args['load-first'] && !['this', 'other'].includes(args['load-first']))
  throw new Error(`--load-first is "this" or "other", not "${args['load-first']}"`);
if (args['load-first'] && !args.against) throw new Error('--load-first goes with --against');
// The builds as paths (this build first); loaded only where this process measures them.
const sides = [{ dist: `${ROOT}dist`, models: `${ROOT}models/ner` }];
if (args.against)
  sides.push({
    dist: args.against,
    models: args['own-models'] ? resolve(args.against, '../models/ner') : `${ROOT}models/ner`,
  });
if (args['models-against'])
  sides.push({ dist: `${ROOT}dist`, models: resolve(args['models-against']) });
const names = sides.map((b, i) =>
  i === 0 ? 'this build' : args['models-against'] ? `models of ${b.models}` : b.dist,
);
const fmt = (x, digits = 0) => x.toFixed(digits);
const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const parted = !wanted('brief') && !wanted('tagger');

/**
 * The briefs and the tagger of each language, every build in this process, loaded (module
 * imports, models) in that order from the build `first` (0 this, 1 the other), which also
 * goes first in measure(). Rows to print, and the figures per build (this build first).
 */
async function perArticle(first) {
  const order = sides.map((_, i) => (first + i) % sides.length);
  const builds = [];
  for (const k of order) builds[k] = await build(sides[k]);
  const rows = [];
  const figures = {};
  for (const lang of LANGS) {
    const article = loadArticle(lang);
    const sentences = builds[first].sentences(article, lang);
    const tokens = sentences.reduce((n, s) => n + s.length, 0);
    if (builds.length > 1) {
      // In load order too: the first build to meet an article's spellings may pay for it.
      const [briefs, tags] = [[], []];
      for (const k of order) {
        briefs[k] = JSON.stringify(builds[k].brief(article));
        const { labels, confidence } = builds[k].tagger(lang).tagDocumentScored(sentences);
        tags[k] = JSON.stringify([labels.map((l) => [...l]), confidence.map((c) => c && [...c])]);
      }
      const what = args['models-against'] ? 'models' : 'builds';
      if (briefs[1] !== briefs[0]) console.log(`${lang}: the ${what}' briefs differ`);
      if (tags[1] !== tags[0]) console.log(`${lang}: the ${what}' tagger output differs`);
    }
    const row = { lang, tokens };
    figures[lang] = { tokens };
    if (wanted('brief')) {
      const m = measure(
        builds.map((b) => () => b.brief(article)),
        SLICE_CALLS.brief,
        WARM_CALLS.brief,
        first,
      );
      figures[lang].brief = m;
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
        WARM_CALLS.tagger,
        first,
      );
      figures[lang].tagger = m;
      row['tagger M tokens/CPU-s'] = m
        .map((x) => fmt((x.perCpuSec * tokens) / 1e6, 2))
        .join(' vs ');
      if (m.length > 1) row['tagger ×'] = fmt(m[0].perCpuSec / m[1].perCpuSec, 2);
    }
    row['heap MB'] = (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0);
    figures[lang].heapMB = Number(row['heap MB']);
    rows.push(row);
  }
  return { rows, figures };
}

/**
 * --against: PAIRS pairs of child processes (this file with --load-first), one loading and
 * running this build first, one the other build first, in turn. Their ratios (this / the
 * other) side by side, and the geometric mean of all: the load order's bias cancels out.
 */
function perArticleAgainst() {
  const only = ['brief', 'tagger'].filter(wanted).join(',');
  const runs = { this: [], other: [] };
  for (let p = 0; p < PAIRS; p++)
    for (const side of p % 2 === 0 ? ['this', 'other'] : ['other', 'this']) {
      const child = spawnSync(
        process.execPath,
        [
          `${ROOT}bench/ner-speed.mjs`,
          '--against',
          args.against,
          ...(args['own-models'] ? ['--own-models'] : []),
          '--only',
          only,
          '--rounds',
          String(ROUNDS),
          '--heap',
          args.heap,
          '--load-first',
          side,
          '--json',
        ],
        { cwd: ROOT, encoding: 'utf8' },
      );
      if (child.status !== 0)
        throw new Error(`ner-speed.mjs --load-first ${side} failed: ${child.stderr}`);
      const lines = child.stdout.trim().split('\n');
      for (const line of lines.filter((l) => / differs?$/.test(l)))
        console.log(`${line} (${side} build loaded first)`);
      runs[side].push(JSON.parse(lines.at(-1)).nerSpeed.figures);
    }
  const all = [...runs.this, ...runs.other];
  return LANGS.map((lang) => {
    const row = { lang, tokens: all[0][lang].tokens };
    const both = (part, f, digits) =>
      [0, 1].map((k) => fmt(geomean(all.map((r) => f(r[lang][part][k]))), digits)).join(' vs ');
    const ratios = (part, side) =>
      runs[side].map((r) => r[lang][part][0].perCpuSec / r[lang][part][1].perCpuSec);
    // Each process's ratio, by the build it loaded first, then the geometric mean of all.
    const ratioColumns = (label, part) => ({
      [`${label} × this 1st / other 1st`]: ['this', 'other']
        .map((side) =>
          ratios(part, side)
            .map((x) => fmt(x, 2))
            .join(' '),
        )
        .join(' / '),
      [`${label} ×`]: fmt(geomean([...ratios(part, 'this'), ...ratios(part, 'other')]), 3),
    });
    if (wanted('brief'))
      Object.assign(row, {
        'briefs/CPU-s': both('brief', (x) => x.perCpuSec, 0),
        'p50 ms': both('brief', (x) => x.p50, 2),
        'p99 ms': both('brief', (x) => x.p99, 2),
        ...ratioColumns('briefs', 'brief'),
      });
    if (wanted('tagger'))
      Object.assign(row, {
        'tagger M tokens/CPU-s': both('tagger', (x) => (x.perCpuSec * row.tokens) / 1e6, 2),
        ...ratioColumns('tagger', 'tagger'),
      });
    row['heap MB'] = fmt(Math.max(...all.map((r) => r[lang].heapMB)));
    return row;
  });
}

if (!parted) {
  const inChildren = args.against && !args['load-first'];
  const { rows, figures } = inChildren
    ? { rows: perArticleAgainst() }
    : await perArticle(args['load-first'] === 'other' ? 1 : 0);
  const how = inChildren
    ? `${ROUNDS} alternating slices per build in ${2 * PAIRS} processes, half of them loading this build first, half the other; figures are geometric means, × = this / the other`
    : `${ROUNDS} alternating slices per build${args['load-first'] ? `, ${args['load-first']} build loaded first` : ''}`;
  console.log(`CPU time, ${how}, V8 heap flags: ${args.heap}: ${names.join(' vs ')}`);
  console.table(rows);
  if (args.json) console.log(JSON.stringify({ nerSpeed: { heap: args.heap, rows, figures } }));
}

/** The stream part with --against: each build in processes of its own, in turn. */
function streamAgainst(folder) {
  const runs = sides.map(() => []);
  for (let r = 0; r < STREAM_RUNS; r++) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const k of order) {
      const child = spawnSync(
        process.execPath,
        [`${ROOT}bench/ner-stream.mjs`, sides[k].dist, folder, sides[k].models],
        { cwd: ROOT, encoding: 'utf8' },
      );
      if (child.status !== 0) throw new Error(`stream of ${sides[k].dist} failed: ${child.stderr}`);
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
  const source = await streamSource(sides[0].dist, args.data);
  if (source.skipped) console.log(source.skipped);
  else if (args['models-against'])
    console.log('stream: not with --models-against (a build streams with its own models)');
  else if (sides.length > 1) streamAgainst(source.folder);
  else {
    const rows = [];
    for (const lang of LANGS) {
      const { from, articles } = source.articles(lang);
      if (articles.length === 0) continue;
      const m = measureStream(
        [(await build(sides[0])).brief],
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
const startupBuilds = args['models-against'] ? sides.slice(0, 1) : sides;
if (wanted('startup')) {
  const runs = startupBuilds.map(() => ({ wall: [], cpu: [] }));
  for (let r = 0; r <= STARTUP_RUNS; r++) {
    const order = startupBuilds.map((_, k) => k);
    // The builds take turns to start first, as in measure().
    for (const k of r % 2 === 0 ? order : order.reverse()) {
      const b = startupBuilds[k];
      const t0 = performance.now();
      const child = spawnSync(
        process.execPath,
        ['--import', CPU_AT_EXIT, `${b.dist}/cli.js`, 'brief', '--json', 'bench/articles/en.txt'],
        { cwd: ROOT, encoding: 'utf8' },
      );
      const wall = performance.now() - t0;
      if (child.status !== 0) throw new Error(`${b.dist}/cli.js failed: ${child.stderr}`);
      if (r === 0) continue; // untimed: fills the file cache
      runs[k].wall.push(wall);
      runs[k].cpu.push(Number(/cpu-us (\d+)/.exec(child.stderr)?.[1]) / 1000);
    }
  }
  console.log(`briefwire brief --json bench/articles/en.txt, ${STARTUP_RUNS} runs each:`);
  runs.forEach((r, k) => {
    const wall = `wall median ${fmt(quantile(r.wall, 0.5))} ms (min ${fmt(Math.min(...r.wall))})`;
    const cpu = `CPU median ${fmt(quantile(r.cpu, 0.5))} ms (min ${fmt(Math.min(...r.cpu))})`;
    console.log(`  ${names[k]}: ${wall}, ${cpu}`);
  });
}
