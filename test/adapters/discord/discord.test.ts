/**
 * The Discord adapter end to end: the real discord.js client against the project's Discord
 * on 127.0.0.1 (test/support/discord-api.ts: REST v10 + gateway), a real SQLite store, real
 * feeds on loopback, the real outbox.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type DiscordAdapter,
  DiscordStartError,
  feedColor,
} from '../../../src/adapters/discord/index.js';
import { createCommandDeps, createCommandHandler } from '../../../src/app/commands/index.js';
import { drainOutbox, pollDueFeeds, type Sender, sendDigest } from '../../../src/app/jobs/index.js';
import { createPlatforms } from '../../../src/bot/platforms.js';
import { parseConfig } from '../../../src/config/index.js';
import type { Brief } from '../../../src/core/types.js';
import type { Store } from '../../../src/store/port.js';
import { serve, testConfig } from '../../app/commands/helpers.js';
import { until } from '../../app/jobs/helpers.js';
import { startServer } from '../../fixtures/input/http-server.js';
import {
  drainAll as drainOutboxFully,
  type FeedItem,
  loopbackFeed,
} from '../../support/delivery.js';
import type { InteractionAnswer } from '../../support/discord-api.js';
import { rejection } from '../../support/errors.js';
import { expectCleanText, storeHostileFeed } from '../../support/hostile.js';
import { useDiscordLoopback } from '../../support/loopback-platform.js';

const GUILD = '1100000000000000001';
const CHANNEL = '1100000000000000002';
const OWNER = '1100000000000000003';
const READER = '1100000000000000004';
const WORLD = '1100000000000000005';
const ROLE = '1100000000000000006';

const EPHEMERAL = 64;

const h = useDiscordLoopback((api) => {
  api.addGuild({
    id: GUILD,
    name: 'Newsroom',
    ownerId: OWNER,
    channels: [
      { id: CHANNEL, name: 'briefs' },
      { id: WORLD, name: 'world' },
    ],
    roles: [{ id: ROLE, name: 'readers', mentionable: true }],
    members: [{ id: READER, username: 'reader', roles: [ROLE] }],
  });
});

/** Drains the outbox until nothing is due (retries included), as the scheduler would. */
async function drainAll(store: Store, senders: readonly Sender[]): Promise<void> {
  await drainOutboxFully(store, senders, h.config, h.log);
}

/** Written as XML: feed text that would ping everyone, a user and a role if it were live. */
const HOSTILE = {
  title: `Belousov lands in Pyongyang @everyone &lt;@${READER}&gt; &lt;@&amp;${ROLE}&gt;`,
  link: 'https://news.example/belousov?a=1&amp;b=2',
  text: `Russia's defence minister Andrei Belousov landed in Pyongyang on Friday @here. He met Kim Jong Un &lt;@${READER}&gt; **bold** [x](https://evil.example).`,
};

/** A feed on loopback with the given items, subscribed by the given channels. */
function subscribedFeed(items: FeedItem[], channels: readonly string[]) {
  return loopbackFeed(
    h.t.store,
    items,
    channels.map((channel) => `discord:${channel}` as const),
    h.closers,
  );
}

async function pollAndDeliver(discord: DiscordAdapter): Promise<void> {
  await pollDueFeeds({ store: h.t.store, config: h.config, now: () => new Date() });
  await drainAll(h.t.store, [discord.sender]);
}

const messageRequests = () =>
  h.api.requests.filter((r) => r.route === 'POST /channels/:channel/messages');

/** The first answer of an interaction, after waiting for `count` of them. */
async function answers(
  handle: { answered(count?: number): Promise<InteractionAnswer[]> },
  count = 1,
) {
  return handle.answered(count);
}

function brief(title: string, extra: Partial<Brief> = {}): Brief {
  return {
    title,
    url: `https://news.example/${encodeURIComponent(title)}`,
    source: 'Wire',
    publishedAt: '2025-03-10T10:00:00.000Z',
    language: 'es',
    summary: [`${title}.`],
    actors: [
      {
        id: 'lucia-ortega',
        name: 'Lucía Ortega',
        kind: 'person',
        role: 'ministra española de Transición Ecológica',
        mentions: 2,
        salience: 0.9,
        aliases: ['Ortega'],
      },
    ],
    tags: ['#Ortega'],
    ...extra,
  };
}

describe('starting', () => {
  it('connects with the Guilds intent only and registers the commands on DISCORD_GUILD_ID', async () => {
    const discord = await h.start({ guildId: GUILD });
    expect(discord.connected()).toBe(true);
    expect(h.api.identified.map((i) => i.intents)).toEqual([1]);
    expect(h.api.commands()).toEqual([]);
    const commands = new Map(h.api.commands(GUILD).map((c) => [c.name as string, c]));
    expect([...commands.keys()].sort()).toEqual(
      [
        'actor',
        'brief',
        'digest',
        'export',
        'feeds',
        'filter',
        'help',
        'import',
        'lang',
        'media',
        'pause',
        'preview',
        'resume',
        'subscribe',
        'template',
        'unsubscribe',
      ].sort(),
    );
    // Admin-only commands: hidden from members without Manage Server (1 << 5); the rest for
    // all, including /filter, /digest and /lang, which anyone may read (changing is refused).
    for (const name of ['subscribe', 'unsubscribe', 'pause', 'resume', 'import']) {
      expect(commands.get(name)?.default_member_permissions).toBe('32');
    }
    for (const name of ['brief', 'actor', 'feeds', 'help', 'export', 'filter', 'digest', 'lang']) {
      expect(commands.get(name)?.default_member_permissions).toBeNull();
    }
    expect(commands.get('brief')).toMatchObject({
      contexts: [0],
      description_localizations: {
        it: expect.stringMatching(/notizie/),
        fr: expect.stringMatching(/brèves/),
        de: expect.stringMatching(/Meldungen/),
        'es-ES': expect.stringMatching(/noticias/),
        'es-419': expect.stringMatching(/noticias/),
        'en-US': expect.any(String),
      },
      options: [
        { name: 'count', type: 4, required: false, min_value: 1, max_value: 20 },
        { name: 'url', type: 3, required: false },
      ],
    });
    expect(commands.get('actor')).toMatchObject({
      options: [{ name: 'name', type: 3, required: true, autocomplete: true }],
    });
    expect(commands.get('import')).toMatchObject({
      options: [{ name: 'file', type: 11, required: true }],
    });
    expect(commands.get('digest')).toMatchObject({
      options: [
        { name: 'time', type: 3, required: true },
        { name: 'timezone', type: 3, required: false },
      ],
    });
  });

  it('registers the commands globally without DISCORD_GUILD_ID', async () => {
    await h.start();
    expect(h.api.commands()).toHaveLength(16);
    expect(h.api.commands(GUILD)).toEqual([]);
  });

  it('is one of the platforms a run starts when DISCORD_TOKEN is set, with its settings', async () => {
    const withDiscord = parseConfig({
      text: '',
      file: path.join(tmpdir(), 'briefwire-discord.yaml'),
      env: {
        DISCORD_TOKEN: h.api.token,
        DISCORD_API_ROOT: `${h.api.root}/api`,
        DISCORD_GUILD_ID: GUILD,
      },
    });
    const handle = createCommandHandler(
      createCommandDeps({ store: h.t.store, config: withDiscord }),
    );
    const platforms = await createPlatforms({
      config: withDiscord,
      store: h.t.store,
      handle,
      log: h.log,
    });
    expect(platforms.map((p) => p.name)).toEqual(['discord']);
    const [discord] = platforms;
    await discord?.start();
    try {
      expect(discord?.connected()).toBe(true);
      expect(discord?.sender.accepts(`discord:${CHANNEL}`)).toBe(true);
      expect(discord?.sender.accepts('telegram:-100123')).toBe(false);
      expect(h.api.commands(GUILD)).toHaveLength(16);
    } finally {
      await discord?.stop();
    }
    expect(discord?.connected()).toBe(false);
    const without = parseConfig({ text: '', file: path.join(tmpdir(), 'b.yaml'), env: {} });
    expect(
      await createPlatforms({ config: without, store: h.t.store, handle, log: h.log }),
    ).toEqual([]);
  });

  it('says in one line which DISCORD_API_ROOT it cannot reach, without a proxy password', async () => {
    const closed = await startServer((_req, res) => res.destroy());
    const root = closed.url('/api').replace('http://', 'http://bot:s3cret@');
    await closed.close();
    const error = await rejection(h.start({ apiRoot: root }), DiscordStartError);
    expect(error.message).toMatch(/^cannot reach Discord at http:\/\/127\.0\.0\.1:\d+\/api: /);
    expect(error.message).not.toContain('s3cret');
  });

  it('refuses a wrong token in one line that does not show it', async () => {
    const error = await rejection(h.start({ token: 'MTEx.not-the-token.xyz' }), DiscordStartError);
    expect(error.message).toMatch(/refused DISCORD_TOKEN/);
    expect(error.message).not.toContain('not-the-token');
    expect(h.log.lines.join('\n')).not.toContain('not-the-token');
  });
});

describe('deliveries', () => {
  it('posts the embed of a new feed item to a subscribed channel, with mentions off', async () => {
    await subscribedFeed([HOSTILE], [CHANNEL]);
    const discord = await h.start();
    await pollAndDeliver(discord);
    const [post] = h.api.messages(CHANNEL);
    expect(h.api.messages()).toHaveLength(1);
    const embed = post?.embeds[0] as {
      title: string;
      url: string;
      color: number;
      fields?: unknown[];
    };
    expect(embed.title).toContain('Belousov lands in Pyongyang');
    expect(embed.url).toBe('https://news.example/belousov?a=1&b=2');
    expect(embed.color).toBe(feedColor('Wire'));
    // The payload itself turns every mention off, and carries a nonce Discord enforces.
    expect(post?.allowedMentions).toEqual({ parse: [] });
    expect(post?.body).toMatchObject({ enforce_nonce: true, nonce: expect.any(String) });
    expect(post?.pinged).toEqual({ everyone: false, users: [], roles: [] });
    // No mention syntax survives in the text either: `<@…>` is broken up, @everyone too.
    const text = JSON.stringify(post?.embeds);
    expect(text).not.toContain(`<@${READER}>`);
    expect(text).not.toContain(`<@&${ROLE}>`);
    expect(text).not.toMatch(/@everyone|@here/);
  });

  it('posts plain text where the bot lacks Embed Links, and pings no one', async () => {
    h.api.denyChannel(CHANNEL, 'embed');
    await subscribedFeed([HOSTILE], [CHANNEL]);
    const discord = await h.start();
    await pollAndDeliver(discord);
    const posts = h.api.messages(CHANNEL);
    expect(posts.length).toBeGreaterThanOrEqual(1);
    for (const post of posts) {
      expect(post.droppedEmbeds).toEqual([]);
      expect(post.content.length).toBeLessThanOrEqual(2000);
      expect(post.allowedMentions).toEqual({ parse: [] });
      expect(post.pinged).toEqual({ everyone: false, users: [], roles: [] });
      expect(post.content).not.toContain(`<@${READER}>`);
    }
    expect(posts[0]?.content).toContain('Belousov lands in Pyongyang');
    expect(posts.map((p) => p.content).join('\n')).toContain(
      '<https://news.example/belousov?a=1&b=2>',
    );
  });

  it('posts in an Italian channel with Italian field names, and the date in its time zone', async () => {
    await subscribedFeed([{ ...HOSTILE, pubDate: 'Fri, 29 Nov 2024 08:00:00 GMT' }], [CHANNEL]);
    // What /lang it and /digest 18:00 Europe/Rome leave for the channel.
    await h.t.store.destinations.set(`discord:${CHANNEL}`, { language: 'it' });
    await h.t.store.digests.set(`discord:${CHANNEL}`, '0 18 * * *', 'Europe/Rome');
    const discord = await h.start();
    await pollAndDeliver(discord);
    const [post] = h.api.messages(CHANNEL);
    const embed = post?.embeds[0] as { fields?: { name: string }[]; timestamp?: string };
    const names = (embed.fields ?? []).map((field) => field.name);
    expect(names).toContain('Persone');
    expect(names).not.toContain('People');
    // Discord's clients write the timestamp in each reader's own zone and language.
    expect(embed.timestamp).toBe('2024-11-29T08:00:00.000Z');
  });

  it('posts the Italian channel’s plain text with its date in its time zone', async () => {
    h.api.denyChannel(CHANNEL, 'embed');
    await subscribedFeed([{ ...HOSTILE, pubDate: 'Fri, 29 Nov 2024 08:00:00 GMT' }], [CHANNEL]);
    await h.t.store.destinations.set(`discord:${CHANNEL}`, { language: 'it' });
    await h.t.store.digests.set(`discord:${CHANNEL}`, '0 18 * * *', 'Europe/Rome');
    const discord = await h.start();
    await pollAndDeliver(discord);
    const text = h.api
      .messages(CHANNEL)
      .map((p) => p.content)
      .join('\n');
    expect(text).toContain('*Wire · 29 nov 2024, 09:00 CET*');
    expect(text).toMatch(/^\*\*Persone\b/m);
    expect(text).not.toMatch(/People|UTC/);
  });

  it('waits out a short 429 in the REST queue: delivered once', async () => {
    await subscribedFeed([HOSTILE], [CHANNEL]);
    const discord = await h.start();
    h.api.rateLimitNext(1, 0.2, { route: 'POST /channels/:id/messages' });
    await pollAndDeliver(discord);
    expect(h.api.messages(CHANNEL)).toHaveLength(1);
    const [refused, accepted] = messageRequests();
    expect(refused?.status).toBe(429);
    expect(accepted?.status).toBe(200);
    expect(discord.tooManyRequests()).toBe(1);
    // The bucket resets after retry_after (0.2 s); the next attempt came no sooner.
    expect((accepted?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it('gives a long 429 back to the outbox with its retry_after: delivered once, later', async () => {
    await subscribedFeed([HOSTILE], [CHANNEL]);
    const discord = await h.start({ rateLimitWaitMs: 100 });
    h.api.rateLimitNext(1, 1, { route: 'POST /channels/:id/messages' });
    await pollDueFeeds({ store: h.t.store, config: h.config, now: () => new Date() });
    const first = await drainOutbox({
      store: h.t.store,
      senders: [discord.sender],
      config: h.config,
    });
    expect(first).toMatchObject({ sent: 0, retried: 1 });
    const [pending] = await h.t.store.outbox.pending(`discord:${CHANNEL}`, 10);
    // retry_after (1 s), not the config's 10 ms backoff.
    expect((pending?.nextAttemptAt.getTime() ?? 0) - Date.now()).toBeGreaterThan(700);
    expect(pending?.lastError).toMatch(/429/);
    await drainAll(h.t.store, [discord.sender]);
    expect(h.api.messages(CHANNEL)).toHaveLength(1);
    expect(messageRequests().map((r) => r.status)).toEqual([429, 200]);
    expect(discord.tooManyRequests()).toBe(1);
  });

  it('duplicates nothing when the answer to a created message is lost (nonce)', async () => {
    await subscribedFeed([HOSTILE], [CHANNEL]);
    const discord = await h.start();
    h.api.failNext('POST /channels/:id/messages', 'network-after', 1);
    await pollAndDeliver(discord);
    expect(messageRequests().length).toBeGreaterThanOrEqual(2);
    expect(h.api.messages(CHANNEL)).toHaveLength(1);
  });

  it('pauses the subscription of a deleted channel (10003) with the reason, and keeps it', async () => {
    await subscribedFeed([HOSTILE], [CHANNEL, WORLD]);
    // Deleted while the bot was away: it learns it from the 10003 of the send.
    h.api.removeChannel(WORLD);
    const discord = await h.start();
    await pollAndDeliver(discord);
    expect(h.api.messages(CHANNEL)).toHaveLength(1);
    const [world] = await h.t.store.subscriptions.listByDestination(`discord:${WORLD}`);
    expect(world).toMatchObject({ paused: true });
    expect(world?.pausedReason).toMatch(/deleted.*10003/);
    expect(
      h.log.lines.some((l) => l.startsWith('warn: outbox: discord:') && l.includes('gone')),
    ).toBe(true);
  });

  it('pauses on Missing Permissions (50013), and the server’s admins see why in /feeds', async () => {
    await subscribedFeed([HOSTILE], [CHANNEL]);
    const discord = await h.start();
    h.api.denyChannel(CHANNEL, 'send');
    await pollAndDeliver(discord);
    expect(h.api.messages(CHANNEL)).toHaveLength(0);
    const [subscription] = await h.t.store.subscriptions.listByDestination(`discord:${CHANNEL}`);
    expect(subscription?.pausedReason).toMatch(/50013/);
    // Interaction answers are not channel messages: /feeds still answers in the channel.
    const handle = h.api.interact({ channelId: CHANNEL, name: 'feeds' });
    const [reply] = await answers(handle);
    expect(reply?.data.content).toMatch(/paused here: .*Missing Permissions/);
  });

  it('pauses the subscriptions of the channels of a server that removed the bot', async () => {
    await subscribedFeed([], [CHANNEL, WORLD]);
    await h.start();
    h.api.removeGuild(GUILD);
    await until(async () =>
      (await h.t.store.subscriptions.listByDestination(`discord:${WORLD}`)).every((s) => s.paused),
    );
    for (const channel of [CHANNEL, WORLD]) {
      const [subscription] = await h.t.store.subscriptions.listByDestination(`discord:${channel}`);
      expect(subscription).toMatchObject({
        paused: true,
        pausedReason: 'the bot was removed from the server',
      });
    }
  });

  it('pauses the subscriptions of a channel deleted while connected', async () => {
    await subscribedFeed([], [CHANNEL, WORLD]);
    await h.start();
    h.api.removeChannel(WORLD);
    await until(() => h.log.lines.some((l) => l.includes(`discord:${WORLD}: 1 subscription`)));
    const [world] = await h.t.store.subscriptions.listByDestination(`discord:${WORLD}`);
    expect(world).toMatchObject({ paused: true, pausedReason: 'the channel was deleted' });
    const [briefs] = await h.t.store.subscriptions.listByDestination(`discord:${CHANNEL}`);
    expect(briefs?.paused).toBe(false);
  });
});

describe('commands', () => {
  it('answers /brief count with embeds, ten to a message, the rest as a follow-up', async () => {
    const { feed } = await subscribedFeed([], [CHANNEL]);
    for (let k = 0; k < 12; k++) {
      await h.t.store.ingest(feed.id, [
        { keys: [`g:${k}`], brief: brief(`Story ${k}`), destinations: [`discord:${CHANNEL}`] },
      ]);
    }
    await h.start();
    const handle = h.api.interact({ channelId: CHANNEL, name: 'brief', options: { count: 12 } });
    const [first, second] = await answers(handle, 2);
    expect(first).toMatchObject({ kind: 'callback', type: 4 });
    expect(first?.data.content).toBe('**The latest 12 briefs:**');
    expect(first?.data.embeds).toHaveLength(10);
    expect(second?.kind).toBe('followUp');
    expect(second?.data.embeds).toHaveLength(2);
    expect(second?.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('refuses an admin command to a member without Manage Server, ephemerally', async () => {
    const { url } = await subscribedFeed([HOSTILE], []);
    await h.start();
    const refused = h.api.interact({
      channelId: CHANNEL,
      userId: READER,
      name: 'subscribe',
      options: { url },
    });
    const [answer] = await answers(refused);
    expect(answer).toMatchObject({ kind: 'callback', type: 4 });
    expect(Number(answer?.data.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer?.data.content).toMatch(/admin/i);
    expect(answer?.data.allowed_mentions).toEqual({ parse: [] });
    expect(await h.t.store.subscriptions.listByDestination(`discord:${CHANNEL}`)).toEqual([]);

    // The owner has Manage Server: subscribed, and told so in the channel.
    const allowed = h.api.interact({
      channelId: CHANNEL,
      userId: OWNER,
      name: 'subscribe',
      options: { url },
    });
    const [ok] = await answers(allowed);
    expect(Number(ok?.data.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(ok?.data.content).toMatch(/Subscribed to Wire/);
    expect(await h.t.store.subscriptions.listByDestination(`discord:${CHANNEL}`)).toHaveLength(1);
  });

  it('checks Manage Server at run time, whatever the command’s default permissions', async () => {
    await h.start();
    const handle = h.api.interact({
      channelId: CHANNEL,
      userId: OWNER,
      name: 'pause',
      permissions: '0',
    });
    const [answer] = await answers(handle);
    expect(Number(answer?.data.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer?.data.content).toMatch(/admin/i);
  });

  it('autocompletes /actor from the store, accent-insensitively, and shows the chosen one', async () => {
    const { feed } = await subscribedFeed([], [CHANNEL]);
    await h.t.store.ingest(feed.id, [
      { keys: ['g:1'], brief: brief('Valencia acoge una cumbre'), destinations: [] },
    ]);
    await h.start();
    const typed = h.api.interact({
      type: 'autocomplete',
      channelId: CHANNEL,
      name: 'actor',
      options: { name: 'lucia orte' },
    });
    const [suggestions] = await answers(typed);
    expect(suggestions).toMatchObject({
      type: 8,
      data: { choices: [{ name: 'Lucía Ortega (person)', value: 'id:lucia-ortega' }] },
    });

    const chosen = h.api.interact({
      channelId: CHANNEL,
      name: 'actor',
      options: { name: 'id:lucia-ortega' },
      locale: 'it',
    });
    const [profile] = await answers(chosen);
    const embeds = (profile?.data.embeds ?? []) as {
      title: string;
      fields: { name: string; value: string }[];
    }[];
    const embed = embeds[0];
    expect(embed?.title).toBe('Lucía Ortega');
    expect(embed?.fields.map((f) => f.name)).toContain('Ruoli:');
    expect(JSON.stringify(embed)).toContain('[Valencia acoge una cumbre](https://news.example/');
  });

  it('pages /actor with buttons whose press shows the other page in place', async () => {
    const { feed } = await subscribedFeed([], [CHANNEL]);
    for (let k = 0; k < 7; k++) {
      await h.t.store.ingest(feed.id, [
        {
          keys: [`g:${k}`],
          brief: brief(`Story ${k}`, {
            publishedAt: new Date(Date.UTC(2025, 2, 1 + k)).toISOString(),
          }),
          destinations: [],
        },
      ]);
    }
    await h.start();
    const shown = h.api.interact({
      channelId: CHANNEL,
      name: 'actor',
      options: { name: 'ortega' },
    });
    const [page1] = await answers(shown);
    const rows = page1?.data.components as { components: { custom_id: string; label: string }[] }[];
    const next = rows[0]?.components.find((b) => b.label.includes('▶'));
    expect(next?.custom_id).toBe('/actor id:lucia-ortega 2');
    expect(JSON.stringify(page1?.data.embeds)).toContain('Story 6');

    // A press of the button, as Discord dispatches it (the loopback dispatches commands only,
    // so its callback is refused as unknown; what the bot sent is recorded all the same).
    const press = {
      ...shown.payload,
      id: '1100000000000000090',
      token: 'button-token',
      type: 3,
      data: { custom_id: next?.custom_id, component_type: 2 },
      message: {
        id: '1100000000000000091',
        channel_id: CHANNEL,
        author: {
          id: h.api.botUserId,
          username: 'briefwire',
          discriminator: '0000',
          bot: true,
          avatar: null,
        },
        content: '',
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
        tts: false,
        mention_everyone: false,
        mentions: [],
        mention_roles: [],
        attachments: [],
        embeds: page1?.data.embeds,
        components: rows,
        pinned: false,
        type: 20,
        flags: 0,
      },
    };
    h.api.dispatch('INTERACTION_CREATE', press);
    const request = await h.api.waitFor(() =>
      h.api.requests.find((r) => r.path.startsWith('/interactions/1100000000000000090/')),
    );
    const body = request.body as {
      type: number;
      data: { embeds: unknown[]; components: { components: { label: string }[] }[] };
    };
    expect(body.type).toBe(7);
    expect(JSON.stringify(body.data.embeds)).toContain('Story 1');
    expect(JSON.stringify(body.data.embeds)).not.toContain('Story 6');
    expect(body.data.components[0]?.components.map((b) => b.label)).toEqual(['◀ 1/2']);
  });

  it('defers a slow /brief URL, then edits the brief in', async () => {
    const article = await startServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          "<html><head><title>Umerov meets Yoon in Seoul</title></head><body><article><h1>Umerov meets Yoon in Seoul</h1><p>Ukraine's defence minister Rustem Umerov met South Korea's president Yoon Suk Yeol in Seoul on Friday @everyone.</p><p>They discussed North Korean troops in Russia.</p></article></body></html>",
        );
      }, 400);
    });
    h.closers.push(() => article.close());
    await h.start({ deferAfterMs: 100 });
    const handle = h.api.interact({
      channelId: CHANNEL,
      name: 'brief',
      options: { url: article.url('/umerov') },
    });
    const [deferred, edited] = await answers(handle, 2);
    expect(deferred).toMatchObject({ kind: 'callback', type: 5 });
    expect(Number(deferred?.data.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(edited?.kind).toBe('edit');
    expect(edited?.data.allowed_mentions).toEqual({ parse: [] });
    const embeds = edited?.data.embeds as { title: string }[];
    expect(embeds[0]?.title).toContain('Umerov meets Yoon in Seoul');
    expect(handle.refused).toEqual([]);
  });

  it('answers a failure after a public deferral only to its user', async () => {
    const missing = await startServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('gone');
      }, 300);
    });
    h.closers.push(() => missing.close());
    await h.start({ deferAfterMs: 100 });
    const handle = h.api.interact({
      channelId: CHANNEL,
      name: 'brief',
      options: { url: missing.url('/nothing') },
    });
    const all = await answers(handle, 3);
    expect(all.map((a) => a.kind)).toEqual(['callback', 'delete', 'followUp']);
    expect(Number(all[2]?.data.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(all[2]?.data.content).toMatch(/Could not brief/);
  });

  it('imports the feeds of an attached OPML file and exports them as a file', async () => {
    const { url } = await subscribedFeed([HOSTILE], []);
    await h.start();
    const file = h.api.addAttachment(
      'feeds.opml',
      `<?xml version="1.0"?><opml version="2.0"><body><outline text="Wire" xmlUrl="${url.replace(/&/g, '&amp;')}"/></body></opml>`,
    );
    const imported = h.api.interact({ channelId: CHANNEL, name: 'import', options: { file } });
    const [reply] = await answers(imported);
    expect(reply?.data.content).toMatch(/1 added/);
    expect(await h.t.store.subscriptions.listByDestination(`discord:${CHANNEL}`)).toHaveLength(1);

    const exported = h.api.interact({ channelId: CHANNEL, name: 'export' });
    const [answer] = await answers(exported);
    expect(Number(answer?.data.flags) & EPHEMERAL).toBe(EPHEMERAL);
    // The file goes as a multipart part (its content is checked in render.test.ts).
    expect(answer?.data.attachments).toHaveLength(1);
    expect(answer?.data.content).toMatch(/1 feed exported as \S+\.opml/);
  });

  it('refuses an attachment over the size cap, before downloading it', async () => {
    await h.start({ importMaxBytes: 64 });
    const file = h.api.addAttachment('big.opml', `<opml>${'x'.repeat(200)}</opml>`);
    const handle = h.api.interact({ channelId: CHANNEL, name: 'import', options: { file } });
    const [reply] = await answers(handle);
    expect(Number(reply?.data.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply?.data.content).toMatch(/too large/);
  });

  it('answers /help in the user’s language, only to them', async () => {
    await h.start();
    const handle = h.api.interact({
      channelId: CHANNEL,
      userId: READER,
      name: 'help',
      locale: 'it',
    });
    const [reply] = await answers(handle);
    expect(Number(reply?.data.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply?.data.content).toContain('Comandi');
    expect(reply?.data.content).toContain('`/brief [N | URL]`');
    // A member without Manage Server is not shown the admin commands.
    expect(reply?.data.content).not.toContain('/subscribe URL');
  });
});

describe('feed text outside briefs', () => {
  /** Every string of a payload (content, embed titles, fields, footers), as readers see them. */
  function shown(value: unknown): string {
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.map(shown).join('\n');
    if (value !== null && typeof value === 'object')
      return Object.values(value).map(shown).join('\n');
    return '';
  }

  it('/feeds shows a feed’s own title and its server’s error clean', async () => {
    await storeHostileFeed(h.t.store, [`discord:${CHANNEL}`], { deliver: false });
    await h.start();
    const [reply] = await answers(h.api.interact({ channelId: CHANNEL, name: 'feeds' }));
    const text = shown(reply?.data.content);
    // Markdown-escaped ("1\\."), as Discord shows it: "1. Wire red gnp.exe @jack_smith".
    expect(text).toMatch(/^Feeds of this chat:\n1\\\. Wire red gnp\.exe @/);
    expectCleanText(text);
  });

  it('a digest and a pause notice show the feed’s text clean, its credential link left out', async () => {
    const server = await serve({});
    h.closers.push(() => server.close());
    await storeHostileFeed(h.t.store, [`discord:${CHANNEL}`], { url: server.url('/gone.xml') });
    const discord = await h.start();
    await sendDigest(
      { store: h.t.store, config: h.config, now: () => new Date(h.t.clock.now + 1000) },
      { destination: `discord:${CHANNEL}`, timezone: 'UTC', lastSentAt: null },
    );
    const pauseAtOnce = testConfig('polling:\n  maxConsecutiveFailures: 2');
    await pollDueFeeds({
      store: h.t.store,
      config: pauseAtOnce,
      now: () => new Date(h.t.clock.now),
    });
    await drainAll(h.t.store, [discord.sender]);
    const [brief, digest, notice] = h.api.messages(CHANNEL);
    expect(shown(digest?.embeds)).toContain('Digest — ');
    expect(notice?.content).toMatch(/^Feed Wire red gnp\.exe @.* paused after 2 failures/);
    for (const message of [brief, digest, notice]) {
      expectCleanText(shown([message?.content, message?.embeds]));
      expect(message?.pinged).toEqual({ everyone: false, users: [], roles: [] });
    }
  });

  it('/actor shows names, roles and headlines from feeds clean', async () => {
    await storeHostileFeed(h.t.store, [`discord:${CHANNEL}`], { deliver: false });
    await h.start();
    const [reply] = await answers(
      h.api.interact({ channelId: CHANNEL, name: 'actor', options: { name: 'id:jack-smith' } }),
    );
    const text = shown(reply?.data.embeds);
    expect(text).toMatch(/^Jack Smith @/);
    expect(text).toContain('Talks in Seoul');
    expectCleanText(text);
  });
});
