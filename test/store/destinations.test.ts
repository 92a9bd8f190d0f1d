import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, schemaVersion } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { addFeed, openTestStore, type TestStore } from './helpers.js';

let t: TestStore;
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.cleanup();
});

describe('destination options', () => {
  it('are {} until set, merge on set, and a null value removes a key', async () => {
    expect(await t.store.destinations.get('telegram:-100123')).toEqual({});
    expect(await t.store.destinations.set('telegram:-100123', { language: 'it' })).toEqual({
      language: 'it',
    });
    expect(
      await t.store.destinations.set('telegram:-100123', { template: 'compact', language: 'en' }),
    ).toEqual({ language: 'en', template: 'compact' });
    expect(await t.store.destinations.set('telegram:-100123', { template: null })).toEqual({
      language: 'en',
    });
    expect(await t.store.destinations.get('console')).toEqual({});
    await t.store.destinations.set('telegram:-100123', { language: null });
    expect(await t.store.destinations.get('telegram:-100123')).toEqual({});
  });

  it('survive a restart', async () => {
    await t.store.destinations.set('discord:123456789012345678', { language: 'it' });
    const store = await t.reopen();
    expect(await store.destinations.get('discord:123456789012345678')).toEqual({ language: 'it' });
  });

  it('move with the chat when a group becomes a supergroup', async () => {
    const feed = await addFeed(t.store);
    await t.store.subscriptions.add(feed.id, 'telegram:-123');
    await t.store.destinations.set('telegram:-123', { language: 'it' });
    await t.store.subscriptions.moveDestination('telegram:-123', 'telegram:-100123');
    expect(await t.store.destinations.get('telegram:-123')).toEqual({});
    expect(await t.store.destinations.get('telegram:-100123')).toEqual({ language: 'it' });
  });

  it('are refused for a name that is no destination', async () => {
    await expect(t.store.destinations.set(' console', { language: 'it' })).rejects.toThrow();
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
