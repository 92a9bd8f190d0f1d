/**
 * The allowance instances share through PostgreSQL (SharedRateLimiter): how long a token
 * stays out, from the take on the server's clock, by the round trips this instance saw.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bucketsFor,
  SharedRateLimiter,
  sharedMarginMs,
} from '../../../src/app/jobs/shared-rate-limit.js';
import { openStore } from '../../../src/store/open.js';
import type { ClusterStore, Store } from '../../../src/store/port.js';
import {
  freshSchema,
  POSTGRES_SKIPPED,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../../support/postgres.js';

describe('sharedMarginMs', () => {
  const second = { count: 30, perMs: 1000 };

  it('holds a token an eighth of its window longer while no round trip says more', () => {
    expect(sharedMarginMs(second)).toBe(125);
    expect(sharedMarginMs({ count: 20, perMs: 60_000 })).toBe(150);
  });

  it('narrows to the in-process 25 ms plus the spread of the short round trips', () => {
    expect(sharedMarginMs(second, 0)).toBe(25);
    expect(sharedMarginMs(second, 6.2)).toBe(32);
    // A jittery network keeps the old distance, never more.
    expect(sharedMarginMs(second, 400)).toBe(125);
  });
});

describe.skipIf(TEST_DATABASE_URL === null)(
  `SharedRateLimiter on PostgreSQL${POSTGRES_SKIPPED}`,
  () => {
    let schema: TestSchema;
    let stores: Store[];
    let mine: ClusterStore;
    let other: ClusterStore;
    beforeEach(async () => {
      schema = await freshSchema();
      stores = [await openStore(schema.url), await openStore(schema.url)];
      mine = stores[0]?.cluster as ClusterStore;
      other = stores[1]?.cluster as ClusterStore;
    });
    afterEach(async () => {
      for (const store of stores) await store.close();
      await schema.drop();
    });

    it('holds a first send’s tokens longer once a shorter round trip shows it came late', async () => {
      const limit = { perDestination: { count: 1, perMs: 300 } };
      const limiter = new SharedRateLimiter(mine.rates, limit);
      // The first send to chat -1 took 400 ms (a cold connection): the shortest so far.
      expect(await limiter.tryAcquire('telegram:-1')).toBe(0);
      const taken = Date.now();
      await limiter.answered('telegram:-1', () => Date.now() + 400);
      // The next send, to chat -2, is answered at once: chat -1's may have reached the
      // platform up to 400 ms late, so its token stays out that much longer.
      expect(await limiter.tryAcquire('telegram:-2')).toBe(0);
      await limiter.answered('telegram:-2', () => Date.now());
      const chat = bucketsFor(limit, 'telegram:-1');
      // Its window and margin (300 + 38 ms) are over, the lateness is not.
      await sleep(Math.max(0, taken + 500 - Date.now()));
      expect((await other.rates.take(chat)).ok).toBe(false);
      await sleep(Math.max(0, taken + 850 - Date.now()));
      expect((await other.rates.take(chat)).ok).toBe(true);
    });
  },
);
