import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rss, serve } from '../app/commands/helpers.js';
import { CLI, ROOT } from '../support/cli.js';
import { startTelegramApi } from '../support/telegram-api.js';

/**
 * What an operator sees in `ps`: the resident size of `briefwire run` as a service, with a
 * Telegram token (the loopback API), once its first poll is delivered and it idles. The
 * bot used to hold all five entity models and the general language detector from start
 * (~260 MB with one feed); it now loads a model when its language first comes and the
 * detector when an article needs it (~146 MB). Its heap now favours size (bot/heap.ts):
 * V8's young generation no longer grows to 32 MB while the bot loads and polls, and
 * the figure is ~114 MB (the old settings: 137–146). The bound sits between the two.
 */
const IDLE_BOUND_MB = 125;
const CHAT = 7001;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An English news story long enough for its function words to name its language. */
function story(n: number): { title: string; link: string; text: string } {
  return {
    title: `Port strike enters day ${n}`,
    link: `https://news.example/strike-${n}`,
    text:
      `Dock workers in Rotterdam said on Monday that the strike would go on for a ${n}th day. ` +
      'The union and the port authority have not met since the talks broke down last week, ' +
      'and shipping lines are sending their vessels to Antwerp and Hamburg instead. ' +
      'Mayor Ahmed Aboutaleb asked both sides to return to the table before the weekend.',
  };
}

/** VmRSS of a live process, in MB (Linux). */
function residentMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

describe('briefwire run, resident memory', () => {
  it.runIf(existsSync('/proc/self/status'))(
    'idles without the entity models, the language detector and the young generation it no longer holds',
    async () => {
      const api = await startTelegramApi();
      cleanups.push(() => api.close());
      api.addChat({ id: CHAT, type: 'private', title: 'reader' });
      const feed = await serve({
        '/feed.xml': [200, 'application/rss+xml', rss('Wire', [story(3), story(2), story(1)])],
      });
      cleanups.push(() => feed.close());
      const dir = mkdtempSync(path.join(tmpdir(), 'briefwire-memory-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const config = path.join(dir, 'briefwire.yaml');
      writeFileSync(
        config,
        [
          'feeds:',
          `  - url: ${feed.url('/feed.xml')}`,
          '    allowPrivate: true',
          '    firstPollPosts: 3',
          'subscriptions:',
          `  - {feed: ${feed.url('/feed.xml')}, destination: "telegram:${CHAT}"}`,
          '',
        ].join('\n'),
      );
      const bot = spawn(process.execPath, [CLI, 'run', '--config', config], {
        cwd: ROOT,
        env: {
          ...process.env,
          BRIEFWIRE_DATA_DIR: dir,
          TELEGRAM_BOT_TOKEN: api.token,
          TELEGRAM_API_ROOT: api.apiRoot,
          DISCORD_TOKEN: '',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      bot.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const exited = new Promise((resolve) => bot.on('close', resolve));
      cleanups.push(async () => {
        bot.kill('SIGKILL');
        await exited;
      });

      await api.until(() => api.messages(CHAT).length === 3, 60_000);
      // Settled: the deliveries answered, nothing left to do until the next poll.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const idle = residentMB(bot.pid as number);
      expect(stderr).not.toMatch(/error/i);
      expect(api.messages(CHAT).map((m) => m.text)).toEqual([
        expect.stringContaining('Port strike enters day 1'),
        expect.stringContaining('Port strike enters day 2'),
        expect.stringContaining('Port strike enters day 3'),
      ]);
      expect(idle).toBeLessThan(IDLE_BOUND_MB);
    },
    90_000,
  );
});
