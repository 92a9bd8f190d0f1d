/**
 * Two `briefwire run` with Discord on one PostgreSQL store: one holds the gateway (two would
 * each get every interaction and answer it twice), the other sends over REST; when the one
 * with the gateway dies (-9), the other connects and answers. Real processes, the loopback
 * Discord API, TEST_DATABASE_URL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCli, spawnCli } from '../support/cli.js';
import { type DiscordApi, startDiscordApi } from '../support/discord-api.js';
import {
  freshSchema,
  POSTGRES_SKIPPED,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../support/postgres.js';

const GUILD = '300000000000000001';
const CHANNEL = '300000000000000002';
const OWNER = '300000000000000003';
const ELECTED = /discord:gateway: elected: this instance holds the Discord gateway/;

/** Waits for `condition`, failing with `why()` after `ms`. */
async function waitFor(condition: () => boolean, ms: number, why: () => string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(why());
    await sleep(100);
  }
}

let api: DiscordApi;
let schema: TestSchema;
let dir: string;
let bots: RunningCli[] = [];

describe.skipIf(TEST_DATABASE_URL === null)(
  `Discord's gateway in one instance at a time${POSTGRES_SKIPPED}`,
  () => {
    beforeEach(async () => {
      api = await startDiscordApi();
      api.addGuild({
        id: GUILD,
        name: 'Newsroom',
        ownerId: OWNER,
        channels: [{ id: CHANNEL, name: 'briefs' }],
      });
      schema = await freshSchema();
      dir = mkdtempSync(path.join(tmpdir(), 'briefwire-discord-instances-'));
      bots = [];
    });

    afterEach(async () => {
      for (const bot of bots) await bot.stop('SIGKILL');
      await api.close();
      await schema.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('one connection for two instances; the standby takes over when the holder is killed, and answers', async () => {
      const config = path.join(dir, 'briefwire.yaml');
      writeFileSync(config, 'feeds: []\ninstances:\n  electionRetry: 300ms\n');
      const start = (n: number): RunningCli =>
        spawnCli(['run', '--config', config], {
          env: {
            ...process.env,
            DATABASE_URL: schema.url,
            BRIEFWIRE_DATA_DIR: path.join(dir, `data-${n}`),
            DISCORD_TOKEN: api.token,
            DISCORD_API_ROOT: `${api.root}/api`,
            DISCORD_GUILD_ID: GUILD,
            LOG_LEVEL: 'info',
          },
        });
      bots = [start(0), start(1)];
      const logs = (): string => bots.map((b) => b.stderr()).join('\n---\n');
      // Both are up: one connected to the gateway, the other saying it only sends.
      await waitFor(
        () =>
          bots.some((b) => ELECTED.test(b.stderr())) &&
          bots.some((b) => /discord: sends; another instance holds the gateway/.test(b.stderr())),
        90_000,
        logs,
      );
      await waitFor(() => api.connections === 1, 30_000, logs);
      await sleep(1000);
      expect(api.connections).toBe(1);

      const holder = bots.findIndex((b) => ELECTED.test(b.stderr()));
      const standby = bots[1 - holder] as RunningCli;
      expect(await bots[holder]?.stop('SIGKILL')).toBeNull();
      await waitFor(
        // READY received and the commands registered: it takes interactions from now on.
        () =>
          ELECTED.test(standby.stderr()) &&
          /discord: \S+ is connected/.test(standby.stderr()) &&
          api.connections === 1,
        60_000,
        () => standby.stderr(),
      );
      const handle = api.interact({ channelId: CHANNEL, name: 'feeds' });
      const [answer] = await handle.answered(1, 30_000);
      expect(answer?.data.content).toBeTruthy();
      expect(handle.refused).toEqual([]);
      expect(await standby.stop('SIGTERM')).toBe(0);
    }, 180_000);
  },
);
