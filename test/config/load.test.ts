import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE, destinationOptions, loadConfig } from '../../src/config/load.js';
import { keysAt } from '../../src/config/schema.js';
import { knownLanguageOf } from '../../src/core/language.js';
import { load, writeConfig } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the shipped config/default.yaml', () => {
  const config = loadConfig({ env: {}, cwd: root });

  it('is the default file and loads with no environment at all', () => {
    expect(DEFAULT_CONFIG_FILE).toBe(path.join(root, 'config', 'default.yaml'));
    expect(config.file).toBe(DEFAULT_CONFIG_FILE);
    expect(config.dataDir).toBe(path.join(root, 'data'));
    expect(config.logLevel).toBe('info');
  });

  it('subscribes the console to the bundled demo feed', () => {
    const demo = pathToFileURL(path.join(root, 'config', 'demo', 'feed.xml')).href;
    expect(config.feeds.map((feed) => feed.url)).toEqual([demo]);
    expect(config.feeds[0]).toMatchObject({ name: 'demo', enabled: true, allowPrivate: false });
    expect(config.subscriptions).toEqual([
      {
        feedUrl: demo,
        destination: 'console',
        filters: [],
        template: 'full',
        media: true,
        preview: true,
      },
    ]);
    expect(existsSync(fileURLToPath(demo))).toBe(true);
  });

  it('has the documented defaults, durations in milliseconds', () => {
    expect(config.polling).toEqual({
      defaultIntervalMs: 15 * 60_000,
      jitter: 0.1,
      maxConsecutiveFailures: 10,
      backoffBaseMs: 60_000,
      backoffMaxMs: 6 * 3_600_000,
      concurrency: 8,
      maxNewItemsPerPoll: 25,
      maxNewItemsPerHour: 100,
      quietAfterMs: 'auto',
      warnAfterFailures: 5,
    });
    expect(config.outbox).toEqual({ retryBaseMs: 5_000, retryMaxMs: 15 * 60_000, maxAttempts: 10 });
    expect(config.prune).toEqual({ keepDays: 30 });
    expect(config.http).toMatchObject({ timeoutMs: 15_000, maxBytes: 10 * 1024 * 1024 });
    expect(config.server).toEqual({ port: null, host: '0.0.0.0' });
    expect(config.telegram).toEqual({ apiRoot: 'https://api.telegram.org', webhookUrl: null });
    expect(config.discord).toEqual({ apiRoot: null, guildId: null });
    expect(config.secrets.toJSON()).toEqual({
      telegramBotToken: null,
      telegramWebhookSecret: null,
      discordToken: null,
    });
  });

  it('documents every key of the schema with a comment', () => {
    const lines = readFileSync(DEFAULT_CONFIG_FILE, 'utf8').split('\n');
    /** The line of `key:` at this indentation, from line `from` on (within its section). */
    const lineOf = (key: string, indent: number, from = 0): number =>
      lines.findIndex((line, i) => i >= from && line.startsWith(`${' '.repeat(indent)}${key}:`));
    const commented = (index: number): boolean => /^\s*#\s*\S/.test(lines[index - 1] ?? '');
    /** A list's items are documented in the comment block above the list: `#   key  ...`. */
    const inBlockAbove = (index: number, key: string): boolean => {
      for (let i = index - 1; i >= 0 && /^\s*#/.test(lines[i] ?? ''); i--) {
        if (new RegExp(`^#\\s+${key}\\s`).test(lines[i] ?? '')) return true;
      }
      return false;
    };
    for (const key of keysAt([]) ?? []) {
      const at = lineOf(key, 0);
      expect(at, `${key} is in default.yaml`).toBeGreaterThanOrEqual(0);
      expect(commented(at), `${key} has a comment`).toBe(true);
      const section = keysAt([key]);
      const item = keysAt([key, 0]) ?? keysAt([key, 'console']);
      for (const sub of section ?? []) {
        const subAt = lineOf(sub, 2, at);
        expect(subAt, `${key}.${sub} is in default.yaml`).toBeGreaterThan(at);
        expect(commented(subAt) || /^\s*#/.test(lines[subAt - 2] ?? ''), `${key}.${sub}`).toBe(
          true,
        );
      }
      for (const sub of item ?? []) {
        expect(inBlockAbove(at, sub), `${key}: item key ${sub} is documented`).toBe(true);
      }
    }
  });

  it('bundles a demo feed that parses as RSS: five articles in en, fr, de and es', async () => {
    const feed = await new Parser().parseString(
      readFileSync(path.join(root, 'config', 'demo', 'feed.xml'), 'utf8'),
    );
    expect(feed.items).toHaveLength(5);
    const languages = new Set<string | null>();
    for (const item of feed.items) {
      expect(item.title).toBeTruthy();
      expect(item.link).toMatch(/^http:\/\/example\.invalid\//);
      expect(item.guid).toBeTruthy();
      expect(Number.isNaN(Date.parse(item.isoDate ?? ''))).toBe(false);
      const text = item.contentSnippet ?? '';
      const sentences = text.split(/(?<=[.!?]["»”]?)\s+(?=[A-ZÀ-Ý«"“])/).length;
      expect(sentences, item.title).toBeGreaterThanOrEqual(3);
      expect(sentences, item.title).toBeLessThanOrEqual(5);
      languages.add(knownLanguageOf(text));
    }
    expect([...languages].sort()).toEqual(['de', 'en', 'es', 'fr']);
    expect(new Set(feed.items.map((item) => item.guid)).size).toBe(5);
  });
});

describe('loading a config file', () => {
  it('fills every default when a section is left out or empty', () => {
    const config = load('feeds:\npolling:\n');
    expect(config.feeds).toEqual([]);
    expect(config.polling.defaultIntervalMs).toBe(900_000);
    expect(config.dataDir).toBe(path.join(path.dirname(path.dirname(config.file)), 'data'));
  });

  it('resolves file: feeds and dataDir against the config file folder', () => {
    const { cwd, file } = writeConfig(
      'dataDir: state\nfeeds:\n  - url: file:feeds/news.xml\n  - url: file:///srv/x.xml\n',
    );
    const config = loadConfig({ file, env: {}, cwd: '/' });
    expect(config.dataDir).toBe(path.join(cwd, 'config', 'state'));
    expect(config.feeds.map((feed) => feed.url)).toEqual([
      pathToFileURL(path.join(cwd, 'config', 'feeds', 'news.xml')).href,
      'file:///srv/x.xml',
    ]);
  });

  it('reads the quiet span and the early warning: auto, off, a duration, a count', () => {
    const polling = (yaml: string) => load(`polling: ${yaml}\n`).polling;
    expect(polling('{quietAfter: 36h, warnAfterFailures: 3}')).toMatchObject({
      quietAfterMs: 36 * 3_600_000,
      warnAfterFailures: 3,
    });
    // A bare off is false to YAML 1.1 readers: both mean off.
    expect(polling('{quietAfter: off, warnAfterFailures: "off"}')).toMatchObject({
      quietAfterMs: null,
      warnAfterFailures: null,
    });
    // auto warns at half the failures that pause; none when the first failure pauses.
    expect(polling('{maxConsecutiveFailures: 3}').warnAfterFailures).toBe(2);
    expect(polling('{maxConsecutiveFailures: 1}').warnAfterFailures).toBeNull();
  });

  it('gives each feed its interval, or the default one', () => {
    const config = load(
      'polling: {defaultInterval: 30m}\nfeeds:\n  - {url: "https://a.example/rss", interval: 90s}\n  - url: https://b.example/rss\n',
    );
    expect(config.feeds.map((feed) => feed.intervalMs)).toEqual([90_000, 1_800_000]);
  });

  it('lets a subscription name its feed by name or by url', () => {
    const config = load(`
feeds:
  - {url: "https://a.example/rss", name: Alpha}
  - {url: "file:b.xml"}
subscriptions:
  - {feed: alpha, destination: "telegram:-1001234567890", template: compact}
  - {feed: "file:b.xml", destination: "discord:123456789012345678", filters: [ukraine, "-sport", "/nato/i", "lang:en", "actor:umerov", "kind:person"]}
digests:
  - {destination: console, cron: "0 8 * * 1-5", timezone: europe/rome}
destinations:
  "telegram:@token_news": {language: en}
  "telegram:@briefwire_news": {quietHours: 22:00-07:00, timezone: Europe/Rome, language: it}
`);
    expect(config.subscriptions.map((s) => [s.feedUrl, s.destination, s.template])).toEqual([
      ['https://a.example/rss', 'telegram:-1001234567890', 'compact'],
      [config.feeds[1]?.url, 'discord:123456789012345678', 'full'],
    ]);
    expect(config.digests).toEqual([
      { destination: 'console', cron: '0 8 * * 1-5', timezone: 'Europe/Rome', maxBriefs: 10 },
    ]);
    expect(destinationOptions(config, 'telegram:@briefwire_news')).toEqual({
      quietHours: { startMinute: 22 * 60, endMinute: 7 * 60 },
      timezone: 'Europe/Rome',
      language: 'it',
    });
    expect(destinationOptions(config, 'console')).toEqual({
      quietHours: null,
      timezone: 'UTC',
      language: 'en',
    });
  });

  it('takes a forum topic and a thread as destinations, and French for a destination', () => {
    const config = load(`
feeds:
  - {url: "https://a.example/rss", name: Alpha}
subscriptions:
  - {feed: alpha, destination: "telegram:-1001234567890/42"}
  - {feed: alpha, destination: "discord:123456789012345678/123456789012345999"}
destinations:
  "telegram:-1001234567890/42": {language: fr}
`);
    expect(config.subscriptions.map((s) => s.destination)).toEqual([
      'telegram:-1001234567890/42',
      'discord:123456789012345678/123456789012345999',
    ]);
    expect(destinationOptions(config, 'telegram:-1001234567890/42').language).toBe('fr');
    for (const bad of ['telegram:-100123/', 'telegram:-100123/x', 'discord:123456789012345678/1']) {
      expect(() =>
        load(
          `feeds:\n  - {url: "https://a.example/rss", name: a}\nsubscriptions:\n  - {feed: a, destination: "${bad}"}\n`,
        ),
      ).toThrow(/is not a destination: console, telegram:<chat id>\[\/<topic id>\]/);
    }
  });

  it('reads the file named by BRIEFWIRE_CONFIG, and the file option wins over it', () => {
    const a = writeConfig('logLevel: debug\n');
    const b = writeConfig('logLevel: warn\n');
    expect(loadConfig({ env: { BRIEFWIRE_CONFIG: a.file }, cwd: a.cwd }).logLevel).toBe('debug');
    expect(loadConfig({ file: b.file, env: { BRIEFWIRE_CONFIG: a.file } }).logLevel).toBe('warn');
    expect(loadConfig({ env: { BRIEFWIRE_CONFIG: 'config/default.yaml' }, cwd: a.cwd }).file).toBe(
      a.file,
    );
  });
});

describe('the environment', () => {
  const yaml = `
dataDir: from-file
logLevel: info
server: {port: 8080}
telegram: {apiRoot: "https://api.telegram.org", webhookUrl: "https://file.example/hook"}
discord: {guildId: "111111111111111111"}
`;
  const env = {
    BRIEFWIRE_DATA_DIR: 'env-data',
    LOG_LEVEL: 'debug',
    HTTP_PORT: '9090',
    TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
    TELEGRAM_WEBHOOK_URL: 'https://env.example/hook',
    DISCORD_API_ROOT: 'http://127.0.0.1:8082/api',
    DISCORD_GUILD_ID: '222222222222222222',
    TELEGRAM_BOT_TOKEN: '123456:telegram-token-value',
    TELEGRAM_WEBHOOK_SECRET: 'webhook-secret-value',
    DISCORD_TOKEN: 'discord-token-value',
  };

  it('overrides the file', () => {
    const { cwd, file } = writeConfig(yaml);
    const config = loadConfig({ file, env, cwd });
    expect(config.dataDir).toBe(path.join(cwd, 'env-data'));
    expect(config.logLevel).toBe('debug');
    expect(config.server.port).toBe(9090);
    expect(config.telegram).toEqual({
      apiRoot: 'http://127.0.0.1:8081',
      webhookUrl: 'https://env.example/hook',
    });
    expect(config.discord).toEqual({
      apiRoot: 'http://127.0.0.1:8082/api',
      guildId: '222222222222222222',
    });
    expect(config.secrets.telegramBotToken).toBe('123456:telegram-token-value');
    expect(config.secrets.telegramWebhookSecret).toBe('webhook-secret-value');
    expect(config.secrets.discordToken).toBe('discord-token-value');
  });

  it('is ignored when a variable is empty', () => {
    const config = load(yaml, { LOG_LEVEL: '', HTTP_PORT: ' ', TELEGRAM_BOT_TOKEN: '' });
    expect(config.logLevel).toBe('info');
    expect(config.server.port).toBe(8080);
    expect(config.secrets.telegramBotToken).toBeNull();
  });

  it('never lets a secret show in JSON, inspect, spread or String', () => {
    const config = load(yaml, env);
    const secrets = [env.TELEGRAM_BOT_TOKEN, env.TELEGRAM_WEBHOOK_SECRET, env.DISCORD_TOKEN];
    const views = [
      JSON.stringify(config),
      JSON.stringify(config.secrets),
      inspect(config, { depth: null }),
      inspect(config, { depth: null, showHidden: true }),
      inspect(config.secrets, { showHidden: true, getters: true }),
      `${config.secrets}`,
      JSON.stringify({ ...config.secrets }),
      JSON.stringify(Object.entries(config.secrets)),
    ];
    for (const view of views) {
      for (const secret of secrets) expect(view).not.toContain(secret);
    }
    expect(JSON.parse(JSON.stringify(config)).secrets).toEqual({
      telegramBotToken: '[redacted]',
      telegramWebhookSecret: '[redacted]',
      discordToken: '[redacted]',
    });
    expect(config.secrets.values().sort()).toEqual([...secrets].sort());
  });
});
