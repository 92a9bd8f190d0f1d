import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { tempFolder } from '../support/files.js';
import { feedingPipe } from '../support/pipe.js';
import { errorOf, failure, load, writeConfig } from './helpers.js';

const { dir } = tempFolder('config-pipe');

const FEEDS = `
feeds:
  - url: https://a.example/rss
  - url: https://b.example/rss
  - url: https://c.example/rss
    interval: 5 minuts
`;

describe('a wrong value is one line: file, key path, what is expected', () => {
  it('bad duration', () => {
    expect(errorOf(FEEDS)).toBe(
      'config/default.yaml: feeds[2].interval: "5 minuts" is not a duration like 5m, 1h',
    );
    expect(errorOf('polling:\n  defaultInterval: 15\n')).toBe(
      'config/default.yaml: polling.defaultInterval: 15 is not a duration like 5m, 1h',
    );
  });

  it('a filter the chat would refuse, with the filter language’s reason', () => {
    const yaml = (filter: string) =>
      `feeds:\n  - url: https://a.example/rss\n    filters: [ukraine, ${JSON.stringify(filter)}]\n`;
    expect(errorOf(yaml('/kyiv/g'))).toBe(
      'config/default.yaml: feeds[0].filters[1]: "/kyiv/g" is not a filter: /kyiv/g: g is not a flag a filter takes (i, m, s, u; matching ignores case anyway)',
    );
    expect(errorOf(yaml('kind:planet'))).toBe(
      'config/default.yaml: feeds[0].filters[1]: "kind:planet" is not a filter: kind:planet: expected one of person, organization, country, place',
    );
    // What a chat's /filter takes, the config takes: several languages, plural kinds, phrases.
    for (const filter of ['lang:it,en', 'kind:people', 'north korea', '-"sport news"', '/kyiv/m']) {
      expect(() => errorOf(yaml(filter))).toThrow('expected a ConfigError');
    }
  });

  it('unknown key, with the nearest known key', () => {
    expect(errorOf('feeds:\n  - url: https://a.example/rss\n    intervall: 5m\n')).toBe(
      'config/default.yaml: feeds[0].intervall: unknown key (did you mean interval?)',
    );
    expect(errorOf('loglevel: debug\n')).toBe(
      'config/default.yaml: loglevel: unknown key (did you mean logLevel?)',
    );
    expect(errorOf('polling:\n  concurency: 4\n')).toBe(
      'config/default.yaml: polling.concurency: unknown key (did you mean concurrency?)',
    );
    expect(errorOf('outbox:\n  colour: red\n')).toBe(
      'config/default.yaml: outbox.colour: unknown key (known keys: retryBase, retryMax, maxAttempts)',
    );
  });

  it('bad cron expression', () => {
    expect(errorOf('digests:\n  - {destination: console, cron: "0 25 * * *"}\n')).toBe(
      'config/default.yaml: digests[0].cron: "0 25 * * *" is not a cron expression like "0 7 * * *" (minute hour day-of-month month day-of-week)',
    );
    expect(errorOf('digests:\n  - {destination: console, cron: every morning}\n')).toBe(
      'config/default.yaml: digests[0].cron: "every morning" is not a cron expression like "0 7 * * *" (minute hour day-of-month month day-of-week)',
    );
  });

  it('bad time zone, with a suggestion', () => {
    expect(
      errorOf('digests:\n  - {destination: console, cron: "0 8 * * *", timezone: Europe/Roma}\n'),
    ).toBe(
      'config/default.yaml: digests[0].timezone: "Europe/Roma" is not an IANA time zone like Europe/Rome (did you mean Europe/Rome?)',
    );
    expect(errorOf('destinations:\n  console: {timezone: "+01:00"}\n')).toBe(
      'config/default.yaml: destinations.console.timezone: "+01:00" is not an IANA time zone like Europe/Rome',
    );
  });

  it('bad destination', () => {
    const feed = 'feeds:\n  - {url: "https://a.example/rss", name: a}\n';
    expect(errorOf(`${feed}subscriptions:\n  - {feed: a, destination: "slack:general"}\n`)).toBe(
      'config/default.yaml: subscriptions[0].destination: "slack:general" is not a destination: console, telegram:<chat id>[/<topic id>] or discord:<channel id>[/<thread id>]',
    );
    expect(errorOf(`${feed}subscriptions:\n  - {feed: a, destination: "discord:general"}\n`)).toBe(
      'config/default.yaml: subscriptions[0].destination: "discord:general" is not a destination: console, telegram:<chat id>[/<topic id>] or discord:<channel id>[/<thread id>]',
    );
    expect(errorOf('destinations:\n  "telegram:": {language: it}\n')).toBe(
      'config/default.yaml: destinations["telegram:"]: "telegram:" is not a destination: console, telegram:<chat id>[/<topic id>] or discord:<channel id>[/<thread id>]',
    );
  });

  it('bad URL scheme, and a path without one', () => {
    expect(errorOf('feeds:\n  - url: ftp://example.org/feed.xml\n')).toBe(
      'config/default.yaml: feeds[0].url: "ftp://example.org/feed.xml" is not an http, https or file URL',
    );
    expect(errorOf('feeds:\n  - url: demo/feed.xml\n')).toBe(
      'config/default.yaml: feeds[0].url: "demo/feed.xml" is not an http, https or file URL; write https://… or, for a file next to the config, file:demo/feed.xml',
    );
    expect(errorOf('feeds:\n  - url: file://demo/feed.xml\n')).toBe(
      'config/default.yaml: feeds[0].url: "file://demo/feed.xml" is not an http, https or file URL; for a path relative to the config file write file:demo/feed.xml, for an absolute one file:///path',
    );
    expect(errorOf('telegram:\n  apiRoot: ws://127.0.0.1:8081\n')).toBe(
      'config/default.yaml: telegram.apiRoot: "ws://127.0.0.1:8081" is not an http or https URL',
    );
  });

  it('YAML syntax error: file:line:col', () => {
    expect(errorOf('logLevel: info\nfeeds: [\n  - url: x\n')).toMatch(
      /^config\/default\.yaml:3:\d+: invalid YAML: [^\n]+$/,
    );
    expect(errorOf('logLevel: info\npolling:\n  jitter: 0.1\n  jitter: 0.2\n')).toBe(
      'config/default.yaml:4:3: invalid YAML: map keys must be unique',
    );
    expect(errorOf('logLevel: "info\n')).toBe(
      'config/default.yaml:2:1: invalid YAML: missing closing "quote',
    );
  });

  it('wrong types and ranges', () => {
    expect(errorOf('logLevel: verbose\n')).toBe(
      'config/default.yaml: logLevel: "verbose" is not one of trace, debug, info, warn, error, fatal, silent',
    );
    expect(errorOf('polling: {concurrency: many}\n')).toBe(
      'config/default.yaml: polling.concurrency: "many" is not a number',
    );
    expect(errorOf('polling: {concurrency: 2.5}\n')).toBe(
      'config/default.yaml: polling.concurrency: 2.5 is not a whole number',
    );
    expect(errorOf('polling: {concurrency: 0}\n')).toBe(
      'config/default.yaml: polling.concurrency: 0 is too small: the least is 1',
    );
    expect(errorOf('feeds:\n  - {url: "https://a.example/rss", enabled: yes}\n')).toBe(
      'config/default.yaml: feeds[0].enabled: "yes" is not true or false',
    );
    expect(errorOf('feeds:\n  url: https://a.example/rss\n')).toBe(
      'config/default.yaml: feeds: expected a list, got a mapping',
    );
    expect(errorOf('feeds:\n  - name: no url\n')).toBe(
      'config/default.yaml: feeds[0].url: missing: expected an http, https or file URL',
    );
    expect(errorOf('destinations:\n  console: {quietHours: "22-7"}\n')).toBe(
      'config/default.yaml: destinations.console.quietHours: "22-7" is not a time range like 22:00-07:00',
    );
    expect(errorOf('discord:\n  guildId: 123456789012345678\n')).toMatch(
      /^config\/default\.yaml: discord\.guildId: \d+ is not a Discord id .*; quote it/,
    );
    expect(errorOf('- feeds\n')).toBe(
      'config/default.yaml: expected a mapping of settings, got a list',
    );
  });

  it('references between sections', () => {
    const two =
      'feeds:\n  - {url: "https://a.example/rss", name: Alpha}\n  - {url: "https://a.example/rss"}\n';
    expect(errorOf(two)).toBe('config/default.yaml: feeds[1].url: same feed as feeds[0]');
    expect(
      errorOf(
        'feeds:\n  - {url: "https://a.example/rss", name: Alpha}\nsubscriptions:\n  - {feed: Aplha, destination: console}\n',
      ),
    ).toBe(
      'config/default.yaml: subscriptions[0].feed: "Aplha" is not the name or url of a feed in feeds (did you mean Alpha?)',
    );
    expect(errorOf('polling: {backoffBase: 1h, backoffMax: 5m}\n')).toBe(
      'config/default.yaml: polling.backoffMax: 5m is less than polling.backoffBase (1h)',
    );
    expect(errorOf('polling: {maxNewItemsPerPoll: 50, maxNewItemsPerHour: 20}\n')).toBe(
      'config/default.yaml: polling.maxNewItemsPerHour: 20 is less than polling.maxNewItemsPerPoll (50): an hour holds at least one poll',
    );
    expect(errorOf('polling: {maxNewItemsPerPoll: 0}\n')).toBe(
      'config/default.yaml: polling.maxNewItemsPerPoll: 0 is too small: the least is 1',
    );
  });

  it('the quiet span and the early warning: what they take, and the warning before the pause', () => {
    expect(errorOf('polling: {quietAfter: soon}\n')).toBe(
      'config/default.yaml: polling.quietAfter: "soon" is not auto, off or a duration of at least 1h like 3d, 36h',
    );
    expect(errorOf('polling: {quietAfter: 10m}\n')).toBe(
      'config/default.yaml: polling.quietAfter: "10m" is not auto, off or a duration of at least 1h like 3d, 36h',
    );
    expect(errorOf('polling: {warnAfterFailures: 0}\n')).toBe(
      'config/default.yaml: polling.warnAfterFailures: 0 is not auto, off or a whole number of failures from 1',
    );
    expect(errorOf('polling: {maxConsecutiveFailures: 3, warnAfterFailures: 3}\n')).toBe(
      'config/default.yaml: polling.warnAfterFailures: 3 is not less than polling.maxConsecutiveFailures (3): the warning must come before the pause',
    );
  });

  it('several problems: the first in the file, and how many more', () => {
    const error = failure(`
logLevel: loud
feeds:
  - url: https://a.example/rss
    interval: soon
polling:
  concurency: 3
`);
    expect(error.message).toBe(
      'config/default.yaml: logLevel: "loud" is not one of trace, debug, info, warn, error, fatal, silent (and 2 more)',
    );
    expect(error.problems.map((p) => p.path)).toEqual([
      'logLevel',
      'feeds[0].interval',
      'polling.concurency',
    ]);
    expect(error.source).toBe('config/default.yaml');
    expect(error.path).toBe('logLevel');
  });

  it('every message is one line', () => {
    for (const yaml of [
      FEEDS,
      'a: [\n',
      'feeds:\n  - url: "https://x.example/\\nfoo"\n    interval: "1\\n2"\n',
    ]) {
      const message = errorOf(yaml);
      expect(message).not.toContain('\n');
      expect(message.startsWith('config/default.yaml')).toBe(true);
    }
  });
});

describe('tokens and secrets', () => {
  it('a token in the file is refused, pointing to the environment variable', () => {
    expect(errorOf('telegram:\n  token: "123456:ABC"\n')).toBe(
      'config/default.yaml: telegram.token: tokens do not belong in a config file; set TELEGRAM_BOT_TOKEN in the environment instead',
    );
    expect(errorOf('discord:\n  botToken: abc\n')).toBe(
      'config/default.yaml: discord.botToken: tokens do not belong in a config file; set DISCORD_TOKEN in the environment instead',
    );
    expect(errorOf('telegram:\n  webhookSecret: s3cret\n')).toBe(
      'config/default.yaml: telegram.webhookSecret: secrets do not belong in a config file; set TELEGRAM_WEBHOOK_SECRET in the environment instead',
    );
    expect(errorOf('telegramToken: "123456:ABC"\n')).toBe(
      'config/default.yaml: telegramToken: tokens do not belong in a config file; set TELEGRAM_BOT_TOKEN in the environment instead',
    );
  });

  it('never shows the token itself', () => {
    const error = failure('telegram:\n  token: "123456:TOPSECRET"\n');
    expect(JSON.stringify(error.problems)).not.toContain('TOPSECRET');
    expect(error.message).not.toContain('TOPSECRET');
  });
});

describe('the environment and the file itself', () => {
  it('a wrong environment value names the variable', () => {
    expect(errorOf('logLevel: info\n', { LOG_LEVEL: 'loud' })).toBe(
      'environment LOG_LEVEL: "loud" is not one of trace, debug, info, warn, error, fatal, silent',
    );
    expect(errorOf('', { HTTP_PORT: 'eighty' })).toBe(
      'environment HTTP_PORT: "eighty" is not a number',
    );
    expect(errorOf('', { HTTP_PORT: '70000' })).toBe(
      'environment HTTP_PORT: 70000 is too large: the most is 65535',
    );
    expect(errorOf('', { TELEGRAM_API_ROOT: 'api.telegram.org' })).toBe(
      'environment TELEGRAM_API_ROOT: "api.telegram.org" is not an http or https URL',
    );
  });

  it('a webhook URL Telegram would refuse: not https, or not on a port it posts to', () => {
    expect(errorOf('', { TELEGRAM_WEBHOOK_URL: 'http://' })).toBe(
      'environment TELEGRAM_WEBHOOK_URL: "http://" is not an https URL Telegram can deliver to, like https://bot.example.org/telegram: Telegram posts updates over https only',
    );
    expect(errorOf('', { TELEGRAM_WEBHOOK_URL: 'http://bot.example/telegram' })).toMatch(
      /^environment TELEGRAM_WEBHOOK_URL: "http:\/\/bot\.example\/telegram" is not an https URL .*over https only$/,
    );
    expect(errorOf('', { TELEGRAM_WEBHOOK_URL: 'https://bot.example:8080/telegram' })).toMatch(
      /: Telegram posts only to ports 443, 80, 88 or 8443 \(a proxy there passes updates on to HTTP_PORT\)$/,
    );
    expect(
      load('', { TELEGRAM_WEBHOOK_URL: 'https://bot.example:8443/telegram' }).telegram,
    ).toEqual({
      apiRoot: 'https://api.telegram.org',
      webhookUrl: 'https://bot.example:8443/telegram',
    });
  });

  it('a host to listen on that is none: a URL, a port, a name with a space', () => {
    expect(errorOf('server: {host: "0.0.0.0:8080"}')).toBe(
      'config/default.yaml: server.host: "0.0.0.0:8080" is not an address to listen on, like 0.0.0.0 (every interface), 127.0.0.1 or ::; the port goes in server.port (HTTP_PORT)',
    );
    expect(errorOf('server: {host: "http://localhost"}')).toMatch(/\(a host, not a URL\)$/);
    expect(errorOf('server: {host: "my host"}')).toMatch(
      /"my host" is not an address to listen on/,
    );
    for (const host of ['::', '127.0.0.1', 'localhost', 'bot.internal']) {
      expect(load(`server: {host: "${host}"}`).server.host).toBe(host);
    }
  });

  it('a missing file', () => {
    const { cwd } = writeConfig('');
    expect(() => loadConfig({ file: 'config/nope.yaml', env: {}, cwd })).toThrow(
      new ConfigError([
        {
          source: 'config/nope.yaml',
          path: '',
          message: 'cannot read the config file: no such file',
        },
      ]),
    );
    expect(() => loadConfig({ env: { BRIEFWIRE_CONFIG: 'config' }, cwd })).toThrow(
      'config: cannot read the config file: it is a folder',
    );
  });

  it('a pipe or device given as the config file is read up to a cap, not forever', () => {
    const pipe = feedingPipe(dir, 'config.yaml', 64 * 1024 * 1024);
    expect(() => loadConfig({ file: pipe.path, env: {}, cwd: dir })).toThrow(
      'config.yaml: cannot read the config file: is over the 4 MiB limit',
    );
    return expect(pipe.finished).resolves.toBe(false);
  });

  it('an empty file is all defaults', () => {
    const config = parseConfig({ text: '', file: '/etc/briefwire.yaml', env: {}, cwd: '/srv' });
    expect(config.feeds).toEqual([]);
    expect(config.dataDir).toBe('/srv/data');
  });

  it('names a file outside the working directory by its absolute path', () => {
    expect(() =>
      parseConfig({ text: 'logLevel: loud', file: '/etc/briefwire.yaml', env: {}, cwd: '/srv' }),
    ).toThrow(/^\/etc\/briefwire\.yaml: logLevel: /);
  });
});
