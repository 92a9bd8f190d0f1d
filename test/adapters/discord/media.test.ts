/**
 * Images in Discord posts, end to end: the real discord.js client against the project's
 * Discord on 127.0.0.1, a real SQLite store, real feeds on loopback, the real outbox.
 */
import { describe, expect, it } from 'vitest';
import { feedColor } from '../../../src/adapters/discord/index.js';
import { pollDueFeeds } from '../../../src/app/jobs/index.js';
import { serve } from '../../app/commands/helpers.js';
import { drainAll, type FeedItem, loopbackFeed } from '../../support/delivery.js';
import type { DiscordApi } from '../../support/discord-api.js';
import { useDiscordLoopback } from '../../support/loopback-platform.js';

const GUILD = '1100000000000000001';
const CHANNEL = '1100000000000000002';
const OWNER = '1100000000000000003';

const h = useDiscordLoopback((api) => {
  api.addGuild({
    id: GUILD,
    name: 'Newsroom',
    ownerId: OWNER,
    channels: [{ id: CHANNEL, name: 'briefs' }],
  });
});

const ARTICLE: FeedItem = {
  title: 'Belousov lands in Pyongyang @everyone',
  link: 'https://news.example/belousov',
  text: "Russia's defence minister Andrei Belousov landed in Pyongyang on Friday. He met Kim Jong-un.",
  image: 'https://img.example/belousov.jpg?w=800&amp;h=600',
};

async function post(media?: boolean, item: FeedItem = ARTICLE) {
  const { feed } = await loopbackFeed(h.t.store, [item], [`discord:${CHANNEL}`], h.closers);
  if (media !== undefined) {
    const [sub] = await h.t.store.subscriptions.listByFeed(feed.id);
    await h.t.store.subscriptions.setFilters(sub?.id ?? -1, { filters: '', media });
  }
  const discord = await h.start();
  await pollDueFeeds({ store: h.t.store, config: h.config, now: () => new Date() });
  await drainAll(h.t.store, [discord.sender], h.config, h.log);
  return h.api.messages(CHANNEL);
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
    h.closers.push(() => page.close());
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
  /** A subscription whose template is hostile-valued: @everyone, markdown, a 5,700-character headline. */
  async function postHostile(): Promise<ReturnType<DiscordApi['messages']>> {
    const { feed } = await loopbackFeed(
      h.t.store,
      [
        {
          title: `@everyone **bold** &lt;@123&gt; ${'very long headline '.repeat(300)}`,
          link: 'https://news.example/hostile',
          text: `Andrei Belousov landed in Pyongyang on Friday @here. ${'He met Kim Jong-un again and again. '.repeat(60)}`,
          image: 'https://img.example/belousov.jpg',
        },
      ],
      [`discord:${CHANNEL}`],
      h.closers,
    );
    const [sub] = await h.t.store.subscriptions.listByFeed(feed.id);
    await h.t.store.subscriptions.setFilters(sub?.id ?? -1, {
      filters: '',
      template: '{headline}\n{summary}\n{link}\nfooter @everyone **x**',
    });
    const discord = await h.start();
    await pollDueFeeds({ store: h.t.store, config: h.config, now: () => new Date() });
    await drainAll(h.t.store, [discord.sender], h.config, h.log);
    return h.api.messages(CHANNEL);
  }

  it('posts an embed like the built-ins: the template as its description, escaped, pinging no one', async () => {
    const [message, ...rest] = await postHostile();
    expect(rest).toEqual([]);
    expect(message?.content).toBe('');
    const [embed, ...others] = (message?.embeds ?? []) as {
      title?: string;
      description: string;
      color: number;
      image?: { url: string };
    }[];
    expect(others).toEqual([]);
    expect(embed?.title).toBeUndefined();
    const description = embed?.description ?? '';
    expect(description).toMatch(
      /^\*\*@\u200beveryone \\\*\\\*bold\\\*\\\* <\u200b@123\\> very long/,
    );
    expect(description).toContain(
      '\n<https://news.example/hostile>\nfooter @\u200beveryone \\*\\*x\\*\\*',
    );
    expect(description).not.toMatch(/@everyone|@here/);
    // Discord's limits, checked by the loopback server too (it refuses more with a 400).
    expect(description.length).toBeLessThanOrEqual(4096);
    expect(embed?.color).toBe(feedColor('Wire'));
    expect(embed?.image).toEqual({ url: 'https://img.example/belousov.jpg' });
    expect(message?.allowedMentions).toEqual({ parse: [] });
    expect(message?.pinged).toEqual({ everyone: false, users: [], roles: [] });
  });

  it('without Embed Links, posts it as markdown text within 2,000 characters', async () => {
    h.api.denyChannel(CHANNEL, 'embed');
    const [message, ...rest] = await postHostile();
    expect(rest).toEqual([]);
    const content = message?.content as string;
    expect(content).toMatch(/^\*\*@\u200beveryone \\\*\\\*bold\\\*\\\* <\u200b@123\\> very long/);
    expect(content).toContain('\n<https://news.example/hostile>\nfooter @\u200beveryone');
    expect(content).not.toMatch(/@everyone|@here/);
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(message?.embeds).toEqual([]);
    expect(message?.droppedEmbeds).toEqual([]);
    expect(message?.pinged).toEqual({ everyone: false, users: [], roles: [] });
  });
});
