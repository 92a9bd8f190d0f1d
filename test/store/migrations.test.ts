import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, type Migration, migrate, schemaVersion } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { addFeed, ingestTitles } from './helpers.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'briefwire-migrations-'));
  file = path.join(dir, 'nested', 'data', 'briefwire.db');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const latest = MIGRATIONS.at(-1)?.version ?? 0;

function inspect<T>(use: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

describe('opening a store', () => {
  it('creates the file and its directory, at the latest schema, in WAL mode', async () => {
    const store = openSqliteStore(file);
    await store.close();
    inspect((db) => {
      expect(schemaVersion(db)).toBe(latest);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((row) => row.name);
      expect(tables).toEqual(
        expect.arrayContaining([
          'feeds',
          'items_seen',
          'briefs',
          'actors',
          'actor_terms',
          'brief_actors',
          'subscriptions',
          'deliveries',
          'digests',
          'leases',
        ]),
      );
    });
  });

  it('re-opens an existing file without migrating again, its data intact', async () => {
    const first = openSqliteStore(file);
    const feed = await addFeed(first);
    await ingestTitles(first, feed.id, ['Kept']);
    await first.close();
    await first.close(); // closing twice is harmless

    const second = openSqliteStore(file);
    expect((await second.feeds.list()).map((f) => f.url)).toEqual([feed.url]);
    expect((await second.outbox.pending('console', 10)).length).toBe(1);
    await second.close();
  });

  it('enforces foreign keys on every connection', async () => {
    const store = openSqliteStore(file);
    await expect(store.subscriptions.add(999, 'console')).rejects.toThrow(/FOREIGN KEY/);
    await store.close();
  });

  it('works in memory for quick tests', async () => {
    const store = openSqliteStore(':memory:');
    const feed = await addFeed(store);
    expect(await store.feeds.get(feed.id)).toEqual(feed);
    await store.close();
  });

  it('refuses a file from a newer briefwire, naming the file and both versions', async () => {
    await openSqliteStore(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${latest + 1}`);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(
      new RegExp(
        `briefwire\\.db: schema version ${latest + 1} is newer than this briefwire knows \\(${latest}\\)`,
      ),
    );
  });
});

describe('migrate', () => {
  const addColumn: Migration = {
    version: latest + 1,
    name: 'feeds get a category',
    sql: "ALTER TABLE feeds ADD COLUMN category TEXT NOT NULL DEFAULT 'news'",
  };

  it('upgrades an old file step by step and keeps its rows', async () => {
    const store = openSqliteStore(file);
    await addFeed(store);
    await store.close();

    const db = new Database(file);
    expect(migrate(db, [...MIGRATIONS, addColumn])).toBe(latest + 1);
    expect(db.prepare('SELECT url, category FROM feeds').all()).toEqual([
      { url: 'https://news.example/rss', category: 'news' },
    ]);
    // Running it again changes nothing.
    expect(migrate(db, [...MIGRATIONS, addColumn])).toBe(latest + 1);
    db.close();
  });

  it('upgrades a file stopped at an earlier version (the steps it lacks only)', () => {
    const db = new Database(path.join(dir, 'old.db'));
    const steps: Migration[] = [
      { version: 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, name: 'b', sql: 'CREATE TABLE b (y INTEGER)' },
    ];
    expect(migrate(db, steps.slice(0, 1))).toBe(1);
    db.prepare('INSERT INTO a VALUES (1)').run();
    expect(migrate(db, steps)).toBe(2);
    expect(db.prepare('SELECT x FROM a').all()).toEqual([{ x: 1 }]);
    db.close();
  });

  it('a failing step leaves the file at the previous version, nothing half-applied', () => {
    const db = new Database(':memory:');
    const broken: Migration = {
      version: latest + 1,
      name: 'broken',
      sql: 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);',
    };
    migrate(db);
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow(/no such table: nowhere/);
    expect(schemaVersion(db)).toBe(latest);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all()).toEqual([]);
    db.close();
  });
});
