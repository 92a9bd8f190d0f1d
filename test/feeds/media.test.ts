import { describe, expect, it } from 'vitest';
import { parseHtml } from '../../src/core/input/html.js';
import { itemToArticle, parseFeed } from '../../src/feeds/parse.js';

const rss = (items: string) => `<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Pictures</title><link>https://wire.example/</link>
${items}
</channel></rss>`;

const images = async (xml: string, url = 'https://wire.example/feed.xml') =>
  (await parseFeed(xml, { url })).items.map((item) => [item.title, item.image]);

describe('a feed item’s lead image', () => {
  it('comes from media:content, media:group, an image enclosure or media:thumbnail', async () => {
    const xml = rss(`
<item><title>Content</title><link>https://wire.example/1</link>
  <media:content url="https://img.example/video.mp4" medium="video"/>
  <media:content url="https://img.example/1.jpg" medium="image"/></item>
<item><title>Group</title><link>https://wire.example/2</link>
  <media:group><media:content url="https://img.example/2.png" type="image/png"/></media:group></item>
<item><title>Enclosure</title><link>https://wire.example/3</link>
  <enclosure url="https://img.example/talk.mp3" type="audio/mpeg" length="1"/>
  <enclosure url="/images/3.webp" type="image/webp" length="1"/></item>
<item><title>Thumbnail</title><link>https://wire.example/4</link>
  <media:thumbnail url="https://img.example/4-small.jpg" width="120"/></item>
<item><title>None</title><link>https://wire.example/5</link>
  <enclosure url="https://img.example/5.mp3" type="audio/mpeg" length="1"/></item>`);
    expect(await images(xml)).toEqual([
      ['Content', 'https://img.example/1.jpg'],
      ['Group', 'https://img.example/2.png'],
      // Relative, resolved like the item's link.
      ['Enclosure', 'https://wire.example/images/3.webp'],
      ['Thumbnail', 'https://img.example/4-small.jpg'],
      ['None', null],
    ]);
  });

  it('is never a script or data URL, nor one too long for an embed', async () => {
    const xml = rss(`
<item><title>Script</title><link>https://wire.example/1</link>
  <media:content url="javascript:alert(1)" medium="image"/></item>
<item><title>Data</title><link>https://wire.example/2</link>
  <media:thumbnail url="data:image/png;base64,iVBORw0KGgo="/></item>
<item><title>Long</title><link>https://wire.example/3</link>
  <media:thumbnail url="https://img.example/${'a'.repeat(3000)}.png"/></item>`);
    expect(await images(xml)).toEqual([
      ['Script', null],
      ['Data', null],
      ['Long', null],
    ]);
  });

  it('comes from an Atom enclosure link and from a JSON Feed', async () => {
    const atom = `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>
<entry><id>urn:1</id><title>Linked</title><link href="https://wire.example/1"/>
  <link rel="enclosure" type="image/jpeg" href="https://img.example/a.jpg"/></entry></feed>`;
    expect(await images(atom)).toEqual([['Linked', 'https://img.example/a.jpg']]);
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'J',
      items: [
        {
          id: '1',
          title: 'Own',
          url: 'https://wire.example/1',
          image: 'https://img.example/j.png',
        },
        {
          id: '2',
          title: 'Attached',
          url: 'https://wire.example/2',
          attachments: [{ url: 'https://img.example/j2.gif', mime_type: 'image/gif' }],
        },
      ],
    });
    expect(await images(json)).toEqual([
      ['Own', 'https://img.example/j.png'],
      ['Attached', 'https://img.example/j2.gif'],
    ]);
  });

  it('goes into the article the engine briefs', async () => {
    const feed = await parseFeed(
      rss(`<item><title>T</title><link>https://wire.example/1</link><description>Body.</description>
  <media:thumbnail url="https://img.example/t.jpg"/></item>`),
      { url: 'https://wire.example/feed.xml' },
    );
    expect(itemToArticle(feed.items[0] as never, { source: feed.title }).image).toBe(
      'https://img.example/t.jpg',
    );
  });
});

describe('a page’s lead image', () => {
  it('is its og:image, resolved against the page', () => {
    const article = parseHtml(
      `<html><head><title>Quake</title><meta property="og:image" content="/img/quake.jpg">
      </head><body><article><h1>Quake</h1><p>${'The ground shook for a minute. '.repeat(20)}</p>
      </article></body></html>`,
      { url: 'https://news.example/2025/quake' },
    );
    expect(article.image).toBe('https://news.example/img/quake.jpg');
  });
});

describe('the brief of an article with a lead image', () => {
  it('carries it as `image`; one without has no `image` field at all', async () => {
    const { briefArticle } = await import('../../src/core/brief.js');
    const text = 'Rustem Umerov met Yoon Suk-yeol in Seoul on Monday.';
    const withImage = briefArticle({
      title: 'Umerov in Seoul',
      text,
      image: 'https://img.example/u.jpg',
    });
    expect(withImage.image).toBe('https://img.example/u.jpg');
    expect('image' in briefArticle({ title: 'Umerov in Seoul', text })).toBe(false);
  });
});
