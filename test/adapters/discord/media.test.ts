/**
 * Images in Discord posts, end to end: the real discord.js client against the project's
 * Discord on 127.0.0.1, a real SQLite store, real feeds on loopback, the real outbox.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/index.js';
import { createCommandDeps, createCommandHandler } from '../../../src/app/commands/index.js';
import { pollDueFeeds } from '../../../src/app/jobs/index.js';
import { serve, testConfig } from '../../app/commands/helpers.js';
import { memoryLog, openTestStore, type TestStore } from '../../app/jobs/helpers.js';
import { drainAll, type FeedItem, loopbackFeed } from '../../support/delivery.js';
import { type DiscordApi, startDiscordApi } from '../../support/discord-api.js';

const GUILD = '1100000000000000001';
const CHANNEL = '1100000000000000002';
const OWNER = '1100000000000000003';

const config = testConfig(`
outbox:
  retryBase: 10ms
  retryMax: 50ms
`);

let api: DiscordApi;
let t: TestStore;
let adapter: DiscordAdapter | null;
let log: ReturnType<typeof memoryLog>;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  api = await startDiscordApi();
  api.addGuild({
    id: GUILD,
    name: 'Newsroom',
    ownerId: OWNER,
    channels: [{ id: CHANNEL, name: 'briefs' }],
  });
  t = openTestStore();
  log = memoryLog();
  adapter = null;
});

afterEach(async () => {
  await adapter?.stop();
  for (const close of closers.splice(0).reverse()) await close();
  await api.close();
  await t.cleanup();
});

async function startAdapter(): Promise<DiscordAdapter> {
  const handle = createCommandHandler(
    createCommandDeps({ store: t.store, config, guard: { allowPrivate: true } }),
  );
  adapter = createDiscordAdapter({
    token: api.token,
    apiRoot: `${api.root}/api`,
    handle,
    store: t.store,
    log,
  });
  await adapter.start();
  return adapter;
}

const ARTICLE: FeedItem = {
  title: 'Belousov lands in Pyongyang @everyone',
  link: 'https://news.example/belousov',
  text: "Russia's defence minister Andrei Belousov landed in Pyongyang on Friday. He met Kim Jong-un.",
  image: 'https://img.example/belousov.jpg?w=800&amp;h=600',
};

async function post(media?: boolean, item: FeedItem = ARTICLE) {
  const { feed } = await loopbackFeed(t.store, [item], [`discord:${CHANNEL}`], closers);
  if (media !== undefined) {
    const [sub] = await t.store.subscriptions.listByFeed(feed.id);
    await t.store.subscriptions.setFilters(sub?.id ?? -1, { filters: '', media });
  }
  const discord = await startAdapter();
  await pollDueFeeds({ store: t.store, config, now: () => new Date() });
  await drainAll(t.store, [discord.sender], config, log);
  return api.messages(CHANNEL);
}

describe('a brief with a lead image, on Discord', () => {
  it('shows it as its embed’s image', async () => {
    const [message, ...rest] = await post();
    expect(rest).toEqual([]);
    const embed = message?.embeds[0] as { title: string; image?: { url: string } };
    expect(embed.title).toMatch(/^Belousov lands in Pyongyang/);
    expect(embed.image).toEqual({ url: 'https://img.example/belousov.jpg?w=800&h=600' });
  });

  it('takes its page’s og:image when the feed gives none', async () => {
    const page = await serve({
      '/story.html': [
        200,
        'text/html',
        '<html><head><meta property="og:image" content="/lead.jpg?a=1&amp;b=2"></head></html>',
      ],
    });
    closers.push(() => page.close());
    const { image: _, ...withoutImage } = ARTICLE;
    const [message] = await post(undefined, { ...withoutImage, link: page.url('/story.html') });
    const embed = message?.embeds[0] as { image?: { url: string } };
    expect(embed.image).toEqual({ url: page.url('/lead.jpg?a=1&b=2') });
    expect(page.hits('/story.html')).toBe(1);
  });

  it('with media off, the embed has no image', async () => {
    const [message] = await post(false);
    const embed = message?.embeds[0] as { title: string; image?: unknown };
    expect(embed.title).toMatch(/^Belousov lands in Pyongyang/);
    expect(embed.image).toBeUndefined();
  });
});

describe('a custom template, on Discord', () => {
  it('posts markdown text, every value and the footer escaped, and pings no one', async () => {
    const { feed } = await loopbackFeed(
      t.store,
      [
        {
          title: `@everyone **bold** &lt;@123&gt; ${'very long headline '.repeat(300)}`,
          link: 'https://news.example/hostile',
          text: `Andrei Belousov landed in Pyongyang on Friday @here. ${'He met Kim Jong-un again and again. '.repeat(60)}`,
        },
      ],
      [`discord:${CHANNEL}`],
      closers,
    );
    const [sub] = await t.store.subscriptions.listByFeed(feed.id);
    await t.store.subscriptions.setFilters(sub?.id ?? -1, {
      filters: '',
      template: '{headline}\n{summary}\n{link}\nfooter @everyone',
    });
    const discord = await startAdapter();
    await pollDueFeeds({ store: t.store, config, now: () => new Date() });
    await drainAll(t.store, [discord.sender], config, log);
    const [message, ...rest] = api.messages(CHANNEL);
    expect(rest).toEqual([]);
    const content = message?.content as string;
    expect(content).toMatch(/^\*\*@\u200beveryone \\\*\\\*bold\\\*\\\* <\u200b@123\\> very long/);
    expect(content).toContain('\n<https://news.example/hostile>\nfooter @\u200beveryone');
    expect(content).not.toMatch(/@everyone|@here/);
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(message?.embeds).toEqual([]);
  });
});
