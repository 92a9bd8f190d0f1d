/**
 * `briefwire run` with DISCORD_TOKEN and TELEGRAM_BOT_TOKEN both set: one process serves
 * Discord, Telegram and the console, against the loopback Discord and Bot API, polling a
 * loopback feed from its config. In-process (runBot), stopped by its abort signal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBot } from '../../../src/bot/run.js';
import { rss, serve } from '../../app/commands/helpers.js';
import { memoryStream, until } from '../../app/jobs/helpers.js';
import { type DiscordApi, startDiscordApi } from '../../support/discord-api.js';
import { startTelegramApi, type TelegramApi } from '../../support/telegram-api.js';

const GUILD = '1100000000000000001';
const CHANNEL = '1100000000000000002';
const OWNER = '1100000000000000003';
const TELEGRAM_CHANNEL = -1004001;

let discord: DiscordApi;
let telegram: TelegramApi;
let dir: string;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  discord = await startDiscordApi();
  discord.addGuild({
    id: GUILD,
    name: 'Newsroom',
    ownerId: OWNER,
    channels: [{ id: CHANNEL, name: 'briefs' }],
  });
  telegram = await startTelegramApi();
  telegram.addChat({ id: TELEGRAM_CHANNEL, type: 'channel', title: 'Wire' });
  dir = mkdtempSync(path.join(tmpdir(), 'briefwire-discord-run-'));
});

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await discord.close();
  await telegram.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('briefwire run with Discord', () => {
  it('serves Discord, Telegram and the console in one process, and never logs a token', async () => {
    const feed = await serve({
      '/feed.xml': [
        200,
        'application/rss+xml',
        rss('Wire', [
          {
            title: 'Umerov meets the president in Seoul @everyone',
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
        '  - {feed: Wire, destination: console}',
        `  - {feed: Wire, destination: "discord:${CHANNEL}"}`,
        `  - {feed: Wire, destination: "telegram:${TELEGRAM_CHANNEL}"}`,
      ].join('\n'),
    );
    const stdout = memoryStream();
    const stderr = memoryStream();
    const stop = new AbortController();
    const exit = runBot({
      configFile: config,
      env: {
        BRIEFWIRE_DATA_DIR: path.join(dir, 'data'),
        DISCORD_TOKEN: discord.token,
        DISCORD_API_ROOT: `${discord.root}/api`,
        DISCORD_GUILD_ID: GUILD,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        LOG_LEVEL: 'debug',
      },
      stdin: new PassThrough(),
      stdout,
      stderr,
      signal: stop.signal,
      cwd: dir,
    });
    try {
      await until(
        () =>
          discord.messages(CHANNEL).length === 1 &&
          telegram.messages(TELEGRAM_CHANNEL).length === 1 &&
          stdout.text().includes('Umerov meets the president in Seoul'),
        15_000,
      );
      expect(discord.messages(CHANNEL)[0]).toMatchObject({
        allowedMentions: { parse: [] },
        pinged: { everyone: false },
      });
      expect(discord.commands(GUILD).map((c) => c.name)).toContain('brief');

      // Commands reach the one handler from Discord too.
      const handle = discord.interact({ channelId: CHANNEL, name: 'feeds' });
      const [reply] = await handle.answered(1);
      expect(reply?.data.content).toContain('Wire');
    } finally {
      stop.abort();
    }
    expect(await exit).toBe(0);
    const log = stderr.text();
    expect(log).toContain('discord: 16 slash commands registered on server');
    expect(log).not.toContain(discord.token);
    expect(log).not.toContain(telegram.token);
    expect(discord.messages(CHANNEL)).toHaveLength(1);
  }, 30_000);
});
