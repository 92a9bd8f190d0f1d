/**
 * `briefwire run` on PostgreSQL while the server is stopped and started again mid-fan-out:
 * the bot waits, says so once per attempt to reach the server, and goes on where it was.
 * On a throwaway server of the test's own (support/postgres-cluster.ts); it runs where
 * the PostgreSQL tests run (TEST_DATABASE_URL set: the packages are installed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningCli } from '../support/cli.js';
import { POSTGRES_SKIPPED, TEST_DATABASE_URL } from '../support/postgres.js';
import { type PostgresCluster, postgresBin, startCluster } from '../support/postgres-cluster.js';
import { startTelegramApi, type TelegramApi } from '../support/telegram-api.js';
import { type FeedServer, repeats, startInstance, storyFeeds, writeConfig } from './helpers.js';

const FEEDS = 10;
const CHANNELS = Array.from({ length: 10 }, (_, i) => -1006000 - i);
const bin = postgresBin();
if (TEST_DATABASE_URL !== null && bin === null) {
  throw new Error(
    'TEST_DATABASE_URL is set but no PostgreSQL is installed under /usr/lib/postgresql',
  );
}

let api: TelegramApi;
let feeds: FeedServer;
let cluster: PostgresCluster;
let dir: string;
let bot: RunningCli | null = null;

describe.skipIf(TEST_DATABASE_URL === null)(
  `PostgreSQL restarted under a running bot${POSTGRES_SKIPPED}`,
  () => {
    beforeEach(async () => {
      api = await startTelegramApi();
      for (const id of CHANNELS) api.addChat({ id, type: 'channel', title: `Channel ${id}` });
      feeds = await storyFeeds(FEEDS);
      cluster = await startCluster(bin as string);
      dir = mkdtempSync(path.join(tmpdir(), 'briefwire-pg-restart-'));
    });

    afterEach(async () => {
      await bot?.stop('SIGKILL');
      await api.close();
      await feeds.close();
      cluster.destroy();
      rmSync(dir, { recursive: true, force: true });
    });

    it('the bot waits, logs one line per attempt, and resumes with nothing lost or repeated', async () => {
      const total = FEEDS * CHANNELS.length;
      const config = writeConfig(dir, feeds, FEEDS, CHANNELS);
      bot = startInstance(config, cluster.url, api, path.join(dir, 'data'));
      await api.until(() => api.messages().length >= total / 4, 90_000);

      cluster.stop();
      await sleep(3000);
      const duringOutage = api.messages().length;
      await sleep(1000);
      // Nothing goes out while the store cannot record it.
      expect(api.messages().length).toBe(duringOutage);
      cluster.start();

      await api.until(() => api.messages().length >= total, 60_000);
      await sleep(1500);
      expect(api.messages()).toHaveLength(total);
      expect(repeats(api)).toBe(0);
      expect(await bot.stop('SIGTERM')).toBe(0);

      const log = bot.stderr();
      const attempts = [
        ...log.matchAll(
          /store: PostgreSQL at 127\.0\.0\.1:\d+, database news unreachable: .*; attempt (\d+) failed, trying again in [\d.]+ s/g,
        ),
      ].map((m) => Number(m[1]));
      expect(attempts.length).toBeGreaterThan(0);
      // One line per attempt: 1, 2, 3 … each once (outages may come back to 1).
      for (let i = 1; i < attempts.length; i++) {
        expect([1, (attempts[i - 1] ?? 0) + 1]).toContain(attempts[i]);
      }
      expect(log).toMatch(
        /store: PostgreSQL at 127\.0\.0\.1:\d+, database news reachable again after \d+ failed attempts?/,
      );
    }, 180_000);
  },
);
