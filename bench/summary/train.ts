// `npm run train:summary`: fits the summariser's weights (src/core/summary-model.ts) on the
// tunable development data only — CNN/DM's training-split stories and the even half of
// OrangeSum's validation split (bench/summary/data.ts says which); fit.ts says how.
// `npm run cv:summary` (cv.ts) judges the fitting by cross-validation on the same data.
//     npm run train:summary [-- --data DIR] [--dry-run] [--anchor A] [--lambda L] [--budget B] [--freeze a,b]
import { writeFileSync } from 'node:fs';
import { loadLanguageDetector } from '../../src/core/language.js';
import { FEATURES } from '../../src/core/summary.js';
import { dataDir, loadArticles, tunable } from './data.js';
import { choose, fitModel, fitOptions, prepare, score } from './fit.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  await loadLanguageDetector();
  // `--validate`: tune on one half of each tunable set and report the other half, to choose
  // how the fit is regularised without looking at the held-out sets.
  const validate = argv.includes('--validate');
  const all = loadArticles(dataDir(argv)).filter(tunable);
  const articles = validate ? all.filter((_, k) => k % 2 === 0) : all;
  const validation = validate ? all.filter((_, k) => k % 2 === 1).map(prepare) : [];
  const examples = articles.map(prepare);
  const options = fitOptions(argv);
  // The engine computes FEATURES only: a model with more weights would be read wrong.
  if (options.extra.length > 0 && !validate && !argv.includes('--dry-run'))
    throw new Error(
      `--extra ${options.extra.join(',')}: add these to FEATURES and unitFeatures in src/core/summary.ts before writing a model with them (--validate and --dry-run may try them)`,
    );
  console.log(
    `tuning on ${examples.length} articles: ${[...new Set(examples.map((e) => e.group))].join(', ')}`,
  );
  const model = fitModel(examples, options);

  console.log(JSON.stringify(model));
  if (validate) {
    for (const group of new Set(validation.map((e) => e.group))) {
      const part = validation.filter((e) => e.group === group);
      let r2 = 0;
      let words = 0;
      let actors = 0;
      for (const e of part) {
        const s = score(e, choose(e, model));
        r2 += s.r2;
        words += s.words;
        actors += s.actors;
      }
      const lead3 = part.reduce((s, e) => s + e.lead3Words, 0);
      console.log(
        `validation ${group}: R2 ${((100 * r2) / part.length).toFixed(2)}, ${(words / part.length).toFixed(1)} words (LEAD-3 ${(lead3 / part.length).toFixed(1)}), headline actors named ${((100 * actors) / part.length).toFixed(1)}%`,
      );
    }
    return;
  }
  if (argv.includes('--dry-run')) return;
  const file = new URL('../../src/core/summary-model.ts', import.meta.url);
  const weights = FEATURES.map((name, k) => `    ${model.weights[k]}, // ${name}`).join('\n');
  writeFileSync(
    file,
    `/**
 * The summariser's weights. Written by \`npm run train:summary\` (bench/summary/train.ts)
 * from the tunable development data (CNN/DM training-split stories, the even half of
 * OrangeSum validation); docs/summary-model.md says how well it does. Retrain, don't edit.
 */
export interface SummaryModel {
  /** One weight per feature, in the order of FEATURES in summary.ts. */
  weights: readonly number[];
  /** What a unit's words cost, per MAX_UNIT_WORDS words; keeps the average near LEAD-3's. */
  wordCost: number;
  /** How much a unit loses for repeating the words of one already chosen (0..1 overlap). */
  redundancy: number;
  /** A third unit is added only when it scores at least this much. */
  third: number;
  /** How much a unit gains for headline words and actors the chosen ones lack. */
  coverage: number;
}

export const SUMMARY_MODEL: SummaryModel = {
  weights: [
${weights}
  ],
  wordCost: ${model.wordCost},
  redundancy: ${model.redundancy},
  third: ${model.third},
  coverage: ${model.coverage},
};
`,
  );
  console.log(`wrote ${file.pathname}`);
}

await main();
