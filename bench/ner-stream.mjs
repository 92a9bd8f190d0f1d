// Briefs on a stream of distinct articles, beside one article briefed over and over.
//
// A bench that briefs one article again and again flatters the engine: after the first
// call every spelling is in the tagger's per-spelling caches and its rows in the CPU
// cache. A bot briefs a stream of articles it has never seen, where many spellings are
// new. The stream comes from the entity data's folder (nerDataFolder: --data DIR,
// BRIEFWIRE_NER_DATA, or ../shared/data/ner), read at bench time only:
// - for a language with a summary dev set beside it (../summary/<lang>-*-dev.jsonl: en
//   CNN / Daily Mail, fr OrangeSum), those articles: modern news with real paragraphs;
// - else the entity dev split's documents of three sentences or more (it Wikinews, de and
//   es newswire; 40-sentence pieces of running text), rebuilt as articles (articleOf).
// Shuffled with a fixed seed so the sources mix; each is briefed once, up to
// STREAM_WORD_CAP words. Costs are CPU µs per word (whitespace-separated pieces with a
// letter or digit), and briefs per CPU second of a 600-word article at that rate (the
// entity dev documents are shorter, ~250 words, so a brief's fixed costs weigh more per
// word there).
//
// Before the stream, the engine briefs WARM_WORDS of other text of the language: the
// entity train split's documents (never measured), as a bot that has run for half a day
// has briefed the news before. That settles the JIT and fills the tagger's cache with the
// common spellings, so the stream measures a running bot's cost of a new article, the rare
// spellings it meets for the first time included. Until 2026-12-07 the warm-up was the
// stream's own first 40 articles (~25k words): the figure was then largely the JIT's
// warm-up. On the en and fr streams, the stream read 1.6-2.0× the cost of briefing each of
// its articles ten times over after 50k words of warm-up, 1.3-1.7× after 300k.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STREAM_WORDS = 600;
const WARM_WORDS = 300_000;
const STREAM_WORD_CAP = 60_000;
const SLICE_ARTICLES = 10;
const REPEATED = { warm: 200, calls: 300 };

export const wordsOf = (article) =>
  `${article.title}\n${article.text}`.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

const cpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** A fixed permutation (mulberry32), so every run and every build sees the same stream. */
function shuffled(items, seed = 1) {
  const out = [...items];
  let s = seed;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The data folder and a reader of one language's stream (`dist` is a built dist/), or a
 * line saying why there is none.
 */
export async function streamSource(dist, given) {
  const { nerDataFolder } = await import(`${resolve(dist)}/ner/data-folder.js`);
  const folder = nerDataFolder(given);
  if (!existsSync(`${folder}/SOURCES.md`))
    return {
      skipped: `stream of distinct articles: skipped, no entity data at ${folder} (pass --data DIR or set BRIEFWIRE_NER_DATA)`,
    };
  const { parseConll, splitRunningText, articleOf } = await import(
    `${resolve(dist)}/core/ner/conll.js`
  );
  const summaries = join(folder, '..', 'summary');
  /** Running text of a split's documents of three sentences or more, as articles. */
  const documents = (path) =>
    splitRunningText(parseConll(readFileSync(path, 'utf8'), path))
      .filter((d) => d.sentences.length >= 3)
      .map(articleOf);
  return {
    folder,
    /** Other text of the language for the warm-up (the entity train split), up to WARM_WORDS. */
    warmUp(lang) {
      const path = `${folder}/${lang}/train.conll`;
      if (!existsSync(path)) return [];
      const warm = [];
      let words = 0;
      for (const article of shuffled(documents(path), 2)) {
        if (words >= WARM_WORDS) break;
        warm.push(article);
        words += wordsOf(article);
      }
      return warm;
    },
    /** One language's stream, and where it comes from; none without data. */
    articles(lang) {
      const summary = existsSync(summaries)
        ? readdirSync(summaries).find((f) => f.startsWith(`${lang}-`) && f.endsWith('-dev.jsonl'))
        : undefined;
      if (summary) {
        const lines = readFileSync(`${summaries}/${summary}`, 'utf8').trim().split('\n');
        const articles = lines.map((line) => {
          const { title, text } = JSON.parse(line);
          return { title, text };
        });
        return { from: `summary/${summary}`, articles: shuffled(articles) };
      }
      const path = `${folder}/${lang}/dev.conll`;
      if (!existsSync(path)) return { from: 'none', articles: [] };
      return { from: `ner/${lang}/dev.conll`, articles: shuffled(documents(path)) };
    },
  };
}

/**
 * Each brief function (one per build) on the same stream: all brief the warm-up articles
 * (`warm`, other text of the language), then the stream in slices, the builds taking turns
 * to go first. Also the repeated `article`, for the figure beside. Per build: µs per word on
 * the stream and repeated, briefs/CPU-s at 600 words, and the briefs of the stream (to
 * compare builds).
 */
export function measureStream(briefs, articles, article, warm) {
  // The JIT first (the repeated article), then the other text: what a bot that has
  // briefed a while brings to its next article.
  for (const brief of briefs) for (let r = 0; r < REPEATED.warm; r++) brief(article);
  for (const brief of briefs) for (const a of warm) brief(a);
  const stream = [];
  for (let at = 0, words = 0; at < articles.length && words < STREAM_WORD_CAP; at++) {
    stream.push(articles[at]);
    words += wordsOf(articles[at]);
  }
  const totals = briefs.map(() => ({ us: 0, out: [] }));
  for (let at = 0, k = 0; at < stream.length; at += SLICE_ARTICLES, k++) {
    const slice = stream.slice(at, at + SLICE_ARTICLES);
    const order =
      k % 2 === 0 ? briefs.map((_, i) => i) : briefs.map((_, i) => briefs.length - 1 - i);
    for (const i of order) {
      const brief = briefs[i];
      const out = [];
      const c0 = cpuUs();
      for (const a of slice) out.push(brief(a));
      totals[i].us += cpuUs() - c0;
      totals[i].out.push(...out);
    }
  }
  const words = stream.reduce((n, a) => n + wordsOf(a), 0);
  const repeatedWords = wordsOf(article);
  return briefs.map((brief, i) => {
    const c0 = cpuUs();
    for (let r = 0; r < REPEATED.calls; r++) brief(article);
    const repeated = (cpuUs() - c0) / REPEATED.calls / repeatedWords;
    const usPerWord = totals[i].us / words;
    return {
      articles: stream.length,
      words,
      usPerWord,
      perCpuSec: 1e6 / (usPerWord * STREAM_WORDS),
      repeatedUsPerWord: repeated,
      repeatedPerCpuSec: 1e6 / (repeated * STREAM_WORDS),
      briefs: totals[i].out,
    };
  });
}

/** A 32-bit FNV-1a of the briefs' JSON: builds that brief alike give the same. */
export function briefsHash(briefs) {
  let h = 0x811c9dc5 | 0;
  for (const brief of briefs) {
    const json = JSON.stringify(brief);
    for (let i = 0; i < json.length; i++) h = Math.imul(h ^ json.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

// `node bench/ner-stream.mjs DIST [DATA [MODELS]]`: one build's stream figures in a process
// of its own, as one JSON line (bench/ner-speed.mjs --against runs it for each build in
// turn), with the models in MODELS (default: this checkout's models/ner).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dist, data, models] = process.argv.slice(2);
  const root = fileURLToPath(new URL('..', import.meta.url));
  const { briefArticle } = await import(`${resolve(dist)}/index.js`);
  const { shippedTaggers } = await import(`${resolve(dist)}/ner/taggers.js`);
  const engine = { tagger: shippedTaggers({ folder: models || `${root}models/ner` }) };
  // The articles are read with this checkout's build, so an older build is briefed on the same.
  const source = await streamSource(`${root}dist`, data);
  const out = {};
  if (!source.skipped)
    for (const lang of ['en', 'it', 'fr', 'de', 'es']) {
      const { from, articles } = source.articles(lang);
      if (articles.length === 0) continue;
      const [title, ...rest] = readFileSync(`${root}bench/articles/${lang}.txt`, 'utf8').split(
        '\n',
      );
      const article = { title: title.trim(), text: rest.join('\n').trim() };
      const [m] = measureStream(
        [(a) => briefArticle(a, engine)],
        articles,
        article,
        source.warmUp(lang),
      );
      const { briefs, ...figures } = m;
      out[lang] = { from, ...figures, briefsHash: briefsHash(briefs) };
    }
  console.log(JSON.stringify({ skipped: source.skipped, folder: source.folder, langs: out }));
}
