/**
 * Threads as destinations, end to end: the real discord.js client against the project's
 * Discord on 127.0.0.1 (threads with their gateway events, archived and locked threads,
 * a deleted thread's 10003), a real SQLite store, real feeds on loopback, the real outbox.
 */
import { describe, expect, it } from 'vitest';
import { rss, serve } from '../../app/commands/helpers.js';
import { until } from '../../app/jobs/helpers.js';
import { loopbackFeed } from '../../support/delivery.js';
import { useDiscordLoopback } from '../../support/loopback-platform.js';

const GUILD = '1200000000000000001';
const CHANNEL = '1200000000000000002';
const OWNER = '1200000000000000003';
const THREAD = '1200000000000000004';
const OTHER_THREAD = '1200000000000000005';

const ARTICLE = {
  title: 'Belousov lands in Pyongyang',
  link: 'https://news.example/belousov',
  text: "Russia's defence minister Andrei Belousov landed in Pyongyang on Friday. He met Kim Jong-un.",
};

const h = useDiscordLoopback((api) => {
  api.addGuild({
    id: GUILD,
    name: 'Newsroom',
    ownerId: OWNER,
    channels: [{ id: CHANNEL, name: 'briefs' }],
  });
  api.addThread(CHANNEL, { id: THREAD, name: 'Korea' });
  api.addThread(CHANNEL, { id: OTHER_THREAD, name: 'Ukraine' });
});

const THREAD_DESTINATION = `discord:${CHANNEL}/${THREAD}`;

describe('threads', () => {
  it('/subscribe in a thread posts into the thread, and /feeds there shows it', async () => {
    const pages: Record<string, [number, string, string]> = {
      '/feed.xml': [200, 'application/rss+xml', rss('Wire', [])],
    };
    const server = await serve(pages);
    h.closers.push(() => server.close());
    const discord = await h.start();

    const subscribe = h.api.interact({
      channelId: THREAD,
      name: 'subscribe',
      options: { url: server.url('/feed.xml') },
    });
    const [answer] = await subscribe.answered(1);
    expect(answer?.data.content).toMatch(/Subscribed to Wire/);
    expect(await h.t.store.subscriptions.listByDestination(THREAD_DESTINATION)).toHaveLength(1);
    expect(await h.t.store.subscriptions.listByDestination(`discord:${CHANNEL}`)).toEqual([]);

    pages['/feed.xml'] = [200, 'application/rss+xml', rss('Wire', [ARTICLE])];
    for (const feed of await h.t.store.feeds.list()) {
      await h.t.store.feeds.updatePollState(feed.id, { nextPollAt: new Date() });
    }
    await h.pollAndDeliver(discord);
    const [post] = h.api.messages(THREAD);
    expect(JSON.stringify(post?.embeds)).toContain('Belousov lands in Pyongyang');
    expect(post?.allowedMentions).toEqual({ parse: [] });
    expect(h.api.messages(CHANNEL)).toEqual([]);
    expect(h.api.messages(OTHER_THREAD)).toEqual([]);

    const feeds = h.api.interact({ channelId: THREAD, name: 'feeds' });
    const [list] = await feeds.answered(1);
    expect(list?.data.content).toMatch(/^1\\?\. Wire/m);
    expect(list?.data.content).toContain(`In a config file this thread is ${THREAD_DESTINATION}.`);

    // In the channel, /feeds lists its threads' feeds too, each under the thread's name.
    const parent = h.api.interact({ channelId: CHANNEL, name: 'feeds' });
    const [all] = await parent.answered(1);
    // (Discord's markdown escapes taken away.)
    expect(String(all?.data.content).replace(/\\/g, '')).toContain(
      `Thread Korea (${THREAD_DESTINATION}):\n- Wire — `,
    );
  });

  it('posts a subscription to discord:<channel>/<thread> into the thread, waking it when archived', async () => {
    await loopbackFeed(h.t.store, [ARTICLE], [THREAD_DESTINATION], h.closers);
    h.api.archiveThread(THREAD);
    const discord = await h.start();
    await h.pollAndDeliver(discord);
    expect(h.api.messages(THREAD)).toHaveLength(1);
    const [subscription] = await h.t.store.subscriptions.listByDestination(THREAD_DESTINATION);
    expect(subscription).toMatchObject({ paused: false });
  });

  it('pauses the subscription of a thread archived and locked, with the reason', async () => {
    await loopbackFeed(h.t.store, [ARTICLE], [THREAD_DESTINATION], h.closers);
    const discord = await h.start();
    h.api.archiveThread(THREAD, { locked: true });
    await until(async () =>
      (await h.t.store.subscriptions.listByDestination(THREAD_DESTINATION)).every((s) => s.paused),
    );
    await h.pollAndDeliver(discord);
    expect(h.api.messages(THREAD)).toEqual([]);
    const [subscription] = await h.t.store.subscriptions.listByDestination(THREAD_DESTINATION);
    expect(subscription?.pausedReason).toBe('the thread was archived and locked');
  });

  it('pauses the subscription of a thread locked while the bot was away, at its next post', async () => {
    await loopbackFeed(h.t.store, [ARTICLE], [THREAD_DESTINATION], h.closers);
    h.api.archiveThread(THREAD, { locked: true });
    const discord = await h.start();
    await h.pollAndDeliver(discord);
    expect(h.api.messages(THREAD)).toEqual([]);
    const [subscription] = await h.t.store.subscriptions.listByDestination(THREAD_DESTINATION);
    expect(subscription).toMatchObject({ paused: true });
    expect(subscription?.pausedReason).toMatch(/archived \(50083\)/);
  });

  it('pauses the subscription of a deleted thread, and keeps the other thread’s', async () => {
    const other = `discord:${CHANNEL}/${OTHER_THREAD}`;
    await loopbackFeed(h.t.store, [ARTICLE], [THREAD_DESTINATION, other], h.closers);
    const discord = await h.start();
    h.api.removeThread(THREAD);
    await until(async () =>
      (await h.t.store.subscriptions.listByDestination(THREAD_DESTINATION)).every((s) => s.paused),
    );
    const [gone] = await h.t.store.subscriptions.listByDestination(THREAD_DESTINATION);
    expect(gone?.pausedReason).toBe('the thread was deleted');
    await h.pollAndDeliver(discord);
    expect(h.api.messages(OTHER_THREAD)).toHaveLength(1);
    const [kept] = await h.t.store.subscriptions.listByDestination(other);
    expect(kept).toMatchObject({ paused: false });
  });
});
