import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/port.js';
import { addFeed, MINUTE, START } from '../helpers.js';
import type { StoreUnderTest } from './harness.js';

/** Several instances on one store: due feeds and chats' queues are each one instance's. */
export function claimsContract(current: () => StoreUnderTest): void {
  let t: StoreUnderTest;
  beforeEach(() => {
    t = current();
  });

  const addFeeds = async (store: Store, n: number): Promise<number[]> => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      ids.push((await addFeed(store, { url: `https://news.example/${i}.xml` })).id);
    }
    return ids;
  };

  describe('claims on due feeds', () => {
    it('two instances claiming at the same moment never get the same feed, and together get all', async () => {
      const ids = await addFeeds(t.store, 12);
      const other = await t.another();
      const at = new Date(START);
      const [mine, theirs] = await Promise.all([
        t.store.feeds.claimDue(at, 'a', MINUTE, 7),
        other.feeds.claimDue(at, 'b', MINUTE, 7),
      ]);
      const mineIds = mine.map((f) => f.id);
      const theirIds = theirs.map((f) => f.id);
      expect(mineIds.filter((id) => theirIds.includes(id))).toEqual([]);
      expect([...mineIds, ...theirIds].sort((x, y) => x - y)).toEqual(ids);
      // Nothing is left to claim while the claims hold.
      expect(await t.store.feeds.claimDue(at, 'c', MINUTE)).toEqual([]);
    });

    it('gives the most overdue first, and only feeds that are due and not paused', async () => {
      const [first, second, third] = await addFeeds(t.store, 3);
      await t.store.feeds.updatePollState(first ?? -1, { nextPollAt: new Date(START + MINUTE) });
      await t.store.feeds.updatePollState(third ?? -1, { paused: true });
      t.clock.advance(2 * MINUTE);
      const claimed = await t.store.feeds.claimDue(new Date(t.clock.now), 'a', MINUTE);
      expect(claimed.map((f) => f.id)).toEqual([second, first]);
    });

    it('a claim lapses after its lease: an instance that died leaves its feeds to the others', async () => {
      const [id] = await addFeeds(t.store, 1);
      const other = await t.another();
      expect((await t.store.feeds.claimDue(new Date(START), 'a', MINUTE)).map((f) => f.id)).toEqual(
        [id],
      );
      t.clock.advance(MINUTE - 1);
      expect(await other.feeds.claimDue(new Date(t.clock.now), 'b', MINUTE)).toEqual([]);
      t.clock.advance(1);
      expect(
        (await other.feeds.claimDue(new Date(t.clock.now), 'b', MINUTE)).map((f) => f.id),
      ).toEqual([id]);
    });

    it('a polled feed, released, is not claimed again before its next poll is due', async () => {
      const [id = -1] = await addFeeds(t.store, 1);
      const other = await t.another();
      await t.store.feeds.claimDue(new Date(START), 'a', MINUTE);
      await t.store.feeds.updatePollState(id, {
        lastPolledAt: new Date(START),
        nextPollAt: new Date(START + 5 * MINUTE),
      });
      expect(await other.feeds.releaseClaims([id], 'b')).toBe(0); // not b's to release
      expect(await t.store.feeds.releaseClaims([id], 'a')).toBe(1);
      t.clock.advance(2 * MINUTE);
      expect(await other.feeds.claimDue(new Date(t.clock.now), 'b', MINUTE)).toEqual([]);
      t.clock.advance(3 * MINUTE);
      expect(
        (await other.feeds.claimDue(new Date(t.clock.now), 'b', MINUTE)).map((f) => f.id),
      ).toEqual([id]);
    });

    it('a released claim on a feed still due (a poll cancelled at shutdown) lets another take it at once', async () => {
      const [id = -1] = await addFeeds(t.store, 1);
      const other = await t.another();
      await t.store.feeds.claimDue(new Date(START), 'a', MINUTE);
      await t.store.feeds.releaseClaims([id], 'a');
      expect((await other.feeds.claimDue(new Date(START), 'b', MINUTE)).map((f) => f.id)).toEqual([
        id,
      ]);
    });
  });

  describe("leases on chats' queues, between instances", () => {
    it('two instances asking at the same moment: exactly one gets each', async () => {
      const other = await t.another();
      const names = Array.from({ length: 10 }, (_, i) => `outbox:telegram:${i}`);
      const results = await Promise.all(
        names.flatMap((name) => [
          t.store.leases.acquire(name, 'a', MINUTE),
          other.leases.acquire(name, 'b', MINUTE),
        ]),
      );
      for (let i = 0; i < names.length; i++) {
        expect([results[2 * i], results[2 * i + 1]].filter(Boolean)).toHaveLength(1);
      }
    });
  });
}
