import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommandDeps, createCommandHandler } from '../../../src/app/commands/index.js';
import { checkFeedUrl } from '../../../src/net/guard.js';
import { type Bot, chat, openBot, rss, serve, storedFeed, textOf } from './helpers.js';

const FEED = rss('Notizie &amp; Mondo', [
  { title: 'Primo', link: 'https://news.example/1', text: 'Uno.' },
  { title: 'Secondo', link: 'https://news.example/2', text: 'Due.' },
]);

let bot: Bot;
let server: Awaited<ReturnType<typeof serve>>;
beforeEach(async () => {
  bot = openBot({ allowPrivate: true });
  server = await serve({
    '/feed.xml': [200, 'application/rss+xml; charset=utf-8', FEED],
    '/other.xml': [200, 'application/rss+xml', rss('Other', [])],
    '/page.html': [
      200,
      'text/html',
      '<html><head><title>Home</title><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body><p>Hi</p></body></html>',
    ],
    '/broken.xml': [200, 'application/rss+xml', '<rss><channel><title>Cut'],
  });
});
afterEach(async () => {
  await server.close();
  await bot.cleanup();
});

const tg = 'telegram:-100123';

describe('/subscribe', () => {
  it('fetches and parses the feed once, stores it as a chat feed and subscribes this chat', async () => {
    const reply = await bot.send(chat(tg), `/subscribe ${server.url('/feed.xml')} ukraine lang:it`);
    expect(textOf(reply)).toBe(
      `Subscribed to Notizie & Mondo (${server.url('/feed.xml')}), a feed of 2 items now. New articles will be posted here.\nOnly briefs matching: ukraine lang:it`,
    );
    expect(server.hits('/feed.xml')).toBe(1);
    const [feed] = await bot.store.feeds.list();
    expect(feed).toMatchObject({
      url: server.url('/feed.xml'),
      name: 'Notizie & Mondo',
      origin: 'chat',
      languageHint: 'it',
      intervalSeconds: 900,
    });
    const subs = await bot.store.subscriptions.listByDestination(tg);
    expect(subs).toHaveLength(1);
    // As the scheduler reads it (src/app/routing.ts).
    expect(subs[0]?.filters).toEqual({ origin: 'chat', filters: 'ukraine lang:it' });
  });

  it('subscribes another chat to a stored feed without fetching it again', async () => {
    await bot.send(chat(tg), `/subscribe ${server.url('/feed.xml')}`);
    const reply = await bot.send(
      chat('discord:123456789012345678'),
      `/subscribe ${server.url('/feed.xml')}`,
    );
    expect(textOf(reply)).toBe(
      `Subscribed to Notizie & Mondo (${server.url('/feed.xml')}). New articles will be posted here.`,
    );
    expect(server.hits('/feed.xml')).toBe(1);
    expect(await bot.store.feeds.list()).toHaveLength(1);
  });

  it('says when the chat already follows the feed, and changes filters when new ones are given', async () => {
    const url = server.url('/feed.xml');
    await bot.send(chat(tg), `/subscribe ${url}`);
    expect(textOf(await bot.send(chat(tg), `/subscribe ${url}`))).toBe(
      'This chat already follows Notizie & Mondo.',
    );
    expect(textOf(await bot.send(chat(tg), `/subscribe ${url} -sport`))).toBe(
      'Filters of Notizie & Mondo are now: -sport',
    );
    const [sub] = await bot.store.subscriptions.listByDestination(tg);
    expect(sub?.filters).toEqual({ origin: 'chat', filters: '-sport' });
  });

  it('the default guard refuses a private address typed in a chat, and fetches nothing', async () => {
    const guarded = createCommandHandler(
      createCommandDeps({ store: bot.store, config: bot.config }),
    );
    const reply = await guarded({ text: `/subscribe ${server.url('/feed.xml')}`, chat: chat(tg) });
    expect(reply).toMatchObject({ kind: 'error', code: 'bad-url' });
    expect(reply.text).toBe(
      `Could not subscribe: ${server.url('/feed.xml')}: refused: resolves to a loopback address (127.0.0.1)`,
    );
    expect(server.hits('/feed.xml')).toBe(0);
    expect(await bot.store.feeds.list()).toEqual([]);
  });

  it('the handler takes whatever guard it is given: the real one, configured for the test', async () => {
    const allowing = bot.with({ checkFeedUrl: (url) => checkFeedUrl(url, { allowPrivate: true }) });
    expect((await allowing(chat(tg), `/subscribe ${server.url('/other.xml')}`)).kind).toBe('text');
    const refusing = bot.with({ checkFeedUrl: (url) => checkFeedUrl(url) });
    const reply = await refusing(chat(tg), '/subscribe http://10.0.0.5/feed.xml');
    expect(reply.text).toBe(
      'Could not subscribe: http://10.0.0.5/feed.xml: refused: resolves to a private address (10.0.0.5)',
    );
  });

  it.each([
    [
      'ftp://news.example/feed.xml',
      'bad-url',
      'ftp://news.example/feed.xml: only http:// and https:// feeds are supported, not ftp://',
    ],
    [
      'file:///etc/passwd',
      'bad-url',
      'file:///etc/passwd: file: feeds can only be set in the config file; give an http:// or https:// URL',
    ],
    ['news.example/feed', 'bad-url', 'news.example/feed: is not a valid URL'],
  ])('refuses %s with one line', async (url, code, detail) => {
    const reply = await bot.send(chat(tg), `/subscribe ${url}`);
    expect(reply).toMatchObject({ kind: 'error', code, text: `Could not subscribe: ${detail}` });
  });

  it('refuses what is not a feed, naming the problem in one line', async () => {
    const page = await bot.send(chat(tg), `/subscribe ${server.url('/page.html')}`);
    expect(page).toMatchObject({ kind: 'error', code: 'failed' });
    expect(page.text).toBe(
      `Could not subscribe: ${server.url('/page.html')}: is an HTML page, not a feed (the page names a feed: ${server.url('/feed.xml')})`,
    );
    const missing = await bot.send(chat(tg), `/subscribe ${server.url('/nothing.xml')}`);
    expect(missing.text).toBe(
      `Could not subscribe: ${server.url('/nothing.xml')}: HTTP 404 Not Found`,
    );
    const broken = await bot.send(chat(tg), `/subscribe ${server.url('/broken.xml')}`);
    expect(broken.text).toMatch(
      /^Could not subscribe: http:\/\/127\.0\.0\.1:\d+\/broken\.xml: .+$/,
    );
    expect(broken.text).not.toContain('\n');
    expect(await bot.store.feeds.list()).toEqual([]);
    expect(bot.errors).toEqual([]);
  });

  it('checks the filters before fetching anything', async () => {
    const reply = await bot.send(chat(tg), `/subscribe ${server.url('/feed.xml')} /(a+)+/`);
    expect(reply).toMatchObject({ kind: 'error', code: 'usage' });
    expect(reply.text).toBe(
      'Those filters cannot be read: /(a+)+/: has nested quantifiers such as (a+)+, which are not allowed',
    );
    expect(server.hits('/feed.xml')).toBe(0);
  });
});

describe('/feeds, /unsubscribe, /filter', () => {
  async function twoFeeds() {
    await bot.send(chat(tg), `/subscribe ${server.url('/feed.xml')} ukraine`);
    await bot.send(chat(tg), `/subscribe ${server.url('/other.xml')}`);
  }

  it('/feeds numbers the chat’s feeds with filters, pauses and the digest', async () => {
    await twoFeeds();
    const [, other] = await bot.store.feeds.list();
    if (!other) throw new Error('no feed');
    await bot.store.feeds.updatePollState(other.id, {
      paused: true,
      pausedReason: '10 failures in a row: HTTP 500 Internal Server Error',
      consecutiveFailures: 10,
    });
    await bot.send(chat(tg), '/pause 1');
    const reply = await bot.send(chat(tg, false), '/feeds');
    if (reply.kind !== 'feeds') throw new Error(reply.text);
    expect(reply.feeds.map((f) => [f.number, f.name, f.paused, f.feedPaused])).toEqual([
      [1, 'Notizie & Mondo', true, false],
      [2, 'Other', false, true],
    ]);
    expect(reply.text).toBe(
      [
        'Feeds of this chat:',
        `1. Notizie & Mondo — ${server.url('/feed.xml')}`,
        '   filters: ukraine',
        '   paused here: paused by an admin',
        `2. Other — ${server.url('/other.xml')}`,
        '   feed paused: 10 failures in a row: HTTP 500 Internal Server Error — /resume starts it again',
        '',
        'No daily digest (/digest HH:MM Area/City sets one).',
        'In a config file this chat is telegram:-100123.',
      ].join('\n'),
    );
    expect(textOf(await bot.send(chat('console'), '/feeds'), 'feeds')).toMatch(
      /^This chat follows no feeds yet/,
    );
  });

  it('/feeds shows how long ago each feed last listed a new item, in the chat’s language', async () => {
    await twoFeeds();
    const [news, other] = await bot.store.feeds.list();
    if (!news || !other) throw new Error('no feeds');
    // As the poller leaves them: news found a new item 3 days and 5 hours ago, other 40
    // minutes ago; a feed never polled yet shows nothing.
    const HOUR = 3_600_000;
    await bot.store.feeds.updatePollState(news.id, {
      lastNewItemAt: new Date(bot.clock.now - 77 * HOUR),
    });
    await bot.store.feeds.updatePollState(other.id, {
      lastNewItemAt: new Date(bot.clock.now - 40 * 60_000),
    });
    const lines = (reply: Awaited<ReturnType<Bot['send']>>) => textOf(reply, 'feeds').split('\n');
    const en = lines(await bot.send(chat(tg), '/feeds'));
    expect(en.slice(1, 5)).toEqual([
      `1. Notizie & Mondo — ${server.url('/feed.xml')}`,
      '   last new item 3 d ago',
      '   filters: ukraine',
      `2. Other — ${server.url('/other.xml')}`,
    ]);
    expect(en[5]).toBe('   last new item 40 min ago');
    await bot.send(chat(tg), '/lang it');
    const italian = lines(await bot.send(chat(tg), '/feeds'));
    expect([italian[2], italian[5]]).toEqual([
      '   ultima notizia nuova 3 g fa',
      '   ultima notizia nuova 40 min fa',
    ]);
    bot.clock.now += 2 * HOUR;
    expect(lines(await bot.send(chat(tg), '/feeds'))[5]).toBe('   ultima notizia nuova 2 h fa');
  });

  it('/feeds in a forum group also lists its topics’ feeds, each under its topic', async () => {
    const forum = 'telegram:-100777';
    await bot.send(chat(forum), `/subscribe ${server.url('/feed.xml')}`);
    await bot.send(chat(`${forum}/12`), `/subscribe ${server.url('/other.xml')} -sport`);
    await bot.send(chat(`${forum}/3`), `/subscribe ${server.url('/feed.xml')}`);
    await bot.send(chat(`${forum}/3`), '/pause');
    // Another group whose id starts alike is not one of its topics.
    await bot.send(chat(`${forum}0/5`), `/subscribe ${server.url('/other.xml')}`);
    expect(textOf(await bot.send(chat(forum, false), '/feeds'), 'feeds')).toBe(
      [
        'Feeds of this chat:',
        `1. Notizie & Mondo — ${server.url('/feed.xml')}`,
        '',
        `Topic 3 (${forum}/3):`,
        `- Notizie & Mondo — ${server.url('/feed.xml')}`,
        '   paused here: paused by an admin',
        '',
        `Topic 12 (${forum}/12):`,
        `- Other — ${server.url('/other.xml')}`,
        '   filters: -sport',
        '',
        'No daily digest (/digest HH:MM Area/City sets one).',
        `In a config file this chat is ${forum}.`,
      ].join('\n'),
    );
    // A number still means one of the group's own feeds; a topic lists only its own.
    expect((await bot.send(chat(forum), '/unsubscribe 2')).text).toMatch(/^No feed "2" here/);
    expect(textOf(await bot.send(chat(`${forum}/12`), '/feeds'), 'feeds')).not.toMatch(/Topic 3/);
  });

  it('/feeds in a Discord channel lists its threads’ feeds, in the chat’s language', async () => {
    const channel = 'discord:123456789012345678';
    const thread = `${channel}/223456789012345678` as const;
    await bot.send(chat(thread), `/subscribe ${server.url('/other.xml')}`);
    await bot.send(chat(channel), '/lang de');
    expect(textOf(await bot.send(chat(channel), '/feeds'), 'feeds').split('\n')).toEqual([
      '',
      `Thread 223456789012345678 (${thread}):`,
      `- Other — ${server.url('/other.xml')}`,
      '',
      'Keine tägliche Zusammenfassung (/digest HH:MM Gebiet/Stadt richtet eine ein).',
      `In einer Konfigurationsdatei heißt dieser Chat ${channel}.`,
    ]);
  });

  it('/unsubscribe by number or URL; a chat feed nobody follows any more goes', async () => {
    await twoFeeds();
    await bot.send(chat('console'), `/subscribe ${server.url('/other.xml')}`);
    expect(textOf(await bot.send(chat(tg), '/unsubscribe 1'))).toBe(
      'Unsubscribed from Notizie & Mondo.',
    );
    expect(textOf(await bot.send(chat(tg), `/unsubscribe ${server.url('/other.xml')}`))).toBe(
      'Unsubscribed from Other.',
    );
    expect(await bot.store.subscriptions.listByDestination(tg)).toEqual([]);
    // Notizie is gone with its last chat; Other stays for the console.
    expect((await bot.store.feeds.list()).map((f) => f.name)).toEqual(['Other']);
    const none = await bot.send(chat('console'), '/unsubscribe 7');
    expect(none).toMatchObject({
      kind: 'error',
      code: 'not-found',
      text: 'No feed "7" here: give its number from /feeds (1–1) or its URL.',
    });
  });

  it('a config feed stays when a chat unsubscribes', async () => {
    await storedFeed(bot.store, 'https://config.example/rss', 'Config', [tg]);
    await bot.send(chat(tg), '/unsubscribe Config');
    expect((await bot.store.feeds.list()).map((f) => f.name)).toEqual(['Config']);
  });

  it('/filter shows, changes and removes a feed’s filters here', async () => {
    await twoFeeds();
    expect(textOf(await bot.send(chat(tg, false), '/filter 1'))).toBe(
      'Filters of Notizie & Mondo: ukraine',
    );
    expect(textOf(await bot.send(chat(tg), '/filter 2 "north korea" -sport actor:umerov'))).toBe(
      'Filters of Other are now: "north korea" -sport actor:umerov',
    );
    const subs = await bot.store.subscriptions.listByDestination(tg);
    expect(subs[1]?.filters).toEqual({
      origin: 'chat',
      filters: '"north korea" -sport actor:umerov',
    });
    expect(textOf(await bot.send(chat(tg), '/filter 2 off'))).toBe(
      'Filters of Other removed: everything is posted.',
    );
    expect(textOf(await bot.send(chat(tg), '/filter 2'))).toBe(
      'Filters of Other: none (everything is posted)',
    );
    const bad = await bot.send(chat(tg), '/filter 1 kind:animal');
    expect(bad).toMatchObject({
      kind: 'error',
      code: 'usage',
      text: 'Those filters cannot be read: kind:animal: expected one of person, organization, country, place',
    });
  });

  it('/filter keeps what the scheduler stored for a config subscription', async () => {
    const feed = await storedFeed(bot.store, 'https://config.example/rss', 'Config', []);
    await bot.store.subscriptions.add(feed.id, tg, {
      filters: 'ukraine',
      origin: 'config',
      template: 'compact',
    });
    await bot.send(chat(tg), '/filter 1 russia');
    const [sub] = await bot.store.subscriptions.listByDestination(tg);
    expect(sub?.filters).toEqual({ filters: 'russia', origin: 'config', template: 'compact' });
  });
});

describe('/pause and /resume', () => {
  it('pause all or one; resume also restarts a feed paused after failures', async () => {
    await bot.send(chat(tg), `/subscribe ${server.url('/feed.xml')}`);
    await bot.send(chat(tg), `/subscribe ${server.url('/other.xml')}`);
    expect(textOf(await bot.send(chat(tg), '/pause'))).toBe(
      'Paused: Notizie & Mondo, Other. /resume to post again.',
    );
    expect(
      (await bot.store.subscriptions.listByDestination(tg)).map((s) => [s.paused, s.pausedReason]),
    ).toEqual([
      [true, 'paused by an admin'],
      [true, 'paused by an admin'],
    ]);
    expect(textOf(await bot.send(chat(tg), '/resume 2'))).toBe('Resumed: Other.');

    const [first] = await bot.store.feeds.list();
    if (!first) throw new Error('no feed');
    await bot.store.feeds.updatePollState(first.id, {
      paused: true,
      pausedReason: 'HTTP 503',
      consecutiveFailures: 10,
      nextPollAt: new Date(bot.clock.now + 86_400_000),
    });
    expect(textOf(await bot.send(chat(tg), '/resume'))).toBe(
      'Resumed: Notizie & Mondo.\nNotizie & Mondo is polled again (it had been paused after 10 failures).',
    );
    const feed = await bot.store.feeds.get(first.id);
    expect(feed).toMatchObject({ paused: false, pausedReason: null, consecutiveFailures: 0 });
    expect(feed?.nextPollAt.getTime()).toBe(bot.clock.now);
    expect((await bot.store.feeds.due(new Date(bot.clock.now))).map((f) => f.id)).toContain(
      first.id,
    );
    expect(textOf(await bot.send(chat(tg), '/resume'))).toBe('Nothing was paused.');
  });

  it('a pause made by the platform keeps its reason, and /resume lifts it', async () => {
    await storedFeed(bot.store, 'https://config.example/rss', 'Config', [tg]);
    await bot.store.subscriptions.pauseDestination(tg, 'bot was blocked by the user');
    await bot.send(chat(tg), '/pause');
    const [sub] = await bot.store.subscriptions.listByDestination(tg);
    expect(sub?.pausedReason).toBe('bot was blocked by the user');
    expect(textOf(await bot.send(chat(tg), '/feeds'), 'feeds')).toContain(
      'paused here: bot was blocked by the user',
    );
    expect(textOf(await bot.send(chat(tg), '/resume 1'))).toBe('Resumed: Config.');
  });

  it('leaves a feed the config disables paused', async () => {
    const feed = await storedFeed(bot.store, 'https://config.example/rss', 'Config', [tg]);
    await bot.store.feeds.updatePollState(feed.id, {
      paused: true,
      pausedReason: 'disabled in the config',
    });
    expect(textOf(await bot.send(chat(tg), '/feeds'), 'feeds')).toContain(
      '   feed paused: disabled in the config\n',
    );
    expect(textOf(await bot.send(chat(tg), '/resume'))).toBe('Nothing was paused.');
    expect((await bot.store.feeds.get(feed.id))?.paused).toBe(true);
  });

  it('says when there is nothing to pause, or no such feed', async () => {
    expect(textOf(await bot.send(chat(tg), '/pause'))).toBe(
      'Nothing to pause: this chat follows no feeds.',
    );
    await storedFeed(bot.store, 'https://config.example/rss', 'Config', [tg]);
    expect((await bot.send(chat(tg), '/pause 3')).text).toBe(
      'No feed "3" here: give its number from /feeds (1–1) or its URL.',
    );
  });
});

describe('/digest', () => {
  it('sets a daily digest at a time in an IANA zone, shows it, and turns it off', async () => {
    expect(textOf(await bot.send(chat(tg), '/digest 7:30 europe/rome'))).toBe(
      "A digest of the day's top briefs will come every day at 07:30 (Europe/Rome).",
    );
    expect(await bot.store.digests.get(tg)).toMatchObject({
      cron: '30 7 * * *',
      timezone: 'Europe/Rome',
    });
    expect(textOf(await bot.send(chat(tg, false), '/digest'))).toBe(
      'Daily digest at 07:30 (Europe/Rome).',
    );
    expect(textOf(await bot.send(chat(tg), '/digest 18:05'))).toContain('18:05 (UTC)');
    expect(await bot.store.digests.get(tg)).toMatchObject({ cron: '5 18 * * *', timezone: 'UTC' });
    expect(textOf(await bot.send(chat(tg), '/digest off'))).toBe('Daily digest turned off.');
    expect(await bot.store.digests.get(tg)).toBeNull();
    expect(textOf(await bot.send(chat(tg), '/digest off'))).toBe(
      'There was no daily digest to turn off.',
    );
  });

  it('refuses a time or a zone it cannot read, suggesting the zone meant', async () => {
    expect((await bot.send(chat(tg), '/digest 25:00 UTC')).text).toBe(
      '"25:00" is not a time like 07:30 (24-hour clock).',
    );
    expect((await bot.send(chat(tg), '/digest seven UTC')).text).toBe(
      '"seven" is not a time like 07:30 (24-hour clock).',
    );
    const zone = await bot.send(chat(tg), '/digest 07:30 Europe/Rom');
    expect(zone).toMatchObject({ kind: 'error', code: 'usage' });
    expect(zone.text).toBe(
      '"Europe/Rom" is not a time zone like Europe/Rome. Did you mean Europe/Rome?',
    );
    expect((await bot.send(chat(tg), '/digest 07:30 Mars/Olympus')).text).toBe(
      '"Mars/Olympus" is not a time zone like Europe/Rome.',
    );
    expect(await bot.store.digests.list()).toEqual([]);
  });

  it('takes the destination’s time zone from the config when none is given', async () => {
    const configured = openBot({
      yaml: 'destinations:\n  "telegram:-100123": {timezone: Asia/Seoul}\n',
    });
    try {
      await configured.send(chat(tg), '/digest 08:00');
      expect(await configured.store.digests.get(tg)).toMatchObject({ timezone: 'Asia/Seoul' });
    } finally {
      await configured.cleanup();
    }
  });
});
