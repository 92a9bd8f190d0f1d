/**
 * `briefwire run` given hostile HTML: a page nested 2,000 elements deep asked for with
 * `/brief URL`, and a feed item of 100,000 nested escaped <div>s. Either used to hold the
 * bot's one thread for seconds to minutes; now the bot stays responsive all along —
 * `/healthz` answers, other users' commands are answered — and says what it refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rss, serve } from '../app/commands/helpers.js';
import { httpPortOf as portOf, type RunningCli, spawnCli, spawnScript } from '../support/cli.js';
import { startTelegramApi, type TelegramApi } from '../support/telegram-api.js';

/** `briefwire run`, with chats allowed to brief pages on 127.0.0.1 (see the script). */
const RUN_OPEN = fileURLToPath(new URL('./fixtures/run-open.mjs', import.meta.url));

const ANN = 1001;
const BOB = 1002;
const CHANNEL = -1004001;

let api: TelegramApi;
let dir: string;
const running: RunningCli[] = [];
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  api = await startTelegramApi();
  api
    .addUser({ id: ANN, first_name: 'Ann' })
    .addUser({ id: BOB, first_name: 'Bob' })
    .addChat({ id: ANN, type: 'private', first_name: 'Ann' })
    .addChat({ id: BOB, type: 'private', first_name: 'Bob' })
    .addChat({ id: CHANNEL, type: 'channel', title: 'Wire' });
  dir = mkdtempSync(path.join(tmpdir(), 'briefwire-hostile-'));
});

afterEach(async () => {
  for (const bot of running.splice(0)) await bot.stop('SIGKILL');
  for (const close of closers.splice(0)) await close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

function env(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    BRIEFWIRE_DATA_DIR: path.join(dir, 'data'),
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    HTTP_PORT: '0',
  };
}

function writeConfig(lines: string[]): string {
  const file = path.join(dir, 'briefwire.yaml');
  writeFileSync(file, [...lines, 'server:', '  host: 127.0.0.1'].join('\n'));
  return file;
}

/** One GET /healthz on a connection of its own (none kept alive across a stall); its status. */
function healthz(port: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    request.setTimeout(Math.max(1, timeoutMs), () =>
      request.destroy(new Error(`/healthz: no answer within ${timeoutMs} ms`)),
    );
    request.on('error', reject);
  });
}

/**
 * Asks /healthz over and over until `done()`, timing each answer; the slowest, in ms.
 * Gives up after `withinMs` (the bot never got done).
 */
async function slowestHealthz(port: number, done: () => boolean, withinMs = 30_000) {
  const until = Date.now() + withinMs;
  let slowest = 0;
  while (!done()) {
    if (Date.now() > until) throw new Error(`not done within ${withinMs} ms`);
    const started = performance.now();
    expect(await healthz(port, until - Date.now())).toBe(200);
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return slowest;
}

describe('briefwire run given hostile HTML', () => {
  it('refuses /brief of a page nested 2,000 deep, answering /healthz and another user meanwhile', async () => {
    const nested = `<!doctype html><html><head><title>Deep</title></head><body>${'<div>'.repeat(2000)}Belousov landed in Pyongyang.${'</div>'.repeat(2000)}</body></html>`;
    const pages = await serve({ '/deep.html': [200, 'text/html; charset=utf-8', nested] });
    closers.push(() => pages.close());
    const bot = spawnScript(RUN_OPEN, [writeConfig([])], { env: env() });
    running.push(bot);
    const port = await portOf(bot);

    const url = pages.url('/deep.html');
    api.sendText(ANN, ANN, `/brief ${url}`);
    api.sendText(BOB, BOB, '/help');
    const slowest = await slowestHealthz(
      port,
      () => api.messages(ANN).length > 0 && api.messages(BOB).length > 0,
    );
    expect(slowest).toBeLessThan(1000);

    // <html>, <body> and the 2,000 <div>s.
    expect(api.messages(ANN)[0]?.text).toBe(
      `Could not brief that article: ${url}: the page nests 2,002 elements deep; briefwire reads pages up to 256 levels`,
    );
    expect(api.messages(BOB)[0]?.text).toMatch(/\/brief/);
    expect(pages.hits('/deep.html')).toBe(1);
  }, 60_000);

  it('polls a feed with an item of 100,000 nested escaped <div>s, answering /healthz all along', async () => {
    const nested = `${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}`;
    const feed = await serve({
      '/feed.xml': [
        200,
        'application/rss+xml',
        rss('Wire', [
          {
            title: 'Belousov lands in Pyongyang',
            link: 'https://news.example/belousov',
            text: nested.replace(/</g, '&lt;'),
          },
          {
            title: 'Umerov meets Yoon in Seoul',
            link: 'https://news.example/umerov',
            text: "Ukraine's defence minister Rustem Umerov met South Korea's president in Seoul.",
          },
        ]),
      ],
    });
    closers.push(() => feed.close());
    const config = writeConfig([
      'feeds:',
      `  - url: ${feed.url('/feed.xml')}`,
      '    name: Wire',
      '    allowPrivate: true',
      '    firstPollPosts: 2',
      'subscriptions:',
      '  - feed: Wire',
      `    destination: "telegram:${CHANNEL}"`,
    ]);
    const bot = spawnCli(['run', '--config', config], { env: env() });
    running.push(bot);
    const port = await portOf(bot);
    const slowest = await slowestHealthz(port, () => api.messages(CHANNEL).length === 2);
    expect(slowest).toBeLessThan(1000);

    // The hostile item is briefed from its words read as plain text; the other one as ever.
    expect(api.messages(CHANNEL).map((m) => m.text.split('\n')[0])).toEqual([
      'Umerov meets Yoon in Seoul',
      'Belousov lands in Pyongyang',
    ]);
    expect(bot.stderr()).toContain(
      'its HTML nests more than 2,048 elements deep; briefwire reads HTML up to 256 levels; read as plain text',
    );
  }, 60_000);
});
