/**
 * Polling with instances that share one PostgreSQL store: each due feed is polled by one of
 * them, and every instance gets a share of the work, not the first one all of it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pollDueFeeds } from '../../../src/app/jobs/index.js';
import { syncConfig } from '../../../src/app/jobs/sync.js';
import { openStore } from '../../../src/store/open.js';
import type { Store } from '../../../src/store/port.js';
import { startServer, type TestServer } from '../../fixtures/input/http-server.js';
import {
  freshSchema,
  POSTGRES_SKIPPED,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../../support/postgres.js';
import { rss } from '../commands/helpers.js';
import { configFrom, POLLING_YAML } from './helpers.js';

const FEEDS = 24;

describe.skipIf(TEST_DATABASE_URL === null)(
  `instances polling one store${POSTGRES_SKIPPED}`,
  () => {
    let schema: TestSchema;
    let stores: Store[];
    let feeds: TestServer;
    beforeEach(async () => {
      schema = await freshSchema();
      stores = [await openStore(schema.url), await openStore(schema.url)];
      // Each feed answers after 30 ms: a poll takes a while, as over a network.
      feeds = await startServer((req, res) => {
        const n = /\/feed-(\d+)\.xml/.exec(req.url ?? '')?.[1] ?? '0';
        const body = rss(`Wire ${n}`, [
          { title: `Story ${n}`, link: `https://news.example/${n}`, text: 'The council met.' },
        ]);
        setTimeout(
          () => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body),
          30,
        );
      });
    });
    afterEach(async () => {
      for (const store of stores) await store.close();
      await feeds.close();
      await schema.drop();
    });

    it('two instances polling at once share the due feeds, each polled once', async () => {
      const lines = Array.from(
        { length: FEEDS },
        (_, n) =>
          `  - {url: "${feeds.url(`/feed-${n}.xml`)}", name: wire-${n}, allowPrivate: true}`,
      );
      const config = configFrom(`feeds:\n${lines.join('\n')}\n${POLLING_YAML}`);
      await syncConfig(stores[0] as Store, config);
      const now = () => new Date();
      const [a, b] = await Promise.all(
        stores.map((store, n) =>
          pollDueFeeds({
            store,
            config,
            now,
            instance: { owner: `instance-${n}`, leaseMs: 60_000 },
          }),
        ),
      );
      expect((a?.polled ?? 0) + (b?.polled ?? 0)).toBe(FEEDS);
      // Neither took every feed: each claims what it can poll at once, then the next batch.
      expect(a?.polled).toBeGreaterThan(0);
      expect(b?.polled).toBeGreaterThan(0);
      for (let n = 0; n < FEEDS; n++) {
        expect(feeds.requests.filter((r) => r.url === `/feed-${n}.xml`)).toHaveLength(1);
      }
    });
  },
);
