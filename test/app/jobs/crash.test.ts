import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openSqliteStore } from '../../../src/store/sqlite.js';
import { until } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./fixtures/fanout.mjs', import.meta.url));
const DESTINATIONS = 40;
const DELAY_MS = 15;

let dir: string;
let children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'briefwire-crash-'));
});
afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children = [];
  rmSync(dir, { recursive: true, force: true });
});

function run(
  db: string,
  out: string,
): { child: ChildProcess; exit: Promise<number | null>; stdout: () => string } {
  const child = spawn(process.execPath, [SCRIPT, db, out, String(DESTINATIONS), String(DELAY_MS)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exit = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) console.error(stderr);
      resolve(code);
    });
  });
  return { child, exit, stdout: () => stdout };
}

const lines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

it('kill -9 mid-fan-out: on restart every delivery goes out, at most one twice, none left', async () => {
  if (!existsSync(path.join(ROOT, 'dist/app/jobs/outbox.js'))) {
    throw new Error('dist/ has no scheduler: run `npm run build` first (npm test does it)');
  }
  const db = path.join(dir, 'briefwire.db');
  const out = path.join(dir, 'sent.txt');

  const first = run(db, out);
  await until(() => lines(out).length >= 12, 15_000);
  first.child.kill('SIGKILL');
  expect(await first.exit).toBeNull();
  const beforeRestart = lines(out).length;
  expect(beforeRestart).toBeLessThan(DESTINATIONS);

  const second = run(db, out);
  expect(await second.exit).toBe(0);
  expect(JSON.parse(second.stdout())).toMatchObject({
    ingested: 'duplicate',
    failed: 0,
    retried: 0,
  });

  const written = lines(out).map((line) => Number(line.split(' ')[0]));
  const times = new Map<number, number>();
  for (const id of written) times.set(id, (times.get(id) ?? 0) + 1);
  const repeated = [...times.values()].filter((n) => n > 1).length;

  const store = openSqliteStore(db);
  try {
    expect(await store.outbox.stats()).toMatchObject({ pending: 0 });
    for (let id = 1; id <= DESTINATIONS; id++) {
      expect(await store.outbox.get(id)).toMatchObject({ status: 'sent' });
      expect(times.get(id) ?? 0).toBeGreaterThanOrEqual(1);
    }
  } finally {
    await store.close();
  }
  expect(times.size).toBe(DESTINATIONS);
  expect(repeated).toBeLessThanOrEqual(1);
  expect(Math.max(...times.values())).toBeLessThanOrEqual(2);
  // One destination at a time, in creation order: the ids never go back, bar the repeat.
  expect(written.every((id, k) => k === 0 || id >= (written[k - 1] as number))).toBe(true);
  console.info(
    `crash test: ${DESTINATIONS} deliveries, killed after ${beforeRestart} lines, ` +
      `${written.length} lines in all, ${repeated} delivery written twice, 0 pending`,
  );
});
