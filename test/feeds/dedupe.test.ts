import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  contentHash,
  firstPollPolicy,
  itemKeys,
  keyItems,
  newestFirst,
  newItems,
  normalizeLink,
  referenceContentHash,
} from '../../src/feeds/dedupe.js';
import { fetchFeed } from '../../src/feeds/fetch.js';
import { type FeedItem, parseFeed } from '../../src/feeds/parse.js';
import { startServer, type TestServer } from '../fixtures/input/http-server.js';

function item(parts: Partial<FeedItem>): FeedItem {
  return {
    guid: null,
    link: null,
    title: 'Untitled',
    text: '',
    publishedAt: null,
    language: null,
    image: null,
    ...parts,
  };
}

/** The store's seen-keys table, as a set. */
class Seen {
  readonly keys = new Set<string>();
  has = (key: string): boolean => this.keys.has(key);
  mark(entries: { keys: string[] }[]): void {
    for (const { keys } of entries) for (const k of keys) this.keys.add(k);
  }
}

describe('normalizeLink', () => {
  it.each([
    ['https://www.Example.com/a/b/?x=1&utm_source=tw&id=2#comments', 'example.com/a/b?id=2&x=1'],
    ['http://example.com/a/b?id=2&x=1', 'example.com/a/b?id=2&x=1'],
    ['https://EXAMPLE.com:443/a', 'example.com/a'],
    ['http://example.com:80/a', 'example.com/a'],
    ['https://example.com:8443/a', 'example.com:8443/a'],
    ['https://example.com/', 'example.com'],
    ['https://example.com', 'example.com'],
    ['https://example.com/a?fbclid=abc&gclid=d&mc_cid=1&mc_eid=2&utm_medium=x', 'example.com/a'],
    ['https://example.com/a?UTM_Campaign=x&b=2&a=1', 'example.com/a?a=1&b=2'],
    ['https://example.com/a?q=hello%20world', 'example.com/a?q=hello+world'],
    ['https://example.com/a?q=hello+world', 'example.com/a?q=hello+world'],
    ['https://example.com/Path/Case', 'example.com/Path/Case'],
    ['https://example.com/a?utm_source=rss&utm_medium=feed&', 'example.com/a'],
    ['https://example.com/a?&&fbclid', 'example.com/a'],
    ['https://example.com/a?utm%5Fsource=x', 'example.com/a'],
    ['https://example.com/a?utm_source=x&=1', 'example.com/a?=1'],
    ['https://example.com/a?utm+x=1', 'example.com/a?utm+x=1'],
    ['https://example.com/a?', 'example.com/a'],
  ])('%s → %s', (link, key) => {
    expect(normalizeLink(link)).toBe(key);
  });

  it('gives null for what is not an http(s) link', () => {
    expect(normalizeLink(null)).toBeNull();
    expect(normalizeLink('not a url')).toBeNull();
    expect(normalizeLink('mailto:a@b.example')).toBeNull();
  });
});

describe('itemKeys', () => {
  it('keys by guid, normalised link and a content hash', () => {
    const keys = itemKeys(
      item({
        guid: 'wire-123',
        link: 'https://wire.example/a?utm_source=rss',
        title: 'Belousov a Pyongyang',
        text: 'Il ministro è atterrato.',
      }),
    );
    expect(keys).toHaveLength(3);
    expect(keys[0]).toBe('g:wire-123');
    expect(keys[1]).toBe('l:wire.example/a');
    expect(keys[2]).toMatch(/^h:[\w-]{27}$/);
  });

  it('hashes normalised text: case, accents, punctuation and spacing do not count', () => {
    expect(contentHash('Belousov a Pyongyang', 'Il ministro è atterrato.')).toBe(
      contentHash('BELOUSOV  a Pyongyang!', 'il ministro e atterrato'),
    );
    expect(contentHash('Belousov a Pyongyang', 'Il ministro è atterrato.')).not.toBe(
      contentHash('Belousov a Pyongyang', 'Il ministro è ripartito.'),
    );
    expect(contentHash('', '  ')).toBeNull();
  });

  it('keeps the hash of the stored keys: SHA-1 of the normalised title and text', () => {
    // Keys already in a store must still match: the definition, spelt out.
    const expected = createHash('sha1')
      .update('belousov a pyongyang\nil ministro e atterrato a 10 00')
      .digest('base64url');
    expect(contentHash('Belousov — a Pyongyang', 'Il ministro è atterrato, a 10:00.')).toBe(
      expected,
    );
    expect(
      referenceContentHash('Belousov — a Pyongyang', 'Il ministro è atterrato, a 10:00.'),
    ).toBe(expected);
  });

  it('gives the reference hash for every character, in any company', () => {
    // The fast path folds one character at a time; this checks that it may, everywhere.
    const contexts = [
      (c: string) => c,
      (c: string) => `A${c}b`,
      (c: string) => `x ${c}${c}\u0301 Y`,
      (c: string) => `ΟΔΟ${c}Σ`,
    ];
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x2ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (cp > 0xffff && cp % 31 !== 0) continue; // a sample of the other planes
      const c = String.fromCodePoint(cp);
      for (const context of contexts) {
        const text = context(c);
        if (contentHash(text, text) !== referenceContentHash(text, text)) {
          wrong.push(cp.toString(16));
          break;
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('gives the reference hash for mixed text: sigma, lone surrogates, ligatures, marks', () => {
    const pieces = [
      'Σ',
      'ς',
      'İ',
      'ı',
      'ß',
      'ﬁ',
      'Ａ',
      '½',
      '™',
      '🔴',
      '𝐀',
      '\ud800',
      '\udc00',
      '한',
      'ǅ',
      '\u0345',
      'Ϲ',
      '\ufdfa',
      '𐐀',
      'é',
      'e\u0301',
      '—',
      '“',
      ' ',
      '.',
      'a',
      'Z',
      '9',
      '\n',
      '\u00a0',
      'ж',
      'ﻼ',
      'क़',
      '\u200d',
    ];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let t = 0; t < 20_000; t++) {
      let title = '';
      let text = '';
      for (let k = next(6); k > 0; k--) title += pieces[next(pieces.length)];
      for (let k = next(16); k > 0; k--) text += pieces[next(pieces.length)];
      expect(contentHash(title, text), JSON.stringify([title, text])).toBe(
        referenceContentHash(title, text),
      );
    }
    const long = 'Ünïcödé text — “quoted”, ½ ﷺ. '.repeat(20_000);
    expect(contentHash(long, long)).toBe(referenceContentHash(long, long));
  });

  it('hashes a title-only item only when nothing else identifies it', () => {
    expect(itemKeys(item({ link: 'https://x.example/live', title: 'Live updates' }))).toEqual([
      'l:x.example/live',
    ]);
    expect(itemKeys(item({ title: 'Live updates' }))).toHaveLength(1);
    expect(itemKeys(item({ title: 'Live updates' }))[0]).toMatch(/^h:/);
  });
});

describe('keyItems', () => {
  it('drops a link every item shares (the home page), so each item stays new', () => {
    const items = [
      item({ link: 'https://site.example/', title: 'One', text: 'First story.' }),
      item({ link: 'https://site.example/', title: 'Two', text: 'Second story.' }),
    ];
    const keyed = keyItems(items);
    expect(keyed.every((k) => k.keys.every((key) => key.startsWith('h:')))).toBe(true);
    expect(newItems(items, () => false)).toHaveLength(2);
  });

  it('drops a guid reused for different items', () => {
    const items = [
      item({ guid: 'same', link: 'https://s.example/1', title: 'One', text: 'a' }),
      item({ guid: 'same', link: 'https://s.example/2', title: 'Two', text: 'b' }),
    ];
    expect(keyItems(items).map((k) => k.keys.some((key) => key === 'g:same'))).toEqual([
      false,
      false,
    ]);
  });

  it('keeps keys shared by two versions of the same item', () => {
    const items = [
      item({ guid: 'g1', link: 'https://s.example/1', title: 'One', text: 'old' }),
      item({ guid: 'g1', link: 'https://s.example/1', title: 'One', text: 'new' }),
    ];
    expect(keyItems(items)[0]?.keys).toContain('g:g1');
    expect(newItems(items, () => false)).toHaveLength(1);
  });
});

describe('keyItems with the ids the store knows (a later poll)', () => {
  const known = new Set(['g:old-1', 'l:s.example/2']);
  const isKnownId = (key: string) => known.has(key);
  const hashes = (keys: readonly string[]) => keys.filter((key) => key.startsWith('h:'));

  it('does not hash an item known by its guid or its link, even edited since', () => {
    const items = [
      item({ guid: 'old-1', link: 'https://s.example/1', title: 'One', text: 'edited text' }),
      item({ guid: 'old-2', link: 'https://s.example/2', title: 'Two', text: 'text' }),
      item({ guid: 'new-3', link: 'https://s.example/3', title: 'Three', text: 'text' }),
    ];
    const keyed = keyItems(items, isKnownId);
    expect(keyed.map((k) => k.keys)).toEqual([
      ['g:old-1', 'l:s.example/1'],
      ['g:old-2', 'l:s.example/2'],
      itemKeys(items[2] as FeedItem),
    ]);
    expect(hashes(keyed[2]?.keys ?? [])).toHaveLength(1);
  });

  it('hashes an item whose known id other items of the poll share: it names none of them', () => {
    const items = [
      item({ guid: 'old-1', link: 'https://s.example/', title: 'One', text: 'First story.' }),
      item({ guid: 'old-1', link: 'https://s.example/', title: 'Two', text: 'Second story.' }),
    ];
    const keyed = keyItems(items, isKnownId);
    expect(keyed.map((k) => k.keys)).toEqual(keyItems(items).map((k) => k.keys));
    expect(keyed.every((k) => hashes(k.keys).length === 1)).toBe(true);
  });

  it('hashes an item without guid or link, however many polls it stays', () => {
    const only = item({ title: 'Live updates', text: 'Minute by minute.' });
    expect(keyItems([only], () => true)[0]?.keys).toEqual(itemKeys(only));
  });
});

describe('newItems across polls', () => {
  const a = item({
    guid: 'a',
    link: 'https://n.example/a',
    title: 'Belousov in Pyongyang',
    text: 'Russia’s defence minister landed.',
    publishedAt: '2024-11-29T08:00:00.000Z',
  });
  const b = item({
    guid: 'b',
    link: 'https://n.example/b',
    title: 'Umerov in Seoul',
    text: 'Ukraine’s defence minister met Yoon.',
    publishedAt: '2024-11-29T09:00:00.000Z',
  });

  function afterFirstPoll(items: FeedItem[]): Seen {
    const seen = new Seen();
    seen.mark(keyItems(items));
    return seen;
  }

  it('posts nothing for a reordered feed', () => {
    const seen = afterFirstPoll([b, a]);
    expect(newItems([a, b], seen.has)).toEqual([]);
  });

  it('posts nothing for re-dated items', () => {
    const seen = afterFirstPoll([b, a]);
    const redated = [
      { ...b, publishedAt: '2024-12-01T00:00:00.000Z' },
      { ...a, publishedAt: null },
    ];
    expect(newItems(redated, seen.has)).toEqual([]);
  });

  it('posts nothing when tracking parameters or a fragment appear on the links', () => {
    const seen = afterFirstPoll([b, a].map((i) => ({ ...i, guid: null })));
    const tracked = [b, a].map((i) => ({
      ...i,
      guid: null,
      link: `${i.link}/?utm_source=newsletter&fbclid=xyz#top`,
    }));
    expect(newItems(tracked, seen.has)).toEqual([]);
  });

  it('posts nothing for an edited item (same guid, new title and text)', () => {
    const seen = afterFirstPoll([b, a]);
    const edited = {
      ...a,
      title: 'Belousov lands in Pyongyang (updated)',
      text: 'Now with quotes.',
    };
    expect(newItems([b, edited], seen.has)).toEqual([]);
  });

  it('posts nothing for an edited item of a feed without guids (same link)', () => {
    const seen = afterFirstPoll([{ ...a, guid: null }]);
    expect(newItems([{ ...a, guid: null, text: 'Corrected text.' }], seen.has)).toEqual([]);
  });

  it('posts nothing when a feed regenerates guids for the same story', () => {
    const seen = afterFirstPoll([a]);
    expect(newItems([{ ...a, guid: 'a-v2-1732870000' }], seen.has)).toEqual([]);
  });

  it('posts nothing for items with neither guid nor link seen before', () => {
    const bare = { ...a, guid: null, link: null };
    const seen = afterFirstPoll([bare]);
    expect(newItems([{ ...bare, title: 'BELOUSOV IN PYONGYANG' }], seen.has)).toEqual([]);
  });

  it('posts a new item, oldest first when several are new', () => {
    const seen = afterFirstPoll([a]);
    const c = item({
      guid: 'c',
      link: 'https://n.example/c',
      title: 'Putin meets Kim',
      text: 'Talks in Moscow.',
      publishedAt: '2024-11-29T10:00:00.000Z',
    });
    expect(newItems([c, b, a], seen.has).map((k) => k.item.guid)).toEqual(['b', 'c']);
  });
});

describe('firstPollPolicy', () => {
  const items = [1, 2, 3, 4, 5].map((n) =>
    item({
      guid: `i${n}`,
      title: `Story ${n}`,
      text: `Text ${n}.`,
      publishedAt: `2024-11-2${n}T08:00:00.000Z`,
    }),
  );

  it('posts the newest item and marks the backlog seen', () => {
    const { post, markSeen } = firstPollPolicy(items, 1);
    expect(post.map((k) => k.item.guid)).toEqual(['i5']);
    expect(markSeen.map((k) => k.item.guid).sort()).toEqual(['i1', 'i2', 'i3', 'i4']);
  });

  it('posts at most n newest, oldest first, whatever the document order', () => {
    const shuffled = [items[2], items[4], items[0], items[3], items[1]] as FeedItem[];
    const { post, markSeen } = firstPollPolicy(shuffled, 3);
    expect(post.map((k) => k.item.guid)).toEqual(['i3', 'i4', 'i5']);
    expect(markSeen).toHaveLength(2);
  });

  it('posts nothing with n = 0, everything when n is larger than the feed', () => {
    expect(firstPollPolicy(items, 0).post).toEqual([]);
    expect(firstPollPolicy(items, 0).markSeen).toHaveLength(5);
    expect(firstPollPolicy(items, 10).post).toHaveLength(5);
    expect(firstPollPolicy(items, 10).markSeen).toHaveLength(0);
  });

  it('uses document order (newest first) when some items have no date', () => {
    const undated = items.map((i, k) => (k === 2 ? { ...i, publishedAt: null } : i)).reverse();
    expect(newestFirst(undated).map((i) => i.guid)).toEqual(['i5', 'i4', 'i3', 'i2', 'i1']);
    expect(firstPollPolicy(undated, 2).post.map((k) => k.item.guid)).toEqual(['i4', 'i5']);
  });

  it('then the next poll posts only what is new', () => {
    const seen = new Seen();
    const first = firstPollPolicy(items, 1);
    seen.mark(first.post);
    seen.mark(first.markSeen);
    const six = item({
      guid: 'i6',
      title: 'Story 6',
      text: 'Text 6.',
      publishedAt: '2024-11-26T09:00:00.000Z',
    });
    expect(newItems([six, ...items], seen.has).map((k) => k.item.guid)).toEqual(['i6']);
  });
});

describe('dedupe over HTTP: a feed that changes between polls', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const rss = (items: string[]): string =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.test/</link>${items.join('')}</channel></rss>`;
  const A = (text: string, date: string) =>
    `<item><title>Belousov in Pyongyang</title><link>https://wire.test/a?utm_source=rss</link><guid>a</guid><pubDate>${date}</pubDate><description>${text}</description></item>`;
  const B =
    '<item><title>Umerov in Seoul</title><link>/b</link><guid>b</guid><pubDate>Fri, 29 Nov 2024 09:00:00 GMT</pubDate><description>Talks with Yoon.</description></item>';
  const C =
    '<item><title>Putin meets Kim</title><link>/c#top</link><pubDate>Fri, 29 Nov 2024 10:00:00 GMT</pubDate><description>In Moscow.</description></item>';

  it('posts only the genuinely new item after reordering, editing and re-dating', async () => {
    const versions = [
      rss([B, A('The minister landed.', 'Fri, 29 Nov 2024 08:00:00 GMT')]),
      // reordered, A edited and re-dated, C new (no guid)
      rss([
        A(
          'The minister landed in the morning, met by No Kwang Chol.',
          'Sat, 30 Nov 2024 08:00:00 GMT',
        ),
        C,
        B,
      ]),
    ];
    let version = 0;
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(versions[version]);
    });
    const seen = new Seen();

    const poll = async () => {
      const got = await fetchFeed(server?.url('/feed') ?? '', { allowPrivate: true });
      if (got.status !== 'ok') throw new Error('expected a body');
      return (await parseFeed(got.bytes, { url: got.finalUrl, contentType: got.contentType }))
        .items;
    };

    const first = firstPollPolicy(await poll(), 1);
    expect(first.post.map((k) => k.item.title)).toEqual(['Umerov in Seoul']);
    seen.mark(first.post);
    seen.mark(first.markSeen);

    version = 1;
    const items = await poll();
    const fresh = newItems(items, seen.has);
    expect(fresh.map((k) => k.item.title)).toEqual(['Putin meets Kim']);
    seen.mark(keyItems(items));

    // The same document again: nothing.
    expect(newItems(await poll(), seen.has)).toEqual([]);
  });
});
