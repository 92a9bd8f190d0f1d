/**
 * `briefwire run` as a service: health, readiness and metrics on HTTP_PORT, and a SIGTERM
 * in the middle of a fan-out that a restart finishes, each chat served exactly once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Readiness, readiness } from '../../src/bot/health.js';
import { rss, serve } from '../app/commands/helpers.js';
import {
  expectOneLineError,
  httpPortOf as portOf,
  type RunningCli,
  runCli,
  spawnCli,
} from '../support/cli.js';
import { startTelegramApi, type TelegramApi } from '../support/telegram-api.js';

let api: TelegramApi;
let dir: string;
const running: RunningCli[] = [];
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  api = await startTelegramApi();
  dir = mkdtempSync(path.join(tmpdir(), 'briefwire-service-'));
});

afterEach(async () => {
  for (const bot of running.splice(0)) await bot.stop('SIGKILL');
  for (const close of closers.splice(0)) await close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A config with one loopback feed subscribed by the given Telegram chats. */
async function configFor(chats: readonly number[], extra = ''): Promise<string> {
  const feed = await serve({
    '/feed.xml': [
      200,
      'application/rss+xml',
      rss('Wire', [
        {
          title: 'Belousov lands in Pyongyang',
          link: 'https://news.example/belousov',
          text: "Russia's defence minister Andrei Belousov landed in Pyongyang.",
        },
      ]),
    ],
  });
  closers.push(() => feed.close());
  const file = path.join(dir, 'briefwire.yaml');
  writeFileSync(
    file,
    [
      'feeds:',
      `  - url: ${feed.url('/feed.xml')}`,
      '    name: Wire',
      '    allowPrivate: true',
      'subscriptions:',
      ...chats.flatMap((chat) => ['  - feed: Wire', `    destination: "telegram:${chat}"`]),
      'server:',
      '  host: 127.0.0.1',
      extra,
    ].join('\n'),
  );
  return file;
}

function start(config: string, env: Record<string, string> = {}): RunningCli {
  const bot = spawnCli(['run', '--config', config], {
    env: {
      ...process.env,
      BRIEFWIRE_DATA_DIR: path.join(dir, 'data'),
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      ...env,
    },
  });
  running.push(bot);
  return bot;
}

/** Prometheus text → { 'name{labels}': value }; throws on a line that is not the format. */
function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (-?(?:\d+(?:\.\d+)?(?:e[-+]?\d+)?|\+Inf|NaN))$/.exec(
        line,
      );
    if (!m?.[1] || m[2] === undefined) throw new Error(`not Prometheus text: ${line}`);
    values.set(m[1], Number(m[2]));
  }
  return values;
}

const CHANNEL = -1004001;

describe('health, readiness and metrics', () => {
  it('answer on HTTP_PORT, count what happened, and turn unready when Telegram goes away', async () => {
    api.addChat({ id: CHANNEL, type: 'channel', title: 'Wire' });
    const bot = start(await configFor([CHANNEL]), { HTTP_PORT: '0' });
    const port = await portOf(bot);
    const url = (p: string) => `http://127.0.0.1:${port}${p}`;
    await api.until(() => api.messages(CHANNEL).length === 1, 15_000);

    expect((await fetch(url('/healthz'))).status).toBe(200);
    let ready = await fetch(url('/readyz'));
    for (let i = 0; i < 50 && ready.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await fetch(url('/readyz'));
    }
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as Readiness).checks).toMatchObject({
      store: { ok: true },
      telegram: { ok: true },
      scheduler: { ok: true },
    });

    const scraped = await fetch(url('/metrics'));
    expect(scraped.headers.get('content-type')).toMatch(/^text\/plain/);
    const metrics = parseMetrics(await scraped.text());
    expect(metrics.get('briefwire_feed_polls_total{result="ok"}')).toBe(1);
    expect(metrics.get('briefwire_briefs_total')).toBe(1);
    expect(metrics.get('briefwire_brief_seconds_count')).toBe(1);
    expect(metrics.get('briefwire_deliveries_total{platform="telegram",outcome="sent"}')).toBe(1);
    expect(metrics.get('briefwire_outbox_pending')).toBe(0);
    expect(metrics.get('briefwire_rate_limited_total{platform="telegram"}')).toBe(0);
    expect(metrics.has('briefwire_process_resident_memory_bytes')).toBe(true);

    // Telegram goes away: the bot is alive but no longer ready.
    await api.close();
    let gone = await fetch(url('/readyz'));
    for (let i = 0; i < 100 && gone.status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      gone = await fetch(url('/readyz'));
    }
    expect(gone.status).toBe(503);
    expect(((await gone.json()) as Readiness).checks.telegram).toEqual({
      ok: false,
      detail: 'not connected',
    });
    expect((await fetch(url('/healthz'))).status).toBe(200);
    expect(await bot.stop('SIGTERM')).toBe(0);
  }, 40_000);

  it('reports a store that stopped answering as not ready', async () => {
    const result = await readiness({
      store: {
        outbox: {
          stats: async () => {
            throw new Error('SQLITE_IOERR: disk I/O error');
          },
        } as never,
      },
      platforms: [{ name: 'telegram', connected: () => true }],
      lastDrainAt: () => new Date(),
    });
    expect(result.ready).toBe(false);
    expect(result.checks.store).toEqual({ ok: false, detail: 'SQLITE_IOERR: disk I/O error' });
  });
});

describe('starting', () => {
  it('on a port in use: one line naming HTTP_PORT, exit 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as AddressInfo).port;
    const run = await runCli(['run', '--config', await configFor([CHANNEL])], {
      env: {
        ...process.env,
        BRIEFWIRE_DATA_DIR: path.join(dir, 'data'),
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.apiRoot,
        HTTP_PORT: String(port),
        LOG_LEVEL: 'silent',
      },
    });
    expectOneLineError(
      run,
      new RegExp(
        `^briefwire: cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use .*; set HTTP_PORT \\(server\\.port\\) to a free port\n$`,
      ),
    );
  });
});

describe('stopping', () => {
  it('on SIGTERM during a fan-out exits 0, and a restart delivers the rest exactly once', async () => {
    const chats = Array.from({ length: 60 }, (_, k) => 5000 + k);
    for (const id of chats) api.addChat({ id, type: 'private', first_name: `reader ${id}` });
    const config = await configFor(chats);
    const first = start(config);
    await api.until(() => api.messages().length >= 10, 15_000);
    expect(await first.stop('SIGTERM')).toBe(0);
    const before = api.messages().length;
    expect(before).toBeLessThan(chats.length);

    const second = start(config);
    await api.until(
      () => new Set(api.messages().map((m) => m.chatId)).size === chats.length,
      20_000,
    );
    expect(await second.stop('SIGTERM')).toBe(0);
    const perChat = new Map<number, number>();
    for (const message of api.messages())
      perChat.set(message.chatId, (perChat.get(message.chatId) ?? 0) + 1);
    // A restart forgets the rate buckets, so a 429 right after it is possible: it is waited
    // out, and still no chat gets a brief twice.
    expect([...perChat.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});
