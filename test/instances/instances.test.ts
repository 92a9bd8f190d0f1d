/**
 * Three `briefwire run` sharing one PostgreSQL store (README: Several instances), as real
 * processes, killed with SIGKILL mid-fan-out: the work is shared, not done three times, and
 * survives the deaths of two of them. Against the real server of TEST_DATABASE_URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningCli } from '../support/cli.js';
import {
  freshSchema,
  POSTGRES_SKIPPED,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../support/postgres.js';
import { startTelegramApi, type TelegramApi } from '../support/telegram-api.js';
import { type FeedServer, repeats, startInstance, storyFeeds, writeConfig } from './helpers.js';

// 60 chats at 1/s each could take 60 messages a second: the bot's 30/s is what binds, and
// three instances each keeping it alone would send 90.
const FEEDS = 5;
const CHANNELS = Array.from({ length: 60 }, (_, i) => -1005000 - i);
const USER = 7001;

let api: TelegramApi;
let feeds: FeedServer;
let schema: TestSchema;
let dir: string;
let instances: RunningCli[] = [];

describe.skipIf(TEST_DATABASE_URL === null)(
  `three instances on one PostgreSQL${POSTGRES_SKIPPED}`,
  () => {
    beforeEach(async () => {
      api = await startTelegramApi();
      for (const id of CHANNELS) api.addChat({ id, type: 'channel', title: `Channel ${id}` });
      api
        .addUser({ id: USER, first_name: 'Ann' })
        .addChat({ id: USER, type: 'private', first_name: 'Ann' });
      feeds = await storyFeeds(FEEDS);
      schema = await freshSchema();
      dir = mkdtempSync(path.join(tmpdir(), 'briefwire-instances-'));
      instances = [];
    });

    afterEach(async () => {
      for (const instance of instances) await instance.stop('SIGKILL');
      await api.close();
      await feeds.close();
      await schema.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a fan-out of 300, two of the three killed (-9) mid-way: every post arrives, at most one repeat per kill, each feed polled once, the allowance shared, updates taken by one at a time', async () => {
      const config = writeConfig(dir, feeds, FEEDS, CHANNELS);
      const total = FEEDS * CHANNELS.length;
      instances = [0, 1, 2].map((n) =>
        startInstance(config, schema.url, api, path.join(dir, `data-${n}`)),
      );
      const [first, second, third] = instances as [RunningCli, RunningCli, RunningCli];

      await api.until(() => api.messages().length >= total / 3, 90_000);
      expect(await first.stop('SIGKILL'), first.stderr()).toBeNull();
      await api.until(() => api.messages().length >= (2 * total) / 3, 60_000);
      expect(await second.stop('SIGKILL'), second.stderr()).toBeNull();

      // The last one takes over what the dead held once their leases lapse (3 s here).
      await api.until(
        () => new Set(api.messages().map((m) => `${m.chatId} ${m.text}`)).size >= total,
        60_000,
      );
      for (const channel of CHANNELS) {
        const titles = api.messages(channel).map((m) => /Story \d+/.exec(m.text)?.[0]);
        expect(new Set(titles).size, `channel ${channel}`).toBe(FEEDS);
      }
      expect(repeats(api)).toBeLessThanOrEqual(2);
      for (let n = 0; n < FEEDS; n++) expect(feeds.hits(`/feed-${n}.xml`), `feed ${n}`).toBe(1);
      // 30/s for the bot and 1/s per chat held across all three: Telegram never said 429.
      // (On failure: which call, to which chat, and the sends around it as the server saw them.)
      const refused = api.calls.filter((c) => c.status === 429);
      const context = refused.map((r) => ({
        chat: r.params.chat_id,
        at: r.at,
        window: api.calls
          .filter(
            (c) => c.method === 'sendMessage' && c.status === 200 && Math.abs(c.at - r.at) < 1200,
          )
          .map((c) => `${Math.round(c.at - r.at)} ${c.params.chat_id}`),
      }));
      expect(api.stats.tooManyRequests, JSON.stringify(context)).toBe(0);

      // The survivor answers commands: it took the updates over if a dead one had them.
      api.sendText(USER, USER, '/help');
      await api.until(() => api.messages(USER).length === 1, 30_000);
      // Never two instances polling getUpdates at once (Telegram ends the older with a 409).
      expect(api.calls.filter((c) => c.method === 'getUpdates' && c.status === 409)).toEqual([]);
      const logs = instances.map((i) => i.stderr()).join('\n');
      expect(logs).toMatch(/telegram:updates: elected: this instance takes the Telegram updates/);
      expect(await third.stop('SIGTERM')).toBe(0);
    }, 240_000);
  },
);
