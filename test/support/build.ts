/**
 * Vitest globalSetup: builds dist/ once before any test runs, so no test (most spawn
 * dist/cli.js) runs a stale build after an edit. Skipped when dist/ is newer than every
 * input of the build (src/, the lexicon script, the TypeScript and npm configs), so a second
 * project or a second run in a row costs nothing. A deleted or moved source file counts as
 * a change (its folder's time changes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Not from ./cli.js: that imports vitest, which a globalSetup may not.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const STAMP = path.join(ROOT, 'dist', '.built');
const INPUTS = [
  'src',
  'scripts/build-lexicon.mjs',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
];

function newest(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(file)) {
    // What the build writes into src/ (the lexicon data) is its output, not an input.
    if (entry.endsWith('.generated.json')) continue;
    latest = Math.max(latest, newest(path.join(file, entry)));
  }
  return latest;
}

export function isFresh(): boolean {
  if (!existsSync(STAMP)) return false;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.every((input) => {
    const file = path.join(ROOT, input);
    return !existsSync(file) || newest(file) < built;
  });
}

export default function setup(): void {
  if (isFresh()) return;
  // The stamp's time is the build's start: an edit made while it runs is seen next time.
  const started = new Date();
  const run = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`npm run build failed; the tests need dist/:\n${run.stdout}${run.stderr}`);
  }
  writeFileSync(STAMP, `${started.toISOString()}\n`);
  utimesSync(STAMP, started, started);
}
