/**
 * What instances on one PostgreSQL store share besides rows (store.cluster): the platforms'
 * allowances, and elections. Two stores opened on one schema stand for two instances.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/types.js';
import { openStore } from '../../src/store/open.js';
import type { ClusterStore, Store } from '../../src/store/port.js';
import {
  freshSchema,
  POSTGRES_SKIPPED,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../support/postgres.js';
import { actor, addFeed, brief, openTestStore } from './helpers.js';

it('the SQLite store is one instance’s own: nothing shared, no election', async () => {
  const t = openTestStore();
  try {
    expect(t.store.cluster).toBeNull();
  } finally {
    await t.cleanup();
  }
});

describe.skipIf(TEST_DATABASE_URL === null)(
  `PostgreSQL: shared by instances${POSTGRES_SKIPPED}`,
  () => {
    let schema: TestSchema;
    let stores: Store[];
    let a: ClusterStore;
    let b: ClusterStore;
    beforeEach(async () => {
      schema = await freshSchema();
      stores = [await openStore(schema.url), await openStore(schema.url)];
      a = stores[0]?.cluster as ClusterStore;
      b = stores[1]?.cluster as ClusterStore;
    });
    afterEach(async () => {
      for (const store of stores) await store.close();
      await schema.drop();
    });

    describe('allowances', () => {
      const bucket = { key: 'telegram:*:3/2000', count: 3, perMs: 2000 };

      it('two instances taking at once get the window’s count between them, not each', async () => {
        const takes = await Promise.all(
          Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).rates.take([bucket])),
        );
        expect(takes.filter((t) => t.ok)).toHaveLength(3);
        for (const refused of takes.filter((t) => !t.ok)) {
          expect(refused.ok === false && refused.waitMs).toBeGreaterThan(1000);
        }
      });

      it('all or nothing: a full chat takes nothing from the bot’s bucket', async () => {
        const chat = { key: 'telegram:-100:1/2000', count: 1, perMs: 2000 };
        expect((await a.rates.take([chat, bucket])).ok).toBe(true);
        expect((await b.rates.take([chat, bucket])).ok).toBe(false);
        // Two tokens left in the bot's bucket: the refused take did not spend one.
        expect((await b.rates.take([bucket])).ok).toBe(true);
        expect((await b.rates.take([bucket])).ok).toBe(true);
        expect((await b.rates.take([bucket])).ok).toBe(false);
      });

      it('a token comes back a window after it was taken, whenever its send is answered', async () => {
        const chat = { key: 'telegram:-200:1/300', count: 1, perMs: 300 };
        expect((await a.rates.take([chat])).ok).toBe(true);
        await sleep(200);
        expect((await b.rates.take([chat])).ok).toBe(false);
        await sleep(200); // 400 ms after the take
        expect((await b.rates.take([chat])).ok).toBe(true);
      });

      it('says when it took the tokens, on the server’s clock', async () => {
        const before = Date.now();
        const taken = await a.rates.take([bucket], { awaited: true });
        if (!taken.ok) throw new Error('the take must succeed');
        // The test's server runs on this machine: its clock is this one.
        expect(taken.tokens.at).toBeGreaterThanOrEqual(before - 50);
        expect(taken.tokens.at).toBeLessThanOrEqual(Date.now() + 50);
        expect(taken.tokens.ids).toHaveLength(1);
      });

      it('an answer that came late holds its take’s tokens that much longer', async () => {
        const chat = { key: 'telegram:-300:1/300', count: 1, perMs: 300 };
        const taken = await a.rates.take([chat], { awaited: true });
        if (!taken.ok) throw new Error('the first take must succeed');
        // Answered 300 ms later than the shortest round trip: back 600 ms after the take.
        await a.rates.answered(taken.tokens, 300);
        await sleep(400); // past the window, not past the lateness
        expect((await b.rates.take([chat])).ok).toBe(false);
        await sleep(250); // 650 ms after the take
        expect((await b.rates.take([chat])).ok).toBe(true);
      });
    });

    describe('storing at once', () => {
      it('instances storing briefs that name the same people, in opposite orders, at once: every brief is stored, none fails on a deadlock', async () => {
        const people = Array.from({ length: 12 }, (_, k) =>
          actor(`person-${k}`, `Person ${k}`, { salience: 1 - k / 20 }),
        );
        const [sa, sb] = stores as [Store, Store];
        const feedA = await addFeed(sa, { url: 'https://news.example/a.xml' });
        const feedB = await addFeed(sb, { url: 'https://news.example/b.xml' });
        // Each batch is one transaction with several briefs; the batches of the two
        // instances name the same people, one forwards, one backwards.
        const batch = (feedId: number, store: Store, n: number, order: Actor[]) =>
          store.ingest(
            feedId,
            [0, 1, 2].map((k) => ({
              keys: [`g:${n}-${k}`],
              brief: brief(`Story ${n}-${k}`, { actors: order.slice(k * 3, k * 3 + 6) }),
              destinations: [],
            })),
          );
        const runs: Promise<unknown>[] = [];
        for (let n = 0; n < 12; n++) {
          runs.push(batch(feedA.id, sa, n, people));
          runs.push(batch(feedB.id, sb, n, [...people].reverse()));
        }
        const settled = await Promise.allSettled(runs);
        expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
        const [top] = await sa.actors.search('Person 5');
        expect(top?.briefCount).toBeGreaterThan(0);
      });
    });

    describe('elections', () => {
      it('one leader at a time; the other takes over when it lets go', async () => {
        const stop = new AbortController();
        const first = await a.lead('telegram:updates', { retryMs: 50, signal: stop.signal });
        let second: Awaited<ReturnType<ClusterStore['lead']>> | null = null;
        const campaign = b
          .lead('telegram:updates', { retryMs: 50, signal: stop.signal })
          .then((l) => {
            second = l;
            return l;
          });
        await sleep(300);
        expect(second).toBeNull();
        await first.release();
        expect(first.lost.aborted).toBe(true);
        const won = await campaign;
        expect(won.lost.aborted).toBe(false);
        await won.release();
      });

      it('a leader whose connection is cut learns it has lost, and another is elected', async () => {
        const stop = new AbortController();
        const first = await a.lead('discord:gateway', { retryMs: 50, signal: stop.signal });
        const campaign = b.lead('discord:gateway', { retryMs: 50, signal: stop.signal });
        await schema.sql(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'briefwire lead discord:gateway' AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)",
        );
        const won = await campaign;
        for (let waited = 0; !first.lost.aborted && waited < 2000; waited += 50) await sleep(50);
        // Told, so that it stops taking updates while the new leader starts.
        expect(first.lost.aborted).toBe(true);
        expect(won.lost.aborted).toBe(false);
        await first.release();
        await won.release();
      });

      it('elections of two stores in other schemas of one database do not meet', async () => {
        const other = await freshSchema();
        const elsewhere = await openStore(other.url);
        try {
          const stop = new AbortController();
          const here = await a.lead('telegram:updates', { retryMs: 50, signal: stop.signal });
          const there = await elsewhere.cluster?.lead('telegram:updates', {
            retryMs: 50,
            signal: AbortSignal.timeout(5000),
          });
          expect(there?.lost.aborted).toBe(false);
          await there?.release();
          await here.release();
        } finally {
          await elsewhere.close();
          await other.drop();
        }
      });

      it('a campaign stopped before it wins rejects with the stop', async () => {
        const stop = new AbortController();
        const first = await a.lead('telegram:updates', { retryMs: 50, signal: stop.signal });
        const waiting = new AbortController();
        const campaign = b.lead('telegram:updates', { retryMs: 50, signal: waiting.signal });
        waiting.abort(new Error('stopping'));
        await expect(campaign).rejects.toThrow('stopping');
        await first.release();
      });
    });
  },
);
