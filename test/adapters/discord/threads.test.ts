/**
 * Threads as destinations, end to end: the real discord.js client against the project's
 * Discord on 127.0.0.1 (threads with their gateway events, archived and locked threads,
 * a deleted thread's 10003), a real SQLite store, real feeds on loopback, the real outbox.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/index.js';
import { createCommandDeps, createCommandHandler } from '../../../src/app/commands/index.js';
import { pollDueFeeds } from '../../../src/app/jobs/index.js';
import { fetchFeed } from '../../../src/feeds/fetch.js';
import { rss, serve, testConfig } from '../../app/commands/helpers.js';
import { memoryLog, openTestStore, type TestStore, until } from '../../app/jobs/helpers.js';
import { drainAll, loopbackFeed } from '../../support/delivery.js';
import { type DiscordApi, startDiscordApi } from '../../support/discord-api.js';

const GUILD = '1200000000000000001';
const CHANNEL = '1200000000000000002';
const OWNER = '1200000000000000003';
const THREAD = '1200000000000000004';
const OTHER_THREAD = '1200000000000000005';

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
  api.addThread(CHANNEL, { id: THREAD, name: 'Korea' });
  api.addThread(CHANNEL, { id: OTHER_THREAD, name: 'Ukraine' });
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

/** Polls the feeds due (loopback allowed, as a test's feeds are there), and sends what they bring. */
async function pollAndDeliver(discord: DiscordAdapter): Promise<void> {
  await pollDueFeeds({
    store: t.store,
    config,
    now: () => new Date(),
    fetch: (url, options) => fetchFeed(url, { ...options, allowPrivate: true }),
  });
  await drainAll(t.store, [discord.sender], config, log);
}

const THREAD_DESTINATION = `discord:${CHANNEL}/${THREAD}`;

describe('threads', () => {
  it('/subscribe in a thread posts into the thread, and /feeds there shows it', async () => {
    const pages: Record<string, [number, string, string]> = {
      '/feed.xml': [200, 'application/rss+xml', rss('Wire', [])],
    };
    const server = await serve(pages);
    closers.push(() => server.close());
    const discord = await startAdapter();

    const subscribe = api.interact({
      channelId: THREAD,
      name: 'subscribe',
      options: { url: server.url('/feed.xml') },
    });
    const [answer] = await subscribe.answered(1);
    expect(answer?.data.content).toMatch(/Subscribed to Wire/);
    expect(await t.store.subscriptions.listByDestination(THREAD_DESTINATION)).toHaveLength(1);
    expect(await t.store.subscriptions.listByDestination(`discord:${CHANNEL}`)).toEqual([]);

    pages['/feed.xml'] = [200, 'application/rss+xml', rss('Wire', [ARTICLE])];
    for (const feed of await t.store.feeds.list()) {
      await t.store.feeds.updatePollState(feed.id, { nextPollAt: new Date() });
    }
    await pollAndDeliver(discord);
    const [post] = api.messages(THREAD);
    expect(JSON.stringify(post?.embeds)).toContain('Belousov lands in Pyongyang');
    expect(post?.allowedMentions).toEqual({ parse: [] });
    expect(api.messages(CHANNEL)).toEqual([]);
    expect(api.messages(OTHER_THREAD)).toEqual([]);

    const feeds = api.interact({ channelId: THREAD, name: 'feeds' });
    const [list] = await feeds.answered(1);
    expect(list?.data.content).toMatch(/^1\\?\. Wire/m);
    expect(list?.data.content).toContain(`In a config file this thread is ${THREAD_DESTINATION}.`);

    // In the channel, /feeds lists its threads' feeds too, each under the thread's name.
    const parent = api.interact({ channelId: CHANNEL, name: 'feeds' });
    const [all] = await parent.answered(1);
    // (Discord's markdown escapes taken away.)
    expect(String(all?.data.content).replace(/\\/g, '')).toContain(
      `Thread Korea (${THREAD_DESTINATION}):\n- Wire — `,
    );
  });

  it('posts a subscription to discord:<channel>/<thread> into the thread, waking it when archived', async () => {
    await loopbackFeed(t.store, [ARTICLE], [THREAD_DESTINATION], closers);
    api.archiveThread(THREAD);
    const discord = await startAdapter();
    await pollAndDeliver(discord);
    expect(api.messages(THREAD)).toHaveLength(1);
    const [subscription] = await t.store.subscriptions.listByDestination(THREAD_DESTINATION);
    expect(subscription).toMatchObject({ paused: false });
  });

  it('pauses the subscription of a thread archived and locked, with the reason', async () => {
    await loopbackFeed(t.store, [ARTICLE], [THREAD_DESTINATION], closers);
    const discord = await startAdapter();
    api.archiveThread(THREAD, { locked: true });
    await until(async () =>
      (await t.store.subscriptions.listByDestination(THREAD_DESTINATION)).every((s) => s.paused),
    );
    await pollAndDeliver(discord);
    expect(api.messages(THREAD)).toEqual([]);
    const [subscription] = await t.store.subscriptions.listByDestination(THREAD_DESTINATION);
    expect(subscription?.pausedReason).toBe('the thread was archived and locked');
  });

  it('pauses the subscription of a thread locked while the bot was away, at its next post', async () => {
    await loopbackFeed(t.store, [ARTICLE], [THREAD_DESTINATION], closers);
    api.archiveThread(THREAD, { locked: true });
    const discord = await startAdapter();
    await pollAndDeliver(discord);
    expect(api.messages(THREAD)).toEqual([]);
    const [subscription] = await t.store.subscriptions.listByDestination(THREAD_DESTINATION);
    expect(subscription).toMatchObject({ paused: true });
    expect(subscription?.pausedReason).toMatch(/archived \(50083\)/);
  });

  it('pauses the subscription of a deleted thread, and keeps the other thread’s', async () => {
    const other = `discord:${CHANNEL}/${OTHER_THREAD}`;
    await loopbackFeed(t.store, [ARTICLE], [THREAD_DESTINATION, other], closers);
    const discord = await startAdapter();
    api.removeThread(THREAD);
    await until(async () =>
      (await t.store.subscriptions.listByDestination(THREAD_DESTINATION)).every((s) => s.paused),
    );
    const [gone] = await t.store.subscriptions.listByDestination(THREAD_DESTINATION);
    expect(gone?.pausedReason).toBe('the thread was deleted');
    await pollAndDeliver(discord);
    expect(api.messages(OTHER_THREAD)).toHaveLength(1);
    const [kept] = await t.store.subscriptions.listByDestination(other);
    expect(kept).toMatchObject({ paused: false });
  });
});
