import { beforeEach, describe, expect, it } from 'vitest';
import { actor, addFeed, brief, DAY, ingestTitles, MINUTE, START } from '../helpers.js';

import type { StoreUnderTest } from './harness.js';

export function retriesContract(current: () => StoreUnderTest): void {
  let t: StoreUnderTest;
  beforeEach(() => {
    t = current();
  });

  /** What the engine gives when it fails: the headline and link only. */
  const headline = (title: string) => brief(title, { summary: [], actors: [], tags: [] });

  describe('headline-and-link briefs (the engine failed on the item)', () => {
    it('are stored and queued like any brief, and found again by any key of the item', async () => {
      const feed = await addFeed(t.store);
      const [outcome] = await t.store.ingest(feed.id, [
        {
          keys: ['g:1', 'l:news.example/1'],
          brief: headline('Macron in Berlin'),
          destinations: ['console'],
          briefError: "Cannot read properties of undefined (reading 'text')",
        },
      ]);
      if (outcome?.status !== 'stored') throw new Error('not stored');
      expect((await t.store.outbox.pending('console', 10)).map((d) => d.id)).toEqual(
        outcome.deliveryIds,
      );
      // Only the item's own keys, whichever the poll still sees.
      expect(await t.store.briefs.retries(feed.id, ['l:news.example/1', 'g:other'])).toEqual([
        { key: 'l:news.example/1', briefId: outcome.briefId },
      ]);
      expect(await t.store.briefs.retries(feed.id, ['g:1', 'l:news.example/1'])).toHaveLength(2);
      // An item briefed normally is no retry.
      await ingestTitles(t.store, feed.id, ['Fine']);
      expect(await t.store.briefs.retries(feed.id, ['guid:Fine'])).toEqual([]);
      // Keys are per feed.
      const other = await addFeed(t.store, { url: 'https://other.example/rss' });
      expect(await t.store.briefs.retries(other.id, ['g:1'])).toEqual([]);
    });

    it('complete puts the full brief in place: /brief, /actor and the queued post show it', async () => {
      const feed = await addFeed(t.store);
      const [outcome] = await t.store.ingest(feed.id, [
        {
          keys: ['g:1'],
          brief: headline('Macron in Berlin'),
          destinations: ['console'],
          briefError: 'boom',
        },
      ]);
      if (outcome?.status !== 'stored') throw new Error('not stored');
      const full = brief('Macron in Berlin', {
        summary: ['We met Emmanuel Macron, the French president, in Berlin.'],
        actors: [actor('emmanuel-macron', 'Emmanuel Macron', { role: 'French president' })],
        tags: ['#EmmanuelMacron'],
      });
      t.clock.advance(10 * MINUTE);
      expect(await t.store.briefs.complete(outcome.briefId, full)).toBe(true);

      expect((await t.store.briefs.get(outcome.briefId))?.brief).toEqual(full);
      const [queued] = await t.store.outbox.pending('console', 10);
      expect(queued?.kind === 'brief' && queued.brief).toEqual(full);
      expect((await t.store.actors.search('Macron')).map((a) => a.id)).toEqual(['emmanuel-macron']);
      const profile = await t.store.actors.profile('emmanuel-macron');
      expect(profile?.roles.map((r) => r.role)).toEqual(['French president']);
      // A digest groups it under its actor now.
      await t.store.subscriptions.add(feed.id, 'console');
      const [digested] = await t.store.briefs.sinceFor('console', new Date(0));
      expect(digested?.brief.actors).toEqual([
        { id: 'emmanuel-macron', name: 'Emmanuel Macron', kind: 'person' },
      ]);
      // Done: no longer a retry, and completing again changes nothing.
      expect(await t.store.briefs.retries(feed.id, ['g:1'])).toEqual([]);
      expect(await t.store.briefs.complete(outcome.briefId, headline('Other'))).toBe(false);
      expect((await t.store.briefs.get(outcome.briefId))?.brief.title).toBe('Macron in Berlin');
    });

    it('go with their brief when it is pruned, and with their feed when it is removed', async () => {
      const feed = await addFeed(t.store);
      await t.store.ingest(feed.id, [
        { keys: ['g:old'], brief: headline('Old'), destinations: [], briefError: 'boom' },
      ]);
      t.clock.advance(40 * DAY);
      await t.store.ingest(feed.id, [
        { keys: ['g:new'], brief: headline('New'), destinations: [], briefError: 'boom' },
      ]);
      await t.store.prune(30);
      expect((await t.store.briefs.retries(feed.id, ['g:old', 'g:new'])).map((r) => r.key)).toEqual(
        ['g:new'],
      );
      await t.store.feeds.remove(feed.id);
      expect(await t.store.briefs.retries(feed.id, ['g:new'])).toEqual([]);
    });

    it('survive a restart', async () => {
      const feed = await addFeed(t.store);
      await t.store.ingest(feed.id, [
        { keys: ['g:1'], brief: headline('Kept'), destinations: [], briefError: 'boom' },
      ]);
      const store = await t.reopen();
      expect(await store.briefs.retries(feed.id, ['g:1'])).toHaveLength(1);
    });
  });

  describe('the flood caps’ bookkeeping', () => {
    it('countForFeed counts the feed’s briefs stored since a time, inclusive', async () => {
      const feed = await addFeed(t.store);
      const other = await addFeed(t.store, { url: 'https://other.example/rss' });
      await ingestTitles(t.store, feed.id, ['a', 'b']);
      t.clock.advance(30 * MINUTE);
      await ingestTitles(t.store, feed.id, ['c']);
      await ingestTitles(t.store, other.id, ['d']);
      expect(await t.store.briefs.countForFeed(feed.id, new Date(START))).toBe(3);
      expect(await t.store.briefs.countForFeed(feed.id, new Date(START + 1))).toBe(1);
      expect(await t.store.briefs.countForFeed(other.id, new Date(START))).toBe(1);
    });

    it('a feed keeps since when it has been held back, across a restart, until cleared', async () => {
      const feed = await addFeed(t.store);
      expect(feed.heldBackSince).toBeNull();
      await t.store.feeds.updatePollState(feed.id, { heldBackSince: new Date(START) });
      await t.store.feeds.updatePollState(feed.id, { consecutiveFailures: 1 });
      const store = await t.reopen();
      expect((await store.feeds.get(feed.id))?.heldBackSince).toEqual(new Date(START));
      await store.feeds.updatePollState(feed.id, { heldBackSince: null });
      expect((await store.feeds.get(feed.id))?.heldBackSince).toBeNull();
    });
  });
}
