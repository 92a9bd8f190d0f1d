import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { markupAsHtml } from '../../src/feeds/inline-markup.js';
import { isoDateOf, LeanParser } from '../../src/feeds/lean-parser.js';

type Fields = Record<string, unknown>;
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'feeds');
const OPTIONS = { defaultRSS: 2, customFields: { feed: ['dc:language'] } };

/** What parse.ts reads of a parsed feed and its items. */
const FEED_FIELDS = ['title', 'link', 'language', 'dc:language'];
const ITEM_FIELDS = [
  ...['guid', 'id', 'rdf:about', 'link', 'title', 'pubDate', 'date', 'language'],
  ...['content:encoded', 'content', 'summary', 'author', 'creator'],
];

function pick(object: Fields, keys: string[]): Fields {
  return Object.fromEntries(keys.map((k) => [k, object[k]]));
}

/** The lean parse and rss-parser's own agree on everything the bot reads. */
async function expectSameAsRssParser(xml: string): Promise<Fields & { items: Fields[] }> {
  const parsed = (parser: Parser<Fields, Fields>) =>
    parser.parseString(xml).then(
      (feed) => feed as Fields & { items: Fields[] },
      (error: Error) => error,
    );
  const full = await parsed(new Parser<Fields, Fields>(OPTIONS));
  const lean = await parsed(new LeanParser(OPTIONS));
  if (full instanceof Error || lean instanceof Error) {
    // An Atom date rss-parser cannot read throws, in both.
    expect(String(lean)).toBe(String(full));
    return { items: [] };
  }
  expect(pick(lean, FEED_FIELDS)).toEqual(pick(full, FEED_FIELDS));
  expect(lean.items).toHaveLength(full.items.length);
  full.items.forEach((item, k) => {
    const mine = lean.items[k] as Fields;
    expect(pick(mine, ITEM_FIELDS)).toEqual(pick(item, ITEM_FIELDS));
    expect(isoDateOf(mine)).toBe(item.isoDate);
  });
  return lean;
}

/**
 * What parse.ts does before parsing: drop the Atom dates rss-parser would throw on, hand
 * markup in text elements over as HTML text (inline-markup.ts).
 */
const prepared = (xml: string): string =>
  markupAsHtml(
    xml.replace(/<(published|updated)>([^<]*)<\/\1>/g, (whole, _tag, value: string) =>
      Number.isNaN(Date.parse(value.trim())) ? '' : whole,
    ),
  );

describe('LeanParser', () => {
  it.each(['rss2.xml', 'rss1.rdf', 'rss091.xml', 'atom.xml'])(
    'reads %s as rss-parser does, minus snippets',
    async (name) => {
      const xml = readFileSync(join(FIXTURES, name), 'utf8');
      await expectSameAsRssParser(markupAsHtml(xml));
      const lean = await expectSameAsRssParser(prepared(xml));
      expect(lean.items.length).toBeGreaterThan(0);
      // Every item takes the lean path: no snippets.
      expect(lean.items.some((item) => item.content && !item.contentSnippet)).toBe(true);
    },
  );

  it('reads the awkward items as rss-parser does', async () => {
    await expectSameAsRssParser(
      prepared(`<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Odd</title><link>https://odd.example/</link>
<item><title>Markup left as XML</title><description><p>Raw <b>XHTML</b> inside</p></description></item>
<item><title type="text">Attributes</title><guid isPermaLink="false">g-1</guid>
  <description type="html">&lt;p&gt;escaped&lt;/p&gt;</description></item>
<item><title>Encoded</title><content:encoded><![CDATA[<p>Full <em>text</em></p>]]></content:encoded>
  <dc:date>2024-11-29T08:00:00Z</dc:date><dc:creator>Ana</dc:creator></item>
<item><title>Empty description</title><description/><pubDate>not a date</pubDate></item>
<item><title>Local date</title><pubDate> 2024 11 29 </pubDate><enclosure url="https://odd.example/a.mp3"/></item>
</channel></rss>`),
    );
  });

  it('reads awkward Atom entries as rss-parser does', async () => {
    await expectSameAsRssParser(
      prepared(`<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Atom odd</title>
<link href="https://atom.example/"/>
<entry><title type="html">A &amp;amp; B</title><id>urn:1</id>
  <link rel="self" href="https://atom.example/self"/><link rel="alternate" href="https://atom.example/1"/>
  <updated>2024-11-29T08:00:00Z</updated><author><name>Ana</name></author>
  <content type="html">&lt;p&gt;Body&lt;/p&gt;</content><summary>Short</summary></entry>
<entry><title>No alternate</title><link href="https://atom.example/2"/>
  <published>2024-11-28T08:00:00Z</published><content type="xhtml"><div>Kept <b>as</b> XML</div></content></entry>
<entry><title>Bare</title><author/><summary>.</summary></entry>
</feed>`),
    );
  });
});

describe('LeanParser: the XML parse', () => {
  const rss = (items: string, tail = ''): string =>
    `<rss version="2.0"><channel><title>T</title>${items}</channel></rss>${tail}`;

  it('reads what sax-js lets through and saxes refuses as rss-parser does', async () => {
    // A control character, an HTML entity, a duplicate attribute, a `<` in an attribute,
    // `]]>` in text, a second root: not XML, but rss-parser (xml2js on sax-js) reads them.
    for (const item of [
      '<item><title>Bell\u0007 and NUL\u0000</title></item>',
      '<item><title>A&nbsp;B &eacute; &AMP;</title></item>',
      '<item><guid isPermaLink="false" isPermaLink="true">g</guid><title>t</title></item>',
      '<item><title>t</title><enclosure url="https://x.example/a.jpg?q=<1>" type="image/jpeg"/></item>',
      '<item><title>Brackets ]]> in text</title></item>',
    ]) {
      const lean = await expectSameAsRssParser(rss(item));
      expect(lean.items).toHaveLength(1);
    }
    await expectSameAsRssParser(rss('<item><title>t</title></item>', '<rss><channel/></rss>'));
  });

  it('fails as rss-parser does on what neither reads, however the previous feed ended', async () => {
    const lean = new LeanParser(OPTIONS);
    const error = (xml: string) => lean.parseString(xml).then(String, String);
    // Text after the root element is ignored, and left xml2js's sax parser in an error
    // state in which the next malformed document went through.
    await lean.parseString(rss('<item><title>t</title></item>', 'trailing text'));
    expect(await error(rss('<item><title>t</channel></item>'))).toMatch(/Unexpected close tag/);
    expect(await error(rss('<item><title>t</title></item>').slice(0, -6))).toMatch(
      /Unclosed root tag/,
    );
    expect(await error(rss('<item><title>AT&T</title></item>'))).toMatch(/entity/);
  });
});

describe('LeanParser: what it reads unlike rss-parser', () => {
  const lean = new LeanParser(OPTIONS);
  const atom = (entry: string): string =>
    `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry>${entry}</entry></feed>`;
  const firstItem = async (xml: string): Promise<Fields> =>
    ((await lean.parseString(xml)).items[0] ?? {}) as Fields;

  it('gives an empty Atom element as no text, not as rebuilt markup (<div type="html"/>)', async () => {
    expect((await firstItem(atom('<title>Bare</title><summary type="html"/>'))).summary).toBe(
      undefined,
    );
  });

  it('reads markup left as an XML tree in words, however deep, without recursion', async () => {
    // rss-parser rebuilds such markup with a recursive XML builder: 20,000 levels overflow it.
    const deep = (tag: string, depth: number): string =>
      `${`<${tag}>`.repeat(depth)}deep${`</${tag}>`.repeat(depth)}`;
    const rss = await lean.parseString(
      `<rss version="2.0"><channel><title>T</title><item><title>t</title><description>${deep('div', 20_000)}</description></item></channel></rss>`,
    );
    expect(rss.items[0]?.content).toBe('deep');
    const entry = await firstItem(
      atom(
        `<title type="xhtml">${deep('span', 20_000)}</title><content>${deep('p', 20_000)}</content>`,
      ),
    );
    expect([entry.title, entry.content]).toEqual(['deep', 'deep']);
  });
});
