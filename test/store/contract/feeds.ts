import { beforeEach, describe, expect, it } from 'vitest';
import { addFeed, ingestTitles, MINUTE, START } from '../helpers.js';

import type { StoreUnderTest } from './harness.js';

export function feedsContract(current: () => StoreUnderTest): void {
  let t: StoreUnderTest;
  beforeEach(() => {
    t = current();
  });

  describe('feeds', () => {
    it('adds a feed due at once, with its options, and finds it by id and URL', async () => {
      const feed = await addFeed(t.store, { options: { maxNew: 1 }, languageHint: 'it' });
      expect(feed).toMatchObject({
        url: 'https://news.example/rss',
        name: 'Example news',
        intervalSeconds: 300,
        languageHint: 'it',
        origin: 'config',
        options: { maxNew: 1 },
        etag: null,
        lastPolledAt: null,
        consecutiveFailures: 0,
        paused: false,
      });
      expect(feed.nextPollAt.getTime()).toBe(START);
      expect(await t.store.feeds.get(feed.id)).toEqual(feed);
      expect(await t.store.feeds.getByUrl(feed.url)).toEqual(feed);
      expect(await t.store.feeds.get(999)).toBeNull();
      expect(await t.store.feeds.getByUrl('https://elsewhere.example/')).toBeNull();
    });

    it('gets many feeds at once (/feeds), in the order asked, skipping ids that are gone', async () => {
      const a = await addFeed(t.store, { url: 'https://a.example/rss' });
      const b = await addFeed(t.store, { url: 'https://b.example/rss' });
      expect(await t.store.feeds.getMany([b.id, 999, a.id])).toEqual([b, a]);
      expect(await t.store.feeds.getMany([])).toEqual([]);
    });

    it('adding a URL twice (config reload, two /subscribe) returns the stored feed', async () => {
      const first = await t.store.feeds.add({
        url: 'https://news.example/rss',
        name: 'First',
        intervalSeconds: 300,
        languageHint: null,
        origin: 'config',
      });
      const again = await t.store.feeds.add({
        url: 'https://news.example/rss',
        name: 'Second',
        intervalSeconds: 60,
        languageHint: null,
        origin: 'chat',
      });
      expect(first.created).toBe(true);
      expect(again.created).toBe(false);
      expect(again.feed).toEqual(first.feed);
      expect(await t.store.feeds.list()).toHaveLength(1);
    });

    it('keeps poll state (validators, schedule, failures, pause) across a restart', async () => {
      const feed = await addFeed(t.store);
      await t.store.feeds.updatePollState(feed.id, {
        etag: '"abc"',
        lastModified: 'Fri, 14 Mar 2025 07:00:00 GMT',
        lastPolledAt: new Date(START),
        nextPollAt: new Date(START + 5 * MINUTE),
        consecutiveFailures: 0,
      });
      const failed = await t.store.feeds.updatePollState(feed.id, {
        consecutiveFailures: 5,
        lastError: 'HTTP 500',
        paused: true,
        pausedReason: '5 failures in a row',
      });
      expect(failed).toMatchObject({ etag: '"abc"', consecutiveFailures: 5, paused: true });

      const store = await t.reopen();
      expect(await store.feeds.get(feed.id)).toMatchObject({
        etag: '"abc"',
        lastModified: 'Fri, 14 Mar 2025 07:00:00 GMT',
        lastPolledAt: new Date(START),
        nextPollAt: new Date(START + 5 * MINUTE),
        consecutiveFailures: 5,
        lastError: 'HTTP 500',
        paused: true,
        pausedReason: '5 failures in a row',
      });
      expect(await store.feeds.updatePollState(999, { etag: null })).toBeNull();
    });

    it('changes settings from the config without touching poll state', async () => {
      const feed = await addFeed(t.store);
      await t.store.feeds.updatePollState(feed.id, { etag: '"e"' });
      const changed = await t.store.feeds.updateSettings(feed.id, {
        name: 'Renamed',
        intervalSeconds: 900,
        languageHint: 'fr',
        options: { maxNew: 3 },
      });
      expect(changed).toMatchObject({
        name: 'Renamed',
        intervalSeconds: 900,
        languageHint: 'fr',
        options: { maxNew: 3 },
        etag: '"e"',
      });
    });

    it('due(now): feeds whose time has come, most overdue first, paused ones never', async () => {
      const a = await addFeed(t.store, { url: 'https://a.example/rss' });
      const b = await addFeed(t.store, { url: 'https://b.example/rss' });
      const c = await addFeed(t.store, { url: 'https://c.example/rss' });
      await t.store.feeds.updatePollState(a.id, { nextPollAt: new Date(START + 10 * MINUTE) });
      await t.store.feeds.updatePollState(b.id, { nextPollAt: new Date(START + 2 * MINUTE) });
      await t.store.feeds.updatePollState(c.id, { nextPollAt: new Date(START), paused: true });

      expect(await t.store.feeds.due(new Date(START + MINUTE))).toEqual([]);
      const due = await t.store.feeds.due(new Date(START + 10 * MINUTE));
      expect(due.map((feed) => feed.id)).toEqual([b.id, a.id]);
      expect((await t.store.feeds.due(new Date(START + 10 * MINUTE), 1)).map((f) => f.id)).toEqual([
        b.id,
      ]);
      await t.store.feeds.updatePollState(c.id, { paused: false, pausedReason: null });
      expect((await t.store.feeds.due(new Date(START + MINUTE))).map((f) => f.id)).toEqual([c.id]);
    });

    it('removing a feed drops its subscriptions and seen items but keeps its briefs', async () => {
      const feed = await addFeed(t.store);
      await t.store.subscriptions.add(feed.id, 'console');
      const [briefId] = await ingestTitles(t.store, feed.id, ['Kept story']);
      expect(await t.store.feeds.remove(feed.id)).toBe(true);
      expect(await t.store.feeds.remove(feed.id)).toBe(false);
      expect(await t.store.feeds.list()).toEqual([]);
      expect(await t.store.subscriptions.listByDestination('console')).toEqual([]);
      expect(await t.store.briefs.get(briefId ?? -1)).toMatchObject({ feedId: null });
    });
  });
}
