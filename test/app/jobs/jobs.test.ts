import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Chat,
  createCommandDeps,
  createCommandHandler,
} from '../../../src/app/commands/index.js';
import { createConsoleSender } from '../../../src/app/jobs/console-sender.js';
import { groupBriefs, sendDigest } from '../../../src/app/jobs/digest.js';
import { type Scheduler, startScheduler, syncConfig } from '../../../src/app/jobs/jobs.js';
import { DISABLED_REASON } from '../../../src/app/settings.js';
import type { Config } from '../../../src/config/index.js';
import type { Store } from '../../../src/store/port.js';
import { openSqliteStore } from '../../../src/store/sqlite.js';
import { actor, addFeed, brief, ingestTitles } from '../../store/helpers.js';
import {
  configFrom,
  type FeedServer,
  feedByUrl,
  MINUTE,
  memoryLog,
  memoryStream,
  openTestStore,
  POLLING_YAML,
  rss,
  START,
  startFeedServer,
  type TestStore,
  until,
} from './helpers.js';

describe('syncConfig', () => {
  let t: TestStore;
  beforeEach(() => {
    t = openTestStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const yaml = (feeds: string, subscriptions: string, digests = '[]') => `
feeds:
${feeds}
subscriptions:
${subscriptions}
digests: ${digests}
${POLLING_YAML}`;

  it("posts as each entry's media and preview say; entries that say nothing keep their fingerprint", async () => {
    const feeds = '  - {url: "https://a.example/rss", name: A}';
    const plain = configFrom(yaml(feeds, '  - {feed: A, destination: "telegram:-100123"}'));
    await syncConfig(t.store, plain);
    const [before] = await t.store.subscriptions.listByDestination('telegram:-100123');
    // Written before media and preview existed, and still the same: nothing to update.
    expect(await syncConfig(t.store, plain)).toMatchObject({ subscriptions: { updated: 0 } });
    const off = configFrom(
      yaml(feeds, '  - {feed: A, destination: "telegram:-100123", media: false, preview: false}'),
    );
    expect(await syncConfig(t.store, off)).toMatchObject({ subscriptions: { updated: 1 } });
    const [after] = await t.store.subscriptions.listByDestination('telegram:-100123');
    expect(after?.filters).toMatchObject({ media: false, preview: false });
    const entryOf = (filters: unknown) => (filters as { entry?: string } | undefined)?.entry;
    expect(entryOf(after?.filters)).toBeTypeOf('string');
    expect(entryOf(after?.filters)).not.toBe(entryOf(before?.filters));
    const feed = await feedByUrl(t.store, 'https://a.example/rss');
    await ingestTitles(t.store, feed.id, ['One'], ['telegram:-100123']);
    const [delivery] = await t.store.outbox.pending('telegram:-100123', 1);
    expect(delivery).toMatchObject({ kind: 'brief', media: false, preview: false });
  });

  it('adds, updates and removes what the config owns, and leaves chat-made rows alone', async () => {
    const first = configFrom(
      yaml(
        [
          '  - {url: "https://a.example/rss", name: A, interval: 5m, languageHint: it, filters: [-sport]}',
          '  - {url: "https://b.example/feed.xml", firstPollPosts: 3}',
        ].join('\n'),
        [
          '  - {feed: A, destination: console, filters: ["north korea", -sport]}',
          '  - {feed: "https://b.example/feed.xml", destination: "telegram:-100123"}',
        ].join('\n'),
        '[{destination: console, cron: "0 8 * * *", timezone: Europe/Rome}]',
      ),
    );
    expect(await syncConfig(t.store, first)).toMatchObject({
      feeds: { added: 2, updated: 0, removed: 0 },
      subscriptions: { added: 2, updated: 0, removed: 0 },
      digests: 1,
      warnings: [],
    });
    const a = await feedByUrl(t.store, 'https://a.example/rss');
    expect(a).toMatchObject({
      name: 'A',
      intervalSeconds: 300,
      languageHint: 'it',
      origin: 'config',
      options: { filters: '-sport', firstPollPosts: 1, allowPrivate: false, autoName: false },
    });
    // No name in the config: the host for now, the feed's title after its first poll.
    expect(await feedByUrl(t.store, 'https://b.example/feed.xml')).toMatchObject({
      name: 'b.example',
      options: { firstPollPosts: 3, autoName: true },
    });
    expect((await t.store.subscriptions.listByDestination('console'))[0]?.filters).toEqual({
      filters: '"north korea" -sport',
      origin: 'config',
      template: 'full',
      // The entry's fingerprint: a chat's change to it holds until it changes.
      entry: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(await t.store.digests.get('console')).toMatchObject({
      cron: '0 8 * * *',
      timezone: 'Europe/Rome',
    });

    // Chat-made: a feed and a subscription to a config feed.
    const chatFeed = await addFeed(t.store, { url: 'https://chat.example/rss', origin: 'chat' });
    await t.store.subscriptions.add(chatFeed.id, 'telegram:-100123', { filters: 'ukraine' });
    await t.store.subscriptions.add(a.id, 'telegram:-100777', 'lang:it');

    expect(await syncConfig(t.store, first)).toMatchObject({
      feeds: { added: 0, updated: 0, removed: 0 },
      subscriptions: { added: 0, updated: 0, removed: 0 },
    });

    // Feed B and its subscription leave the config; A changes and is disabled.
    const second = configFrom(
      yaml(
        '  - {url: "https://a.example/rss", name: Agency, interval: 15m, filters: [ukraine], enabled: false}',
        '  - {feed: Agency, destination: console, template: compact}',
      ),
    );
    expect(await syncConfig(t.store, second)).toMatchObject({
      feeds: { added: 0, updated: 1, removed: 1 },
      subscriptions: { added: 0, updated: 1, removed: 1 },
    });
    expect(await feedByUrl(t.store, 'https://a.example/rss')).toMatchObject({
      name: 'Agency',
      intervalSeconds: 900,
      languageHint: null,
      options: { filters: 'ukraine' },
      paused: true,
      pausedReason: DISABLED_REASON,
    });
    expect(await t.store.feeds.getByUrl('https://b.example/feed.xml')).toBeNull();
    expect(await t.store.feeds.getByUrl('https://chat.example/rss')).not.toBeNull();
    expect(
      (await t.store.subscriptions.listByDestination('telegram:-100123')).map((s) => s.feedId),
    ).toEqual([chatFeed.id]);
    expect(await t.store.subscriptions.listByDestination('telegram:-100777')).toHaveLength(1);
    expect((await t.store.subscriptions.listByDestination('console'))[0]?.filters).toMatchObject({
      template: 'compact',
    });

    // Enabled again: resumed.
    const third = configFrom(yaml('  - {url: "https://a.example/rss", name: Agency}', '  []'));
    await syncConfig(t.store, third);
    expect(await feedByUrl(t.store, 'https://a.example/rss')).toMatchObject({
      paused: false,
      pausedReason: null,
    });
    // Its config subscription went; the chat one keeps the feed.
    expect(await t.store.subscriptions.listByDestination('console')).toEqual([]);
  });

  it('a chat’s /unsubscribe and /filter of config subscriptions hold across restarts, until the config’s entry changes', async () => {
    const tg: Chat = {
      destination: 'telegram:-100123',
      isAdmin: async () => true,
      fileInput: 'caption',
    };
    const dc: Chat = {
      destination: 'discord:123456789012345678',
      isAdmin: async () => true,
      fileInput: 'attachment',
    };
    const feeds = '  - {url: "https://a.example/rss", name: A}';
    const entries = (tgFilters: string) =>
      [
        `  - {feed: A, destination: "${tg.destination}", filters: [${tgFilters}]}`,
        `  - {feed: A, destination: "${dc.destination}", filters: [ukraine]}`,
      ].join('\n');
    const first = configFrom(yaml(feeds, entries('ukraine')));
    /** A start of the bot: the store opened again, the config synced, then a chat's command. */
    const start = async (config = first) => {
      const store = await t.reopen();
      const result = await syncConfig(store, config);
      const handle = createCommandHandler(createCommandDeps({ store, config }));
      return {
        store,
        result,
        send: async (c: Chat, text: string) => (await handle({ text, chat: c })).text,
      };
    };
    const filtersOf = async (store: Store, c: Chat) =>
      (await store.subscriptions.listByDestination(c.destination)).map((s) => s.filters);

    let bot = await start();
    expect(await bot.send(tg, '/unsubscribe 1')).toBe(
      "Unsubscribed from A.\nThis feed comes from the config file: your change holds until the config's entry for it changes.",
    );
    expect(await bot.send(dc, '/filter 1 russia')).toBe(
      "Filters of A are now: russia\nThis feed comes from the config file: your change holds until the config's entry for it changes.",
    );

    // Restarted with the same config: both changes hold.
    bot = await start();
    expect(bot.result.subscriptions).toEqual({ added: 0, updated: 0, removed: 0, kept: 2 });
    expect(await filtersOf(bot.store, tg)).toEqual([]);
    expect(await filtersOf(bot.store, dc)).toMatchObject([{ filters: 'russia', origin: 'config' }]);
    expect(await bot.send(tg, '/feeds')).toMatch(/^This chat follows no feeds yet\./);

    // The config's entry for the Telegram chat changes: it applies again there, and only there.
    const second = configFrom(yaml(feeds, entries('kyiv')));
    bot = await start(second);
    expect(bot.result.subscriptions).toEqual({ added: 1, updated: 0, removed: 0, kept: 1 });
    expect(await filtersOf(bot.store, tg)).toMatchObject([{ filters: 'kyiv', origin: 'config' }]);
    expect(await filtersOf(bot.store, dc)).toMatchObject([{ filters: 'russia' }]);
    expect((await bot.store.subscriptions.listOverrides()).map((o) => o.destination)).toEqual([
      dc.destination,
    ]);

    // Its entry gone from the config, the Discord subscription goes, and the override with it.
    const third = configFrom(
      yaml(feeds, `  - {feed: A, destination: "${tg.destination}", filters: [kyiv]}`),
    );
    bot = await start(third);
    expect(await filtersOf(bot.store, dc)).toEqual([]);
    expect(await bot.store.subscriptions.listOverrides()).toEqual([]);
  });

  it('reports filters of a hand-built config the filter language refuses, and leaves them out', async () => {
    // loadConfig refuses such a filter; a Config built in code (library use) is not checked.
    const config = configFrom(
      yaml(
        '  - {url: "https://a.example/rss", name: A}',
        '  - {feed: A, destination: console, filters: [ukraine]}',
      ),
    );
    const [subscription] = config.subscriptions;
    if (!subscription) throw new Error('no subscription');
    (subscription.filters as string[]).push('/kyiv/g');
    const result = await syncConfig(t.store, config);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^subscriptions\[0\]: filter "\/kyiv\/g" left out: /);
    expect((await t.store.subscriptions.listByDestination('console'))[0]?.filters).toMatchObject({
      filters: 'ukraine',
    });
  });
});

describe('digests', () => {
  let t: TestStore;
  beforeEach(() => {
    t = openTestStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const zelensky = actor('volodymyr-zelensky', 'Volodymyr Zelensky');
  const macron = actor('emmanuel-macron', 'Emmanuel Macron');

  it('queues the briefs since the last digest, grouped by their top actor, as one message', async () => {
    const feed = await addFeed(t.store, { name: 'Agency' });
    await t.store.subscriptions.add(feed.id, 'console');
    await t.store.digests.set('console', '0 8 * * *', 'Europe/Rome');
    const ingest = async (key: string, title: string, actors = [zelensky]) => {
      await t.store.ingest(feed.id, [
        { keys: [key], brief: brief(title, { actors }), destinations: [] },
      ]);
      t.clock.advance(MINUTE);
    };
    await ingest('1', 'Zelensky in Brussels');
    await ingest('2', 'Macron in Berlin', [macron, zelensky]);
    await ingest('3', 'Zelensky meets Rutte');
    await ingest('4', 'Storm in Lisbon', []);

    const digestNow = async (): Promise<number | null> => {
      const record = await t.store.digests.get('console');
      if (!record) throw new Error('no digest schedule');
      return sendDigest({ store: t.store, config: {}, now: () => new Date(t.clock.now) }, record);
    };
    const id = await digestNow();
    expect(id).not.toBeNull();
    const delivery = await t.store.outbox.get(id ?? -1);
    const payload =
      delivery?.kind === 'message' ? (delivery.payload as { text: string; groups: unknown }) : null;
    expect(payload?.text).toBe(
      [
        'Digest — 14 Mar 2025 (4 briefs)',
        '',
        'Volodymyr Zelensky',
        '  • Zelensky meets Rutte (example feed) — https://news.example/Zelensky%20meets%20Rutte',
        '  • Zelensky in Brussels (example feed) — https://news.example/Zelensky%20in%20Brussels',
        '',
        'Emmanuel Macron',
        '  • Macron in Berlin (example feed) — https://news.example/Macron%20in%20Berlin',
        '',
        'Other stories',
        '  • Storm in Lisbon (example feed) — https://news.example/Storm%20in%20Lisbon',
      ].join('\n'),
    );
    expect(await t.store.digests.get('console')).toMatchObject({
      lastSentAt: new Date(t.clock.now),
    });

    // Nothing new since: nothing queued, and the window stays open.
    t.clock.advance(MINUTE);
    expect(await digestNow()).toBeNull();
    await ingest('5', 'Macron in Rome', [macron]);
    const third = await digestNow();
    const next = await t.store.outbox.get(third ?? -1);
    expect(next?.kind === 'message' && (next.payload as { text: string }).text).toContain(
      '(1 brief)',
    );
  });

  it("speaks the language the chat chose with /lang, over the config's", async () => {
    const feed = await addFeed(t.store, { name: 'Agenzia' });
    await t.store.subscriptions.add(feed.id, 'console');
    await t.store.digests.set('console', '0 8 * * *', 'Europe/Rome');
    await t.store.destinations.set('console', { language: 'it' });
    await t.store.ingest(feed.id, [
      { keys: ['1'], brief: brief('Tempesta a Lisbona', { actors: [] }), destinations: [] },
    ]);
    t.clock.advance(MINUTE);
    const record = await t.store.digests.get('console');
    if (!record) throw new Error('no digest schedule');
    const config = { destinations: { console: { language: 'en' as const } } } as Parameters<
      typeof sendDigest
    >[0]['config'];
    const id = await sendDigest(
      { store: t.store, config, now: () => new Date(t.clock.now) },
      record,
    );
    const delivery = await t.store.outbox.get(id ?? -1);
    const payload = delivery?.kind === 'message' ? (delivery.payload as { text: string }) : null;
    expect(payload?.text.split('\n')).toEqual([
      'Riepilogo — 14 mar 2025 (1 notizia)',
      '',
      'Altre notizie',
      '  • Tempesta a Lisbona (example feed) — https://news.example/Tempesta%20a%20Lisbona',
    ]);
  });

  it('heads each actor’s group with its name in the chat’s language', async () => {
    const feed = await addFeed(t.store, { name: 'Noticias' });
    await t.store.subscriptions.add(feed.id, 'console');
    await t.store.digests.set('console', '0 8 * * *', 'Europe/Rome');
    await t.store.destinations.set('console', { language: 'it' });
    // A Spanish feed names Spain in Spanish; an Italian chat reads it as "Spagna".
    const spain = actor('spain', 'España', { kind: 'country' });
    await t.store.ingest(feed.id, [
      { keys: ['1'], brief: brief('Acuerdo en Rabat', { actors: [spain] }), destinations: [] },
    ]);
    t.clock.advance(MINUTE);
    const record = await t.store.digests.get('console');
    if (!record) throw new Error('no digest schedule');
    const id = await sendDigest(
      { store: t.store, config: {}, now: () => new Date(t.clock.now) },
      record,
    );
    const delivery = await t.store.outbox.get(id ?? -1);
    const payload = delivery?.kind === 'message' ? (delivery.payload as { text: string }) : null;
    expect(payload?.text.split('\n').slice(0, 3)).toEqual([
      'Riepilogo — 14 mar 2025 (1 notizia)',
      '',
      'Spagna',
    ]);
  });

  it('keeps at most maxBriefs, the most covered actors first', () => {
    const records = ['a', 'b', 'b', 'c', 'c', 'c'].map((who, k) => ({
      id: k + 1,
      feedId: 1,
      createdAt: new Date(START + k * MINUTE),
      brief: brief(`${who} ${k}`, { actors: [actor(who, who.toUpperCase())] }),
    }));
    const groups = groupBriefs(records, 4);
    expect(groups.map((g) => [g.actor?.id, g.briefs.map((b) => b.title)])).toEqual([
      ['c', ['c 5', 'c 4', 'c 3']],
      ['b', ['b 2']],
    ]);
  });
});

describe('startScheduler', () => {
  let dir: string;
  let store: Store;
  let scheduler: Scheduler | undefined;
  let server: FeedServer | undefined;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'briefwire-jobs-'));
    store = openSqliteStore(path.join(dir, 'briefwire.db'));
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    await server?.close();
    server = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ITEM = {
    guid: 'x1',
    title: 'Zelensky meets Rutte in Kyiv',
    text: 'Volodymyr Zelensky met NATO Secretary General Mark Rutte in Kyiv on Tuesday.',
    link: 'https://news.example/x1',
    date: '2025-03-13T06:00:00Z',
  };

  /** A loopback feed serving ITEM, subscribed to the console and synced to the store. */
  async function consoleFeed(): Promise<{ config: Config; feed: FeedServer }> {
    const feed = await startFeedServer({ body: rss([ITEM]) });
    server = feed;
    const config = configFrom(`
feeds: [{url: "${feed.url('/feed.xml')}", name: loopback, allowPrivate: true}]
subscriptions: [{feed: loopback, destination: console}]
${POLLING_YAML}`);
    await syncConfig(store, config);
    return { config, feed };
  }

  it('polls at start, prints new briefs at once, and stops cleanly', async () => {
    const { config, feed } = await consoleFeed();
    const out = memoryStream();
    const log = memoryLog();
    scheduler = startScheduler({
      store,
      config,
      senders: [createConsoleSender({ stream: out })],
      log,
    });
    await until(() => out.text().includes('Zelensky meets Rutte in Kyiv'));
    expect(out.text()).toContain('Volodymyr Zelensky');
    await until(async () => (await store.outbox.stats()).pending === 0);
    await scheduler.stop();
    const requests = feed.requests.length;
    expect(requests).toBe(1);
    // Stopped: a manual poll does nothing.
    await scheduler.pollNow();
    expect(feed.requests.length).toBe(requests);
    expect(log.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('polls a feed as often as its short interval says, not every 30 s', async () => {
    server = await startFeedServer({ body: rss([ITEM]) });
    const config = configFrom(`
feeds: [{url: "${server.url('/feed.xml')}", name: quick, interval: 1s, allowPrivate: true}]
polling: {jitter: 0}`);
    await syncConfig(store, config);
    scheduler = startScheduler({ store, config, senders: [] });
    // Looked for every second: the third poll comes about 2 s after the first (generous
    // bound); looked for every 30 s, there would be at most one more in the first 15 s.
    await until(() => (server?.requests.length ?? 0) >= 3, 15_000);
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
  });

  it('stop() cancels a poll in flight without counting it as a failure', async () => {
    server = await startFeedServer({ body: rss([ITEM]), delayMs: 3000 });
    const config = configFrom(`
feeds: [{url: "${server.url('/feed.xml')}", name: slow, allowPrivate: true}]
${POLLING_YAML}`);
    await syncConfig(store, config);
    scheduler = startScheduler({ store, config, senders: [] });
    await until(() => server?.state.inFlight === 1);
    const started = Date.now();
    await scheduler.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await feedByUrl(store, server.url('/feed.xml'))).toMatchObject({
      consecutiveFailures: 0,
      lastError: null,
      lastPolledAt: null,
    });
  });

  it('sends digests on their own cron and time zone', async () => {
    const feed = await addFeed(store);
    await store.subscriptions.add(feed.id, 'console');
    await store.ingest(feed.id, [
      {
        keys: ['k'],
        brief: brief('Zelensky meets Rutte', {
          actors: [actor('volodymyr-zelensky', 'Volodymyr Zelensky')],
        }),
        destinations: [],
      },
    ]);
    const config = configFrom(`
digests: [{destination: console, cron: "* * * * * *", timezone: Asia/Tokyo}]
${POLLING_YAML}`);
    await syncConfig(store, config);
    const out = memoryStream();
    scheduler = startScheduler({
      store,
      config,
      senders: [createConsoleSender({ stream: out })],
      runAtStart: false,
    });
    await until(() => out.text().includes('Digest'), 4000);
    expect(out.text()).toMatch(
      /^Digest — .* \(1 brief\)\n\nVolodymyr Zelensky\n {2}• Zelensky meets Rutte/,
    );
    expect((await store.digests.get('console'))?.lastSentAt).not.toBeNull();
  });
});
