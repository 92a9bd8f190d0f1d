/**
 * Forum topics as destinations, end to end: the real grammY client against the project's
 * Bot API server on 127.0.0.1 (forum supergroups, topics, message_thread_id, a deleted
 * topic's 400), a real SQLite store, real feeds on loopback, the real outbox.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTelegramAdapter,
  type TelegramAdapter,
} from '../../../src/adapters/telegram/index.js';
import { createCommandDeps, createCommandHandler } from '../../../src/app/commands/index.js';
import { pollDueFeeds } from '../../../src/app/jobs/index.js';
import { fetchFeed } from '../../../src/feeds/fetch.js';
import { rss, serve, testConfig } from '../../app/commands/helpers.js';
import { memoryLog, openTestStore, type TestStore } from '../../app/jobs/helpers.js';
import { drainAll, loopbackFeed } from '../../support/delivery.js';
import { startTelegramApi, type TelegramApi } from '../../support/telegram-api.js';

const ANN = 1001; // an admin of the forum
const FORUM = -1005001;

const config = testConfig(`
outbox:
  retryBase: 10ms
  retryMax: 50ms
`);

const ARTICLE = {
  title: 'Belousov lands in Pyongyang',
  link: 'https://news.example/belousov',
  text: "Russia's defence minister Andrei Belousov landed in Pyongyang on Friday. He met Kim Jong-un.",
};
const LATER = {
  title: 'Umerov meets Yoon in Seoul',
  link: 'https://news.example/umerov',
  text: 'Rustem Umerov met Yoon Suk-yeol in Seoul on Friday. They spoke about North Korea.',
};

let api: TelegramApi;
let t: TestStore;
let adapter: TelegramAdapter | null;
let news: number;
let sport: number;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  api = await startTelegramApi();
  api
    .addUser({ id: ANN, first_name: 'Ann', language_code: 'en' })
    .addChat({ id: FORUM, type: 'supergroup', title: 'Desk', is_forum: true })
    .setMember(FORUM, ANN, 'administrator');
  news = api.addTopic(FORUM, 'News');
  sport = api.addTopic(FORUM, 'Sport');
  t = openTestStore();
  adapter = null;
});

afterEach(async () => {
  await adapter?.stop();
  for (const close of closers.splice(0).reverse()) await close();
  await api.close();
  await t.cleanup();
});

async function startAdapter(): Promise<TelegramAdapter> {
  const handle = createCommandHandler(
    createCommandDeps({ store: t.store, config, guard: { allowPrivate: true } }),
  );
  adapter = createTelegramAdapter({
    token: api.token,
    apiRoot: api.apiRoot,
    handle,
    store: t.store,
    log: memoryLog(),
    pollTimeout: 1,
  });
  await adapter.start();
  return adapter;
}

async function received(count: number) {
  await api.until(() => api.messages(FORUM).length >= count, 5000);
  return api.messages(FORUM);
}

/** Polls the feeds due (loopback allowed, as a test's feeds are there), and sends what they bring. */
async function pollAndSend(telegram: TelegramAdapter): Promise<void> {
  await pollDueFeeds({
    store: t.store,
    config,
    now: () => new Date(),
    fetch: (url, options) => fetchFeed(url, { ...options, allowPrivate: true }),
  });
  await drainAll(t.store, [telegram.sender], config);
}

describe('forum topics', () => {
  it('/subscribe in a topic posts that feed into the topic, and /feeds there shows it', async () => {
    const pages: Record<string, [number, string, string]> = {
      '/feed.xml': [200, 'application/rss+xml', rss('Wire', [ARTICLE])],
    };
    const server = await serve(pages);
    closers.push(() => server.close());
    const telegram = await startAdapter();

    api.sendText(FORUM, ANN, `/subscribe ${server.url('/feed.xml')}`, { topic: news });
    const [answer] = await received(1);
    // The answer is written where the command was.
    expect(answer?.threadId).toBe(news);
    expect(answer?.text).toMatch(/^Subscribed to Wire/);
    const destination = `telegram:${FORUM}/${news}` as const;
    expect(await t.store.subscriptions.listByDestination(destination)).toHaveLength(1);
    // The forum's General topic and its other topics follow nothing.
    expect(await t.store.subscriptions.listByDestination(`telegram:${FORUM}`)).toEqual([]);

    pages['/feed.xml'] = [200, 'application/rss+xml', rss('Wire', [LATER, ARTICLE])];
    // Its next poll, now.
    for (const feed of await t.store.feeds.list()) {
      await t.store.feeds.updatePollState(feed.id, { nextPollAt: new Date() });
    }
    await pollAndSend(telegram);
    const post = (await received(2))[1];
    expect(post?.text).toMatch(/^Umerov meets Yoon in Seoul/);
    expect(post?.threadId).toBe(news);

    api.sendText(FORUM, ANN, '/feeds', { topic: news });
    const feeds = (await received(3))[2];
    expect(feeds?.threadId).toBe(news);
    expect(feeds?.text).toContain('1. Wire');
    expect(feeds?.text).toContain(`In a config file this topic is ${destination}.`);

    api.sendText(FORUM, ANN, '/feeds', { topic: sport });
    const none = (await received(4))[3];
    expect(none?.threadId).toBe(sport);
    expect(none?.text).toMatch(/follows no feeds/);

    // In the General topic, /feeds lists the group's topics too, each named by its topic.
    api.sendText(FORUM, ANN, '/feeds');
    const general = (await received(5))[4];
    expect(general?.threadId).toBeUndefined();
    expect(general?.text).toContain(`Topic ${news} (${destination}):\n- Wire — `);
  });

  it('posts a subscription to telegram:<chat>/<topic> into that topic, and one to the chat into General', async () => {
    await loopbackFeed(
      t.store,
      [ARTICLE],
      [`telegram:${FORUM}/${sport}`, `telegram:${FORUM}`],
      closers,
    );
    const telegram = await startAdapter();
    await pollAndSend(telegram);
    const posts = await received(2);
    expect(posts.map((p) => p.threadId).sort()).toEqual([sport, undefined].sort());
    expect(posts.every((p) => p.text.startsWith('Belousov lands in Pyongyang'))).toBe(true);
  });

  it('writes a topic’s briefs in the group’s language and time zone, unless the topic chose its own', async () => {
    const item = { ...ARTICLE, pubDate: 'Fri, 29 Nov 2024 08:00:00 GMT' };
    await loopbackFeed(
      t.store,
      [item],
      [`telegram:${FORUM}/${news}`, `telegram:${FORUM}/${sport}`],
      closers,
    );
    const telegram = await startAdapter();
    // Set in the General topic: the group's own.
    api.sendText(FORUM, ANN, '/lang it');
    api.sendText(FORUM, ANN, '/digest 18:00 Europe/Rome');
    // Set in the topic Sport: that topic's alone.
    api.sendText(FORUM, ANN, '/lang fr', { topic: sport });
    await received(3);
    await pollAndSend(telegram);
    const posts = (await received(5)).slice(3);
    const inNews = posts.find((p) => p.threadId === news);
    const inSport = posts.find((p) => p.threadId === sport);
    expect(inNews?.text).toContain('Wire · 29 nov 2024, 09:00 CET');
    expect(inNews?.text).toMatch(/^Persone\b/m);
    expect(inSport?.text).toContain('Wire · 29 nov. 2024, 09:00 UTC+1');
    expect(inSport?.text).toMatch(/^Personnes\b/m);
  });

  it('pauses the subscription of a deleted topic with the reason, and keeps posting to the others', async () => {
    const { feed } = await loopbackFeed(
      t.store,
      [ARTICLE],
      [`telegram:${FORUM}/${news}`, `telegram:${FORUM}/${sport}`],
      closers,
    );
    api.deleteTopic(FORUM, news);
    const telegram = await startAdapter();
    await pollAndSend(telegram);
    const posts = await received(1);
    expect(posts.map((p) => p.threadId)).toEqual([sport]);

    const [gone] = await t.store.subscriptions.listByDestination(`telegram:${FORUM}/${news}`);
    expect(gone).toMatchObject({ feedId: feed.id, paused: true });
    expect(gone?.pausedReason).toMatch(/message thread not found/);
    const [kept] = await t.store.subscriptions.listByDestination(`telegram:${FORUM}/${sport}`);
    expect(kept).toMatchObject({ paused: false });
    // The chat's own subscription, and the chat, are not touched.
    expect(api.messages(FORUM).filter((m) => m.threadId === undefined)).toEqual([]);
  });
});
