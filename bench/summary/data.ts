import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One article of the development data (see SOURCES.md beside the files). */
export interface DevArticle {
  id: string;
  lang: string;
  title: string;
  title_from: string;
  text: string;
  reference: string;
  url: string | null;
  source: string;
}

/**
 * Where the development data is: `--data DIR`, else $BRIEFWIRE_SUMMARY_DATA, else
 * `../shared/data/summary` beside the repository.
 */
export function dataDir(argv: readonly string[]): string {
  const flag = argv.indexOf('--data');
  const given = flag >= 0 ? argv[flag + 1] : process.env.BRIEFWIRE_SUMMARY_DATA;
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const dir = given ? resolve(given) : join(root, '../shared/data/summary');
  if (!existsSync(dir)) {
    throw new Error(
      `no summary data at ${dir}: pass --data DIR or set BRIEFWIRE_SUMMARY_DATA (the folder with en-cnndm-dev.jsonl and fr-orangesum-dev.jsonl)`,
    );
  }
  return dir;
}

export function loadArticles(dir: string): DevArticle[] {
  const out: DevArticle[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.jsonl')) continue;
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (line.trim()) out.push(JSON.parse(line) as DevArticle);
    }
  }
  return out;
}

/**
 * The set an article is reported in. English: CNN/DM's training-split stories are the only
 * ones tuned on; its test-split stories are reported apart, untuned. French: OrangeSum
 * validation, even ids tuned on, odd ids held out. The others are smoke-test samples.
 */
export type Split = 'en-train' | 'en-test' | 'fr-tune' | 'fr-held' | 'de' | 'es' | 'it';
export const SPLITS: readonly Split[] = [
  'en-train',
  'en-test',
  'fr-tune',
  'fr-held',
  'de',
  'es',
  'it',
];

export function splitOf(a: DevArticle): Split {
  if (a.lang === 'en') return a.id.includes('-train-') ? 'en-train' : 'en-test';
  if (a.lang === 'fr') return Number(/\d+$/.exec(a.id)?.[0] ?? 0) % 2 === 0 ? 'fr-tune' : 'fr-held';
  return a.lang as Split;
}

/** What tuning may read: never a public benchmark's test split, never a held-out half. */
export function tunable(a: DevArticle): boolean {
  const split = splitOf(a);
  return split === 'en-train' || split === 'fr-tune';
}
