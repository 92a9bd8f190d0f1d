// `npm run cv:summary`: k-fold cross-validation of the summariser's fitting on the tunable
// development data only (CNN/DM training-split stories, the even half of OrangeSum: data.ts
// `tunable`). Each fold is fitted (fit.ts, as `npm run train:summary` fits) on the other
// k−1 folds and scored on itself, so every article is summarised once by a model that never
// saw it; the table gives those out-of-fold ROUGE figures beside LEAD-3 on the same
// articles, and beside the shipped model (src/core/summary-model.ts, fitted on all of them,
// so in-sample). This is how a change to the features or the fitting is judged: never on
// the held-out sets (CNN/DM's test split, OrangeSum's odd half), which this script never
// reads.
//     npm run cv:summary [-- --folds 5] [--anchor A] [--lambda L] [--budget B] [--freeze a,b] [--balance]
//     npm run cv:summary -- --try "--mode settings" --try "--anchor 2 --balance"
// With several --try, each is also compared with the first article by article (mean R2
// difference and its standard error).
import { loadLanguageDetector } from '../../src/core/language.js';
import { FEATURES } from '../../src/core/summary.js';
import { SUMMARY_MODEL, type SummaryModel } from '../../src/core/summary-model.js';
import { dataDir, loadArticles, tunable } from './data.js';
import {
  choose,
  type Example,
  type FitOptions,
  type FittedModel,
  fitModel,
  fitOptions,
  prepare,
} from './fit.js';
import { addRouge, type RougeTally, rouge, rougeTally } from './rouge.js';

interface Tally extends RougeTally {
  lede: number;
}
const tally = (): Tally => ({ ...rougeTally(), lede: 0 });

function add(t: Tally, reference: string, texts: readonly string[], lede: boolean): void {
  addRouge(t, reference, texts.join(' '));
  if (lede) t.lede++;
}

const summaryOf = (e: Example, model: SummaryModel) => {
  const chosen = choose(e, model);
  return { texts: chosen.map((f) => f.text), lede: chosen[0]?.position === 0 };
};

/** Out-of-fold figures of one way of fitting, with LEAD-3 and the shipped model beside them. */
function crossValidate(
  examples: readonly Example[],
  foldOf: ReadonlyMap<Example, number>,
  folds: number,
  options: FitOptions,
  label: string,
): Map<Example, number> {
  const outOfFold = new Map<Example, number>();
  const rows = new Map<string, { cv: Tally; shipped: Tally; lead3: Tally }>();
  const row = (group: string) => {
    let r = rows.get(group);
    if (!r) {
      r = { cv: tally(), shipped: tally(), lead3: tally() };
      rows.set(group, r);
    }
    return r;
  };
  const models: FittedModel[] = [];
  const cpu = process.cpuUsage();
  for (let k = 0; k < folds; k++) {
    const model = fitModel(
      examples.filter((e) => foldOf.get(e) !== k),
      options,
    );
    models.push(model);
    for (const e of examples) {
      if (foldOf.get(e) !== k) continue;
      const r = row(e.group);
      const cv = summaryOf(e, model);
      add(r.cv, e.article.reference, cv.texts, cv.lede);
      outOfFold.set(e, rouge(e.article.reference, cv.texts.join(' ')).rouge2.f1);
      const shipped = summaryOf(e, SUMMARY_MODEL);
      add(r.shipped, e.article.reference, shipped.texts, shipped.lede);
      add(r.lead3, e.article.reference, [e.lead3], true);
    }
  }

  const f = (x: number, n: number) => ((100 * x) / n).toFixed(2);
  const cells = (t: Tally) =>
    `${f(t.r1, t.n)} / ${f(t.r2, t.n)} / ${f(t.rl, t.n)}  ${(t.words / t.n).toFixed(1)} w  lede ${f(t.lede, t.n)}%`;
  console.log(
    `\n${label}: ${folds}-fold CV on the tunable sets, ROUGE-1/2/L F1 ×100, words per summary, how often it opens with the lede (${(process.cpuUsage(cpu).user / 1e6) | 0} s CPU)`,
  );
  for (const [group, r] of rows) {
    console.log(`${group} (n ${r.cv.n})`);
    console.log(`  out-of-fold   ${cells(r.cv)}`);
    console.log(`  shipped (in)  ${cells(r.shipped)}`);
    console.log(`  LEAD-3        ${cells(r.lead3)}`);
  }
  // How much the fitted weights move from fold to fold: a weight whose sign flips is noise.
  const spread = models[0]?.weights.map((_, i) => {
    const ws = models.map((m) => m.weights[i] ?? 0);
    const name = [...FEATURES, ...(models[0]?.extra ?? [])][i];
    return `${name} ${Math.min(...ws).toFixed(3)}..${Math.max(...ws).toFixed(3)}`;
  });
  console.log(`weights per fold (min..max): ${spread?.join(', ')}`);
  console.log(
    JSON.stringify({
      label,
      ...Object.fromEntries(
        [...rows].map(([g, r]) => [
          g,
          {
            cv: Number(f(r.cv.r2, r.cv.n)),
            cvWords: Number((r.cv.words / r.cv.n).toFixed(1)),
            lead3: Number(f(r.lead3.r2, r.lead3.n)),
            lead3Words: Number((r.lead3.words / r.lead3.n).toFixed(1)),
          },
        ]),
      ),
    }),
  );
  return outOfFold;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const folds = argv.includes('--folds') ? Number(argv[argv.indexOf('--folds') + 1]) : 5;
  if (!Number.isInteger(folds) || folds < 2) throw new Error('--folds needs a whole number ≥ 2');
  // `--try "--anchor 2 --balance"` (repeatable): several ways of fitting on one reading of
  // the data, which is most of the time a run takes. Without it, the command line's own.
  const tries = argv.flatMap((a, i) => (a === '--try' ? [argv[i + 1] ?? ''] : []));
  const configs = (tries.length > 0 ? tries : [argv.join(' ')]).map((t) => ({
    label: t.trim() || 'defaults',
    options: { ...fitOptions(t.split(/\s+/).filter(Boolean)), log: () => {} },
  }));
  await loadLanguageDetector();
  const examples = loadArticles(dataDir(argv)).filter(tunable).map(prepare);
  // Folds dealt per group, in file order, so each fold holds its share of every language.
  const foldOf = new Map<Example, number>();
  const seen = new Map<string, number>();
  for (const e of examples) {
    const k = seen.get(e.group) ?? 0;
    foldOf.set(e, k % folds);
    seen.set(e.group, k + 1);
  }
  const results = configs.map(({ label, options }) => ({
    label,
    r2: crossValidate(examples, foldOf, folds, options, label),
  }));
  // Each way of fitting against the first, article by article: the mean difference in
  // out-of-fold R2 and its standard error, so that a change is told from the noise.
  const [base, ...others] = results;
  if (base && others.length > 0) {
    console.log(
      `\nagainst "${base.label}", paired per article: mean R2 difference ×100 ± standard error`,
    );
    for (const other of others) {
      const cells = [...new Set(examples.map((e) => e.group))].map((group) => {
        const d = examples
          .filter((e) => e.group === group)
          .map((e) => (other.r2.get(e) ?? 0) - (base.r2.get(e) ?? 0));
        const mean = d.reduce((a, b) => a + b, 0) / d.length;
        const variance = d.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, d.length - 1);
        const se = Math.sqrt(variance / d.length);
        return `${group} ${(100 * mean).toFixed(2)} ± ${(100 * se).toFixed(2)}`;
      });
      console.log(`  ${other.label}: ${cells.join(', ')}`);
    }
  }
}

await main();
