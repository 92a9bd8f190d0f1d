/**
 * `briefwire run` with TELEGRAM_BOT_TOKEN set: the built command as a service, talking to
 * the loopback Bot API through TELEGRAM_API_ROOT, polling a loopback feed from its config.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rss, serve } from '../app/commands/helpers.js';
import { expectOneLineError, type RunningCli, runCli, spawnCli } from '../support/cli.js';
import { startDiscordApi } from '../support/discord-api.js';
import { startTelegramApi, type TelegramApi } from '../support/telegram-api.js';

const CHANNEL = -1004001;
const ANN = 1001;

let api: TelegramApi;
let dir: string;
let bot: RunningCli | null;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  api = await startTelegramApi();
  api
    .addUser({ id: ANN, first_name: 'Ann', language_code: 'it' })
    .addChat({ id: ANN, type: 'private', first_name: 'Ann' })
    .addChat({ id: CHANNEL, type: 'channel', title: 'Wire' });
  dir = mkdtempSync(path.join(tmpdir(), 'briefwire-telegram-run-'));
  bot = null;
});

afterEach(async () => {
  await bot?.stop('SIGKILL');
  for (const close of closers.splice(0)) await close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startBot(): Promise<RunningCli> {
  const feed = await serve({
    '/feed.xml': [
      200,
      'application/rss+xml',
      rss('Wire', [
        {
          title: 'Umerov meets the president in Seoul',
          link: 'https://news.example/umerov',
          text: "Ukraine's defence minister Rustem Umerov met South Korea's president in Seoul.",
        },
      ]),
    ],
  });
  closers.push(() => feed.close());
  const config = path.join(dir, 'briefwire.yaml');
  writeFileSync(
    config,
    [
      'feeds:',
      `  - url: ${feed.url('/feed.xml')}`,
      '    name: Wire',
      '    allowPrivate: true',
      'subscriptions:',
      '  - feed: Wire',
      `    destination: "telegram:${CHANNEL}"`,
    ].join('\n'),
  );
  bot = spawnCli(['run', '--config', config], {
    env: {
      ...process.env,
      BRIEFWIRE_DATA_DIR: path.join(dir, 'data'),
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      LOG_LEVEL: 'debug',
    },
  });
  return bot;
}

describe('briefwire run with Telegram', () => {
  it('posts the feed to the channel, answers commands, stops cleanly on SIGTERM, never logs the token', async () => {
    const running = await startBot();
    await api.until(() => api.messages(CHANNEL).length === 1, 15_000);
    expect(api.messages(CHANNEL)[0]?.text).toContain('Umerov meets the president in Seoul');

    api.sendText(ANN, ANN, '/start');
    await api.until(() => api.messages(ANN).length === 1, 10_000);
    // Ann's Telegram speaks Italian, so does the bot.
    expect(api.messages(ANN)[0]?.text).toMatch(/comandi|notizie/i);

    // A stumble on Telegram's side is logged, and the log still carries no token.
    api.failNext('getUpdates', { status: 500, description: 'Internal Server Error' });
    api.sendText(ANN, ANN, '/help');
    await api.until(() => api.calls.some((c) => c.method === 'getUpdates' && c.status === 500));
    api.sendText(ANN, ANN, '/feeds');
    await api.until(() => api.messages(ANN).length === 3, 15_000);

    expect(await running.stop('SIGTERM')).toBe(0);
    const log = running.stderr();
    expect(log).toContain('telegram: @briefwire_test_bot takes updates by long polling');
    expect(log).toContain('telegram: getUpdates failed: 500: Internal Server Error; retrying');
    expect(log).toContain('telegram: getUpdates works again');
    expect(log).not.toContain(api.token);
    expect(log).not.toContain(api.token.split(':')[1]);
    // Posted once, even across the stop.
    expect(api.messages(CHANNEL)).toHaveLength(1);
  }, 40_000);

  it('stops at once with one line when a platform refuses its token, showing no token', async () => {
    const discord = await startDiscordApi();
    closers.push(() => discord.close());
    const env = {
      ...process.env,
      BRIEFWIRE_DATA_DIR: path.join(dir, 'data'),
      TELEGRAM_API_ROOT: api.apiRoot,
      DISCORD_API_ROOT: `${discord.root}/api`,
      LOG_LEVEL: 'warn',
    };
    const telegram = await runCli(['run'], {
      env: { ...env, TELEGRAM_BOT_TOKEN: '999:wrong-telegram-token' },
    });
    expectOneLineError(
      telegram,
      /^briefwire: Telegram refused the token \(401 Unauthorized\); copy it again from @BotFather into TELEGRAM_BOT_TOKEN\n$/,
    );
    expect(telegram.stderr).not.toContain('wrong-telegram-token');

    const wrong = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.wrong.discord-token';
    const refused = await runCli(['run'], { env: { ...env, DISCORD_TOKEN: wrong } });
    expectOneLineError(refused, /DISCORD_TOKEN/);
    expect(refused.stderr).not.toContain(wrong);
  }, 30_000);

  it('keeps trying an unreachable Telegram for a while, saying so, and stops at once on SIGTERM', async () => {
    const root = api.apiRoot;
    await api.close();
    const bot = spawnCli(['run'], {
      env: {
        ...process.env,
        BRIEFWIRE_DATA_DIR: path.join(dir, 'data'),
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: root,
      },
    });
    for (let waited = 0; !bot.stderr().includes('trying again'); waited += 20) {
      if (waited > 10_000) throw new Error(`no retry logged: ${bot.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The cause, as `briefwire doctor` gives it, not grammY's "Network request … failed!".
    expect(bot.stderr()).toContain(`cannot reach ${root}: connection refused`);
    expect(bot.stderr()).not.toContain('Network request');
    const stopped = Date.now();
    expect(await bot.stop('SIGTERM')).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(3000);
    expect(bot.stderr()).not.toContain(api.token);
    api = await startTelegramApi(); // for afterEach
  }, 20_000);
});
