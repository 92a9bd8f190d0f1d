/**
 * `briefwire doctor` as a user runs it (the built command), against the loopback Telegram
 * Bot API and Discord REST servers and a loopback feed server, with a temp data dir.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_ENV_VARS } from '../../src/config/index.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { rss } from '../app/commands/helpers.js';
import { startServer, type TestServer } from '../fixtures/input/http-server.js';
import { type Run, runCli } from '../support/cli.js';
import { type DiscordApi, startDiscordApi } from '../support/discord-api.js';
import { tempFolder } from '../support/files.js';
import { startTelegramApi, type TelegramApi } from '../support/telegram-api.js';

const { dir, file } = tempFolder('doctor');
const GUILD = '300000000000000001';

const FEED = rss('Wire', [
  { title: 'One', link: 'https://news.example/1', text: 'First story.' },
  { title: 'Two', link: 'https://news.example/2', text: 'Second story.' },
]);
const PAGE =
  '<!doctype html><html><head><title>News</title></head><body><p>Hello</p></body></html>';

let telegram: TelegramApi;
let discord: DiscordApi;
let feeds: TestServer;
let closedPort: number;

beforeAll(async () => {
  telegram = await startTelegramApi();
  discord = await startDiscordApi();
  discord.addGuild({ id: GUILD, name: 'News', ownerId: '100000000000000000', channels: [] });
  feeds = await startServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/feed.xml')
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED);
    else if (req.url === '/page.html')
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    else if (req.url === '/slow.xml')
      return; // never answers
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  // A store from an earlier run, so that its check has something to look at.
  await openSqliteStore(join(dir, 'data', 'briefwire.db')).close();
});

afterAll(async () => {
  await feeds?.close();
  await telegram?.close();
  await discord?.close();
});

/** A config file in the temp folder; `timeoutMs` only where a test waits for a silent server. */
function config(name: string, lines: string[], timeoutMs = 15_000): string {
  return file(
    `${name}.yaml`,
    ['dataDir: data', 'http:', `  timeoutMs: ${timeoutMs}`, ...lines].join('\n'),
  );
}

function feedLines(entries: [name: string, path: string][]): string[] {
  return [
    'feeds:',
    ...entries.flatMap(([name, path]) => [
      `  - url: ${feeds.url(path)}`,
      `    name: ${name}`,
      '    allowPrivate: true',
    ]),
  ];
}

/** The process environment without any of the config's variables, plus `extra`. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONFIG_ENV_VARS) delete clean[name];
  return { ...clean, ...extra };
}

const platforms = (): Record<string, string> => ({
  TELEGRAM_BOT_TOKEN: telegram.token,
  TELEGRAM_API_ROOT: telegram.apiRoot,
  DISCORD_TOKEN: discord.token,
  DISCORD_API_ROOT: `${discord.root}/api`,
});

/** The table's rows by check name: [status, detail, fix]. */
function table(run: Run): Map<string, { status: string; line: string }> {
  const lines = run.stdout.split('\n');
  const header = lines[0] ?? '';
  expect(header).toMatch(/^CHECK +STATUS +DETAIL +FIX$/);
  const at = header.indexOf('STATUS');
  const rows = new Map<string, { status: string; line: string }>();
  for (const line of lines.slice(1)) {
    if (line === '') break;
    // Aligned: every status starts under STATUS.
    expect(line.slice(at - 2, at)).toBe('  ');
    rows.set(line.slice(0, at).trim(), { status: line.slice(at).split(' ')[0] ?? '', line });
  }
  return rows;
}

describe.concurrent('briefwire doctor', () => {
  it('all green: a row per check, aligned, then a summary; exit 0', async () => {
    const run = await runCli(
      ['doctor', '--config', config('green', feedLines([['wire', '/feed.xml']]))],
      {
        env: env(platforms()),
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = table(run);
    expect([...rows.keys()]).toEqual([
      'config',
      'data dir',
      'store',
      'telegram',
      'telegram webhook',
      'discord',
      'discord intents',
      'feed wire',
    ]);
    for (const [check, { status }] of rows) expect(status, check).toBe('ok');
    expect(rows.get('config')?.line).toMatch(/green\.yaml: 1 feed, 0 subscriptions/);
    expect(rows.get('store')?.line).toMatch(
      new RegExp(
        `briefwire\\.db: schema ${MIGRATIONS.at(-1)?.version} \\(current\\), quick_check ok`,
      ),
    );
    expect(rows.get('telegram')?.line).toMatch(/@briefwire_test_bot/);
    expect(rows.get('discord')?.line).toMatch(/in 1 server/);
    expect(rows.get('discord intents')?.line).toMatch(/Guilds: nothing privileged needed/);
    expect(rows.get('feed wire')?.line).toMatch(/RSS 2\.0, 2 items \("Wire"\)/);
    expect(run.stdout).toMatch(/\n\n8 ok\n$/);
    for (const token of [telegram.token, discord.token]) expect(run.stdout).not.toContain(token);
  });

  it('wrong tokens: their rows fail with the fix, exit 1, the tokens nowhere', async () => {
    const wrongTelegram = '999999:wrong-TELEGRAM-token';
    const wrongDiscord = 'wrong.DISCORD.token-abcdef';
    const run = await runCli(['doctor', '--config', config('tokens', [])], {
      env: env({ ...platforms(), TELEGRAM_BOT_TOKEN: wrongTelegram, DISCORD_TOKEN: wrongDiscord }),
    });
    expect(run.code).toBe(1);
    const rows = table(run);
    expect(rows.get('telegram')?.status).toBe('fail');
    expect(rows.get('telegram')?.line).toMatch(
      /Telegram refused the token \(401 Unauthorized\) +copy it again from @BotFather/,
    );
    expect(rows.get('telegram webhook')?.status).toBe('skip');
    expect(rows.get('discord')?.status).toBe('fail');
    expect(rows.get('discord')?.line).toMatch(
      /Discord refused the token \(401 Unauthorized\) +reset it in the Developer Portal → Bot/,
    );
    expect(rows.get('feeds')?.status).toBe('skip');
    expect(run.stdout).toMatch(/\n2 failed, 3 ok, 3 skipped\n$/);
    for (const token of [wrongTelegram, wrongDiscord, encodeURIComponent(wrongTelegram)]) {
      expect(run.stdout).not.toContain(token);
      expect(run.stderr).not.toContain(token);
    }
  });

  it('--json: dead, HTML and silent feeds fail with their hints; an unreachable Telegram too', async () => {
    const path = config(
      'feeds',
      feedLines([
        ['wire', '/feed.xml'],
        ['gone', '/gone.xml'],
        ['page', '/page.html'],
        ['slow', '/slow.xml'],
      ]),
      2000,
    );
    const token = '123456:secret-TOKEN-in-the-url';
    const run = await runCli(['doctor', '--json', '--config', path], {
      env: env({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: `http://127.0.0.1:${closedPort}` }),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const rows = JSON.parse(run.stdout) as {
      check: string;
      status: string;
      detail: string;
      fix: string | null;
    }[];
    const byCheck = new Map(rows.map((r) => [r.check, r]));
    expect(byCheck.get('feed wire')?.status).toBe('ok');
    expect(byCheck.get('feed gone')).toEqual({
      check: 'feed gone',
      status: 'fail',
      detail: `${feeds.url('/gone.xml')}: HTTP 404 Not Found`,
      fix: 'the feed moved or is gone: find its new address on the site',
    });
    expect(byCheck.get('feed page')).toMatchObject({
      status: 'fail',
      detail: `${feeds.url('/page.html')}: is an HTML page, not a feed`,
      fix: 'the URL serves an HTML page: look for its RSS link',
    });
    expect(byCheck.get('feed slow')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/timed out/),
      fix: expect.stringMatching(/^no answer within 2s: check the URL, or raise http\.timeoutMs$/),
    });
    expect(byCheck.get('telegram')).toMatchObject({
      status: 'fail',
      detail: `cannot reach http://127.0.0.1:${closedPort}: connection refused; is the server running?`,
    });
    expect(byCheck.get('discord')).toMatchObject({
      status: 'skip',
      detail: expect.stringMatching(/not configured/),
    });
    expect(run.stdout).not.toContain(token);
    expect(run.stdout).not.toContain('secret-TOKEN');
  });

  it('a bad config value: the config row is the one-line error, the rest is skipped', async () => {
    const path = config('bad', ['polling:', '  defaultInterval: 5 minuts']);
    const run = await runCli(['doctor', '--config', path], { env: env(platforms()) });
    expect(run.code).toBe(1);
    const rows = table(run);
    expect(rows.get('config')?.status).toBe('fail');
    expect(rows.get('config')?.line).toMatch(
      /bad\.yaml: polling\.defaultInterval: "5 minuts" is not a duration like 5m, 1h +edit polling\.defaultInterval in .*bad\.yaml/,
    );
    for (const check of ['data dir', 'store', 'telegram', 'discord', 'feeds']) {
      expect(rows.get(check)?.status, check).toBe('skip');
    }
    expect(run.stdout).not.toContain(telegram.token);
  });

  it('a bad option: one line, exit 1', async () => {
    const run = await runCli(['doctor', '--bogus'], { env: env({}) });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'briefwire: doctor: unknown option --bogus (it takes --config FILE, --json)\n',
    );
  });
});
