import { beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/store/migrations.js';
import { actor, addFeed, brief, ingestTitles } from '../helpers.js';
import type { StoreUnderTest } from './harness.js';

const LATEST = MIGRATIONS.at(-1)?.version ?? 0;

export function storeContract(current: () => StoreUnderTest): void {
  let t: StoreUnderTest;
  beforeEach(() => {
    t = current();
  });

  describe('the store as a whole', () => {
    it('opens again after a restart with everything in it, and closing twice is harmless', async () => {
      const feed = await addFeed(t.store);
      await t.store.subscriptions.add(feed.id, 'telegram:-100123');
      await ingestTitles(t.store, feed.id, ['Kept'], ['telegram:-100123']);
      await t.store.close();
      await t.store.close();
      const store = await t.reopen();
      expect((await store.feeds.list()).map((f) => f.url)).toEqual([feed.url]);
      expect(await store.subscriptions.listByDestination('telegram:-100123')).toHaveLength(1);
      expect(await store.outbox.pending('telegram:-100123', 10)).toHaveLength(1);
    });

    it('refuses a subscription to a feed that does not exist, and stores nothing', async () => {
      await expect(t.store.subscriptions.add(999, 'console')).rejects.toThrow();
      expect(await t.store.subscriptions.listByDestination('console')).toEqual([]);
    });

    it('keeps hostile feed text exactly: NUL and control characters, lone surrogates, emoji, RTL', async () => {
      const nasty = 'A\u0000B\u0001\u001b[31m \ud800 lone \udfff 🦀 עברית <b>&amp;</b> @everyone';
      const feed = await addFeed(t.store, { name: nasty });
      const stored = brief('Nasty', {
        title: nasty,
        summary: [nasty, 'second'],
        actors: [actor('x-person', 'X\u0000Person', { role: nasty, aliases: [nasty] })],
        tags: [`#${nasty}`],
      });
      const [outcome] = await t.store.ingest(feed.id, [
        { keys: [`g:${nasty}`], brief: stored, destinations: ['console'] },
      ]);
      if (outcome?.status !== 'stored') throw new Error('not stored');
      expect((await t.store.briefs.get(outcome.briefId))?.brief).toEqual(stored);
      const [queued] = await t.store.outbox.pending('console', 1);
      expect(queued?.kind === 'brief' && queued.brief).toEqual(stored);
      // The same item again is a duplicate: its key was kept, whatever it holds.
      expect(await t.store.seen.unseenKeys(feed.id, [`g:${nasty}`, 'g:plain'])).toEqual([
        'g:plain',
      ]);
      const again = await t.store.ingest(feed.id, [
        { keys: [`g:${nasty}`], brief: stored, destinations: ['console'] },
      ]);
      expect(again.map((o) => o.status)).toEqual(['duplicate']);
      // Text columns keep what they can, and never refuse the write.
      const failed = await t.store.feeds.updatePollState(feed.id, { lastError: nasty });
      expect(failed?.lastError).toMatch(/^A.B/);
      const id = await t.store.outbox.enqueue('console', { text: nasty });
      expect(await t.store.outbox.get(id)).toMatchObject({ payload: { text: nasty } });
      await t.store.destinations.set('console', { footer: nasty });
      expect(await t.store.destinations.get('console')).toEqual({ footer: nasty });
    });

    it('reports its health through the maintenance port: current schema, what it holds', async () => {
      const feed = await addFeed(t.store);
      await ingestTitles(t.store, feed.id, ['One', 'Two'], ['console']);
      const [first] = await t.store.outbox.pending('console', 1);
      await t.store.outbox.markSent(first?.id ?? -1);
      const maintenance = await t.maintenance();
      try {
        expect(await maintenance.health()).toMatchObject({
          state: 'usable',
          schemaVersion: LATEST,
          latestVersion: LATEST,
          contents: { feeds: 1, briefs: 2, pendingDeliveries: 1 },
        });
      } finally {
        await maintenance.close();
      }
      // Reading its health changed nothing, and the store is still in use.
      expect(await t.store.outbox.pending('console', 10)).toHaveLength(1);
    });
  });
}
