// `npx tsx scripts/ner-templates.ts [--lang de] [--models DIR] [--train]`: what each
// context feature template costs the tagger and holds in a model. The context features
// (sentence(), contextOnly) are looked up per token at tag time, unlike the word features,
// whose summed weights the tagger caches per spelling; a lookup that the presence bitmap
// turns away is cheap, one that passes probes the multi-MB weight table.
// Per template, on the bench article of each language (bench/articles/<lang>.txt):
// lookups per token, lookups that pass the bitmap, lookups that find a row; then the share
// of the model's rows the template's features reach on the dev split (--train: on the
// training split, which is where the rows come from; slower).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultLexicon, type Lang } from '../src/core/lexicon/index.js';
import { parseConll, splitRunningText } from '../src/core/ner/conll.js';
import { FeatureExtractor, MAX_FEATURES, type WordInfo } from '../src/core/ner/features.js';
import { hashString, mix } from '../src/core/ner/hash.js';
import { bucketsOf, decodeModel, PRESENCE_MASK, rowOf } from '../src/core/ner/model.js';
import { splitSentences } from '../src/core/text/sentences.js';
import { tokenize } from '../src/core/text/tokens.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    lang: { type: 'string' },
    models: { type: 'string' },
    data: { type: 'string' },
    train: { type: 'boolean', default: false },
  },
});
const LANGS: Lang[] = values.lang ? [values.lang as Lang] : ['en', 'it', 'fr', 'de', 'es'];
const models = values.models ?? join(ROOT, 'models', 'ner');
const dataDir =
  values.data ?? process.env.BRIEFWIRE_NER_DATA ?? join(ROOT, '..', 'shared', 'data', 'ner');

const T = (name: string) => hashString(`template:${name}`);
const PAD = hashString('<pad>');
const FIXED = [
  'bigram-left',
  'bigram-right',
  'shape-trigram',
  'left-word-shape',
  'shape-right-word',
  'left-pair',
  'right-pair',
];
const NAMES = ['lex', 'headline-lower', ...FIXED, 'chunk', 'doc', 'doc-topic'] as const;
type Name = (typeof NAMES)[number];
const BIGRAM_LEFT = T('bigram-left');
const HEADLINE_LOWER = T('headline-lower');
const CAPS = 3; // FLAG_CAP | FLAG_ALLCAPS

/**
 * Calls `each(template, feature)` for every context feature of a document, attributed by
 * where sentence() writes it: lexicon matches and the headline feature before the word
 * pairs (found by recomputing bigram-left), the seven pair templates in order, then the
 * name chunk's, the document's four (capitalised words; one with doc-joined) and doc-topic's.
 */
function contextFeatures(
  extractor: FeatureExtractor,
  switches: readonly string[],
  sentences: readonly (readonly string[])[],
  each: (name: Name, feature: number) => void,
): number {
  const joinedDoc = switches.includes('doc-joined');
  const infos = sentences.map((s) => extractor.infos(s));
  const facts = extractor.docFacts(infos);
  let tokens = 0;
  sentences.forEach((s, index) => {
    const n = s.length;
    const out = new Int32Array(Math.max(1, n) * MAX_FEATURES);
    const counts = new Int32Array(n);
    const words = infos[index] as WordInfo[];
    extractor.sentence(s, words, facts, out, counts, true);
    for (let i = 0; i < n; i++) {
      tokens++;
      const me = words[i] as WordInfo;
      const base = i * MAX_FEATURES;
      const end = base + (counts[i] as number);
      const left = mix(BIGRAM_LEFT, mix(i > 0 ? (words[i - 1] as WordInfo).lower : PAD, me.lower));
      let p = base;
      while (p < end && out[p] !== left) p++;
      if (p === end) throw new Error('no bigram-left feature: the attribution is out of date');
      for (let k = base; k < p; k++) {
        const headline = k === p - 1 && out[k] === mix(HEADLINE_LOWER, me.lower);
        each(headline ? 'headline-lower' : 'lex', out[k] as number);
      }
      for (let j = 0; j < FIXED.length; j++) each(FIXED[j] as Name, out[p + j] as number);
      const cap = (me.flags & CAPS) !== 0;
      const topics = cap ? (facts.topics?.length ?? 0) : 0;
      const doc = cap ? (joinedDoc ? 1 : 4) : 0;
      const chunkEnd = end - doc - topics;
      for (let k = p + FIXED.length; k < chunkEnd; k++) each('chunk', out[k] as number);
      for (let k = chunkEnd; k < chunkEnd + doc; k++) each('doc', out[k] as number);
      for (let k = chunkEnd + doc; k < end; k++) each('doc-topic', out[k] as number);
    }
  });
  return tokens;
}

function articleSentences(lang: Lang): string[][] {
  const [title, ...rest] = readFileSync(join(ROOT, 'bench', 'articles', `${lang}.txt`), 'utf8')
    .split('\n')
    .map((l) => l);
  const text = `${(title ?? '').trim()}\n\n${rest.join('\n').trim()}`;
  const tokens = tokenize(text);
  return splitSentences(text, lang).map((s) =>
    tokens.filter((t) => t.start >= s.start && t.end <= s.end).map((t) => t.text),
  );
}

const lexicon = defaultLexicon();
for (const lang of LANGS) {
  const model = decodeModel(readFileSync(join(models, `${lang}.bwnr`)));
  const table = model.weights;
  const mask = 2 ** model.meta.bits - 1;
  const extractor = new FeatureExtractor({
    lang,
    lexicon,
    tables: model.tables,
    features: model.meta.features ?? [],
  });
  const rows = bucketsOf(table).length;
  const stats = new Map<Name, { lookups: number; pass: number; hit: number; rows: Set<number> }>(
    NAMES.map((name) => [name, { lookups: 0, pass: 0, hit: 0, rows: new Set() }]),
  );
  const switches = model.meta.features ?? [];
  const tokens = contextFeatures(extractor, switches, articleSentences(lang), (name, feature) => {
    const s = stats.get(name) as { lookups: number; pass: number; hit: number };
    const bucket = feature & mask;
    const bit = bucket & PRESENCE_MASK;
    s.lookups++;
    if (((table.present[bit >>> 5] as number) & (1 << (bit & 31))) !== 0) s.pass++;
    if (rowOf(table, bucket) >= 0) s.hit++;
  });
  const split = values.train ? 'train' : 'dev';
  const docs = splitRunningText(
    parseConll(readFileSync(join(dataDir, lang, `${split}.conll`), 'utf8'), split),
  );
  for (const doc of docs)
    contextFeatures(
      extractor,
      switches,
      doc.sentences.map((s) => s.tokens),
      (name, feature) => {
        const bucket = feature & mask;
        if (rowOf(table, bucket) >= 0) stats.get(name)?.rows.add(bucket);
      },
    );
  console.log(
    `\n${lang}: ${join(models, `${lang}.bwnr`)}, ${rows} rows; bench article ${tokens} tokens; rows reached on ${split}`,
  );
  console.log(
    '  template            lookups/token  pass bitmap/token  rows hit/token  share of rows',
  );
  let total = { lookups: 0, pass: 0, hit: 0, rows: 0 };
  for (const [name, s] of stats) {
    total = {
      lookups: total.lookups + s.lookups,
      pass: total.pass + s.pass,
      hit: total.hit + s.hit,
      rows: total.rows + s.rows.size,
    };
    console.log(
      `  ${name.padEnd(18)} ${(s.lookups / tokens).toFixed(2).padStart(13)}  ${(s.pass / tokens).toFixed(2).padStart(17)}  ${(s.hit / tokens).toFixed(2).padStart(14)}  ${((100 * s.rows.size) / rows).toFixed(1).padStart(12)} %`,
    );
  }
  console.log(
    `  ${'all context'.padEnd(18)} ${(total.lookups / tokens).toFixed(2).padStart(13)}  ${(total.pass / tokens).toFixed(2).padStart(17)}  ${(total.hit / tokens).toFixed(2).padStart(14)}  ${((100 * total.rows) / rows).toFixed(1).padStart(12)} %`,
  );
}
