// How right the tagger's spans are by confidence, on the NER dev data (read, never copied):
// `npx tsx bench/ner-confidence.ts [docs per language]`. Chooses SURE_SPAN in model-runs.ts.
import { readFileSync } from 'node:fs';
import { defaultLexicon, LANGS } from '../src/core/lexicon/index.js';
import { parseConll } from '../src/core/ner/conll.js';
import { spansOf } from '../src/core/ner/labels.js';
import { NerTagger } from '../src/core/ner/tagger.js';
import { defaultModelPath, loadNerModel } from '../src/ner/load.js';

const DOCS = Number(process.argv[2] ?? 300);
const CUTS = [0.5, 0.7, 0.8, 0.9, 0.95];
for (const lang of LANGS) {
  const tagger = new NerTagger(loadNerModel(defaultModelPath(lang)), defaultLexicon());
  const path = new URL(`../../shared/data/ner/${lang}/dev.conll`, import.meta.url);
  const docs = parseConll(readFileSync(path, 'utf8'), `${lang}/dev.conll`);
  // Every k-th document, so each source of the dev set is represented.
  const step = Math.max(1, Math.floor(docs.length / DOCS));
  let gold = 0;
  const right = CUTS.map(() => 0);
  const shown = CUTS.map(() => 0);
  const low = { right: 0, all: 0 };
  for (let d = 0; d < docs.length; d += step) {
    const doc = docs[d];
    if (!doc) continue;
    const { labels, confidence } = tagger.tagDocumentScored(doc.sentences.map((s) => s.tokens));
    doc.sentences.forEach((s, i) => {
      const truth = new Set(spansOf(s.labels).map((x) => `${x.first}:${x.last}:${x.type}`));
      gold += truth.size;
      const sure = confidence[i] as Float32Array; // null: no span in the sentence
      for (const x of spansOf(labels[i] as Uint8Array)) {
        let c = 1;
        for (let k = x.first; k < Math.min(x.last + 1, s.tokens.length); k++)
          c = Math.min(c, sure[k] as number);
        const ok = truth.has(`${x.first}:${x.last}:${x.type}`);
        CUTS.forEach((cut, j) => {
          if (c < cut) return;
          shown[j] = (shown[j] as number) + 1;
          if (ok) right[j] = (right[j] as number) + 1;
        });
        if (c < 0.9) {
          low.all++;
          if (ok) low.right++;
        }
      }
    });
  }
  const all = (shown[0] as number) + 0;
  console.log(
    `${lang} gold ${gold}; spans under 0.9: ${low.all} right ${(low.right / low.all).toFixed(3)}`,
  );
  CUTS.forEach((cut, j) => {
    const r = right[j] as number;
    const s = shown[j] as number;
    console.log(
      `  conf>=${cut} P ${(r / s).toFixed(3)} R ${(r / gold).toFixed(3)} kept ${s}/${all}`,
    );
  });
}
