import { beforeEach, describe, expect, it } from 'vitest';
import type { ActorKind } from '../../../src/core/types.js';
import type { Destination, IngestItem, Store } from '../../../src/store/port.js';
import { actor, addFeed, brief, ingestTitles } from '../helpers.js';

import type { StoreUnderTest } from './harness.js';

export function ingestContract(current: () => StoreUnderTest): void {
  let t: StoreUnderTest;
  beforeEach(() => {
    t = current();
  });

  /** What a user would see of the store: briefs, queue, actors, keys still unseen. */
  async function visible(store: Store, feedId: number, keys: string[]) {
    return {
      briefs: await store.briefs.latestFor('console', 100),
      queue: await store.outbox.pending('console', 100),
      actors: await store.actors.search('Umerov'),
      unseen: await store.seen.unseenKeys(feedId, keys),
    };
  }

  describe('seen items', () => {
    it('returns the keys not seen yet, in order, once each', async () => {
      const feed = await addFeed(t.store);
      await t.store.seen.markSeen(feed.id, ['guid:1', 'link:https://x/1']);
      expect(
        await t.store.seen.unseenKeys(feed.id, ['guid:2', 'guid:1', 'guid:3', 'guid:2']),
      ).toEqual(['guid:2', 'guid:3']);
      expect(await t.store.seen.unseenKeys(feed.id, [])).toEqual([]);
    });

    it('keys are per feed', async () => {
      const a = await addFeed(t.store, { url: 'https://a.example/rss' });
      const b = await addFeed(t.store, { url: 'https://b.example/rss' });
      await t.store.seen.markSeen(a.id, ['guid:1']);
      expect(await t.store.seen.unseenKeys(b.id, ['guid:1'])).toEqual(['guid:1']);
    });

    it('survives a restart', async () => {
      const feed = await addFeed(t.store);
      await t.store.seen.markSeen(feed.id, ['guid:1']);
      const store = await t.reopen();
      expect(await store.seen.unseenKeys(feed.id, ['guid:1', 'guid:2'])).toEqual(['guid:2']);
    });
  });

  describe('ingest', () => {
    it('stores the brief, its actors and one delivery per destination, and returns their ids', async () => {
      const feed = await addFeed(t.store);
      const item: IngestItem = {
        keys: ['guid:1', 'link:https://news.example/1'],
        brief: brief('Umerov in Seoul', {
          actors: [actor('rustem-umerov', 'Rustem Umerov', { role: 'defence minister' })],
        }),
        destinations: ['console', 'telegram:-100123', 'console'],
      };
      const [outcome] = await t.store.ingest(feed.id, [item]);
      if (outcome?.status !== 'stored') throw new Error('not stored');
      expect(outcome.deliveryIds).toHaveLength(2);

      expect(await t.store.briefs.get(outcome.briefId)).toMatchObject({
        feedId: feed.id,
        brief: item.brief,
      });
      const [delivery] = await t.store.outbox.pending('telegram:-100123', 10);
      expect(delivery).toMatchObject({
        kind: 'brief',
        briefId: outcome.briefId,
        status: 'pending',
      });
      expect((await t.store.actors.search('umerov'))[0]).toMatchObject({ id: 'rustem-umerov' });
      expect(await t.store.seen.unseenKeys(feed.id, item.keys)).toEqual([]);
    });

    it('an item is a duplicate when ANY of its keys was seen: an edited item is not posted twice', async () => {
      const feed = await addFeed(t.store);
      await t.store.ingest(feed.id, [
        {
          keys: ['guid:1', 'link:https://x/1', 'hash:aaa'],
          brief: brief('Old'),
          destinations: ['console'],
        },
      ]);
      // The same story edited: new hash, new guid, same link.
      const outcomes = await t.store.ingest(feed.id, [
        {
          keys: ['guid:1b', 'link:https://x/1', 'hash:bbb'],
          brief: brief('Edited'),
          destinations: ['console'],
        },
        { keys: ['guid:2'], brief: brief('New'), destinations: ['console'] },
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['duplicate', 'stored']);
      expect((await t.store.outbox.pending('console', 10)).length).toBe(2);
    });

    it('a brief is not posted twice after a restart, even if the poller offers it again', async () => {
      const feed = await addFeed(t.store);
      await ingestTitles(t.store, feed.id, ['Story one', 'Story two']);
      const store = await t.reopen();
      const again = await ingestTitles(store, feed.id, ['Story two', 'Story three']);
      expect(again[0]).toBe(-1);
      const queued = await store.outbox.pending('console', 10);
      expect(queued.map((d) => (d.kind === 'brief' ? d.brief.title : ''))).toEqual([
        'Story one',
        'Story two',
        'Story three',
      ]);
    });

    it('two items sharing a key in one batch: the second is a duplicate', async () => {
      const feed = await addFeed(t.store);
      const outcomes = await t.store.ingest(feed.id, [
        { keys: ['guid:1'], brief: brief('A'), destinations: [] },
        { keys: ['hash:x', 'guid:1'], brief: brief('A again'), destinations: [] },
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['stored', 'duplicate']);
    });

    it('refuses an item without keys (it could never be deduplicated)', async () => {
      const feed = await addFeed(t.store);
      await expect(
        t.store.ingest(feed.id, [{ keys: [], brief: brief('A'), destinations: ['console'] }]),
      ).rejects.toThrow(/at least one dedupe key/);
    });

    describe('is all or nothing', () => {
      const good = (): IngestItem => ({
        keys: ['guid:good'],
        brief: brief('Umerov visits Seoul', { actors: [actor('rustem-umerov', 'Rustem Umerov')] }),
        destinations: ['console'],
      });
      const keys = ['guid:good', 'guid:bad'];
      const nothing = { briefs: [], queue: [], actors: [], unseen: keys };

      /** A feed the console subscribes to, so its briefs would show in /brief. */
      async function subscribedFeed() {
        const feed = await addFeed(t.store);
        await t.store.subscriptions.add(feed.id, 'console');
        return feed;
      }

      it('shows everything when nothing fails (the control)', async () => {
        const feed = await subscribedFeed();
        await t.store.ingest(feed.id, [good()]);
        const seen = await visible(t.store, feed.id, keys);
        expect(seen.briefs).toHaveLength(1);
        expect(seen.queue).toHaveLength(1);
        expect(seen.actors).toHaveLength(1);
        expect(seen.unseen).toEqual(['guid:bad']);
      });

      it('when the database refuses the second item (an actor kind it does not know)', async () => {
        const feed = await subscribedFeed();
        const bad: IngestItem = {
          keys: ['guid:bad'],
          brief: brief('Bad', { actors: [actor('x', 'X', { kind: 'planet' as ActorKind })] }),
          destinations: ['console'],
        };
        await expect(t.store.ingest(feed.id, [good(), bad])).rejects.toThrow();
        expect(await visible(t.store, feed.id, keys)).toEqual(nothing);
      });

      it('when a destination violates a constraint', async () => {
        const feed = await subscribedFeed();
        const bad: IngestItem = {
          keys: ['guid:bad'],
          brief: brief('Bad'),
          // Past the type (a caller in plain JavaScript): the store refuses it.
          destinations: [' spaced ' as Destination],
        };
        await expect(t.store.ingest(feed.id, [good(), bad])).rejects.toThrow();
        expect(await visible(t.store, feed.id, keys)).toEqual(nothing);
      });

      it('when the process fails mid-way (a throw after the brief and its actors are written)', async () => {
        const feed = await subscribedFeed();
        const exploding = {
          keys: ['guid:bad'],
          brief: brief('Bad', { actors: [actor('rustem-umerov', 'Rustem Umerov')] }),
          get destinations(): Destination[] {
            throw new Error('injected failure');
          },
        };
        await expect(t.store.ingest(feed.id, [good(), exploding])).rejects.toThrow(
          'injected failure',
        );
        expect(await visible(t.store, feed.id, keys)).toEqual(nothing);
        // And the store still works afterwards.
        expect((await t.store.ingest(feed.id, [good()]))[0]?.status).toBe('stored');
      });

      it('when the feed does not exist', async () => {
        await expect(t.store.ingest(999, [good()])).rejects.toThrow();
        expect(await t.store.briefs.get(1)).toBeNull();
        expect(await t.store.outbox.stats()).toEqual({ pending: 0, oldestPendingAt: null });
        expect(await t.store.actors.search('Umerov')).toEqual([]);
      });
    });
  });
}
