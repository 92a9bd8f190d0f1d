/** The doctor's checks in-process: the rows they make for each situation. */
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_ENV_VARS, parseConfig } from '../../src/config/index.js';
import { checkDataDir, checkStore } from '../../src/doctor/data.js';
import { intentsRow } from '../../src/doctor/discord.js';
import { checkFeeds, feedAdvice } from '../../src/doctor/feeds.js';
import { cleanRows, formatTable, redactor } from '../../src/doctor/format.js';
import { type CheckRow, runDoctor } from '../../src/doctor/index.js';
import type { FetchFeedOptions, fetchFeed } from '../../src/feeds/fetch.js';
import { FeedError } from '../../src/net/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { type DiscordApi, startDiscordApi } from '../support/discord-api.js';
import { tempFolder } from '../support/files.js';
import { startTelegramApi, type TelegramApi } from '../support/telegram-api.js';

const { dir, file } = tempFolder('doctor-checks');
const LATEST = MIGRATIONS.at(-1)?.version ?? 0;

describe('the report', () => {
  const rows: CheckRow[] = [
    { check: 'config', status: 'ok', detail: 'x.yaml: 1 feed', fix: null },
    { check: 'discord', status: 'fail', detail: 'refused', fix: 'Developer Portal → Bot' },
    { check: 'feed «é»', status: 'warn', detail: 'no items', fix: 'look' },
    { check: 'telegram', status: 'skip', detail: 'not configured', fix: null },
  ];

  it('aligns the columns (by characters, not bytes) and ends with a summary', () => {
    const lines = formatTable(rows).split('\n');
    expect(lines[0]).toBe('CHECK     STATUS  DETAIL          FIX');
    expect(lines[1]).toBe('config    ok      x.yaml: 1 feed');
    expect(lines[2]).toBe('discord   fail    refused         Developer Portal → Bot');
    expect(lines[3]).toBe('feed «é»  warn    no items        look');
    expect(lines.slice(-3)).toEqual(['', '1 failed, 1 warning, 1 ok, 1 skipped', '']);
  });

  it('hides secrets as written and URL-encoded, and keeps each field on one line', () => {
    const token = '123456:AAbbCC';
    const redact = redactor([token, null, 'abc']);
    expect(redact(`GET /bot${token}/getMe and /bot${encodeURIComponent(token)}/x`)).toBe(
      'GET /bot[redacted]/getMe and /bot[redacted]/x',
    );
    // Too short to hide without hiding ordinary words.
    expect(redact('abc')).toBe('abc');
    const [clean] = cleanRows(
      [{ check: 'feed\u001b[31m x', status: 'fail', detail: `a\nb ${token}\u202e`, fix: 'c\r\nd' }],
      [token],
    );
    expect(clean).toEqual({
      check: 'feed [31m x',
      status: 'fail',
      detail: 'a b [redacted]',
      fix: 'c d',
    });
  });
});

describe('feed advice', () => {
  const advice = (error: FeedError) => feedAdvice(error, 15_000);
  it.each([
    [new FeedError('http', 'u', 'HTTP 410 Gone', { status: 410 }), 'fail', /moved or is gone/],
    [new FeedError('http', 'u', 'HTTP 403 Forbidden', { status: 403 }), 'fail', /refuses the bot/],
    [new FeedError('http', 'u', 'HTTP 502 Bad Gateway', { status: 502 }), 'warn', /try later/],
    [new FeedError('retry-later', 'u', 'HTTP 429', { status: 429 }), 'warn', /come back later/],
    [
      new FeedError('not-a-feed', 'u', 'is an HTML page, not a feed'),
      'fail',
      /look for its RSS link/,
    ],
    [
      new FeedError(
        'not-a-feed',
        'u',
        'is an HTML page, not a feed (the page names a feed: https://x.example/rss)',
      ),
      'fail',
      /use the feed it names, https:\/\/x\.example\/rss$/,
    ],
    [
      new FeedError('not-a-feed', 'u', 'is XML (<html>) but not an RSS, Atom or JSON feed'),
      'fail',
      /no RSS, Atom/,
    ],
    [
      new FeedError('unreachable', 'u', 'no complete response within 15 s (timed out)'),
      'fail',
      /within 15s.*http\.timeoutMs/,
    ],
    [new FeedError('unreachable', 'u', 'host not found (DNS lookup failed)'), 'fail', /host name/],
    [
      new FeedError('unreachable', 'u', 'connection refused; is the server running?'),
      'fail',
      /host and port/,
    ],
    [
      new FeedError('refused', 'u', 'refused: resolves to a private address (10.0.0.5)'),
      'fail',
      /allowPrivate: true/,
    ],
    [new FeedError('too-large', 'u', 'over the limit'), 'fail', /http\.maxBytes/],
    [new FeedError('unreadable', 'u', 'no such file'), 'fail', /config file's folder/],
  ] as const)('%s', (error, status, fix) => {
    const got = advice(error);
    expect(got.status).toBe(status);
    expect(got.fix).toMatch(fix);
  });
});

describe('feeds', () => {
  it('fetches as the poller does: the config http settings, its allowPrivate, file: allowed; 4 at a time', async () => {
    const config = parseConfig({
      text: [
        'http: { timeoutMs: 3000, maxBytes: 65536, maxRedirects: 2, userAgent: doctor-test/1 }',
        'feeds:',
        ...Array.from(
          { length: 6 },
          (_, k) => `  - { url: "http://127.0.0.1:9/${k}.xml", allowPrivate: ${k === 0} }`,
        ),
        '  - { url: "http://127.0.0.1:9/off.xml", enabled: false }',
      ].join('\n'),
      file: join(dir, 'feeds.yaml'),
      env: {},
    });
    const calls: { url: string; options: unknown }[] = [];
    let running = 0;
    let most = 0;
    const fetch = (async (url: string | URL, options?: FetchFeedOptions) => {
      calls.push({ url: String(url), options });
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return {
        status: 'ok',
        bytes: new TextEncoder().encode(
          '<rss version="2.0"><channel><title>T</title></channel></rss>',
        ),
        contentType: 'application/rss+xml',
        finalUrl: String(url),
        etag: null,
        lastModified: null,
      };
    }) as typeof fetchFeed;
    const rows = await checkFeeds(config, { fetch });
    expect(calls).toHaveLength(6);
    expect(most).toBe(4);
    expect(calls[0]?.options).toEqual({
      allowPrivate: true,
      allowFile: true,
      maxBytes: 65536,
      timeoutMs: 3000,
      maxRedirects: 2,
      userAgent: 'doctor-test/1',
    });
    expect(calls[1]?.options).toMatchObject({ allowPrivate: false });
    expect(rows.map((r) => r.status)).toEqual([
      'warn',
      'warn',
      'warn',
      'warn',
      'warn',
      'warn',
      'skip',
    ]);
    expect(rows[0]).toMatchObject({
      check: 'feed http://127.0.0.1:9/0.xml',
      detail: 'http://127.0.0.1:9/0.xml: RSS 2.0, 0 items ("T")',
      fix: 'an empty feed posts nothing: check that this is the feed meant',
    });
  });
});

describe('discord intents', () => {
  it('Guilds needs nothing privileged; a privileged intent needs its flag, full or limited', () => {
    expect(intentsRow(0)).toMatchObject({
      status: 'ok',
      detail: 'Guilds: nothing privileged needed',
    });
    expect(intentsRow(0, ['Guilds', 'MessageContent'])).toMatchObject({
      status: 'fail',
      fix: 'enable Message Content Intent in the Developer Portal → Bot → Privileged Gateway Intents',
    });
    expect(intentsRow(1 << 19, ['Guilds', 'MessageContent']).status).toBe('ok');
  });
});

describe('data dir and store', () => {
  it('data dir: writable, not there yet (creatable), a file in the way', async () => {
    expect(await checkDataDir(dir, dir)).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/writable/),
    });
    expect(await checkDataDir(join(dir, 'new', 'data'), dir)).toMatchObject({
      status: 'ok',
      detail: 'new/data does not exist yet: the bot creates it at start',
    });
    expect(existsSync(join(dir, 'new'))).toBe(false);
    const inTheWay = file('plain-file', 'x');
    expect(await checkDataDir(inTheWay, dir)).toMatchObject({
      status: 'fail',
      detail: 'plain-file is a file, not a folder',
    });
    expect((await checkDataDir(join(inTheWay, 'data'), dir)).status).toBe('fail');
  });

  it('store: current, missing, older, newer, not a database, damaged', async () => {
    const current = join(dir, 'current', 'briefwire.db');
    const store = openSqliteStore(current);
    // Open while the bot runs (WAL): the check reads it, and changes nothing.
    const ok = await checkStore(current, dir);
    expect(ok).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(
        /^current\/briefwire\.db: schema \d+ \(current\), quick_check ok, 0 feeds, 0 briefs, 0 pending deliveries, \d+ KiB$/,
      ),
    });
    await store.close();
    await checkStore(current, dir);
    expect(existsSync(`${current}-wal`)).toBe(false);

    expect((await checkStore(join(dir, 'none.db'), dir)).status).toBe('skip');

    const older = join(dir, 'older.db');
    const db = new Database(older);
    db.pragma(`user_version = ${LATEST - 1}`);
    db.close();
    expect(await checkStore(older, dir)).toMatchObject({
      status: 'warn',
      detail: `older.db: schema version ${LATEST - 1}, quick_check ok: the next start migrates it to ${LATEST}`,
    });
    expect(new Database(older).pragma('user_version', { simple: true })).toBe(LATEST - 1);

    const newer = join(dir, 'newer.db');
    const db2 = new Database(newer);
    db2.pragma(`user_version = ${LATEST + 1}`);
    db2.close();
    expect(await checkStore(newer, dir)).toMatchObject({
      status: 'fail',
      fix: 'upgrade briefwire, or use another data dir',
    });

    const text = file('text.db', 'not a database at all, '.repeat(50));
    expect(await checkStore(text, dir)).toMatchObject({
      status: 'fail',
      detail: 'text.db is not a SQLite database (its first bytes are not the SQLite header)',
    });

    // What the bot refuses to start with, the doctor fails with the same fix.
    const empty = file('empty.db', '');
    expect(await checkStore(empty, dir)).toEqual({
      check: 'store',
      status: 'fail',
      detail: 'the store empty.db is empty (0 bytes)',
      fix: 'stop the bot, then restore a backup made by briefwire db backup (README: Backups), or delete empty.db to start a new, empty store',
    });

    // A store whose table pages are overwritten with noise.
    const damaged = join(dir, 'damaged.db');
    const db3 = new Database(damaged);
    db3.exec('CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x);');
    const insert = db3.prepare('INSERT INTO t VALUES (?)');
    db3.transaction(() => {
      for (let k = 0; k < 2000; k++) insert.run(`row ${k} ${'y'.repeat(50)}`);
    })();
    db3.close();
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 4, 0xa5), 0, 4096 * 4, 4096 * 6);
    closeSync(fd);
    expect(await checkStore(damaged, dir)).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/restore a backup/),
    });
  });
});

describe('runDoctor: the platforms', () => {
  let telegram: TelegramApi;
  let discord: DiscordApi;
  const config = file('platforms.yaml', 'dataDir: data\nfeeds: []\n');
  beforeAll(async () => {
    telegram = await startTelegramApi();
    discord = await startDiscordApi();
  });
  afterAll(async () => {
    await telegram?.close();
    await discord?.close();
  });

  async function doctor(extra: Record<string, string>): Promise<Map<string, CheckRow>> {
    const env: Record<string, string | undefined> = {};
    for (const name of CONFIG_ENV_VARS) env[name] = undefined;
    const rows = await runDoctor({ configFile: config, cwd: dir, env: { ...env, ...extra } });
    return new Map(rows.map((r) => [r.check, r]));
  }
  const tg = () => ({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot });
  const dc = () => ({ DISCORD_TOKEN: discord.token, DISCORD_API_ROOT: `${discord.root}/api` });

  it('Telegram: a webhook set while long polling is configured is a warning', async () => {
    telegram.webhook = {
      url: 'https://old.example/hook',
      secretToken: undefined,
      allowedUpdates: undefined,
      maxConnections: undefined,
      dropPendingUpdates: false,
    };
    try {
      const rows = await doctor(tg());
      expect(rows.get('telegram webhook')).toMatchObject({
        status: 'warn',
        detail: 'a webhook is set (https://old.example/hook): long polling will delete it',
      });
    } finally {
      telegram.webhook = undefined;
    }
  });

  it('Telegram: a configured webhook needs HTTP_PORT; not set yet warns, no secret is fine', async () => {
    const url = 'https://bot.example/telegram';
    expect(
      (await doctor({ ...tg(), TELEGRAM_WEBHOOK_URL: url })).get('telegram webhook'),
    ).toMatchObject({
      status: 'fail',
      fix: 'set HTTP_PORT, or unset TELEGRAM_WEBHOOK_URL to use long polling',
    });
    const withPort = { ...tg(), TELEGRAM_WEBHOOK_URL: url, HTTP_PORT: '8080' };
    expect((await doctor(withPort)).get('telegram webhook')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/but Telegram has no webhook set: the bot sets it at start/),
    });
    telegram.webhook = {
      url,
      secretToken: undefined,
      allowedUpdates: undefined,
      maxConnections: undefined,
      dropPendingUpdates: false,
    };
    try {
      // No TELEGRAM_WEBHOOK_SECRET: the bot makes one at each start, so nothing is open.
      expect((await doctor(withPort)).get('telegram webhook')).toMatchObject({
        status: 'ok',
        detail: expect.stringMatching(/secret: a random one at each start$/),
      });
      const rows = await doctor({ ...withPort, TELEGRAM_WEBHOOK_SECRET: 'a-long-random-secret' });
      expect(rows.get('telegram webhook')).toMatchObject({
        status: 'ok',
        detail: `${url}, 0 updates pending`,
      });
    } finally {
      telegram.webhook = undefined;
    }
  });

  it('Discord: in no server is a warning with the invite link; DISCORD_GUILD_ID must be a server it is in', async () => {
    const alone = await doctor(dc());
    expect(alone.get('discord')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/is in no server yet$/),
      fix: `invite it: https://discord.com/oauth2/authorize?client_id=${discord.applicationId}&scope=bot+applications.commands&permissions=52224`,
    });
    expect(alone.has('discord server')).toBe(false);

    discord.addGuild({
      id: '300000000000000002',
      name: 'Wire',
      ownerId: '100000000000000000',
      channels: [],
    });
    const member = await doctor({ ...dc(), DISCORD_GUILD_ID: '300000000000000002' });
    expect(member.get('discord')?.status).toBe('ok');
    expect(member.get('discord server')).toMatchObject({
      status: 'ok',
      detail: 'Wire (300000000000000002): the bot is in it',
    });

    const other = await doctor({ ...dc(), DISCORD_GUILD_ID: '300000000000000009' });
    expect(other.get('discord server')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        /^the bot is not in server 300000000000000009 \(DISCORD_GUILD_ID\)/,
      ),
    });
  });
});
