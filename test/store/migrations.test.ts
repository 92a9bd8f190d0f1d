import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreFileError } from '../../src/store/integrity.js';
import { MIGRATIONS, type Migration, migrate, schemaVersion } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { actor, addFeed, brief, damagePage, ingestTitles } from './helpers.js';

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

  it('works in memory for quick tests', async () => {
    const store = openSqliteStore(':memory:');
    const feed = await addFeed(store);
    expect(await store.feeds.get(feed.id)).toEqual(feed);
    await store.close();
  });

  it('makes a new store beside the file and puts it in place: nothing else is left behind', async () => {
    const store = openSqliteStore(file);
    await store.close();
    expect(readdirSync(path.dirname(file))).toEqual(['briefwire.db']);
  });

  describe('refuses a file it must not use, saying what is wrong and what to do, and leaves it as it was', () => {
    const shown = 'data/briefwire.db';
    /** The error opening `bytes` as the store gives, after checking the file is unchanged. */
    function refusal(bytes: Uint8Array): StoreFileError {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, bytes);
      let error: unknown = null;
      try {
        openSqliteStore(file, { show: () => shown });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(StoreFileError);
      expect(readFileSync(file).equals(bytes)).toBe(true);
      expect(readdirSync(path.dirname(file))).toEqual(['briefwire.db']);
      return error as StoreFileError;
    }
    /** A store with a feed followed by a chat, closed: its bytes. */
    async function soundStore(): Promise<Buffer> {
      const store = openSqliteStore(file);
      const feed = await addFeed(store);
      await store.subscriptions.add(feed.id, 'telegram:-100123');
      await ingestTitles(store, feed.id, ['One', 'Two']);
      await store.close();
      return readFileSync(file);
    }

    it('an empty file (0 bytes) is not filled with a new store', () => {
      const error = refusal(Buffer.alloc(0));
      expect(error.problem).toBe('empty');
      expect(error.message).toBe(
        'the store data/briefwire.db is empty (0 bytes): restore a backup made by briefwire db backup (README: Backups), or delete data/briefwire.db to start a new, empty store',
      );
    });

    it('a page of the subscriptions overwritten with zeros, or with noise', async () => {
      const sound = await soundStore();
      for (const fill of [0, 0xa5]) {
        writeFileSync(file, sound);
        damagePage(file, 'subscriptions', fill);
        const error = refusal(readFileSync(file));
        expect(error.problem).toBe('damaged');
        expect(error.message).toMatch(
          /^the store data\/briefwire\.db is damaged \([^\n]+\): restore a backup made by briefwire db backup \(README: Backups\), or move data\/briefwire\.db away to start a new, empty store/,
        );
      }
      // The same bytes, sound again, open as before.
      writeFileSync(file, sound);
      const store = openSqliteStore(file);
      expect(await store.subscriptions.listByDestination('telegram:-100123')).toHaveLength(1);
      await store.close();
    });

    it('a header overwritten, a file cut short, a file that is no database', async () => {
      const sound = await soundStore();
      const header = Buffer.from(sound);
      header.fill(0, 16, 24);
      expect(refusal(header)).toMatchObject({
        problem: 'damaged',
        message: expect.stringMatching(/is damaged \(its header is overwritten\)/),
      });
      expect(refusal(sound.subarray(0, 60))).toMatchObject({
        problem: 'damaged',
        message: expect.stringMatching(/is damaged \(cut short at 60 bytes\)/),
      });
      const zeros = Buffer.from(sound);
      zeros.fill(0, 0, 4096);
      expect(refusal(zeros).problem).toBe('not-sqlite');
      expect(refusal(Buffer.from('feeds:\n  - url: https://news.example/rss\n')).message).toBe(
        'data/briefwire.db is not a SQLite database (its first bytes are not the SQLite header): restore a backup made by briefwire db backup (README: Backups), or move data/briefwire.db away to start a new, empty store',
      );
    });

    it('another program’s SQLite database is not turned into a store', () => {
      const other = path.join(dir, 'other.db');
      const db = new Database(other);
      db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');");
      db.close();
      expect(refusal(readFileSync(other))).toMatchObject({
        problem: 'foreign',
        message:
          'data/briefwire.db is a SQLite database, but not a briefwire store (1 table of its own, no schema version): point dataDir (config) or BRIEFWIRE_DATA_DIR at another folder',
      });
    });
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

describe('migration 2', () => {
  it('adds destination_options to a version 1 file and keeps its data', async () => {
    const first = MIGRATIONS[0];
    if (first === undefined) throw new Error('no migrations');
    const db = new Database(':memory:');
    migrate(db, [first]);
    expect(schemaVersion(db)).toBe(1);
    db.prepare(
      "INSERT INTO feeds (url, name, interval_seconds, origin, next_poll_at, created_at) VALUES ('https://a.example/rss', 'a', 60, 'config', 0, 0)",
    ).run();
    expect(migrate(db, MIGRATIONS.slice(0, 2))).toBe(2);
    expect(db.prepare('SELECT count(*) AS n FROM feeds').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM destination_options').get()).toEqual({ n: 0 });
    db.close();
    const store = openSqliteStore(':memory:');
    expect(await store.destinations.get('console')).toEqual({});
    await store.close();
  });
});

describe('migration 3', () => {
  it('adds brief retries and flood episodes to a version 2 file and keeps its data', async () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 2));
    expect(schemaVersion(db)).toBe(2);
    db.prepare(
      "INSERT INTO feeds (url, name, interval_seconds, origin, next_poll_at, created_at) VALUES ('https://a.example/rss', 'a', 60, 'config', 0, 0)",
    ).run();
    expect(migrate(db, MIGRATIONS.slice(0, 3))).toBe(3);
    expect(db.prepare('SELECT url, held_back_since FROM feeds').all()).toEqual([
      { url: 'https://a.example/rss', held_back_since: null },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM brief_retries').get()).toEqual({ n: 0 });
    db.close();
    const store = openSqliteStore(':memory:');
    expect(await store.briefs.retries(1, ['g:1'])).toEqual([]);
    await store.close();
  });
});

describe('migration 8', () => {
  it('keeps what a digest shows of each brief stored before it: headline, link, source, date, first actor', async () => {
    const db = new Database(file.replace('nested/data/', ''));
    migrate(db, MIGRATIONS.slice(0, 7));
    db.prepare(
      "INSERT INTO feeds (id, url, name, interval_seconds, origin, next_poll_at, created_at) VALUES (1, 'https://a.example/rss', 'a', 60, 'config', 0, 0)",
    ).run();
    db.prepare(
      "INSERT INTO subscriptions (feed_id, destination, created_at) VALUES (1, 'console', 0)",
    ).run();
    const named = brief('Kim meets Moon', {
      source: 'Yonhap',
      publishedAt: '2026-12-06T10:00:00.000Z',
      actors: [
        actor('kim', 'Kim', { role: 'leader', aliases: ['Kim J.'] }),
        actor('seoul', 'Seoul'),
      ],
    });
    const bare = brief('No one named', { url: null, source: null, publishedAt: null, actors: [] });
    const insert = db.prepare(
      "INSERT INTO briefs (id, feed_id, title, language, created_at, json) VALUES (?, 1, ?, 'en', ?, ?)",
    );
    insert.run(1, named.title, 1000, JSON.stringify(named));
    insert.run(2, bare.title, 2000, JSON.stringify(bare));
    expect(migrate(db)).toBe(latest);
    db.close();

    const store = openSqliteStore(file.replace('nested/data/', ''));
    const digest = await store.briefs.sinceFor('console', new Date(0));
    await store.close();
    expect(digest.map((r) => r.brief)).toEqual([
      {
        title: 'Kim meets Moon',
        url: named.url,
        source: 'Yonhap',
        publishedAt: '2026-12-06T10:00:00.000Z',
        actors: [{ id: 'kim', name: 'Kim', kind: 'person' }],
      },
      { title: 'No one named', url: null, source: null, publishedAt: null, actors: [] },
    ]);
  });
});
