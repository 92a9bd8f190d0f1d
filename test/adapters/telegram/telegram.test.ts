/**
 * The Telegram adapter end to end: the real grammY client against the project's Bot API
 * server on 127.0.0.1 (test/support/telegram-api.ts), a real SQLite store, real feeds on
 * loopback, the real outbox.
 */
import { describe, expect, it } from 'vitest';
import { createTelegramAdapter, TelegramStartError } from '../../../src/adapters/telegram/index.js';
import { createCommandDeps, createCommandHandler } from '../../../src/app/commands/index.js';
import { pollDueFeeds, type Sender, sendDigest } from '../../../src/app/jobs/index.js';
import type { Store } from '../../../src/store/port.js';
import { rss, serve, testConfig } from '../../app/commands/helpers.js';
import {
  drainAll as drainOutboxFully,
  type FeedItem,
  loopbackFeed,
} from '../../support/delivery.js';
import { rejection } from '../../support/errors.js';
import { expectCleanText, storeHostileFeed } from '../../support/hostile.js';
import { useTelegramLoopback } from '../../support/loopback-platform.js';
import type { SentMessage } from '../../support/telegram-api.js';

const ANN = 1001; // Ann writes to the bot in private, and is an admin of the group
const BOB = 1002; // Bob is a plain member of the group
const GROUP = -2001;
const SUPERGROUP = -1003001;
const CHANNEL = -1004001;

const h = useTelegramLoopback((api) => {
  api
    .addUser({ id: ANN, first_name: 'Ann', language_code: 'en' })
    .addUser({ id: BOB, first_name: 'Bob', language_code: 'it' })
    .addChat({ id: ANN, type: 'private', first_name: 'Ann' })
    .addChat({ id: BOB, type: 'private', first_name: 'Bob' })
    .addChat({ id: GROUP, type: 'group', title: 'Newsroom' })
    .addChat({ id: SUPERGROUP, type: 'supergroup', title: 'Desk' })
    .addChat({ id: CHANNEL, type: 'channel', title: 'Wire' })
    .setMember(GROUP, ANN, 'administrator')
    .setMember(GROUP, BOB, 'member');
});

/** Waits until the chat has received `count` messages, and returns them. */
async function received(chatId: number, count = 1) {
  await h.api.until(() => h.api.messages(chatId).length >= count, 5000);
  return h.api.messages(chatId);
}

/** Drains the outbox until nothing is due (retries included), as the scheduler would. */
function drainAll(store: Store, senders: readonly Sender[]): Promise<void> {
  return drainOutboxFully(store, senders, h.config);
}

/** A feed on loopback with the given items (all posted at its first poll), subscribed by the given chats. */
async function subscribedFeed(items: FeedItem[], chats: readonly number[]) {
  const { feed } = await loopbackFeed(
    h.t.store,
    items,
    chats.map((chat) => `telegram:${chat}` as const),
    h.closers,
    { firstPollPosts: items.length },
  );
  return feed;
}

/** Written as XML: the feed's text reads `Belousov <3 Pyongyang & "talks" @everyone`. */
const ARTICLE = {
  title: 'Belousov &lt;3 Pyongyang &amp; "talks" @everyone',
  link: 'https://news.example/belousov?a=1&amp;b=2',
  text: "Russia's defence minister Andrei Belousov landed in Pyongyang on Friday. <script>alert(1)</script> He met Kim Jong-un @everyone.",
};

describe('starting', () => {
  it('checks the token and sets the command menus in all five languages', async () => {
    const telegram = await h.start();
    expect(telegram.username).toBe('briefwire_test_bot');
    const names = (type: 'default' | 'all_chat_administrators', language = '') =>
      h.api.commands({ type }, language).map((c) => c.command);
    expect(names('default')).toContain('brief');
    expect(names('default')).not.toContain('subscribe');
    // Anyone may read the filters, the digest time and the language; admins change them.
    expect(names('default')).toEqual(expect.arrayContaining(['filter', 'digest', 'lang']));
    expect(names('all_chat_administrators')).toContain('subscribe');
    const italian = h.api.commands({ type: 'all_private_chats' }, 'it');
    const english = h.api.commands({ type: 'all_private_chats' });
    expect(italian.map((c) => c.command)).toEqual(english.map((c) => c.command));
    expect(italian.find((c) => c.command === 'actor')?.description).not.toBe(
      english.find((c) => c.command === 'actor')?.description,
    );
    const help = (language: string) =>
      h.api.commands({ type: 'default' }, language).find((c) => c.command === 'help')?.description;
    expect(['fr', 'de', 'es'].map(help)).toEqual([
      'Les commandes que vous pouvez utiliser ici',
      'Die Befehle, die du hier nutzen kannst',
      'Los comandos que puedes usar aquí',
    ]);
  });

  it('refuses a wrong token in one line that does not show it', async () => {
    const error = await rejection(h.start({ token: '999:not-the-token' }), TelegramStartError);
    expect(error.message).toBe(
      'Telegram refused the token (401 Unauthorized); copy it again from @BotFather into TELEGRAM_BOT_TOKEN',
    );
    expect(error.message).not.toContain('not-the-token');
    expect(h.log.lines.join('\n')).not.toContain('not-the-token');
  });
});

describe('commands', () => {
  it('answers /help in a private chat, listing what this user may do', async () => {
    await h.start();
    h.api.sendText(ANN, ANN, '/help');
    const [reply] = await received(ANN);
    expect(reply?.parseMode).toBe('HTML');
    expect(reply?.text).toContain('/subscribe');
  });

  it('answers /brief@thisbot in a group and ignores /brief@otherbot', async () => {
    await h.start();
    h.api.sendText(GROUP, BOB, '/brief@other_bot');
    h.api.sendText(GROUP, BOB, '/brief@briefwire_test_bot');
    const [reply] = await received(GROUP);
    // Bob's Telegram is in Italian: so is the answer, quoting his command.
    expect(reply?.text).toMatch(/notizi|feed/i);
    expect(reply?.replyToMessageId).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.api.messages(GROUP)).toHaveLength(1);
  });

  it('leaves other bots’ commands in a group alone, but answers one addressed to it', async () => {
    await h.start();
    h.api.sendText(GROUP, BOB, '/weather Rome');
    h.api.sendText(GROUP, BOB, '/weather@briefwire_test_bot');
    const [reply] = await received(GROUP);
    expect(reply?.text).toMatch(/\/weather/);
    // The private chat still hears about a typo.
    h.api.sendText(ANN, ANN, '/brif');
    const [hint] = await received(ANN);
    expect(hint?.text).toMatch(/\/brief/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.api.messages(GROUP)).toHaveLength(1);
  });

  it('lets a group admin subscribe, and refuses a plain member', async () => {
    const feed = await serve({
      '/feed.xml': [200, 'application/rss+xml', rss('Wire', [ARTICLE])],
    });
    h.closers.push(() => feed.close());
    await h.start();
    h.api.sendText(GROUP, BOB, `/subscribe ${feed.url('/feed.xml')}`);
    const [refused] = await received(GROUP);
    expect(refused?.text).toMatch(/amministrator/i);
    expect(await h.t.store.subscriptions.listByDestination(`telegram:${GROUP}`)).toEqual([]);

    h.api.sendText(GROUP, ANN, `/subscribe ${feed.url('/feed.xml')}`);
    await received(GROUP, 2);
    const subscriptions = await h.t.store.subscriptions.listByDestination(`telegram:${GROUP}`);
    expect(subscriptions).toHaveLength(1);
  });

  it('lets an anonymous group admin subscribe, and still ignores other bots', async () => {
    const feed = await serve({
      '/feed.xml': [200, 'application/rss+xml', rss('Wire', [ARTICLE])],
    });
    h.closers.push(() => feed.close());
    h.api.addUser({ id: 7001, first_name: 'Other', username: 'other_bot', is_bot: true });
    await h.start();
    h.api.sendText(GROUP, 7001, '/brief');
    // Telegram shows an admin who "remains anonymous" as @GroupAnonymousBot writing as the group.
    h.api.sendAsAnonymousAdmin(GROUP, `/subscribe ${feed.url('/feed.xml')}`);
    const [reply] = await received(GROUP);
    expect(reply?.text).toMatch(/subscribed/i);
    expect(await h.t.store.subscriptions.listByDestination(`telegram:${GROUP}`)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.api.messages(GROUP)).toHaveLength(1);
  });

  it('takes commands posted in a channel, whose posters are its admins', async () => {
    await h.start();
    // /resume is an admin command: a channel post runs it, it is not refused.
    h.api.postInChannel(CHANNEL, '/resume');
    const [reply] = await received(CHANNEL);
    expect(reply?.text).toBe('Nothing was paused.');
  });

  it('lets a channel subscribed by its @name in the config manage that subscription', async () => {
    const NAMED = -1004002;
    h.api.addChat({ id: NAMED, type: 'channel', title: 'Wire News', username: 'wirenews' });
    await loopbackFeed(h.t.store, [], ['telegram:@wirenews'], h.closers);
    await h.start();
    h.api.postInChannel(NAMED, '/feeds');
    const [reply] = await received(NAMED);
    expect(reply?.text).toMatch(/^Feeds of this chat:\n1\. Wire — /);
    expect(reply?.text).toContain('In a config file this chat is telegram:@wirenews.');
  });

  it('pages /actor with buttons that edit the message in place', async () => {
    const feed = await subscribedFeed([], []);
    for (let k = 0; k < 7; k++) {
      await h.t.store.ingest(feed.id, [
        {
          keys: [`g:${k}`],
          brief: {
            title: `Story ${k}`,
            url: `https://news.example/${k}`,
            source: 'Wire',
            language: 'en',
            publishedAt: new Date(Date.UTC(2025, 2, 1 + k)).toISOString(),
            summary: ['Andrei Belousov met Kim.'],
            actors: [
              {
                id: 'andrei-belousov',
                name: 'Andrei Belousov',
                kind: 'person',
                role: 'defence minister',
                mentions: 2,
                salience: 0.9,
                aliases: [],
              },
            ],
            tags: ['#Belousov'],
          } as never,
          destinations: [],
        },
      ]);
    }
    await h.start();
    h.api.sendText(ANN, ANN, '/actor belousov');
    const [page1] = await received(ANN);
    expect(page1?.text).toContain('Andrei Belousov');
    expect(page1?.text).toContain('Story 6');
    const keyboard = page1?.replyMarkup as {
      inline_keyboard: { text: string; callback_data: string }[][];
    };
    const next = keyboard.inline_keyboard[0]?.find((b) => b.text.includes('▶'));
    expect(next).toBeDefined();
    h.api.pressButton(ANN, ANN, page1?.messageId ?? 0, next?.callback_data ?? '');
    await h.api.until(() => h.api.messages(ANN)[0]?.edits === 1, 5000);
    const edited = h.api.messages(ANN)[0];
    expect(edited?.text).toContain('Story 1');
    expect(edited?.text).not.toContain('Story 6');
    await h.api.until(() => h.api.callbackAnswers.length === 1, 5000);
  });

  it("pauses a group's subscriptions when the bot is removed from it, and keeps the others", async () => {
    await subscribedFeed([], [GROUP, ANN]);
    await h.start();
    const bot = { id: 4242, is_bot: true, first_name: 'briefwire' };
    h.api.pushUpdate({
      my_chat_member: {
        chat: { id: GROUP, type: 'group', title: 'Newsroom' },
        from: { id: ANN, is_bot: false, first_name: 'Ann' },
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: 'member', user: bot },
        new_chat_member: { status: 'kicked', user: bot, until_date: 0 },
      },
    });
    await h.api.until(() =>
      h.log.lines.some((l) => l.includes(`telegram:${GROUP}: 1 subscription`)),
    );
    const [group] = await h.t.store.subscriptions.listByDestination(`telegram:${GROUP}`);
    expect(group).toMatchObject({ paused: true, pausedReason: 'the bot was removed or blocked' });
    const [own] = await h.t.store.subscriptions.listByDestination(`telegram:${ANN}`);
    expect(own?.paused).toBe(false);
  });

  it('imports the OPML file sent with /import as its caption, and exports it back as a file', async () => {
    const feed = await serve({
      '/feed.xml': [200, 'application/rss+xml', rss('Wire', [ARTICLE])],
    });
    h.closers.push(() => feed.close());
    await h.start();
    const opml = `<?xml version="1.0"?><opml version="2.0"><body><outline type="rss" text="Wire" xmlUrl="${feed.url('/feed.xml')}"/></body></opml>`;
    h.api.sendFile(ANN, ANN, 'feeds.opml', opml, '/import');
    await received(ANN);
    expect(await h.t.store.subscriptions.listByDestination(`telegram:${ANN}`)).toHaveLength(1);

    h.api.sendText(ANN, ANN, '/export');
    await h.api.until(() => h.api.documents(ANN).length === 1, 5000);
    const [file] = h.api.documents(ANN);
    expect(file?.fileName).toMatch(/\.opml$/);
    expect(file?.content?.toString('utf8')).toContain(feed.url('/feed.xml'));
  });

  it('takes updates by webhook, and answers 401 to a wrong secret', async () => {
    const http = await import('node:http');
    const telegram = createTelegramAdapter({
      token: h.api.token,
      apiRoot: h.api.apiRoot,
      handle: createCommandHandler(createCommandDeps({ store: h.t.store, config: h.config })),
      store: h.t.store,
      webhook: { url: 'http://127.0.0.1/telegram/hook', secret: 'the-secret' },
    });
    h.adopt(telegram);
    const server = http.createServer((req, res) => void telegram.webhookHandler?.(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    h.closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const port = (server.address() as { port: number }).port;
    await telegram.start();
    expect(h.api.webhook?.secretToken).toBe('the-secret');

    const forged = await fetch(`http://127.0.0.1:${port}/telegram/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'guess' },
      body: JSON.stringify({ update_id: 1, message: { text: '/help' } }),
    });
    expect(forged.status).toBe(401);

    // The server posts to the URL it was given; point it at the listening port.
    (h.api.webhook as { url: string }).url = `http://127.0.0.1:${port}/telegram/hook`;
    const status = await h.api.deliverWebhook(h.api.sendText(ANN, ANN, '/help'));
    expect(status).toBe(200);
    await received(ANN);
  });
});

/**
 * An article whose brief takes more than one Telegram message: its key sentences are long
 * (long words, each sentence on its own subject, so that the summary keeps several).
 */
function longArticle(): FeedItem {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const word = (s: number, j: number) =>
    `${letters[s % 26]}${letters[j % 26]}${letters[(j * 7 + s) % 26]}${'ministerial'.repeat(10)}`;
  // Sentences short in words (a summary holds two or three) but long in characters: the
  // brief overflows one message.
  const sentence = (s: number) =>
    `Belousov ${Array.from({ length: 27 }, (_, j) => word(s, j)).join(' ')} talks.`;
  return {
    title: 'Belousov talks',
    link: 'https://news.example/long',
    text: [1, 5, 9, 13].map(sentence).join(' '),
  };
}

describe('deliveries', () => {
  it('posts the brief of a new feed item to a subscribed channel, escaped, linked, previewed', async () => {
    await subscribedFeed([ARTICLE], [CHANNEL]);
    const telegram = await h.start();
    await pollDueFeeds({ store: h.t.store, config: h.config, now: () => new Date() });
    await drainAll(h.t.store, [telegram.sender]);
    const [post] = await received(CHANNEL);
    expect(post?.parseMode).toBe('HTML');
    // What readers see: the feed's markup as text, never as formatting or a ping (an
    // invisible zero-width space after the @ ends the would-be username).
    expect(post?.text).toContain('Belousov <3 Pyongyang & "talks" @\u200beveryone');
    expect(post?.rawText).toContain(
      '<b><a href="https://news.example/belousov?a=1&amp;b=2">Belousov &lt;3 Pyongyang &amp; "talks" @\u200beveryone</a></b>',
    );
    // The headline is the link; the feed's "@everyone" is no mention of anyone.
    expect(post?.entities).toContainEqual(
      expect.objectContaining({
        type: 'text_link',
        offset: 0,
        url: 'https://news.example/belousov?a=1&b=2',
      }),
    );
    expect(post?.entities.some((e) => e.type === 'mention' || e.type === 'text_mention')).toBe(
      false,
    );
    expect(post?.linkPreviewOptions).toMatchObject({
      url: 'https://news.example/belousov?a=1&b=2',
    });
    expect(post?.text).toMatch(/Belousov/);
  });

  it('posts in an Italian chat with Italian labels and the date in the chat’s time zone', async () => {
    await subscribedFeed([{ ...ARTICLE, pubDate: 'Fri, 29 Nov 2024 08:00:00 GMT' }], [GROUP]);
    const telegram = await h.start();
    // The chat's own choices: its language, and its time zone given with its digest.
    h.api.sendText(GROUP, ANN, '/lang it');
    await received(GROUP, 1);
    h.api.sendText(GROUP, ANN, '/digest 18:00 Europe/Rome');
    await received(GROUP, 2);
    await pollDueFeeds({ store: h.t.store, config: h.config, now: () => new Date() });
    await drainAll(h.t.store, [telegram.sender]);
    const post = (await received(GROUP, 3))[2];
    expect(post?.text).toContain('Wire · 29 nov 2024, 09:00 CET');
    expect(post?.text).toMatch(/^Persone\b/m);
    expect(post?.text).toMatch(/^Paesi: /m);
    expect(post?.text).not.toMatch(/People|Countries|Nov 2024|UTC/);
  });

  it('posts in a French chat with French labels, date and digest heading, and replies in French', async () => {
    await subscribedFeed([{ ...ARTICLE, pubDate: 'Fri, 29 Nov 2024 08:00:00 GMT' }], [GROUP]);
    const telegram = await h.start();
    h.api.sendText(GROUP, ANN, '/lang fr');
    const [set] = await received(GROUP, 1);
    expect(set?.text).toBe('Désormais, je parle français dans ce chat.');
    h.api.sendText(GROUP, ANN, '/digest 18:00 Europe/Paris');
    const [, digestSet] = await received(GROUP, 2);
    expect(digestSet?.text).toBe(
      'Un résumé des principales brèves du jour arrivera chaque jour à 18:00 (Europe/Paris).',
    );
    await pollDueFeeds({ store: h.t.store, config: h.config, now: () => new Date() });
    await drainAll(h.t.store, [telegram.sender]);
    const post = (await received(GROUP, 3))[2];
    expect(post?.text).toContain('Wire · 29 nov. 2024, 09:00 UTC+1');
    expect(post?.text).toMatch(/^Personnes\b/m);
    expect(post?.text).toMatch(/^Pays: /m);
    expect(post?.text).not.toMatch(/People|Countries|Nov 2024/);

    await sendDigest(
      { store: h.t.store, config: h.config, now: () => new Date(h.t.clock.now + 1000) },
      { destination: `telegram:${GROUP}`, timezone: 'Europe/Paris', lastSentAt: null },
    );
    await drainAll(h.t.store, [telegram.sender]);
    const digest = (await received(GROUP, 4))[3];
    expect(digest?.text).toMatch(/^Résumé — \d{1,2} [a-zéû]+\.? \d{4} \(1 brève\)/);
  });

  it('keeps Telegram’s limits: a 429 storm loses and duplicates nothing', async () => {
    const chats = [ANN, BOB, GROUP, SUPERGROUP, CHANNEL];
    await subscribedFeed([ARTICLE], chats);
    const telegram = await h.start();
    await pollDueFeeds({ store: h.t.store, config: h.config, now: () => new Date() });
    h.api.rateLimitStorm(3, 1);
    await drainAll(h.t.store, [telegram.sender]);
    for (const chat of chats) expect(h.api.messages(chat)).toHaveLength(1);
    expect(h.api.stats.tooManyRequests).toBe(3);
  });

  it('sends the parts of a long brief a full second apart in one chat: not one 429', async () => {
    await subscribedFeed([longArticle()], [ANN]);
    const telegram = await h.start();
    await pollDueFeeds({ store: h.t.store, config: h.config, now: () => new Date() });
    await drainAll(h.t.store, [telegram.sender]);
    const posts = h.api.messages(ANN);
    // The brief in several messages, each once.
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(posts.map((p) => p.text)).size).toBe(posts.length);
    expect(h.api.stats.tooManyRequests).toBe(0);
  });

  it('pauses the subscription of a chat that blocked the bot, and keeps it', async () => {
    await subscribedFeed([ARTICLE], [ANN, BOB]);
    h.api.blockChat(BOB);
    const telegram = await h.start();
    await pollDueFeeds({ store: h.t.store, config: h.config, now: () => new Date() });
    await drainAll(h.t.store, [telegram.sender]);
    expect(h.api.messages(ANN)).toHaveLength(1);
    const [bob] = await h.t.store.subscriptions.listByDestination(`telegram:${BOB}`);
    expect(bob).toMatchObject({ paused: true });
    expect(bob?.pausedReason).toMatch(/blocked/);
  });

  it('follows a group upgraded to a supergroup: the subscription and queue move, every post arrives there once', async () => {
    const NEW_ID = -1009999;
    const stories = ['Kyiv', 'Tokyo', 'Lima'].map((city, k) => ({
      title: `Talks open in ${city}`,
      link: `https://news.example/talks-${k}`,
      text: `Delegations met in ${city} on Friday for the first round of talks. They agreed to meet again in ${city} next month.`,
    }));
    await subscribedFeed(stories, [GROUP]);
    h.api.migrateChat(GROUP, NEW_ID, { silent: true });
    const telegram = await h.start();
    await pollDueFeeds({ store: h.t.store, config: h.config, now: () => new Date() });
    await drainAll(h.t.store, [telegram.sender]);
    // Oldest first: the feed lists its newest story first.
    expect(h.api.messages(NEW_ID).map((m) => m.text.split('\n')[0])).toEqual(
      stories.map((s) => s.title).reverse(),
    );
    // Only the first post learnt of the move from the old chat; the rest went straight there.
    const toOldChat = h.api.calls.filter(
      (c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(GROUP),
    );
    expect(toOldChat).toHaveLength(1);
    expect(await h.t.store.subscriptions.listByDestination(`telegram:${GROUP}`)).toEqual([]);
    expect(await h.t.store.subscriptions.listByDestination(`telegram:${NEW_ID}`)).toHaveLength(1);
    const warnings = h.log.lines.filter((line) => line.startsWith('warn:'));
    expect(warnings).toEqual([
      expect.stringContaining(
        `telegram:${GROUP} became telegram:${NEW_ID} (group upgraded to a supergroup): 1 subscription(s) and 3 queued message(s) moved`,
      ),
    ]);
    expect(h.api.stats.tooManyRequests).toBe(0);
  });

  it('retries through a Telegram outage and posts once', async () => {
    await subscribedFeed([ARTICLE], [ANN]);
    const telegram = await h.start();
    await pollDueFeeds({ store: h.t.store, config: h.config, now: () => new Date() });
    h.api.failNext('sendMessage', { status: 502, description: 'Bad Gateway' }, 1);
    h.api.failNext('sendMessage', 'network', 1);
    await drainAll(h.t.store, [telegram.sender]);
    expect(h.api.messages(ANN)).toHaveLength(1);
  });
});

describe('feed text outside briefs', () => {
  /** What a reader gets: the feed's words, with no ping, hidden character or credential link. */
  function expectInert(message: SentMessage | undefined): void {
    expect(message).toBeDefined();
    expectCleanText(message?.text ?? '');
    const pings = message?.entities.filter(
      (e) => e.type === 'mention' || e.type === 'text_mention',
    );
    expect(pings).toEqual([]);
    // The handle is still there to read, as the feed wrote it.
    expect(message?.text.replace(/\u200b/g, '')).toContain('@jack_smith');
  }

  it('/feeds shows a feed’s own title and its server’s error inert', async () => {
    await storeHostileFeed(h.t.store, [`telegram:${ANN}`], { deliver: false });
    await h.start();
    h.api.sendText(ANN, ANN, '/feeds');
    const [reply] = await received(ANN);
    expectInert(reply);
    expect(reply?.text).toMatch(/^Feeds of this chat:\n1\. Wire red gnp\.exe @/);
  });

  it('a digest of hostile briefs arrives whole, inert, its credential link left out', async () => {
    await storeHostileFeed(h.t.store, [`telegram:${ANN}`]);
    const telegram = await h.start();
    await sendDigest(
      { store: h.t.store, config: h.config, now: () => new Date(h.t.clock.now + 1000) },
      { destination: `telegram:${ANN}`, timezone: 'UTC', lastSentAt: null },
    );
    await drainAll(h.t.store, [telegram.sender]);
    const [brief, digest] = h.api.messages(ANN);
    expect(digest?.text).toMatch(/^Digest — /);
    for (const message of [brief, digest]) {
      expectInert(message);
      expect(message?.entities.filter((e) => e.type === 'text_link')).toEqual([]);
    }
  });

  it('the notice of a feed paused after failures names it inert', async () => {
    const server = await serve({});
    h.closers.push(() => server.close());
    await storeHostileFeed(h.t.store, [`telegram:${ANN}`], {
      url: server.url('/gone.xml'),
      deliver: false,
    });
    const telegram = await h.start();
    const pauseAtOnce = testConfig('polling:\n  maxConsecutiveFailures: 2');
    await pollDueFeeds({
      store: h.t.store,
      config: pauseAtOnce,
      now: () => new Date(h.t.clock.now),
    });
    await drainAll(h.t.store, [telegram.sender]);
    const [notice] = h.api.messages(ANN);
    expect(notice?.text).toMatch(/^Feed Wire red gnp\.exe @.* paused after 2 failures: /);
    expectInert(notice);
  });

  it('/actor shows names, roles and headlines from feeds inert', async () => {
    await storeHostileFeed(h.t.store, [`telegram:${ANN}`], { deliver: false });
    await h.start();
    h.api.sendText(ANN, ANN, '/actor id:jack-smith');
    const [reply] = await received(ANN);
    expectInert(reply);
    expect(reply?.text).toMatch(/^Jack Smith @/);
    expect(reply?.text).toContain('Talks in Seoul');
    expect(reply?.entities.filter((e) => e.type === 'text_link')).toEqual([]);
  });
});
