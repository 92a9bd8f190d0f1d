import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_ENV_VARS } from '../../src/config/index.js';
import { BackupError, backupSqliteFile } from '../../src/store/backup.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import type { Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { expectOneLineError, runCli } from '../support/cli.js';
import { rejection } from '../support/errors.js';
import { tempFolder } from '../support/files.js';

const { dir } = tempFolder('backup');
const SEEDED = 5000;

/** A writer in another thread: one lease per transaction, `w-0`, `w-1`, … until told to stop. */
const WRITER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
const db = new Database(workerData.file, { timeout: 5000 });
const insert = db.prepare("INSERT INTO leases (name, owner, expires_at) VALUES (?, 'writer', 0)");
let stop = false;
parentPort.on('message', () => { stop = true; });
let i = 0;
const loop = () => {
  const until = Date.now() + 5;
  while (Date.now() < until) insert.run('w-' + i++);
  parentPort.postMessage(i);
  if (stop) { db.close(); parentPort.postMessage({ done: i }); } else setImmediate(loop);
};
loop();
`;

async function seededStore(file: string): Promise<Store> {
  const store = openSqliteStore(file);
  for (let k = 0; k < 20; k++) {
    await store.feeds.add({
      url: `https://news.example/${k}.xml`,
      name: `feed ${k}`,
      intervalSeconds: 900,
      languageHint: null,
      origin: 'config',
    });
  }
  // A few MiB, so that the copy is more than a handful of pages.
  const db = new Database(file);
  const insert = db.prepare('INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, 0)');
  db.transaction(() => {
    for (let k = 0; k < SEEDED; k++) insert.run(`seed-${k}`, 'x'.repeat(500));
  })();
  db.close();
  return store;
}

describe('backupSqliteFile', () => {
  const file = join(dir, 'live.db');
  let store: Store;
  beforeAll(async () => {
    store = await seededStore(file);
  });
  afterAll(async () => {
    await store.close();
  });

  it('copies a store in WAL mode while another connection writes: a consistent, checked copy', async () => {
    const worker = new Worker(WRITER, { eval: true, workerData: { file } });
    const counts: number[] = [];
    let resolveDone: (n: number) => void = () => {};
    const done = new Promise<number>((resolve) => {
      resolveDone = resolve;
    });
    const started = new Promise<void>((resolve) => {
      worker.on('message', (message: number | { done: number }) => {
        if (typeof message === 'number') {
          counts.push(message);
          resolve();
        } else resolveDone(message.done);
      });
    });
    await started;
    const before = counts.at(-1) ?? 0;
    const target = join(dir, 'copy.db');
    const result = await backupSqliteFile(file, target);
    worker.postMessage('stop');
    const after = await done;
    await worker.terminate();

    expect(after).toBeGreaterThan(before);
    expect(result.file).toBe(target);
    expect(result.pages).toBeGreaterThan(100);
    expect(result.bytes).toBe(readFileSync(target).byteLength);

    const copy = new Database(target, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(copy.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)?.version);
      expect(copy.prepare('SELECT count(*) FROM feeds').pluck().get()).toBe(20);
      expect(
        copy.prepare("SELECT count(*) FROM leases WHERE name LIKE 'seed-%'").pluck().get(),
      ).toBe(SEEDED);
      // One snapshot: the writer's rows are a prefix w-0 … w-(n-1), n within what it had
      // committed before and after the copy.
      const names = copy
        .prepare("SELECT name FROM leases WHERE name LIKE 'w-%'")
        .pluck()
        .all() as string[];
      const numbers = names.map((n) => Number(n.slice(2))).sort((a, b) => a - b);
      expect(numbers.length).toBeGreaterThanOrEqual(before);
      expect(numbers.length).toBeLessThanOrEqual(after);
      expect(numbers.every((n, k) => n === k)).toBe(true);
    } finally {
      copy.close();
    }
    // The store is still in use and in WAL mode; no temporary file is left behind.
    expect(await store.feeds.list()).toHaveLength(20);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
    expect(existsSync(`${target}-wal`)).toBe(false);
  });

  it('refuses an existing FILE, and leaves it as it was; force replaces it', async () => {
    const target = join(dir, 'taken.db');
    writeFileSync(target, 'precious');
    const error = await rejection(backupSqliteFile(file, target), BackupError);
    expect(error.message).toMatch(/taken\.db already exists \(--force replaces it\)/);
    expect(readFileSync(target, 'utf8')).toBe('precious');

    const result = await backupSqliteFile(file, target, { force: true });
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT count(*) FROM feeds').pluck().get()).toBe(20);
    copy.close();
    expect(result.pages).toBeGreaterThan(0);
  });

  it('refuses a FILE in a folder that does not exist, a folder, and the store itself', async () => {
    const noFolder = await rejection(
      backupSqliteFile(file, join(dir, 'missing', 'x.db')),
      BackupError,
    );
    expect(noFolder.message).toMatch(/the folder .*missing does not exist/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);

    mkdirSync(join(dir, 'folder'));
    const folder = await rejection(backupSqliteFile(file, join(dir, 'folder')), BackupError);
    expect(folder.message).toMatch(/is a folder/);

    const itself = await rejection(backupSqliteFile(file, file, { force: true }), BackupError);
    expect(itself.message).toMatch(/is the store itself/);
  });

  it('refuses a source that is missing or not a database, and writes nothing', async () => {
    const missing = await rejection(
      backupSqliteFile(join(dir, 'nothing.db'), join(dir, 'out1.db')),
      BackupError,
    );
    expect(missing.message).toMatch(/^no store at .*nothing\.db: no such file or folder$/);

    const text = join(dir, 'text.db');
    writeFileSync(
      text,
      'this is not a database, only some text that is long enough to read'.repeat(20),
    );
    const notDb = await rejection(backupSqliteFile(text, join(dir, 'out2.db')), BackupError);
    expect(notDb.message).toMatch(/not a SQLite database/);
    expect(existsSync(join(dir, 'out1.db'))).toBe(false);
    expect(existsSync(join(dir, 'out2.db'))).toBe(false);
  });
});

describe('briefwire db backup', () => {
  const dataDir = join(dir, 'cli-data');
  const env: NodeJS.ProcessEnv = { ...process.env, BRIEFWIRE_DATA_DIR: dataDir };
  for (const name of CONFIG_ENV_VARS) if (name !== 'BRIEFWIRE_DATA_DIR') delete env[name];

  beforeAll(async () => {
    await (await seededStore(join(dataDir, 'briefwire.db'))).close();
  });

  it('backs up the store of the data dir, then refuses to overwrite the copy', async () => {
    const target = join(dir, 'cli-copy.db');
    const first = await runCli(['db', 'backup', target], { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^backed up \d+ pages \(\d+(\.\d)? (KiB|MiB)\) to .*cli-copy\.db\n$/,
    );
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT count(*) FROM feeds').pluck().get()).toBe(20);
    copy.close();

    expectOneLineError(
      await runCli(['db', 'backup', target], { env }),
      /cli-copy\.db already exists \(--force replaces it\)/,
    );
    const forced = await runCli(['db', 'backup', '--force', target], { env });
    expect(forced.code).toBe(0);
  });

  it("backs up the store DATABASE_URL names, not the data dir's", async () => {
    const elsewhere = join(dir, 'elsewhere.db');
    const store = openSqliteStore(elsewhere);
    await store.feeds.add({
      url: 'https://only.example/rss',
      name: 'only here',
      intervalSeconds: 900,
      languageHint: null,
      origin: 'config',
    });
    await store.close();
    const target = join(dir, 'cli-elsewhere.db');
    const run = await runCli(['db', 'backup', target], {
      env: { ...env, DATABASE_URL: `sqlite:${elsewhere}` },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT url FROM feeds').pluck().all()).toEqual([
      'https://only.example/rss',
    ]);
    copy.close();
    expectOneLineError(
      await runCli(['db', 'backup', join(dir, 'x.db')], {
        env: { ...env, DATABASE_URL: 'mysql://root:hunter2@db/news' },
      }),
      /^briefwire: DATABASE_URL: briefwire cannot store in "mysql:"/,
    );
  });

  it('one line for a usage mistake or a missing folder', async () => {
    expectOneLineError(await runCli(['db', 'backup'], { env }), /db backup takes one FILE/);
    expectOneLineError(await runCli(['db'], { env }), /db needs a subcommand/);
    expectOneLineError(
      await runCli(['db', 'backup', join(dir, 'nope', 'x.db')], { env }),
      /the folder .*nope does not exist/,
    );
  });
});
