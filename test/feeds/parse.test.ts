import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/core/input/html-text.js';
import { oneLine } from '../../src/core/input/normalize.js';
import { fetchFeed } from '../../src/feeds/fetch.js';
import { inline, itemToArticle, parseFeed } from '../../src/feeds/parse.js';
import { FeedError } from '../../src/net/errors.js';
import { startServer, type TestServer } from '../fixtures/input/http-server.js';
import { encodeLegacy } from '../fixtures/input/legacy-encode.js';
import { rejection } from '../support/errors.js';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url));

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const failure = (promise: Promise<unknown>) => rejection(promise, FeedError);

describe('parseFeed: RSS 2.0', () => {
  it('reads the channel and every item, in document order', async () => {
    const feed = await parseFeed(fixture('rss2.xml'), {
      url: 'https://wire.example/mondo/feed.xml',
    });
    expect(feed).toMatchObject({
      format: 'RSS 2.0',
      title: 'Wire & Co – Mondo',
      link: 'https://wire.example/mondo/',
      language: 'it',
      skipped: 1, // the item with only a link
    });
    expect(feed.items.map((i) => i.title)).toEqual([
      'Belousov in Corea del nord, Umerov a Seul',
      'Zelensky: «Serve più aiuto»',
      'Only a permalink guid',
      'An item without a title still reads. Its first line becomes the title.',
    ]);
  });

  it('cleans content to plain text, decodes entities, resolves relative links', async () => {
    const [first, second] = (
      await parseFeed(fixture('rss2.xml'), { url: 'https://wire.example/mondo/feed.xml' })
    ).items;
    expect(first).toEqual({
      guid: 'wire-123',
      link: 'https://wire.example/mondo/belousov-pyongyang?utm_source=rss&utm_medium=feed',
      title: 'Belousov in Corea del nord, Umerov a Seul',
      // content:encoded wins over the teaser; no script, &egrave; decoded, <br> kept
      text: 'Il ministro della Difesa russo, Andrei Belousov, è atterrato a Pyongyang.\n\nRustem Umerov ha incontrato Yoon Suk-yeol a Seul & a Busan.\nFonte: agenzie.',
      publishedAt: '2024-11-29T08:00:00.000Z',
      language: 'it',
      image: null,
    });
    // escaped HTML in a description: tags dropped
    expect(second?.text).toBe("Il presidente ucraino chiede più aiuti all'Europa.");
  });

  it('uses a permalink guid as the link, an item language over the channel one', async () => {
    const feed = await parseFeed(fixture('rss2.xml'));
    expect(feed.items[2]).toMatchObject({
      guid: 'https://wire.example/mondo/permalink-only',
      link: 'https://wire.example/mondo/permalink-only',
      language: 'en',
    });
  });

  it('resolves relative links against the channel link when the feed URL is unknown', async () => {
    const feed = await parseFeed(fixture('rss2.xml'));
    expect(feed.items[0]?.link).toBe(
      'https://wire.example/mondo/belousov-pyongyang?utm_source=rss&utm_medium=feed',
    );
  });

  it('keeps an unreadable date as null', async () => {
    const feed = await parseFeed(fixture('rss2.xml'));
    expect(feed.items[3]?.publishedAt).toBeNull();
  });

  it('reads RSS 0.91 in ISO-8859-1', async () => {
    const bytes = encodeLegacy(fixture('rss091.xml').toString('utf8'), 'iso-8859-1');
    const feed = await parseFeed(bytes);
    expect(feed).toMatchObject({ format: 'RSS 0.91', title: 'Old School News', language: 'en' });
    expect(feed.items[0]).toMatchObject({
      title: 'Café owners meet in Zürich',
      text: 'A meeting of café owners.',
      guid: null,
      link: 'http://old.example/cafe',
    });
  });

  it('survives a bare & in the XML', async () => {
    const xml =
      '<rss version="2.0"><channel><title>AT&T News</title><item><title>R&D at AT&T &amp; co</title></item></channel></rss>';
    const feed = await parseFeed(xml);
    expect(feed.title).toBe('AT&T News');
    expect(feed.items[0]?.title).toBe('R&D at AT&T & co');
  });

  it('is a feed even with no items', async () => {
    const feed = await parseFeed(
      '<rss version="2.0"><channel><title>Quiet</title></channel></rss>',
    );
    expect(feed).toMatchObject({ title: 'Quiet', items: [], skipped: 0 });
  });
});

describe('parseFeed: RSS 1.0', () => {
  it('reads rdf:about as the guid, dc:date and dc:language', async () => {
    const feed = await parseFeed(fixture('rss1.rdf'));
    expect(feed).toMatchObject({ format: 'RSS 1.0', title: 'RDF Example News', language: 'en' });
    expect(feed.items).toEqual([
      {
        guid: 'https://rdf.example/umerov-seoul',
        link: 'https://rdf.example/umerov-seoul',
        title: 'Umerov meets Yoon in Seoul',
        text: "Ukraine's defence minister met President Yoon Suk-yeol.",
        publishedAt: '2024-11-29T08:00:00.000Z',
        language: 'en',
        image: null,
      },
      {
        guid: 'https://rdf.example/belousov-pyongyang',
        link: 'https://rdf.example/belousov-pyongyang',
        title: 'Belousov lands in Pyongyang',
        text: "Russia's defence minister was met by No Kwang Chol.",
        publishedAt: '2024-11-29T07:00:00.000Z',
        language: 'de',
        image: null,
      },
    ]);
  });
});

describe('parseFeed: Atom', () => {
  it('reads entries: id, alternate link, html content, published else updated, xml:lang', async () => {
    const feed = await parseFeed(fixture('atom.xml'), { url: 'https://atom.example/feed.atom' });
    expect(feed).toMatchObject({
      format: 'Atom',
      title: 'Le Monde Exemple',
      link: 'https://atom.example/',
      language: 'fr',
    });
    expect(feed.items).toEqual([
      {
        guid: 'tag:atom.example,2024:macron-scholz',
        link: 'https://atom.example/2024/11/macron-scholz',
        title: 'Macron reçoit Olaf Scholz à Paris',
        text: 'Le président Emmanuel Macron a reçu le chancelier à l’Élysée.\n\nDeuxième paragraphe.',
        publishedAt: '2024-11-29T07:00:00.000Z',
        language: 'fr',
        image: null,
      },
      {
        guid: 'tag:atom.example,2024:updated',
        link: 'https://atom.example/2024/11/updated',
        title: 'Only updated, bad published',
        text: 'Summary & more',
        publishedAt: '2024-11-28T12:00:00.000Z',
        language: 'fr',
        image: null,
      },
      {
        guid: 'tag:atom.example,2024:xhtml',
        link: null,
        title: 'XHTML content',
        text: 'Inline XHTML body.',
        publishedAt: '2024-11-27T12:00:00.000Z',
        language: 'fr',
        image: null,
      },
    ]);
  });

  it('reads a title written as XHTML, not the content in its place', async () => {
    const feed = await parseFeed(
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:f</id>
<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Umerov in <em>Seoul</em></div></title>
<id>urn:e</id><updated>2024-05-01T10:00:00Z</updated><content type="html">&lt;p&gt;Body.&lt;/p&gt;</content></entry></feed>`,
      {},
    );
    expect(feed.items.map((item) => [item.title, item.text])).toEqual([
      ['Umerov in Seoul', 'Body.'],
    ]);
  });
});

describe('parseFeed: hostile nesting', () => {
  const deep = (tag: string, depth: number): string =>
    `${`<${tag}>`.repeat(depth)}deep${`</${tag}>`.repeat(depth)}`;

  it('reads an Atom xhtml title nested 2,000 deep, and the entries after it', async () => {
    const feed = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title type="xhtml"><div>${deep('b', 2000)}</div></title>
<entry><id>urn:1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${deep('span', 2000)}</div></title></entry>
<entry><id>urn:2</id><title>Umerov in Seoul</title></entry></feed>`,
    );
    expect(feed.title).toBe('deep');
    expect(feed.items.map((item) => item.title)).toEqual(['deep', 'Umerov in Seoul']);
  });

  it('reads markup nested 20,000 deep in any text element, RSS or Atom', async () => {
    const rss = await parseFeed(
      `<rss version="2.0"><channel><title>T</title>
<item><title>${deep('b', 20_000)}</title><description>${deep('div', 20_000)}</description></item>
<item><title>Next</title></item></channel></rss>`,
    );
    expect(rss.items.map((item) => [item.title, item.text])).toEqual([
      ['deep', 'deep'],
      ['Next', ''],
    ]);
    const atom = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>urn:1</id>
<title>Untyped ${deep('i', 20_000)}</title><summary type="xhtml">${deep('div', 20_000)}</summary></entry></feed>`,
    );
    expect(atom.items.map((item) => [item.title, item.text])).toEqual([['Untyped deep', 'deep']]);
  });
});

describe('parseFeed: Atom text constructs', () => {
  const atom = (entries: string, feedAttributes = '', feedTitle = '<title>T</title>'): string =>
    `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"${feedAttributes}>${feedTitle}${entries}</feed>`;
  const base64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

  it('takes type="text" (the default) literally: entities decoded, tags kept', async () => {
    const feed = await parseFeed(
      atom(
        `<entry><id>urn:1</id><title>History of the &lt;blink&gt; tag</title>
  <content type="text">Write &lt;br&gt; for a line break; AT&amp;T agrees.</content></entry>
<entry><id>urn:2</id><title type="text">&lt;script&gt; tags &amp; you</title></entry>`,
        '',
        '<title type="text">Markup &lt;em&gt;weekly&lt;/em&gt;</title>',
      ),
    );
    expect(feed.title).toBe('Markup <em>weekly</em>');
    expect(feed.items.map((item) => [item.title, item.text])).toEqual([
      ['History of the <blink> tag', 'Write <br> for a line break; AT&T agrees.'],
      ['<script> tags & you', ''],
    ]);
  });

  it('unescapes type="html" and strips its tags; reads type="xhtml" as markup, in order', async () => {
    const feed = await parseFeed(
      atom(`<entry><id>urn:1</id><title type="html">&lt;b&gt;Bold&lt;/b&gt; move &amp;amp; more</title>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Inline <b>XHTML</b> body &amp; &lt;tags&gt;.</p></div></content></entry>
<entry><id>urn:2</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Umerov <em>in</em> Seoul</div></title></entry>`),
    );
    expect(feed.items.map((item) => [item.title, item.text])).toEqual([
      ['Bold move & more', 'Inline XHTML body & <tags>.'],
      ['Umerov in Seoul', ''],
    ]);
  });

  it('decodes Atom 0.3 base64 content and reads its escaped and inline modes', async () => {
    const feed = await parseFeed(`<?xml version="1.0"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title>
<entry><id>urn:1</id><title type="text/plain" mode="base64">${base64('Caffè <b> news')}</title>
  <content type="text/html" mode="base64">${base64('<p>Body <b>bold</b>.</p>')}</content></entry>
<entry><id>urn:2</id><title type="text/html" mode="escaped">&lt;i&gt;Escaped&lt;/i&gt; title</title>
  <content type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml">Inline <b>XML</b> mode.</div></content></entry>
<entry><id>urn:3</id><title>Picture</title><content type="image/png" mode="base64">iVBORw0KGgo=</content></entry>
</feed>`);
    expect(feed.items.map((item) => [item.title, item.text])).toEqual([
      ['Caffè <b> news', 'Body bold.'],
      ['Escaped title', 'Inline XML mode.'],
      ['Picture', ''],
    ]);
  });

  it('resolves links against xml:base, nested bases relative to the ones around them', async () => {
    const feed = await parseFeed(
      atom(
        `<link rel="alternate" href="./"/>
<entry xml:base="2024/"><id>urn:1</id><title>Entry base</title><link href="post.html"/></entry>
<entry><id>urn:2</id><title>Feed base</title><link href="about"/></entry>
<entry xml:base="https://mirror.example/a/"><id>urn:3</id><title>Absolute base</title>
  <link xml:base="b/" href="c.html"/></entry>`,
        ' xml:base="/blog/"',
      ),
      { url: 'https://cdn.example/feeds/atom.xml' },
    );
    expect(feed.link).toBe('https://cdn.example/blog/');
    expect(feed.items.map((item) => item.link)).toEqual([
      'https://cdn.example/blog/2024/post.html',
      'https://cdn.example/blog/about',
      'https://mirror.example/a/b/c.html',
    ]);
  });
});

describe('parseFeed: JSON Feed', () => {
  it('reads JSON Feed 1.1: ids, url or external_url, html or text content, dates', async () => {
    const feed = await parseFeed(fixture('feed.json'), { url: 'https://json.example/feed.json' });
    expect(feed).toMatchObject({
      format: 'JSON Feed 1.1',
      title: 'JSON Example',
      link: 'https://json.example/',
      language: 'es',
      skipped: 2, // an item with only an id, and a string
    });
    expect(feed.items).toEqual([
      {
        guid: '2',
        link: 'https://json.example/2024/11/sanchez',
        title: 'Sánchez viaja a Bruselas',
        text: 'El presidente del Gobierno, Pedro Sánchez, viajó a Bruselas & habló.',
        publishedAt: '2024-11-29T07:00:00.000Z',
        language: 'es',
        image: null,
      },
      {
        guid: '1',
        link: 'https://elsewhere.example/story',
        // content_text is text: its < and & are characters
        title: 'Plain text with <angle brackets> & ampersands.',
        text: 'Plain text with <angle brackets> & ampersands.\n\nSecond paragraph.',
        publishedAt: '2024-11-28T08:00:00.000Z',
        language: 'en',
        image: null,
      },
    ]);
  });

  it('reads JSON Feed 1.0', async () => {
    const feed = await parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1',
        title: 'One',
        items: [{ id: 'a', url: 'https://one.example/a', content_text: 'Hello.' }],
      }),
    );
    expect(feed.format).toBe('JSON Feed 1');
    expect(feed.items[0]).toMatchObject({ guid: 'a', title: 'Hello.', text: 'Hello.' });
  });

  it.each([
    ['{"title": "x", "items": []}', 'is JSON but not a JSON Feed'],
    ['[1, 2]', 'is JSON but not a JSON Feed (not an object)'],
    [
      '{"version": "https://jsonfeed.org/version/1.1", "title": "x"}',
      'is a JSON Feed without an "items" array',
    ],
    [
      '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "ti',
      'is not valid JSON',
    ],
  ])('refuses %s', async (text, words) => {
    const error = await failure(parseFeed(text, { label: 'feed.json' }));
    expect(error.code).toBe('not-a-feed');
    expect(error.message).toContain(`feed.json: ${words}`);
  });
});

describe('parseFeed: charsets', () => {
  const CYRILLIC = `<?xml version="1.0" encoding="windows-1251"?>
<rss version="2.0"><channel><title>Новости Киева</title><language>ru</language>
<item><title>Умеров встретился с Юн Сок Ёлем в Сеуле</title><guid>k-1</guid>
<description>Министр обороны Украины Рустем Умеров прибыл в Сеул.</description></item>
</channel></rss>`;

  it('decodes windows-1251 declared in the XML prolog', async () => {
    const feed = await parseFeed(encodeLegacy(CYRILLIC, 'windows-1251'));
    expect(feed.title).toBe('Новости Киева');
    expect(feed.items[0]?.title).toBe('Умеров встретился с Юн Сок Ёлем в Сеуле');
  });

  it('decodes windows-1251 served over HTTP, from the header or the prolog', async () => {
    const bytes = encodeLegacy(CYRILLIC, 'windows-1251');
    const noPrologBytes = encodeLegacy(
      CYRILLIC.replace(' encoding="windows-1251"', ''),
      'windows-1251',
    );
    server = await startServer((req, res) => {
      if (req.url === '/header') {
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=windows-1251' });
        res.end(noPrologBytes);
      } else if (req.url === '/prolog') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(bytes);
      } else {
        // No declaration anywhere: the bytes are not UTF-8, and mostly Cyrillic letters.
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(noPrologBytes);
      }
    });
    for (const path of ['/header', '/prolog', '/guess']) {
      const got = await fetchFeed(server.url(path), { allowPrivate: true });
      if (got.status !== 'ok') throw new Error('expected a body');
      const feed = await parseFeed(got.bytes, { url: got.finalUrl, contentType: got.contentType });
      expect(feed.items[0]?.text, path).toBe(
        'Министр обороны Украины Рустем Умеров прибыл в Сеул.',
      );
    }
  });

  it('reads UTF-8 bytes served with a wrong legacy charset as UTF-8', async () => {
    const xml = '<rss version="2.0"><channel><title>Città e Société</title></channel></rss>';
    const feed = await parseFeed(new TextEncoder().encode(xml), {
      contentType: 'application/rss+xml; charset=iso-8859-1',
    });
    expect(feed.title).toBe('Città e Société');
  });

  it('takes a string as already decoded, whatever its prolog says', async () => {
    const feed = await parseFeed(CYRILLIC);
    expect(feed.title).toBe('Новости Киева');
  });
});

describe('parseFeed: not a feed', () => {
  it('names an HTML page and the feed it advertises', async () => {
    const error = await failure(
      parseFeed(fixture('page.html'), {
        url: 'https://news.example/',
        label: 'https://news.example/',
      }),
    );
    expect(error.code).toBe('not-a-feed');
    expect(error.message).toBe(
      'https://news.example/: is an HTML page, not a feed (the page names a feed: https://news.example/feeds/all.rss?x=1&y=2)',
    );
  });

  it('names an HTML page without a feed', async () => {
    const error = await failure(parseFeed('<!doctype html><p>Hi</p>', { label: 'x.html' }));
    expect(error.message).toBe('x.html: is an HTML page, not a feed');
  });

  it.each([40, 200, 400])('refuses truncated XML (cut at %i bytes)', async (cut) => {
    const xml = fixture('rss2.xml').subarray(0, cut);
    const error = await failure(parseFeed(xml, { label: 'cut.xml' }));
    expect(error.code).toBe('not-a-feed');
    expect(error.message).toMatch(
      /^cut\.xml: the XML is cut short \(.+\); the feed is incomplete$/,
    );
  });

  it('refuses a truncated Atom feed', async () => {
    const xml = fixture('atom.xml').toString('utf8');
    const error = await failure(
      parseFeed(xml.slice(0, xml.lastIndexOf('<entry>')), { label: 'a' }),
    );
    expect(error.code).toBe('not-a-feed');
    expect(error.message).toMatch(/cut short/);
  });

  it.each([
    ['', 'empty', 'x: is empty; there is no feed to read'],
    ['  \n\t ', 'empty', 'x: is empty; there is no feed to read'],
    ['just some words', 'not-a-feed', 'x: is plain text, not an RSS, Atom or JSON feed'],
    [
      readFileSync(new URL('../fixtures/feeds/sitemap.xml', import.meta.url), 'utf8'),
      'not-a-feed',
      'x: is XML (<urlset>) but not an RSS, Atom or JSON feed',
    ],
    ['<item><title>One</title></item>', 'not-a-feed', 'x: is a single <item>, not a whole feed'],
    [
      '<rss version="2.0"></rss>',
      'not-a-feed',
      'x: an <rss> document without a <channel> is not a feed',
    ],
  ])('refuses %j', async (text, code, message) => {
    const error = await failure(parseFeed(text, { label: 'x' }));
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it.each([
    [
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      'x: looks like binary data (PNG image), not a feed',
    ],
    [new TextEncoder().encode('%PDF-1.7\n%âãÏÓ'), 'x: looks like binary data (PDF), not a feed'],
    [
      Uint8Array.from({ length: 512 }, (_, k) => (k * 7919) % 256),
      'x: looks like binary data, not a feed',
    ],
  ])('refuses binary data', async (bytes, message) => {
    const error = await failure(parseFeed(bytes, { label: 'x' }));
    expect(error.code).toBe('binary');
    expect(error.message).toBe(message);
  });
});

describe('parseFeed: hostile HTML in items', () => {
  const escaped = (html: string) => html.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const nested = (depth: number) => `${'<div>'.repeat(depth)}deep${'</div>'.repeat(depth)}`;

  it('reads an item whose HTML nests 100,000 elements deep as plain text, says so, keeps the others', async () => {
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
      <item><title>Belousov lands in Pyongyang</title><link>https://wire.example/1</link>
        <description>${escaped(nested(100_000))}</description></item>
      <item><title>Umerov meets Yoon in Seoul</title><link>https://wire.example/2</link>
        <description>${escaped('<p>Umerov met <b>Yoon</b> in Seoul.</p>')}</description></item>
      <item><title>${escaped(`<b>${nested(300)}</b>`)}</title><guid>wire-3</guid>
        <description>A plain line.</description></item>
    </channel></rss>`;
    const feed = await parseFeed(xml, { url: 'https://wire.example/rss' });
    expect(feed.items.map((i) => [i.title, i.text])).toEqual([
      ['Belousov lands in Pyongyang', 'deep'],
      ['Umerov meets Yoon in Seoul', 'Umerov met Yoon in Seoul.'],
      ['deep', 'A plain line.'],
    ]);
    expect(feed.problems).toEqual([
      'item "Belousov lands in Pyongyang": its HTML nests more than 2,048 elements deep; briefwire reads HTML up to 256 levels; read as plain text',
      'item wire-3 title: its HTML nests 301 elements deep; briefwire reads HTML up to 256 levels; read as plain text',
    ]);
  });

  it('reports nothing for a feed within the limits', async () => {
    const feed = await parseFeed(fixture('rss2.xml'), { url: 'https://wire.example/rss' });
    expect(feed.problems).toEqual([]);
  });
});

describe('itemToArticle', () => {
  it('makes the engine input: the feed title as source, the title as text when there is none', async () => {
    const feed = await parseFeed(
      '<rss version="2.0"><channel><title>Wire</title><language>it</language><item><title>Solo titolo</title><link>https://w.example/1</link></item></channel></rss>',
    );
    const item = feed.items[0];
    if (!item) throw new Error('expected an item');
    expect(itemToArticle(item, { source: feed.title })).toEqual({
      title: 'Solo titolo',
      text: 'Solo titolo',
      url: 'https://w.example/1',
      source: 'Wire',
      publishedAt: null,
      language: 'it',
      image: null,
    });
  });

  it("takes the language a feed's config entry sets over the item's own (as the poller does)", async () => {
    const feed = await parseFeed(
      '<rss version="2.0"><channel><title>Wire</title><language>it</language><item><title>Title</title></item></channel></rss>',
    );
    const item = feed.items[0];
    if (!item) throw new Error('expected an item');
    expect(itemToArticle(item, { source: 'Wire', languageHint: 'en' }).language).toBe('en');
    expect(itemToArticle(item, { source: 'Wire', languageHint: null }).language).toBe('it');
  });
});

describe('parseFeed: JSON Feed that looks like HTML', () => {
  it('is still read as JSON when its content carries <html> or <body>', async () => {
    const feed = await parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'Tricky',
        items: [{ id: '1', content_html: '<html><body><p>Whole page.</p></body></html>' }],
      }),
    );
    expect(feed.items[0]?.text).toBe('Whole page.');
  });
});

describe('inline (titles and names)', () => {
  it('reads text with bare ampersands as HTML would, without the HTML pass', () => {
    const pieces = [
      'Q',
      '&',
      ' ',
      '  ',
      '\t',
      '\n',
      '\r',
      '\u00a0',
      '\u00ad',
      '\u200b',
      '\ufeff',
      '\u2028',
      'é',
      '&amp;',
      '&amp',
      '&#39;',
      '&x',
      '&1',
      '&_',
      '<b>',
      '</b>',
      '<',
      'a<b',
      '>',
      ';',
      '\u0000',
      'AT&T',
      'R&D;',
      '&nbsp;',
      '"',
      "'",
      '—',
    ];
    let seed = 11;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let t = 0; t < 5000; t++) {
      let title = '';
      for (let k = next(8); k > 0; k--) title += pieces[next(pieces.length)];
      const reference = /[<&]/.test(title) ? oneLine(htmlToText(title)) : oneLine(title);
      expect(inline(title), JSON.stringify(title)).toBe(reference);
    }
  });
});
