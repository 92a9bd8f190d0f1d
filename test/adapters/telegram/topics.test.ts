/**
 * Forum topics as destinations, end to end: the real grammY client against the project's
 * Bot API server on 127.0.0.1 (forum supergroups, topics, message_thread_id, a deleted
 * topic's 400), a real SQLite store, real feeds on loopback, the real outbox.
 */
import { describe, expect, it } from 'vitest';
import { rss, serve } from '../../app/commands/helpers.js';
import { loopbackFeed } from '../../support/delivery.js';
import { useTelegramLoopback } from '../../support/loopback-platform.js';

const ANN = 1001; // an admin of the forum
const FORUM = -1005001;

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
let news: number;
let sport: number;

const h = useTelegramLoopback((api) => {
  api
    .addUser({ id: ANN, first_name: 'Ann', language_code: 'en' })
    .addChat({ id: FORUM, type: 'supergroup', title: 'Desk', is_forum: true })
    .setMember(FORUM, ANN, 'administrator');
  news = api.addTopic(FORUM, 'News');
  sport = api.addTopic(FORUM, 'Sport');
});

async function received(count: number) {
  await h.api.until(() => h.api.messages(FORUM).length >= count, 5000);
  return h.api.messages(FORUM);
}

describe('forum topics', () => {
  it('/subscribe in a topic posts that feed into the topic, and /feeds there shows it', async () => {
    const pages: Record<string, [number, string, string]> = {
      '/feed.xml': [200, 'application/rss+xml', rss('Wire', [ARTICLE])],
    };
    const server = await serve(pages);
    h.closers.push(() => server.close());
    const telegram = await h.start();

    h.api.sendText(FORUM, ANN, `/subscribe ${server.url('/feed.xml')}`, { topic: news });
    const [answer] = await received(1);
    // The answer is written where the command was.
    expect(answer?.threadId).toBe(news);
    expect(answer?.text).toMatch(/^Subscribed to Wire/);
    const destination = `telegram:${FORUM}/${news}` as const;
    expect(await h.t.store.subscriptions.listByDestination(destination)).toHaveLength(1);
    // The forum's General topic and its other topics follow nothing.
    expect(await h.t.store.subscriptions.listByDestination(`telegram:${FORUM}`)).toEqual([]);

    pages['/feed.xml'] = [200, 'application/rss+xml', rss('Wire', [LATER, ARTICLE])];
    // Its next poll, now.
    for (const feed of await h.t.store.feeds.list()) {
      await h.t.store.feeds.updatePollState(feed.id, { nextPollAt: new Date() });
    }
    await h.pollAndDeliver(telegram);
    const post = (await received(2))[1];
    expect(post?.text).toMatch(/^Umerov meets Yoon in Seoul/);
    expect(post?.threadId).toBe(news);

    h.api.sendText(FORUM, ANN, '/feeds', { topic: news });
    const feeds = (await received(3))[2];
    expect(feeds?.threadId).toBe(news);
    expect(feeds?.text).toContain('1. Wire');
    expect(feeds?.text).toContain(`In a config file this topic is ${destination}.`);

    h.api.sendText(FORUM, ANN, '/feeds', { topic: sport });
    const none = (await received(4))[3];
    expect(none?.threadId).toBe(sport);
    expect(none?.text).toMatch(/follows no feeds/);

    // In the General topic, /feeds lists the group's topics too, each named by its topic.
    h.api.sendText(FORUM, ANN, '/feeds');
    const general = (await received(5))[4];
    expect(general?.threadId).toBeUndefined();
    expect(general?.text).toContain(`Topic ${news} (${destination}):\n- Wire — `);
  });

  it('posts a subscription to telegram:<chat>/<topic> into that topic, and one to the chat into General', async () => {
    await loopbackFeed(
      h.t.store,
      [ARTICLE],
      [`telegram:${FORUM}/${sport}`, `telegram:${FORUM}`],
      h.closers,
    );
    const telegram = await h.start();
    await h.pollAndDeliver(telegram);
    const posts = await received(2);
    expect(posts.map((p) => p.threadId).sort()).toEqual([sport, undefined].sort());
    expect(posts.every((p) => p.text.startsWith('Belousov lands in Pyongyang'))).toBe(true);
  });

  it('writes a topic’s briefs in the group’s language and time zone, unless the topic chose its own', async () => {
    const item = { ...ARTICLE, pubDate: 'Fri, 29 Nov 2024 08:00:00 GMT' };
    await loopbackFeed(
      h.t.store,
      [item],
      [`telegram:${FORUM}/${news}`, `telegram:${FORUM}/${sport}`],
      h.closers,
    );
    const telegram = await h.start();
    // Set in the General topic: the group's own.
    h.api.sendText(FORUM, ANN, '/lang it');
    h.api.sendText(FORUM, ANN, '/digest 18:00 Europe/Rome');
    // Set in the topic Sport: that topic's alone.
    h.api.sendText(FORUM, ANN, '/lang fr', { topic: sport });
    await received(3);
    await h.pollAndDeliver(telegram);
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
      h.t.store,
      [ARTICLE],
      [`telegram:${FORUM}/${news}`, `telegram:${FORUM}/${sport}`],
      h.closers,
    );
    h.api.deleteTopic(FORUM, news);
    const telegram = await h.start();
    await h.pollAndDeliver(telegram);
    const posts = await received(1);
    expect(posts.map((p) => p.threadId)).toEqual([sport]);

    const [gone] = await h.t.store.subscriptions.listByDestination(`telegram:${FORUM}/${news}`);
    expect(gone).toMatchObject({ feedId: feed.id, paused: true });
    expect(gone?.pausedReason).toMatch(/message thread not found/);
    const [kept] = await h.t.store.subscriptions.listByDestination(`telegram:${FORUM}/${sport}`);
    expect(kept).toMatchObject({ paused: false });
    // The chat's own subscription, and the chat, are not touched.
    expect(h.api.messages(FORUM).filter((m) => m.threadId === undefined)).toEqual([]);
  });
});
