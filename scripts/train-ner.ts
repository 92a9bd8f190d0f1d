// `npm run train [-- --lang de] [-- --permissive]`: trains the entity tagger of each
// language on ../shared/data/ner (or --data DIR, or BRIEFWIRE_NER_DATA), prints dev
// precision / recall / F1 per language, type and source, and writes models/ner/<lang>.bwnr
// (models/ner-permissive/ with --permissive). Deterministic for a seed (--seed, default 1).
// `--min-count N` gives no weight to the context features seen at fewer than N training
// tokens (a smaller table, fewer probes per token at tag time; per language in SETTINGS).
// `--eval-only` trains nothing: it scores the model files already written (of --out, or
// the folder above) on dev, as training would print them; `--min-spread X` (with it)
// scores them without the rows whose label weights lie within X of each other.
// `--context-margin X` scores dev with the tagger's cascade at margin X instead of its
// CONTEXT_MARGIN (Infinity: every token read in context, the model exactly as trained).
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultLexicon, type Lang } from '../src/core/lexicon/index.js';
import { learnCasing } from '../src/core/ner/casing.js';
import { type AnnotatedDocument, parseConll, splitRunningText } from '../src/core/ner/conll.js';
import { type Counts, score, Tally } from '../src/core/ner/evaluate.js';
import {
  isOptionalFeature,
  OPTIONAL_FEATURES,
  type OptionalFeature,
} from '../src/core/ner/features.js';
import { ENTITY_TYPES } from '../src/core/ner/labels.js';
import {
  bucketsOf,
  decodeModel,
  encodeModel,
  type NerModel,
  withoutFlatRows,
} from '../src/core/ner/model.js';
import { CONTEXT_MARGIN, NerTagger } from '../src/core/ner/tagger.js';
import { trainTagger } from '../src/core/ner/train.js';
import { nerDataFolder } from '../src/ner/data-folder.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LANGS: Lang[] = ['it', 'en', 'fr', 'de', 'es'];

const { values } = parseArgs({
  options: {
    lang: { type: 'string' },
    permissive: { type: 'boolean', default: false },
    data: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    epochs: { type: 'string' },
    bits: { type: 'string' },
    prune: { type: 'string' },
    'min-count': { type: 'string' },
    silver: { type: 'string' },
    features: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    'eval-only': { type: 'boolean', default: false },
    'min-spread': { type: 'string' },
    'context-margin': { type: 'string' },
  },
});

const dataDir = nerDataFolder(values.data);
// The tagger's cascade (NerTagger, CONTEXT_MARGIN) as the bot runs it, unless given:
// Infinity scores the model exactly as trained.
const contextMargin =
  values['context-margin'] === undefined ? CONTEXT_MARGIN : Number(values['context-margin']);
if (Number.isNaN(contextMargin))
  fail(`--context-margin takes a number (or Infinity), not "${values['context-margin']}"`);
const outDir = values.out ?? join(ROOT, 'models', values.permissive ? 'ner-permissive' : 'ner');
const seed = Number(values.seed);

/** Silver annotation (automatic or link-based) and social media: they teach less. */
const SILVER = /^(?:wikineural-|wikiann-|kind-moro$|btc-|wnut17-)/;

/**
 * The budget switches: fewer lookups per token at tag time (docs/model-card.md, "fifth
 * session"). Only German uses them (with --min-count 3): trained the same way, en and it
 * failed shipped-model tests (test/ner/taggers.test.ts), fr and es lost fixture recall,
 * for a brief speed-up of a few per cent at most.
 */
const BUDGET: OptionalFeature[] = ['doc-joined', 'chunk-joined'];

/**
 * Per language, what did best on dev: epochs, feature-hash size, the update rate of
 * the silver and social-media sources (gold sources learn at rate 1), the weight
 * below which a feature is dropped from the file (0.5 unless given), the optional
 * feature templates (none unless given; `--features a,b` or `--features none` overrides),
 * and the minimum count of a context feature (none unless given; `--min-count`).
 */
const SETTINGS: Record<
  Lang,
  {
    epochs: number;
    bits: number;
    silver: number;
    prune?: number;
    features?: OptionalFeature[];
    /** Context features seen at fewer training tokens get no weight (trainTagger's minCount). */
    minCount?: number;
  }
> = {
  it: { epochs: 10, bits: 22, silver: 0.25 },
  en: { epochs: 10, bits: 22, silver: 0.5 },
  fr: { epochs: 10, bits: 22, silver: 0.5 },
  de: { epochs: 12, bits: 22, silver: 0.5, minCount: 3, features: BUDGET },
  es: { epochs: 15, bits: 22, silver: 0.1, prune: 0.2, features: ['doc-topic'] },
};

/** The targets: news-domain dev F1, and the overall dev F1 of a plain perceptron to beat. */
const TARGETS: Record<Lang, { sources: string[]; f1: number; overall: number }> = {
  it: { sources: ['kind-wn'], f1: 0.82, overall: 0.81 },
  en: { sources: ['conll2003-en'], f1: 0.92, overall: 0.75 },
  fr: { sources: [], f1: 0, overall: 0.81 },
  de: { sources: ['germeval2014-de', 'conll2003-de'], f1: 0.75, overall: 0.71 },
  es: { sources: ['conll2002-es'], f1: 0.82, overall: 0.78 },
};

function fail(message: string): never {
  console.error(`train: ${message}`);
  process.exit(1);
}

function read(path: string): AnnotatedDocument[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    fail(
      `cannot read ${path}: pass --data DIR or set BRIEFWIRE_NER_DATA to the folder of SOURCES.md`,
    );
  }
  return splitRunningText(parseConll(text, relative(process.cwd(), path)));
}

/** The sources SOURCES.md marks permissive, by language (its per-source tables). */
function permissiveSources(): Map<string, string[]> {
  const md = readFileSync(join(dataDir, 'SOURCES.md'), 'utf8');
  const byLang = new Map<string, string[]>();
  let lang = '';
  let column = -1;
  for (const line of md.split('\n')) {
    const heading = /^### (\w+)/.exec(line);
    if (heading) {
      lang = heading[1] as string;
      column = -1;
      continue;
    }
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').map((c) => c.trim());
    if (cells[1] === 'source') column = cells.indexOf('permissive');
    const id = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    if (id && column > 0 && cells[column] === 'yes')
      byLang.set(lang, [...(byLang.get(lang) ?? []), id]);
  }
  return byLang;
}

function featureList(list: string): OptionalFeature[] {
  if (list === 'none') return [];
  const names = list.split(',').map((name) => name.trim());
  for (const name of names)
    if (!isOptionalFeature(name))
      fail(
        `unknown feature "${name}" (--features takes none or some of ${OPTIONAL_FEATURES.join(', ')})`,
      );
  return names as OptionalFeature[];
}

function pct(x: number): string {
  return (100 * x).toFixed(1).padStart(5);
}

function row(name: string, c: Counts): string {
  const s = score(c);
  return `  ${name.padEnd(18)} P ${pct(s.precision)}  R ${pct(s.recall)}  F1 ${pct(s.f1)}  (${s.tp + s.fn} gold)`;
}

function evaluate(model: NerModel, docs: readonly AnnotatedDocument[]): Tally {
  const tagger = new NerTagger(model, defaultLexicon(), { contextMargin });
  const tally = new Tally();
  for (const doc of docs) {
    const predicted = tagger.tagDocument(doc.sentences.map((s) => s.tokens));
    doc.sentences.forEach((s, i) => {
      tally.add(s.labels, predicted[i] as Uint8Array, doc.source);
    });
  }
  return tally;
}

/** The counts of the language's news-domain target sources together. */
function newsCounts(tally: Tally, lang: Lang): Counts {
  const target = { tp: 0, fp: 0, fn: 0 };
  for (const source of TARGETS[lang].sources) {
    const c = tally.byGroup.get(source);
    if (c) for (const k of ['tp', 'fp', 'fn'] as const) target[k] += c[k];
  }
  return target;
}

function tokensPerSecond(model: NerModel, docs: readonly AnnotatedDocument[]): number {
  const tagger = new NerTagger(model, defaultLexicon());
  const sentences = docs.map((d) => d.sentences.map((s) => s.tokens));
  let tokens = 0;
  for (const d of sentences) for (const s of d) tokens += s.length;
  for (const d of sentences) tagger.tagDocument(d);
  const start = performance.now();
  for (const d of sentences) tagger.tagDocument(d);
  return tokens / ((performance.now() - start) / 1000);
}

/** Prints a model's dev scores: overall, by type and source, and the targets. */
function printDevScores(lang: Lang, model: NerModel, dev: readonly AnnotatedDocument[]): Tally {
  const tally = evaluate(model, dev);
  console.log(row('overall', tally.overall));
  for (const type of ENTITY_TYPES) console.log(row(type, tally.byType.get(type) as Counts));
  for (const [source, counts] of tally.byGroup) console.log(row(source, counts));
  const news = TARGETS[lang];
  const reached = score(newsCounts(tally, lang)).f1;
  const overall = score(tally.overall).f1 > news.overall ? 'PASS' : 'MISS';
  const newsLine =
    news.sources.length === 0
      ? 'no news-domain target'
      : `${news.sources.join(' + ')} F1 ${pct(reached)} (≥ ${pct(news.f1)}: ${reached >= news.f1 ? 'PASS' : 'MISS'})`;
  console.log(`  target: ${newsLine}; overall ≥ ${pct(news.overall)}: ${overall}`);
  return tally;
}

/** --eval-only: the dev scores of the model files already written, without training. */
function evalOnly(langs: readonly Lang[]): void {
  const minSpread = values['min-spread'] === undefined ? 0 : Number(values['min-spread']);
  if (!(minSpread >= 0))
    fail(`--min-spread takes a weight of 0 or more, not "${values['min-spread']}"`);
  for (const lang of langs) {
    const path = join(outDir, `${lang}.bwnr`);
    let file: NerModel;
    try {
      file = decodeModel(readFileSync(path));
    } catch (error) {
      fail(`cannot read the model ${relative(process.cwd(), path)}: ${(error as Error).message}`);
    }
    const model =
      minSpread > 0 ? { ...file, weights: withoutFlatRows(file.weights, minSpread) } : file;
    const rows = bucketsOf(model.weights).length;
    const all = bucketsOf(file.weights).length;
    console.log(
      `\n${lang}: ${relative(process.cwd(), path)}, ${rows} rows` +
        (minSpread > 0 ? ` of ${all} (those whose weights span ${minSpread} or more)` : ''),
    );
    printDevScores(lang, model, read(join(dataDir, lang, 'dev.conll')));
  }
}

const permissive = values.permissive ? permissiveSources() : null;
const langs = values.lang ? [values.lang as Lang] : LANGS;
for (const lang of langs)
  if (!LANGS.includes(lang)) fail(`unknown language "${lang}" (one of ${LANGS.join(', ')})`);

if (values['eval-only']) {
  evalOnly(langs);
  process.exit(0);
}
if (values['min-spread'] !== undefined) fail('--min-spread goes with --eval-only');
const lexicon = defaultLexicon();
const summary: string[] = [];
const started = performance.now();
for (const lang of langs) {
  const t0 = performance.now();
  let train: AnnotatedDocument[];
  if (permissive) {
    const sources = permissive.get(lang) ?? [];
    if (sources.length === 0) {
      console.log(
        `\n${lang}: SOURCES.md marks no ${lang} source permissive, so there is no permissive ${lang} model (without one the brief keeps its rule-based actors for ${lang})`,
      );
      continue;
    }
    train = sources.flatMap((s) => read(join(dataDir, lang, 'sources', `${s}.train.conll`)));
  } else train = read(join(dataDir, lang, 'train.conll'));
  const dev = read(join(dataDir, lang, 'dev.conll'));
  const settings = SETTINGS[lang];
  const epochs = values.epochs ? Number(values.epochs) : settings.epochs;
  const bits = values.bits ? Number(values.bits) : settings.bits;
  const silver = values.silver ? Number(values.silver) : settings.silver;
  const features = values.features ? featureList(values.features) : (settings.features ?? []);
  const minCount = values['min-count'] ? Number(values['min-count']) : (settings.minCount ?? 0);
  if (!(Number.isInteger(minCount) && minCount >= 0))
    fail(`--min-count takes a whole number of 0 or more, not "${values['min-count']}"`);
  const sources = [...new Set(train.map((d) => d.source))];
  console.log(
    `\n${lang}: ${sources.join(', ')}; ${epochs} epochs, 2^${bits} buckets, silver rate ${silver}, seed ${seed}, features: ${features.join(', ') || 'base'}` +
      (minCount > 1 ? `, context features seen ${minCount}+ times` : ''),
  );
  const tables = { casing: learnCasing(train), clusters: new Map<number, number>() };
  const model = trainTagger(train, {
    lang,
    lexicon,
    tables,
    bits,
    epochs,
    seed,
    prune: values.prune ? Number(values.prune) : (settings.prune ?? 0.5),
    minCount,
    rate: (source) => (SILVER.test(source) ? silver : 1),
    // No `features` key without optional templates: a file as the trainer wrote it before
    // the templates existed, so such models are reproduced byte for byte.
    meta: { sources, permissive: permissive !== null, ...(features.length > 0 && { features }) },
    onEpoch: (epoch, m) => {
      const t = evaluate(m, dev);
      const f = score(t.overall).f1;
      console.log(
        `  epoch ${epoch}: dev F1 ${pct(f)}, news ${pct(score(newsCounts(t, lang)).f1)}  (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      );
    },
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const tally = printDevScores(lang, model, dev);
  const bytes = encodeModel(model);

  const speed = tokensPerSecond(model, dev);
  console.log(
    `  model ${(bytes.length / 2 ** 20).toFixed(2)} MB, ${bucketsOf(model.weights).length} rows; ` +
      `${Math.round(speed).toLocaleString('en')} tokens/s; trained in ${trainSeconds.toFixed(0)} s`,
  );
  summary.push(
    `${lang} F1 ${pct(score(tally.overall).f1)}  ${(bytes.length / 2 ** 20).toFixed(2)} MB`,
  );
  if (!values['no-write']) {
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, `${lang}.bwnr`);
    writeFileSync(path, bytes);
    console.log(`  wrote ${relative(process.cwd(), path)} (${statSync(path).size} bytes)`);
  }
}
console.log(
  `\n${summary.join('\n')}\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
