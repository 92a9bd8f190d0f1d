import { beforeEach, describe, expect, it } from 'vitest';
import {
  type Destination,
  NEWEST_WALK_MIN_FEEDS,
  NEWEST_WALK_ROWS,
  seenRefreshMs,
} from '../../../src/store/port.js';
import { actor, addFeed, brief, DAY, ingestTitles, MINUTE, START } from '../helpers.js';

import type { StoreUnderTest } from './harness.js';

export function briefsContract(current: () => StoreUnderTest): void {
  let t: StoreUnderTest;
  beforeEach(() => {
    t = current();
  });

  const titles = (records: { brief: { title: string } }[]) => records.map((r) => r.brief.title);

  describe('briefs', () => {
    it('/brief: the latest N of the chat’s feeds, newest first, other chats’ feeds not', async () => {
      const a = await addFeed(t.store, { url: 'https://a.example/rss' });
      const b = await addFeed(t.store, { url: 'https://b.example/rss' });
      const other = await addFeed(t.store, { url: 'https://other.example/rss' });
      await t.store.subscriptions.add(a.id, 'console');
      const { subscription } = await t.store.subscriptions.add(b.id, 'console');
      await t.store.subscriptions.pause(subscription.id, 'quiet');
      await ingestTitles(t.store, a.id, ['A1']);
      t.clock.advance(MINUTE);
      await ingestTitles(t.store, b.id, ['B1']);
      t.clock.advance(MINUTE);
      await ingestTitles(t.store, other.id, ['Other']);
      await ingestTitles(t.store, a.id, ['A2', 'A3']);

      expect(titles(await t.store.briefs.latestFor('console', 3))).toEqual(['A3', 'A2', 'B1']);
      expect(titles(await t.store.briefs.latestFor('console', 10))).toEqual([
        'A3',
        'A2',
        'B1',
        'A1',
      ]);
      expect(await t.store.briefs.latestFor('discord:9', 10)).toEqual([]);
    });

    it('/brief with many feeds: the newest across all of them, a quiet feed’s old ones included', async () => {
      const feeds = [];
      for (let i = 0; i < 12; i++) {
        const feed = await addFeed(t.store, { url: `https://f${i}.example/rss` });
        await t.store.subscriptions.add(feed.id, 'console');
        feeds.push(feed);
      }
      const [busy, quiet, ...others] = feeds;
      await ingestTitles(t.store, quiet?.id ?? -1, ['Quiet 1', 'Quiet 2']);
      t.clock.advance(MINUTE);
      await ingestTitles(t.store, busy?.id ?? -1, ['Busy 1', 'Busy 2', 'Busy 3', 'Busy 4']);
      t.clock.advance(MINUTE);
      // Several feeds polled at the same time: ties on time are broken by ingest order.
      for (const [i, feed] of others.entries()) await ingestTitles(t.store, feed.id, [`Tie ${i}`]);

      expect(titles(await t.store.briefs.latestFor('console', 3))).toEqual([
        'Tie 9',
        'Tie 8',
        'Tie 7',
      ]);
      const all = titles(await t.store.briefs.latestFor('console', 20));
      expect(all.slice(10)).toEqual(['Busy 4', 'Busy 3', 'Busy 2', 'Busy 1', 'Quiet 2', 'Quiet 1']);
      expect(titles(await t.store.briefs.latestFor('console', 12)).slice(10)).toEqual([
        'Busy 4',
        'Busy 3',
      ]);
    });

    it('/brief and a digest in a busy store: a chat of many quiet feeds still gets its own', async () => {
      /** `count` more feeds the chat follows, none with a brief: a chat of many feeds. */
      async function followMore(destination: Destination, count: number, name: string) {
        for (let i = 0; i < count; i++) {
          const feed = await addFeed(t.store, { url: `https://${name}${i}.example/rss` });
          await t.store.subscriptions.add(feed.id, destination);
        }
      }
      const quiet = await addFeed(t.store, { url: 'https://quiet.example/rss' });
      const paused = await addFeed(t.store, { url: 'https://paused.example/rss' });
      const busy = await addFeed(t.store, { url: 'https://busy.example/rss' });
      await t.store.subscriptions.add(quiet.id, 'console');
      await t.store.subscriptions.add(busy.id, 'discord:9');
      const { subscription } = await t.store.subscriptions.add(paused.id, 'console');
      await t.store.subscriptions.pause(subscription.id, 'quiet');
      await followMore('console', NEWEST_WALK_MIN_FEEDS, 'c');
      await followMore('discord:9', NEWEST_WALK_MIN_FEEDS, 'd');
      const since = new Date(t.clock.now);
      await ingestTitles(t.store, quiet.id, ['Quiet 1']);
      await ingestTitles(t.store, paused.id, ['Paused 1']);
      await ingestTitles(t.store, quiet.id, ['Quiet 2']);
      t.clock.advance(MINUTE);
      // More of another chat's briefs, all newer, than the stores read of the newest at once.
      const many = Array.from({ length: NEWEST_WALK_ROWS + 5 }, (_, i) => `Busy ${i}`);
      await ingestTitles(t.store, busy.id, many, ['discord:9']);

      expect(titles(await t.store.briefs.latestFor('console', 2))).toEqual(['Quiet 2', 'Paused 1']);
      expect(titles(await t.store.briefs.latestFor('console', 5))).toEqual([
        'Quiet 2',
        'Paused 1',
        'Quiet 1',
      ]);
      expect(titles(await t.store.briefs.sinceFor('console', since, 5))).toEqual([
        'Quiet 1',
        'Quiet 2',
      ]);
      // The busy chat's own answer is among the newest.
      expect(titles(await t.store.briefs.latestFor('discord:9', 2))).toEqual([
        `Busy ${NEWEST_WALK_ROWS + 4}`,
        `Busy ${NEWEST_WALK_ROWS + 3}`,
      ]);
      expect(titles(await t.store.briefs.sinceFor('discord:9', since, 2))).toEqual([
        'Busy 0',
        'Busy 1',
      ]);
    }, 60_000);

    it('gets a brief by id with the full Brief JSON', async () => {
      const feed = await addFeed(t.store);
      const stored = brief('Belousov in Pyongyang', {
        language: 'it',
        publishedAt: null,
        actors: [actor('andrei-belousov', 'Andrei Belousov', { aliases: ['Belousov'] })],
        tags: ['#Belousov'],
      });
      const [outcome] = await t.store.ingest(feed.id, [
        { keys: ['guid:1'], brief: stored, destinations: [] },
      ]);
      const id = outcome?.status === 'stored' ? outcome.briefId : -1;
      expect(await t.store.briefs.get(id)).toEqual({
        id,
        feedId: feed.id,
        createdAt: new Date(START),
        brief: stored,
      });
      expect(await t.store.briefs.get(id + 1)).toBeNull();
    });
  });

  describe('digests', () => {
    it('keeps a schedule per destination; changing it keeps when the last one went out', async () => {
      const set = await t.store.digests.set('telegram:-1', '0 8 * * *', 'Europe/Rome');
      expect(set).toMatchObject({ cron: '0 8 * * *', timezone: 'Europe/Rome', lastSentAt: null });
      expect(await t.store.digests.markSent('telegram:-1', new Date(START))).toBe(true);
      const changed = await t.store.digests.set('telegram:-1', '30 7 * * 1-5', 'Asia/Seoul');
      expect(changed).toMatchObject({
        cron: '30 7 * * 1-5',
        timezone: 'Asia/Seoul',
        lastSentAt: new Date(START),
      });
      await t.store.digests.set('console', '0 20 * * *', 'UTC');
      expect((await t.store.digests.list()).map((d) => d.destination)).toEqual([
        'console',
        'telegram:-1',
      ]);
      expect(await t.store.digests.remove('console')).toBe(true);
      expect(await t.store.digests.get('console')).toBeNull();
      expect(await t.store.digests.markSent('console', new Date(START))).toBe(false);
    });

    it('a digest covers the briefs since the last one, of active subscriptions, oldest first', async () => {
      const a = await addFeed(t.store, { url: 'https://a.example/rss' });
      const b = await addFeed(t.store, { url: 'https://b.example/rss' });
      await t.store.subscriptions.add(a.id, 'console');
      const { subscription } = await t.store.subscriptions.add(b.id, 'console');
      await ingestTitles(t.store, a.id, ['Yesterday']);
      t.clock.advance(DAY);
      const since = new Date(t.clock.now);
      await ingestTitles(t.store, a.id, ['Today 1']);
      await ingestTitles(t.store, b.id, ['Today B']);
      t.clock.advance(MINUTE);
      await ingestTitles(t.store, a.id, ['Today 2']);

      expect(titles(await t.store.briefs.sinceFor('console', since))).toEqual([
        'Today 1',
        'Today B',
        'Today 2',
      ]);
      expect(titles(await t.store.briefs.sinceFor('console', since, 2))).toEqual([
        'Today 1',
        'Today B',
      ]);
      await t.store.subscriptions.pause(subscription.id, 'muted');
      expect(titles(await t.store.briefs.sinceFor('console', since))).toEqual([
        'Today 1',
        'Today 2',
      ]);
    });
    it('a digest reads what it shows of each brief: headline, link, source, date, first actor', async () => {
      const feed = await addFeed(t.store);
      await t.store.subscriptions.add(feed.id, 'console');
      const since = new Date(t.clock.now);
      await t.store.ingest(feed.id, [
        {
          keys: ['g:1'],
          brief: brief('Kim meets Moon', {
            source: 'Yonhap',
            actors: [actor('kim', 'Kim', { role: 'leader' }), actor('moon', 'Moon')],
            tags: ['#Kim'],
          }),
          destinations: ['console'],
        },
      ]);
      await ingestTitles(t.store, feed.id, ['No one named']);

      const [named, bare] = await t.store.briefs.sinceFor('console', since);
      expect(named?.brief).toEqual({
        title: 'Kim meets Moon',
        url: 'https://news.example/Kim%20meets%20Moon',
        source: 'Yonhap',
        publishedAt: '2025-03-14T07:00:00.000Z',
        actors: [{ id: 'kim', name: 'Kim', kind: 'person' }],
      });
      expect(bare?.brief.actors).toEqual([]);
    });
    it('a digest over many feeds takes the oldest first across all of them, up to its limit', async () => {
      const feeds = [];
      for (let i = 0; i < 6; i++) {
        const feed = await addFeed(t.store, { url: `https://d${i}.example/rss` });
        await t.store.subscriptions.add(feed.id, 'console');
        feeds.push(feed);
      }
      const [early, late, ...others] = feeds;
      await ingestTitles(t.store, early?.id ?? -1, ['Before']);
      t.clock.advance(MINUTE);
      const since = new Date(t.clock.now);
      await ingestTitles(t.store, early?.id ?? -1, ['Early 1', 'Early 2', 'Early 3']);
      for (const [i, feed] of others.entries()) await ingestTitles(t.store, feed.id, [`Same ${i}`]);
      t.clock.advance(MINUTE);
      await ingestTitles(t.store, late?.id ?? -1, ['Late']);

      expect(titles(await t.store.briefs.sinceFor('console', since, 5))).toEqual([
        'Early 1',
        'Early 2',
        'Early 3',
        'Same 0',
        'Same 1',
      ]);
      expect(titles(await t.store.briefs.sinceFor('console', since))).toEqual([
        'Early 1',
        'Early 2',
        'Early 3',
        'Same 0',
        'Same 1',
        'Same 2',
        'Same 3',
        'Late',
      ]);
    });
  });

  describe('prune', () => {
    it('forgets old briefs, seen keys, finished deliveries and actors; keeps what is still queued', async () => {
      const feed = await addFeed(t.store);
      await t.store.subscriptions.add(feed.id, 'console');
      const [old] = await t.store.ingest(feed.id, [
        {
          keys: ['guid:old'],
          brief: brief('Old', { actors: [actor('old-person', 'Old Person')] }),
          destinations: ['console'],
        },
      ]);
      const [stuck] = await ingestTitles(t.store, feed.id, ['Old but unsent'], ['discord:9']);
      const [sent] = await t.store.outbox.pending('console', 1);
      await t.store.outbox.markSent(sent?.id ?? -1);
      t.clock.advance(40 * DAY);
      await ingestTitles(t.store, feed.id, ['Recent']);

      const result = await t.store.prune(30);
      expect(result).toEqual({ briefs: 1, items: 2, deliveries: 1, actors: 1 });
      expect(titles(await t.store.briefs.latestFor('console', 10))).toEqual([
        'Recent',
        'Old but unsent',
      ]);
      expect(await t.store.briefs.get(old?.status === 'stored' ? old.briefId : -1)).toBeNull();
      expect(await t.store.briefs.get(stuck ?? -1)).not.toBeNull();
      expect((await t.store.outbox.pending('discord:9', 10)).length).toBe(1);
      expect(await t.store.actors.search('Old Person')).toEqual([]);
      expect(await t.store.seen.unseenKeys(feed.id, ['guid:old', 'guid:Recent'])).toEqual([
        'guid:old',
      ]);
    });

    it('keeps seen keys the poller refreshed: an item still in the feed is not posted again', async () => {
      const feed = await addFeed(t.store);
      await ingestTitles(t.store, feed.id, ['Evergreen']);
      t.clock.advance(40 * DAY);
      await t.store.seen.markSeen(feed.id, ['guid:Evergreen']);
      await t.store.prune(30);
      expect(await t.store.seen.unseenKeys(feed.id, ['guid:Evergreen'])).toEqual([]);
    });

    it("keeps the keys of a feed's latest poll however old, and only those", async () => {
      const quiet = await addFeed(t.store, { url: 'https://quiet.example/feed' });
      const busy = await addFeed(t.store, { url: 'https://busy.example/feed' });
      await t.store.seen.markSeen(quiet.id, ['g:gone']);
      // Further back than a lazily refreshed key can be (a quarter of the 30 days kept).
      t.clock.advance(8 * DAY);
      await t.store.seen.markSeen(quiet.id, ['g:a', 'g:b']); // its latest poll
      await t.store.seen.markSeen(busy.id, ['g:x']);
      t.clock.advance(39 * DAY);
      await t.store.seen.markSeen(busy.id, ['g:y']);
      const result = await t.store.prune(30);
      expect(result.items).toBe(2); // g:gone, and g:x that busy no longer lists
      expect(await t.store.seen.unseenKeys(quiet.id, ['g:gone', 'g:a', 'g:b'])).toEqual(['g:gone']);
      expect(await t.store.seen.unseenKeys(busy.id, ['g:x', 'g:y'])).toEqual(['g:x']);
    });

    it('keeps the keys a lazy refresh left older than the newest, for as long as the feed lists them', async () => {
      const feed = await addFeed(t.store);
      const lazily = { refreshOlderThanMs: seenRefreshMs(30) };
      await t.store.seen.markSeen(feed.id, ['g:a'], lazily);
      t.clock.advance(5 * DAY);
      // Its latest poll: g:a is listed still, younger than the refresh bound, not rewritten.
      await t.store.seen.markSeen(feed.id, ['g:a', 'g:b'], lazily);
      t.clock.advance(60 * DAY);
      expect(await t.store.prune(30)).toMatchObject({ items: 0 });
      expect(await t.store.seen.unseenKeys(feed.id, ['g:a', 'g:b'])).toEqual([]);
      // Listed again with a new item, now past the bound: g:a is refreshed and kept; g:b,
      // gone from the feed, is forgotten.
      t.clock.advance(40 * DAY);
      await t.store.seen.markSeen(feed.id, ['g:a', 'g:c'], lazily);
      expect(await t.store.prune(30)).toMatchObject({ items: 1 });
      expect(await t.store.seen.unseenKeys(feed.id, ['g:a', 'g:b', 'g:c'])).toEqual(['g:b']);
    });

    it('refuses a negative or non-numeric age', async () => {
      await expect(t.store.prune(-1)).rejects.toThrow(RangeError);
      await expect(t.store.prune(Number.NaN)).rejects.toThrow(RangeError);
    });
  });
}
