import { beforeEach, describe, expect, it } from 'vitest';
import type { Brief } from '../../../src/core/types.js';
import type { Delivery } from '../../../src/store/port.js';
import { addFeed, ingestTitles, MINUTE, START } from '../helpers.js';

import type { StoreUnderTest } from './harness.js';

export function outboxContract(current: () => StoreUnderTest): void {
  let t: StoreUnderTest;
  beforeEach(() => {
    t = current();
  });

  const title = (delivery: Delivery | undefined): string =>
    delivery?.kind === 'brief' ? delivery.brief.title : `message ${JSON.stringify(delivery)}`;

  describe('outbox', () => {
    it('gives each destination its deliveries in creation order', async () => {
      const feed = await addFeed(t.store);
      await ingestTitles(t.store, feed.id, ['One', 'Two'], ['telegram:-1', 'discord:9']);
      await ingestTitles(t.store, feed.id, ['Three'], ['discord:9']);
      await ingestTitles(t.store, feed.id, ['Four'], ['telegram:-1', 'discord:9']);

      const telegram = await t.store.outbox.pending('telegram:-1', 10);
      const discord = await t.store.outbox.pending('discord:9', 10);
      expect(telegram.map(title)).toEqual(['One', 'Two', 'Four']);
      expect(discord.map(title)).toEqual(['One', 'Two', 'Three', 'Four']);
      expect((await t.store.outbox.pending('discord:9', 2)).map(title)).toEqual(['One', 'Two']);
      expect(await t.store.outbox.destinations()).toEqual(['telegram:-1', 'discord:9']);
    });

    it('a sent delivery leaves the queue and keeps when it was sent', async () => {
      const feed = await addFeed(t.store);
      await ingestTitles(t.store, feed.id, ['One', 'Two']);
      const [first] = await t.store.outbox.pending('console', 10);
      t.clock.advance(MINUTE);
      expect(await t.store.outbox.markSent(first?.id ?? -1)).toBe(true);
      expect(await t.store.outbox.markSent(first?.id ?? -1)).toBe(false);
      expect((await t.store.outbox.pending('console', 10)).map(title)).toEqual(['Two']);
      expect(await t.store.outbox.get(first?.id ?? -1)).toMatchObject({
        status: 'sent',
        attempts: 1,
        sentAt: new Date(START + MINUTE),
      });
    });

    it('a delivery taken but not marked (the process died) is still pending on restart', async () => {
      const feed = await addFeed(t.store);
      await ingestTitles(t.store, feed.id, ['One', 'Two', 'Three']);
      const [first] = await t.store.outbox.pending('console', 1);
      await t.store.outbox.markSent(first?.id ?? -1);
      await t.store.outbox.pending('console', 1); // "Two" taken, then the crash
      const store = await t.reopen();
      expect((await store.outbox.pending('console', 10)).map(title)).toEqual(['Two', 'Three']);
      expect(await store.outbox.destinations(new Date(START))).toEqual(['console']);
    });

    it('a retry holds the destination back until its time, and the ones behind it wait', async () => {
      const feed = await addFeed(t.store);
      await ingestTitles(t.store, feed.id, ['One', 'Two'], ['telegram:-1']);
      await ingestTitles(t.store, feed.id, ['Other'], ['discord:9']);
      const [head] = await t.store.outbox.pending('telegram:-1', 10);
      const later = new Date(START + 5 * MINUTE);
      expect(await t.store.outbox.retry(head?.id ?? -1, later, '429 retry_after 300')).toBe(true);

      expect(await t.store.outbox.destinations(new Date(START))).toEqual(['discord:9']);
      expect(await t.store.outbox.destinations(later)).toEqual(['telegram:-1', 'discord:9']);
      const [again] = await t.store.outbox.pending('telegram:-1', 10);
      expect(again).toMatchObject({
        id: head?.id,
        attempts: 1,
        nextAttemptAt: later,
        lastError: '429 retry_after 300',
        status: 'pending',
      });
    });

    it('a failed delivery keeps its reason and is never offered again', async () => {
      const feed = await addFeed(t.store);
      await ingestTitles(t.store, feed.id, ['One', 'Two'], ['telegram:-1']);
      const [head] = await t.store.outbox.pending('telegram:-1', 10);
      expect(await t.store.outbox.fail(head?.id ?? -1, '403: bot was kicked from the group')).toBe(
        true,
      );
      expect(await t.store.outbox.retry(head?.id ?? -1, new Date(START), 'late')).toBe(false);
      const store = await t.reopen();
      expect(await store.outbox.get(head?.id ?? -1)).toMatchObject({
        status: 'failed',
        lastError: '403: bot was kicked from the group',
        sentAt: null,
      });
      expect((await store.outbox.pending('telegram:-1', 10)).map(title)).toEqual(['Two']);
    });

    it("a brief's delivery says how its subscription posts it: template, media, preview", async () => {
      const feed = await addFeed(t.store);
      await t.store.subscriptions.add(feed.id, 'telegram:-1', {
        filters: '',
        template: 'compact',
        media: false,
        preview: false,
      });
      await t.store.subscriptions.add(feed.id, 'discord:9', { filters: 'Seoul' });
      await t.store.subscriptions.add(feed.id, 'console', { filters: '', template: '{headline}' });
      const [briefId] = await ingestTitles(
        t.store,
        feed.id,
        ['One'],
        ['telegram:-1', 'discord:9', 'console'],
      );
      const image = 'https://img.example/one.jpg';
      const stored = await t.store.briefs.get(briefId ?? -1);
      expect(stored?.brief.image).toBeUndefined();
      await t.store.ingest(feed.id, [
        {
          keys: ['guid:pictured'],
          brief: { ...(stored?.brief as Brief), title: 'Pictured', image },
          destinations: ['telegram:-1', 'discord:9'],
        },
      ]);
      const style = (d: Delivery | undefined) =>
        d?.kind === 'brief'
          ? [d.brief.title, d.template, d.media, d.preview, d.brief.image ?? null]
          : null;
      const store = await t.reopen();
      expect((await store.outbox.pending('telegram:-1', 10)).map(style)).toEqual([
        ['One', 'compact', false, false, null],
        ['Pictured', 'compact', false, false, image],
      ]);
      // A subscription that says nothing of them: full, media and preview on.
      expect((await store.outbox.pending('discord:9', 10)).map(style)).toEqual([
        ['One', 'full', true, true, null],
        ['Pictured', 'full', true, true, image],
      ]);
      // A custom template: its text, for the renderers to read.
      expect((await store.outbox.pending('console', 10)).map(style)).toEqual([
        ['One', { custom: '{headline}' }, true, true, null],
      ]);
    });

    it('queues other messages (digests, notices) in the same order as briefs', async () => {
      const feed = await addFeed(t.store);
      await ingestTitles(t.store, feed.id, ['One']);
      const id = await t.store.outbox.enqueue('console', { type: 'notice', text: 'feed paused' });
      await ingestTitles(t.store, feed.id, ['Two']);
      const queue = await t.store.outbox.pending('console', 10);
      expect(queue.map((d) => d.kind)).toEqual(['brief', 'message', 'brief']);
      expect(queue[1]).toMatchObject({
        id,
        kind: 'message',
        payload: { type: 'notice', text: 'feed paused' },
      });
    });

    it('counts pending deliveries and knows the oldest (for metrics)', async () => {
      expect(await t.store.outbox.stats()).toEqual({ pending: 0, oldestPendingAt: null });
      const feed = await addFeed(t.store);
      await ingestTitles(t.store, feed.id, ['One'], ['console', 'discord:9']);
      t.clock.advance(MINUTE);
      await ingestTitles(t.store, feed.id, ['Two'], ['console']);
      const [first] = await t.store.outbox.pending('console', 1);
      await t.store.outbox.markSent(first?.id ?? -1);
      expect(await t.store.outbox.stats()).toEqual({
        pending: 2,
        oldestPendingAt: new Date(START),
      });
    });
  });

  describe('leases', () => {
    it('one owner at a time, until the lease expires or is released', async () => {
      const { leases } = t.store;
      expect(await leases.acquire('outbox:console', 'a', MINUTE)).toBe(true);
      expect(await leases.acquire('outbox:console', 'b', MINUTE)).toBe(false);
      expect(await leases.acquire('outbox:console', 'a', MINUTE)).toBe(true); // renewal
      t.clock.advance(2 * MINUTE);
      expect(await leases.acquire('outbox:console', 'b', MINUTE)).toBe(true);
      expect(await leases.release('outbox:console', 'a')).toBe(false);
      expect(await leases.release('outbox:console', 'b')).toBe(true);
      expect(await leases.acquire('outbox:console', 'a', MINUTE)).toBe(true);
    });
  });
}
