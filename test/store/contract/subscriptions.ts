import { beforeEach, describe, expect, it } from 'vitest';
import type { Destination, FeedRecord } from '../../../src/store/port.js';
import { addFeed, ingestTitles, START } from '../helpers.js';

import type { StoreUnderTest } from './harness.js';

export function subscriptionsContract(current: () => StoreUnderTest): void {
  let t: StoreUnderTest;
  beforeEach(() => {
    t = current();
  });

  describe('subscriptions', () => {
    it('subscribes a destination with filters, once per feed', async () => {
      const feed = await addFeed(t.store);
      const first = await t.store.subscriptions.add(feed.id, 'telegram:-100123', {
        keywords: ['Ukraine'],
      });
      const again = await t.store.subscriptions.add(feed.id, 'telegram:-100123', { other: true });
      expect(first.created).toBe(true);
      expect(again).toEqual({ subscription: first.subscription, created: false });
      expect(first.subscription).toMatchObject({
        feedId: feed.id,
        destination: 'telegram:-100123',
        filters: { keywords: ['Ukraine'] },
        paused: false,
        pausedReason: null,
      });
      const noFilters = await t.store.subscriptions.add(feed.id, 'console');
      expect(noFilters.subscription.filters).toBeNull();
    });

    it('lists by destination and by feed, and changes filters', async () => {
      const a = await addFeed(t.store, { url: 'https://a.example/rss' });
      const b = await addFeed(t.store, { url: 'https://b.example/rss' });
      const { subscription } = await t.store.subscriptions.add(a.id, 'discord:9');
      await t.store.subscriptions.add(b.id, 'discord:9');
      await t.store.subscriptions.add(a.id, 'console');
      expect(
        (await t.store.subscriptions.listByDestination('discord:9')).map((s) => s.feedId),
      ).toEqual([a.id, b.id]);
      expect((await t.store.subscriptions.listByFeed(a.id)).map((s) => s.destination)).toEqual([
        'discord:9',
        'console',
      ]);
      // A chat's topics and threads: `<chat>/…` only, not a chat whose id merely starts alike.
      await t.store.subscriptions.add(b.id, 'discord:9/77');
      await t.store.subscriptions.add(a.id, 'discord:9/5');
      await t.store.subscriptions.add(a.id, 'discord:90/5');
      await t.store.subscriptions.add(a.id, 'telegram:@a_b/3');
      await t.store.subscriptions.add(a.id, 'telegram:@axb/3');
      const topics = async (parent: Destination) =>
        (await t.store.subscriptions.listInTopicsOf(parent)).map((s) => s.destination);
      expect(await topics('discord:9')).toEqual(['discord:9/5', 'discord:9/77']);
      expect(await topics('telegram:@a_b')).toEqual(['telegram:@a_b/3']);
      expect(await topics('console')).toEqual([]);
      const changed = await t.store.subscriptions.setFilters(subscription.id, { lang: ['it'] });
      expect(changed?.filters).toEqual({ lang: ['it'] });
      expect(await t.store.subscriptions.setFilters(999, {})).toBeNull();
    });

    it("lists a chat's subscriptions with what /feeds shows of each feed, in one call", async () => {
      const a = await addFeed(t.store, { url: 'https://a.example/rss', name: 'A <b>news</b>' });
      const b = await addFeed(t.store, { url: 'https://b.example/rss' });
      const other = await addFeed(t.store, { url: 'https://other.example/rss' });
      const polled = new Date(START + 60_000);
      await t.store.feeds.updatePollState(b.id, {
        lastPolledAt: polled,
        lastNewItemAt: new Date(START + 30_000),
        consecutiveFailures: 2,
        lastError: 'HTTP 503',
        paused: true,
        pausedReason: 'failing',
      });
      const second = await t.store.subscriptions.add(b.id, 'discord:9', { keywords: ['Kyiv'] });
      const first = await t.store.subscriptions.add(a.id, 'discord:9');
      await t.store.subscriptions.add(other.id, 'console');
      await t.store.subscriptions.pause(first.subscription.id, 'paused by an admin');

      const listed = await t.store.subscriptions.listWithFeeds('discord:9');
      expect(listed.map((s) => s.subscription)).toEqual(
        await t.store.subscriptions.listByDestination('discord:9'),
      );
      expect(listed.map((s) => s.subscription.id)).toEqual([
        second.subscription.id,
        first.subscription.id,
      ]);
      expect(listed.map((s) => s.feed)).toEqual([
        {
          id: b.id,
          url: 'https://b.example/rss',
          name: b.name,
          paused: true,
          pausedReason: 'failing',
          consecutiveFailures: 2,
          lastError: 'HTTP 503',
          lastPolledAt: polled,
          lastNewItemAt: new Date(START + 30_000),
        },
        {
          id: a.id,
          url: 'https://a.example/rss',
          name: 'A <b>news</b>',
          paused: false,
          pausedReason: null,
          consecutiveFailures: 0,
          lastError: null,
          lastPolledAt: null,
          lastNewItemAt: null,
        },
      ]);
      expect(await t.store.subscriptions.listWithFeeds('telegram:-1')).toEqual([]);
    });

    it('lists feeds whose names and errors hold any text exactly as stored, for a hundred feeds in subscription order', async () => {
      // Feed text is hostile: quotes, backslashes, line breaks, separators, astral letters.
      const odd = 'A "quoted" \\ back\\slash,\nnew line\u2028sep\t[1, null] 😀 <b>x</b>';
      const feeds: FeedRecord[] = [];
      for (let n = 0; n < 120; n++) {
        feeds.push(
          await addFeed(t.store, { url: `https://f${n}.example/rss`, name: `${odd} ${n}` }),
        );
      }
      await t.store.feeds.updatePollState(feeds[7]?.id ?? 0, {
        lastPolledAt: new Date(START + 1),
        lastNewItemAt: null,
        consecutiveFailures: 3,
        lastError: odd,
        paused: false,
        pausedReason: null,
      });
      // Subscribed in another order than the feeds were added: /feeds numbers by subscription.
      for (const feed of [...feeds].reverse())
        await t.store.subscriptions.add(feed.id, 'telegram:-5');
      await t.store.subscriptions.pause(
        (await t.store.subscriptions.listByDestination('telegram:-5'))[2]?.id ?? 0,
        odd,
      );

      const listed = await t.store.subscriptions.listWithFeeds('telegram:-5');
      expect(listed.map((s) => s.subscription)).toEqual(
        await t.store.subscriptions.listByDestination('telegram:-5'),
      );
      expect(listed.map((s) => s.feed.name)).toEqual([...feeds].reverse().map((feed) => feed.name));
      expect(listed[2]?.subscription.pausedReason).toBe(odd);
      expect(listed.find((s) => s.feed.id === feeds[7]?.id)?.feed).toMatchObject({
        lastError: odd,
        consecutiveFailures: 3,
        lastPolledAt: new Date(START + 1),
        lastNewItemAt: null,
      });
    });

    it('pauses and resumes with a reason, one subscription or a whole chat', async () => {
      const a = await addFeed(t.store, { url: 'https://a.example/rss' });
      const b = await addFeed(t.store, { url: 'https://b.example/rss' });
      const { subscription } = await t.store.subscriptions.add(a.id, 'telegram:-1');
      await t.store.subscriptions.add(b.id, 'telegram:-1');
      expect(await t.store.subscriptions.pause(subscription.id, '/pause')).toBe(true);
      expect(await t.store.subscriptions.get(subscription.id)).toMatchObject({
        paused: true,
        pausedReason: '/pause',
      });
      expect(await t.store.subscriptions.resume(subscription.id)).toBe(true);
      expect(await t.store.subscriptions.get(subscription.id)).toMatchObject({
        paused: false,
        pausedReason: null,
      });
      expect(await t.store.subscriptions.pauseDestination('telegram:-1', 'bot removed')).toBe(2);
      const paused = await t.store.subscriptions.listByDestination('telegram:-1');
      expect(paused.every((s) => s.paused && s.pausedReason === 'bot removed')).toBe(true);
      expect(await t.store.subscriptions.resumeDestination('telegram:-1')).toBe(2);
    });

    it('after /unsubscribe the feed’s queued briefs do not arrive, other feeds’ still do', async () => {
      const a = await addFeed(t.store, { url: 'https://a.example/rss' });
      const b = await addFeed(t.store, { url: 'https://b.example/rss' });
      const { subscription } = await t.store.subscriptions.add(a.id, 'console');
      await ingestTitles(t.store, a.id, ['From A'], ['console', 'discord:9']);
      await ingestTitles(t.store, b.id, ['From B'], ['console']);
      expect(await t.store.subscriptions.remove(subscription.id)).toBe(true);
      expect(await t.store.subscriptions.remove(subscription.id)).toBe(false);

      const queue = await t.store.outbox.pending('console', 10);
      expect(queue.map((d) => (d.kind === 'brief' ? d.brief.title : ''))).toEqual(['From B']);
      expect(await t.store.outbox.pending('discord:9', 10)).toHaveLength(1);
      expect(await t.store.outbox.get(1)).toMatchObject({
        status: 'failed',
        lastError: 'unsubscribed',
      });
    });

    it('moves a chat to its new id (Telegram group → supergroup) with its queue and digest', async () => {
      const a = await addFeed(t.store, { url: 'https://a.example/rss' });
      const b = await addFeed(t.store, { url: 'https://b.example/rss' });
      await t.store.subscriptions.add(a.id, 'telegram:-123', { keywords: ['x'] });
      await t.store.subscriptions.add(b.id, 'telegram:-123');
      // The supergroup already subscribes to b: its own subscription wins.
      await t.store.subscriptions.add(b.id, 'telegram:-100123', { mine: true });
      await ingestTitles(t.store, a.id, ['Queued one', 'Queued two'], ['telegram:-123']);
      await t.store.digests.set('telegram:-123', '0 8 * * *', 'Europe/Rome');

      const moved = await t.store.subscriptions.moveDestination(
        'telegram:-123',
        'telegram:-100123',
      );
      expect(moved).toEqual({ subscriptions: 1, deliveries: 2, digest: true });
      expect(await t.store.subscriptions.listByDestination('telegram:-123')).toEqual([]);
      const now = await t.store.subscriptions.listByDestination('telegram:-100123');
      expect(now.map((s) => [s.feedId, s.filters])).toEqual([
        [a.id, { keywords: ['x'] }],
        [b.id, { mine: true }],
      ]);
      const queue = await t.store.outbox.pending('telegram:-100123', 10);
      expect(queue.map((d) => (d.kind === 'brief' ? d.brief.title : ''))).toEqual([
        'Queued one',
        'Queued two',
      ]);
      expect(await t.store.digests.get('telegram:-100123')).toMatchObject({ cron: '0 8 * * *' });
      expect(await t.store.outbox.destinations()).toEqual(['telegram:-100123']);
    });

    it('refuses to move a chat onto a name that is no destination, and keeps everything', async () => {
      const feed = await addFeed(t.store);
      await t.store.subscriptions.add(feed.id, 'telegram:-123');
      await expect(
        t.store.subscriptions.moveDestination('telegram:-123', '' as Destination),
      ).rejects.toThrow(/not a destination/);
      expect(await t.store.subscriptions.moveDestination('telegram:-123', 'telegram:-123')).toEqual(
        {
          subscriptions: 0,
          deliveries: 0,
          digest: false,
        },
      );
      expect(await t.store.subscriptions.listByDestination('telegram:-123')).toHaveLength(1);
    });

    it('keeps a chat’s override of a config subscription across a restart, one per feed and chat', async () => {
      const feed = await addFeed(t.store);
      const other = await addFeed(t.store, { url: 'https://other.example/rss' });
      const tg = 'telegram:-100123';
      await t.store.subscriptions.override(feed.id, tg, 'entry-1');
      // Recorded again (the chat changed it again): one row, the latest entry.
      expect(await t.store.subscriptions.override(feed.id, tg, 'entry-2')).toEqual({
        feedId: feed.id,
        destination: tg,
        configEntry: 'entry-2',
        createdAt: new Date(START),
      });
      await t.store.subscriptions.override(other.id, 'console', 'entry-3');

      const store = await t.reopen();
      expect(await store.subscriptions.overrideOf(feed.id, tg)).toMatchObject({
        configEntry: 'entry-2',
      });
      expect(await store.subscriptions.overrideOf(feed.id, 'console')).toBeNull();
      expect((await store.subscriptions.listOverrides()).map((o) => o.configEntry)).toEqual([
        'entry-2',
        'entry-3',
      ]);
      // A chat moving to its new id takes its overrides along; a feed removed takes its own.
      await store.subscriptions.moveDestination(tg, 'telegram:-100999');
      expect(await store.subscriptions.overrideOf(feed.id, 'telegram:-100999')).not.toBeNull();
      await store.feeds.remove(other.id);
      expect(await store.subscriptions.dropOverride(feed.id, 'telegram:-100999')).toBe(true);
      expect(await store.subscriptions.dropOverride(feed.id, 'telegram:-100999')).toBe(false);
      expect(await store.subscriptions.listOverrides()).toEqual([]);
    });
  });
}
