import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/input/errors.js';
import { parseFeedItem } from '../../../src/core/input/feed-item.js';
import { htmlToText } from '../../../src/core/input/html-text.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/input/${name}`, import.meta.url), 'utf8');

describe('a whole RSS 2.0 feed', () => {
  it('gives its newest item, full content preferred over the teaser', async () => {
    const article = await parseFeedItem(fixture('feed-rss2.xml'));
    expect(article).toEqual({
      title: 'Belousov in Corea del nord, Umerov a Seul',
      text: 'Il ministro della Difesa russo, Andrei Belousov, è atterrato a Pyongyang.\n\nRustem Umerov ha incontrato Yoon Suk-yeol a Seul.\nFonte: agenzie.',
      url: 'https://wire.example/world/belousov-pyongyang',
      source: 'Example Wire – World',
      publishedAt: '2024-11-29T08:00:00.000Z',
      language: 'it',
    });
  });
});

describe('a bare RSS 2.0 <item>', () => {
  it('is read without a surrounding feed', async () => {
    const article = await parseFeedItem(`<?xml version="1.0"?>
      <item>
        <title>Talks in Seoul &amp; Pyongyang</title>
        <link>https://wire.example/talks</link>
        <description>&lt;p&gt;First &amp;amp; foremost.&lt;/p&gt;&lt;p&gt;Second.&lt;/p&gt;</description>
        <pubDate>Fri, 29 Nov 2024 08:00:00 GMT</pubDate>
      </item>`);
    expect(article).toEqual({
      title: 'Talks in Seoul & Pyongyang',
      text: 'First & foremost.\n\nSecond.',
      url: 'https://wire.example/talks',
      source: null,
      publishedAt: '2024-11-29T08:00:00.000Z',
      language: null,
    });
  });

  it('keeps the paragraphs of a description written as plain text', async () => {
    const article = await parseFeedItem(
      '<item><title>T</title><description>First paragraph,\nwrapped.\n\nSecond paragraph.</description></item>',
    );
    expect(article.text).toBe('First paragraph, wrapped.\n\nSecond paragraph.');
  });

  it('takes the guid as link when it is a URL and there is no <link>', async () => {
    const article = await parseFeedItem(
      '<item><title>T</title><guid>https://wire.example/p/1</guid><description>Body.</description></item>',
    );
    expect(article.url).toBe('https://wire.example/p/1');
  });

  it('is refused when it has neither title nor text', async () => {
    await expect(
      parseFeedItem('<item><link>https://x.example/</link></item>'),
    ).rejects.toMatchObject({
      code: 'not-an-article',
    });
  });
});

describe('Atom', () => {
  it('reads a bare <entry> with HTML content', async () => {
    const article = await parseFeedItem(`<entry xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
      <title type="html">Belousov in Pjöngjang</title>
      <link rel="alternate" type="text/html" href="https://atom.example/2024/belousov"/>
      <link rel="edit" href="https://atom.example/edit/1"/>
      <id>tag:atom.example,2024:1</id>
      <published>2024-11-29T08:00:00Z</published>
      <updated>2024-11-30T08:00:00Z</updated>
      <summary>Kurz.</summary>
      <content type="html">&lt;p&gt;Andrei Belousov landete in Pjöngjang.&lt;/p&gt;&lt;p&gt;Umerov war in Seoul.&lt;/p&gt;</content>
    </entry>`);
    expect(article).toEqual({
      title: 'Belousov in Pjöngjang',
      text: 'Andrei Belousov landete in Pjöngjang.\n\nUmerov war in Seoul.',
      url: 'https://atom.example/2024/belousov',
      source: null,
      publishedAt: '2024-11-29T08:00:00.000Z',
      language: 'de',
    });
  });

  it('reads a whole feed: source is the feed title, updated stands in for published, summary for content', async () => {
    const article = await parseFeedItem(`<?xml version="1.0" encoding="utf-8"?>
      <feed xmlns="http://www.w3.org/2005/Atom">
        <title type="text">Atom Example</title>
        <link href="https://atom.example/"/>
        <updated>2024-11-29T12:00:00Z</updated>
        <entry>
          <title>Umerov in Seoul</title>
          <link href="/umerov"/>
          <updated>2024-11-29T12:00:00Z</updated>
          <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One.</p><p>Two.</p></div></summary>
        </entry>
      </feed>`);
    expect(article.source).toBe('Atom Example');
    expect(article.url).toBe('https://atom.example/umerov');
    expect(article.publishedAt).toBe('2024-11-29T12:00:00.000Z');
    expect(article.text).toBe('One.\n\nTwo.');
  });

  it('drops a date it cannot read instead of failing', async () => {
    const article = await parseFeedItem(
      '<entry><title>T</title><updated>last Friday</updated><summary>Body.</summary></entry>',
    );
    expect(article.publishedAt).toBeNull();
    expect(article.text).toBe('Body.');
  });
});

describe('RSS 1.0 (RDF)', () => {
  it('reads the item, its dc:date and dc:language, and the channel title', async () => {
    const article = await parseFeedItem(fixture('feed-rss1.rdf'));
    expect(article).toEqual({
      title: 'Umerov meets Yoon in Seoul',
      text: "Ukraine's defence minister met President Yoon Suk-yeol.",
      url: 'https://rdf.example/umerov-seoul',
      source: 'RDF Example News',
      publishedAt: '2024-11-29T08:00:00.000Z',
      language: 'en',
    });
  });
});

describe('feed content goes through the same HTML-to-text as pages', () => {
  it('gives the same text as htmlToText', async () => {
    const html = '<div><p>A &amp; B</p><ul><li>one</li><li>two</li></ul><p>x<br>y</p></div>';
    const article = await parseFeedItem(
      `<item><title>T</title><description><![CDATA[${html}]]></description></item>`,
    );
    expect(article.text).toBe(htmlToText(html));
  });
});

describe('XML that is not a usable feed', () => {
  it('a feed without items is not an article', async () => {
    const error = await parseFeedItem(
      '<rss version="2.0"><channel><title>Empty</title></channel></rss>',
      {
        label: 'empty.xml',
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({
      code: 'not-an-article',
      message: 'empty.xml: the feed has no items',
    });
  });

  it('broken XML is not an article, and the message says why in one line', async () => {
    const error = await parseFeedItem(
      '<rss version="2.0"><channel><item><title>x</title></item></channel>',
      {
        label: 'broken.xml',
      },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not-an-article' });
    expect((error as Error).message).toMatch(/^broken\.xml: not a readable RSS\/Atom feed \(/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('other XML is not an article', async () => {
    await expect(parseFeedItem('<urlset><url/></urlset>')).rejects.toMatchObject({
      code: 'not-an-article',
      message: 'input: XML with a <urlset> root is not an RSS or Atom feed',
    });
  });
});
