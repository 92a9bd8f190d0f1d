import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import {
  addFeed,
  DAY,
  ingestTitles,
  MINUTE,
  openTestStore,
  START,
  type TestStore,
} from './helpers.js';

let t: TestStore;
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.cleanup();
});

describe('a quiet feed’s bookkeeping', () => {
  it('arrivals: when the feed’s briefs were stored, once per poll, newest first, at most the limit', async () => {
    const feed = await addFeed(t.store);
    const other = await addFeed(t.store, { url: 'https://other.example/rss' });
    await ingestTitles(t.store, feed.id, ['a', 'b', 'c']);
    t.clock.advance(DAY);
    await ingestTitles(t.store, feed.id, ['d']);
    await ingestTitles(t.store, other.id, ['x']);
    t.clock.advance(30 * MINUTE);
    await ingestTitles(t.store, feed.id, ['e', 'f']);
    expect(await t.store.briefs.arrivals(feed.id, 10)).toEqual([
      new Date(START + DAY + 30 * MINUTE),
      new Date(START + DAY),
      new Date(START),
    ]);
    expect(await t.store.briefs.arrivals(feed.id, 1)).toEqual([
      new Date(START + DAY + 30 * MINUTE),
    ]);
    expect(await t.store.briefs.arrivals(999, 10)).toEqual([]);
  });

  it('a feed keeps its last new item and quiet episode across a restart, until cleared', async () => {
    const feed = await addFeed(t.store);
    expect(feed).toMatchObject({ lastNewItemAt: null, quietSince: null });
    await t.store.feeds.updatePollState(feed.id, {
      lastNewItemAt: new Date(START),
      quietSince: new Date(START + DAY),
    });
    await t.store.feeds.updatePollState(feed.id, { consecutiveFailures: 1 });
    const store = await t.reopen();
    expect(await store.feeds.get(feed.id)).toMatchObject({
      lastNewItemAt: new Date(START),
      quietSince: new Date(START + DAY),
    });
    await store.feeds.updatePollState(feed.id, { quietSince: null });
    expect((await store.feeds.get(feed.id))?.quietSince).toBeNull();
  });
});

describe('migration 5', () => {
  it('adds the last new item and the quiet episode to a version 4 file and keeps its feeds', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 4));
    db.prepare(
      "INSERT INTO feeds (url, name, interval_seconds, origin, next_poll_at, created_at) VALUES ('https://a.example/rss', 'a', 60, 'config', 0, 0)",
    ).run();
    expect(migrate(db, MIGRATIONS.slice(0, 5))).toBe(5);
    expect(db.prepare('SELECT url, last_new_item_at, quiet_since FROM feeds').all()).toEqual([
      { url: 'https://a.example/rss', last_new_item_at: null, quiet_since: null },
    ]);
    db.close();
  });
});
