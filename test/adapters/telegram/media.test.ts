/**
 * Images in Telegram posts, end to end: the real grammY client against the project's Bot
 * API server on 127.0.0.1 (which fetches a photo given by URL as Telegram does), a real
 * SQLite store, real feeds and images on loopback, the real outbox.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { pollDueFeeds } from '../../../src/app/jobs/index.js';
import { serve, testConfig } from '../../app/commands/helpers.js';
import { startServer, type TestServer } from '../../fixtures/input/http-server.js';
import { drainAll, type FeedItem, loopbackFeed } from '../../support/delivery.js';
import { useTelegramLoopback } from '../../support/loopback-platform.js';

const CHANNEL = -1004001;
const ANN = 1001;
const GROUP = -2001;

/** A page that never answers is given up within the test's patience. */
const config = testConfig(`
outbox:
  retryBase: 10ms
  retryMax: 50ms
http:
  timeoutMs: 1500
`);

let images: Awaited<ReturnType<typeof serve>>;
/** What the image server serves as a JPEG (Telegram's checks here stop at the type). */
const JPEG = 'JFIF a picture';

const h = useTelegramLoopback((api) => {
  api
    .addUser({ id: ANN, first_name: 'Ann', language_code: 'en' })
    .addChat({ id: CHANNEL, type: 'channel', title: 'Wire' })
    .addChat({ id: GROUP, type: 'group', title: 'Newsroom' })
    .setMember(GROUP, ANN, 'administrator');
}, config);

beforeEach(async () => {
  images = await serve({
    '/lead.jpg': [200, 'image/jpeg', JPEG],
    // Over the 5 MB Telegram fetches for a photo given by URL.
    '/huge.jpg': [200, 'image/jpeg', 'x'.repeat(5 * 1024 * 1024 + 1)],
    '/page.html': [200, 'text/html', '<html>not a picture</html>'],
  });
  h.closers.push(() => images.close());
});

const ARTICLE: FeedItem = {
  title: 'Belousov &lt;3 Pyongyang &amp; @everyone',
  link: 'https://news.example/belousov',
  text: "Russia's defence minister Andrei Belousov landed in Pyongyang on Friday. He met Kim Jong-un.",
};

/** Polls a loopback feed with these items into the chat, and drains the outbox. */
async function post(items: FeedItem[], chat = CHANNEL, before?: (feedId: number) => Promise<void>) {
  const { feed } = await loopbackFeed(h.t.store, items, [`telegram:${chat}`], h.closers, {
    firstPollPosts: items.length,
  });
  await before?.(feed.id);
  const telegram = h.adapter ?? (await h.start());
  await pollDueFeeds({ store: h.t.store, config: h.config, now: () => new Date() });
  await drainAll(h.t.store, [telegram.sender], h.config);
  return h.api.messages(chat);
}

describe('a brief with a lead image, on Telegram', () => {
  it('arrives as a photo with the brief as its caption, escaped and linked', async () => {
    const [photo, ...rest] = await post([{ ...ARTICLE, image: images.url('/lead.jpg') }]);
    expect(rest).toEqual([]);
    expect(photo?.method).toBe('sendPhoto');
    expect(photo?.photo?.url).toBe(images.url('/lead.jpg'));
    expect(photo?.photo?.content.toString()).toBe(JPEG);
    expect(photo?.parseMode).toBe('HTML');
    expect(photo?.text).toMatch(/^Belousov <3 Pyongyang & @\u200beveryone\n/);
    expect(photo?.text).toContain('Andrei Belousov landed in Pyongyang on Friday.');
    expect(photo?.entities).toContainEqual(
      expect.objectContaining({ type: 'text_link', offset: 0, url: ARTICLE.link }),
    );
    expect(photo?.entities.some((e) => e.type === 'mention')).toBe(false);
  });

  it('longer than a caption: the photo first, then the brief as text without a link preview', async () => {
    // A story with many people and their roles: its brief is well over 1,024 characters.
    const text = readFileSync(
      new URL('../../fixtures/articles/en/01-politics.txt', import.meta.url),
      'utf8',
    )
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;');
    const messages = await post([{ ...ARTICLE, text, image: images.url('/lead.jpg') }]);
    expect(messages.map((m) => m.method)).toEqual(['sendPhoto', 'sendMessage']);
    expect(messages[0]?.text).toBe('');
    expect(messages[1]?.text.length).toBeGreaterThan(1024);
    expect(messages[1]?.text).toMatch(/^Belousov <3 Pyongyang/);
    expect(messages[1]?.linkPreviewOptions).toEqual({ is_disabled: true });
  });

  it.each([
    ['is gone (404)', '/gone.jpg'],
    ['is over 5 MB', '/huge.jpg'],
    ['is no image', '/page.html'],
  ])('that %s goes out as text, the brief whole', async (_, path) => {
    const messages = await post([{ ...ARTICLE, image: images.url(path) }]);
    expect(messages.map((m) => m.method)).toEqual(['sendMessage']);
    expect(messages[0]?.text).toMatch(/^Belousov <3 Pyongyang & @\u200beveryone\n/);
    expect(messages[0]?.linkPreviewOptions).toMatchObject({ url: ARTICLE.link });
    expect(await h.t.store.outbox.stats()).toMatchObject({ pending: 0 });
    expect(h.log.lines.join('\n')).toMatch(/photo of delivery \d+ was refused.*sending it as text/);
  });

  it('a subscription with media off posts the text; with preview off, no link preview', async () => {
    const messages = await post(
      [{ ...ARTICLE, image: images.url('/lead.jpg') }],
      CHANNEL,
      (feedId) =>
        h.t.store.subscriptions
          .listByFeed(feedId)
          .then(([sub]) =>
            h.t.store.subscriptions.setFilters(sub?.id ?? -1, {
              filters: '',
              media: false,
              preview: false,
            }),
          )
          .then(() => undefined),
    );
    expect(messages.map((m) => m.method)).toEqual(['sendMessage']);
    expect(messages[0]?.linkPreviewOptions).toEqual({ is_disabled: true });
    expect(images.hits('/lead.jpg')).toBe(0);
  });
});

describe('a custom template, on Telegram', () => {
  const HOSTILE: FeedItem = {
    title: `@everyone &lt;b&gt;bold&lt;/b&gt; ${'very long headline '.repeat(300)}`,
    link: 'https://news.example/hostile',
    text: `Andrei Belousov landed in Pyongyang on Friday @here. ${'He met Kim Jong-un &lt;i&gt;again&lt;/i&gt; and again. '.repeat(3)}`,
  };
  const TEMPLATE =
    '{headline}\n{summary}\nPeople: {people}\n— {source} {hashtags}\nfooter @everyone <b>';

  async function withTemplate(feedId: number) {
    const [sub] = await h.t.store.subscriptions.listByFeed(feedId);
    await h.t.store.subscriptions.setFilters(sub?.id ?? -1, { filters: '', template: TEMPLATE });
  }

  it('lays the post out so, every value and the footer escaped, nobody pinged, within the limits', async () => {
    const [message, ...rest] = await post([HOSTILE], CHANNEL, withTemplate);
    expect(rest).toEqual([]);
    expect(message?.method).toBe('sendMessage');
    // The feed's own markup is read as text by the parser: its words stay, its tags go.
    expect(message?.text).toMatch(/^@\u200beveryone bold very long headline/);
    // The headline cut at a word, then the bullets; the feed's <i> is gone from them.
    expect(message?.text).toMatch(/ headline…\n• /);
    expect(message?.text.split('\n')).toContain('• He met Kim Jong-un again and again.');
    expect(message?.text).toMatch(/\nPeople: Kim Jong Un, Andrei Belousov\n/);
    expect(message?.text).not.toMatch(/@everyone|@here/);
    expect(message?.text).toMatch(/\n— Wire #\S+/);
    expect(message?.text).toMatch(/\nfooter @\u200beveryone <b>$/);
    // The only formatting is the headline's bold (and the hashtags' own links); the
    // footer's <b> is text, and nothing is a mention.
    expect(new Set(message?.entities.map((e) => e.type))).toEqual(new Set(['bold', 'hashtag']));
    expect(message?.text.length).toBeLessThanOrEqual(4096);
  });

  it('with a lead image: the photo, the template as its caption', async () => {
    const [photo, ...rest] = await post(
      [{ ...ARTICLE, image: images.url('/lead.jpg') }],
      CHANNEL,
      withTemplate,
    );
    expect(rest).toEqual([]);
    expect(photo?.method).toBe('sendPhoto');
    expect(photo?.text).toMatch(/^Belousov <3 Pyongyang & @\u200beveryone\n• /);
    expect(photo?.text).toMatch(/footer @\u200beveryone <b>$/);
  });
});

describe('an item whose feed gives no image, on Telegram', () => {
  /** Article pages on loopback: their heads name the lead image, or fail in their ways. */
  let pages: TestServer;
  const head = (extra = '') =>
    `<html><head><title>Story</title>${extra}<meta property="og:image" content="${images.url('/lead.jpg')}"></head>`;
  beforeEach(async () => {
    const routes: Record<string, string> = {
      '/story.html': `${head()}<body><p>The story.</p></body></html>`,
      // Its head first, then 6 MB of story: only the head is read.
      '/long.html': `${head()}<body>${'<p>More of the story.</p>'.repeat(250_000)}</body></html>`,
      // The image named after 300 KB of inline style: past the head the bot reads.
      '/late.html': `${head(`<style>${'a{color:red}'.repeat(30_000)}</style>`)}<body></body></html>`,
      '/twitter.html': `<html><head><meta name="twitter:image" content="/lead.jpg"></head></html>`,
    };
    pages = await startServer((req, res) => {
      if (req.url === '/slow.html') return; // never answers: the poll's deadline passes
      if (req.url === '/lead.jpg') {
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG);
        return;
      }
      const body = routes[req.url ?? ''];
      if (body === undefined) {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not found</html>');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    });
    h.closers.push(() => pages.close());
  });
  const hits = (path: string) => pages.requests.filter((r) => r.url === path).length;

  it('takes its page’s og:image: a photo, the page read once for all its chats', async () => {
    const item = { ...ARTICLE, link: pages.url('/story.html') };
    const photos = await post([item], CHANNEL, async (feedId) => {
      await h.t.store.subscriptions.add(feedId, `telegram:${GROUP}`);
    });
    expect(photos.map((m) => [m.method, m.photo?.url])).toEqual([
      ['sendPhoto', images.url('/lead.jpg')],
    ]);
    expect(photos[0]?.text).toMatch(/^Belousov <3 Pyongyang & @\u200beveryone\n/);
    expect(h.api.messages(GROUP).map((m) => m.method)).toEqual(['sendPhoto']);
    expect(hits('/story.html')).toBe(1);
  });

  it('reads only the head of a long page, and takes twitter:image, relative, as well', async () => {
    const messages = await post([
      { ...ARTICLE, link: pages.url('/long.html') },
      { ...ARTICLE, title: 'Second story', link: pages.url('/twitter.html') },
    ]);
    expect(messages.map((m) => `${m.method} ${m.photo?.url}`).sort()).toEqual(
      [`sendPhoto ${images.url('/lead.jpg')}`, `sendPhoto ${pages.url('/lead.jpg')}`].sort(),
    );
    expect(messages.map((m) => m.photo?.content.toString())).toEqual([JPEG, JPEG]);
  });

  it.each([
    ['is gone (404)', '/gone.html'],
    ['names its image past the head it reads', '/late.html'],
    ['does not answer in time', '/slow.html'],
  ])('whose page %s goes out as text, the brief whole', async (_, path) => {
    const messages = await post([{ ...ARTICLE, link: pages.url(path) }]);
    expect(messages.map((m) => m.method)).toEqual(['sendMessage']);
    expect(messages[0]?.text).toMatch(/^Belousov <3 Pyongyang & @\u200beveryone\n/);
    expect(await h.t.store.outbox.stats()).toMatchObject({ pending: 0 });
    expect(hits(path)).toBe(1);
  });

  it('reads no page for a chat with media off, nor when the feed gives an image', async () => {
    const off = await post([{ ...ARTICLE, link: pages.url('/story.html') }], CHANNEL, (feedId) =>
      h.t.store.subscriptions
        .listByFeed(feedId)
        .then(([sub]) => h.t.store.subscriptions.setFilters(sub?.id ?? -1, { media: false }))
        .then(() => undefined),
    );
    expect(off.map((m) => m.method)).toEqual(['sendMessage']);
    const given = await post(
      [
        {
          ...ARTICLE,
          title: 'Other',
          link: pages.url('/story.html'),
          image: images.url('/lead.jpg'),
        },
      ],
      GROUP,
    );
    expect(given.map((m) => m.method)).toEqual(['sendPhoto']);
    expect(hits('/story.html')).toBe(0);
  });
});
