import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DomNode, isElement, parseHtmlDocument } from '../../../src/core/input/dom.js';
import { InputError } from '../../../src/core/input/errors.js';
import { parseHtml } from '../../../src/core/input/html.js';
import { htmlToText } from '../../../src/core/input/html-text.js';
import { MarkupTooComplex, markupExcess } from '../../../src/core/input/markup-limits.js';

const newsPage = readFileSync(
  new URL('../../fixtures/input/news-page.html', import.meta.url),
  'utf8',
);

describe('an HTML news page', () => {
  const article = parseHtml(newsPage, {
    url: 'https://ledger.example/world/belousov?utm_campaign=x',
  });

  it('yields the story text, paragraph by paragraph, in order', () => {
    const paragraphs = article.text.split('\n\n');
    expect(paragraphs[0]).toMatch(
      /^Russia’s defence minister, Andrei Belousov, landed in Pyongyang/,
    );
    expect(paragraphs.at(-1)).toBe(
      'Belousov last travelled to Pyongyang in June, as part of the delegation that accompanied Vladimir Putin to his summit with Kim Jong Un.',
    );
    expect(paragraphs.filter((p) => p.includes('Umerov'))).toHaveLength(1);
    for (const p of paragraphs) expect(p).not.toMatch(/\n/);
  });

  it('leaves out navigation, ads, scripts, styles, comments, cookie banner and footer', () => {
    for (const chrome of [
      'Subscribe',
      'Politics',
      'Advertisement',
      'googletag',
      'MUST NOT LEAK',
      'Google Tag Manager',
      'cookies',
      'First! This is a comment',
      'reader comment',
      'All rights reserved',
      'Contact us',
      'Share on',
    ]) {
      expect(article.text).not.toContain(chrome);
    }
  });

  it('decodes entities and turns non-breaking spaces into spaces', () => {
    expect(article.text).toContain('Russia & on the front line');
    expect(article.text).toContain('Rustem Umerov');
    expect(article.text).toContain('“frank and useful”');
    expect(article.text).not.toMatch(/&\w+;|\u00a0/);
  });

  it('does not repeat the headline as the first paragraph', () => {
    expect(article.text.startsWith('Belousov lands')).toBe(false);
  });

  it('carries the page metadata', () => {
    expect(article.title).toBe('Belousov lands in Pyongyang as Umerov meets Yoon in Seoul');
    expect(article.url).toBe('https://ledger.example/world/2024/11/29/belousov-pyongyang');
    expect(article.source).toBe('The Harbour Ledger');
    expect(article.publishedAt).toBe('2024-11-29T08:00:00.000Z');
    expect(article.language).toBe('en');
  });
});

const body = (n: number) =>
  Array.from(
    { length: n },
    (_, k) =>
      `<p>Paragraph ${k + 1} of the story says something about the talks in Seoul, at some length, so that it reads like an article.</p>`,
  ).join('\n');

describe('HTML metadata fallbacks', () => {
  it('title from <title> when there is no og:title', () => {
    const a = parseHtml(
      `<html><head><title>Talks in Seoul</title></head><body>${body(6)}</body></html>`,
    );
    expect(a.title).toBe('Talks in Seoul');
  });

  it('url from og:url without a canonical link, and from the page address without either', () => {
    const withOg = parseHtml(
      `<html><head><meta property="og:url" content="/a/b"></head><body>${body(4)}</body></html>`,
      { url: 'https://site.example/x/y' },
    );
    expect(withOg.url).toBe('https://site.example/a/b');
    const bare = parseHtml(`<html><body>${body(4)}</body></html>`, {
      url: 'https://site.example/x',
    });
    expect(bare.url).toBe('https://site.example/x');
    const offline = parseHtml(
      `<html><head><link rel="canonical" href="/relative"></head><body>${body(4)}</body></html>`,
    );
    expect(offline.url).toBeNull();
  });

  it('publishedAt from JSON-LD when there is no meta tag, then from <time datetime>', () => {
    const ld = parseHtml(
      `<html><head><script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-11-29"}</script></head><body>${body(4)}</body></html>`,
    );
    expect(ld.publishedAt).toBe('2024-11-29');
    const time = parseHtml(
      `<html><body><article><p><time datetime="2024-11-29T10:00:00+02:00">Friday</time></p>${body(4)}</article></body></html>`,
    );
    expect(time.publishedAt).toBe('2024-11-29T08:00:00.000Z');
  });

  it('language from <html lang> and nothing when there is none', () => {
    expect(parseHtml(`<html lang="it-IT"><body>${body(3)}</body></html>`).language).toBe('it');
    expect(parseHtml(`<html><body>${body(3)}</body></html>`).language).toBeNull();
  });

  it('survives broken JSON-LD', () => {
    const a = parseHtml(
      `<html><head><title>T</title><script type="application/ld+json">{not json</script></head><body>${body(3)}</body></html>`,
    );
    expect(a.title).toBe('T');
  });
});

describe('HTML without a clear article', () => {
  it('falls back to the body text without nav and footer', () => {
    const a = parseHtml(
      '<html><head><title>Notice</title></head><body><nav>Home | About</nav><p>The office is closed on Friday.</p><footer>© Example</footer></body></html>',
    );
    expect(a.text).toBe('The office is closed on Friday.');
  });

  it('reads a fragment without <html> or <body>', () => {
    const a = parseHtml('<h1>Talks in Seoul</h1><p>First.</p><p>Second.</p>');
    expect(a.title).toBe('Talks in Seoul');
    expect(a.text).toBe('First.\n\nSecond.');
  });

  it('uses the page description when the body has no text (a JavaScript app)', () => {
    const a = parseHtml(
      '<html><head><title>App</title><meta name="description" content="Belousov landed in Pyongyang."></head><body><div id="root"></div><script>render()</script></body></html>',
    );
    expect(a.text).toBe('Belousov landed in Pyongyang.');
  });

  it('is refused with not-an-article when there is no text at all', () => {
    const run = () =>
      parseHtml(
        '<html><head><script>x()</script></head><body><div id="root"></div></body></html>',
        {
          label: 'app.html',
        },
      );
    expect(run).toThrow(InputError);
    expect(run).toThrow(/^app\.html: the page has no readable text/);
    try {
      run();
    } catch (error) {
      expect((error as InputError).code).toBe('not-an-article');
    }
  });
});

describe('HTML to text', () => {
  it('turns blocks into paragraphs and <br> into line breaks', () => {
    expect(
      htmlToText('<div><p>One</p><p>Two<br>lines</p></div><ul><li>a</li><li>b</li></ul>'),
    ).toBe('One\n\nTwo\nlines\n\na\n\nb');
  });

  it('collapses source whitespace but keeps inline words apart', () => {
    expect(htmlToText('<p>  Belousov\n   <b>landed</b>  in\tPyongyang. </p>')).toBe(
      'Belousov landed in Pyongyang.',
    );
  });

  it('drops scripts, styles, comments and hidden elements and decodes entities', () => {
    expect(
      htmlToText(
        '<p>A &amp; B &eacute; &#8217;</p><script>x()</script><style>p{}</style><!-- note --><p hidden>no</p><p style="display: none">no</p><p>C</p>',
      ),
    ).toBe('A & B é ’\n\nC');
  });
});

/** A page of `depth` <div>s one inside another, around one sentence. */
function nestedPage(depth: number): string {
  return `<!doctype html><html><head><title>Deep</title></head><body>${'<div>'.repeat(depth)}Belousov landed in Pyongyang.${'</div>'.repeat(depth)}</body></html>`;
}

describe('HTML over the markup limits', () => {
  it('refuses a page nested 2,000 elements deep at once, saying how deep it is and what is read', () => {
    // 2,000 <div>s inside <html> and <body>: 2,002 levels. Readability took minutes on it.
    const run = () => parseHtml(nestedPage(2000), { label: 'deep.html' });
    expect(run).toThrow(
      'deep.html: the page nests 2,002 elements deep; briefwire reads pages up to 256 levels',
    );
    expect(catching(run)).toMatchObject({ code: 'too-complex' });
  });

  it('names a depth past what it measures as "more than"', () => {
    expect(() => parseHtml(nestedPage(100_000), { label: 'deeper.html' })).toThrow(
      'deeper.html: the page nests more than 2,048 elements deep; briefwire reads pages up to 256 levels',
    );
  });

  it('refuses a page of more than 100,000 elements', () => {
    const page = `<html><body>${'<p>Belousov landed.</p>'.repeat(150_000)}</body></html>`;
    const run = () => parseHtml(page, { label: 'long.html' });
    expect(run).toThrow(
      'long.html: the page has more than 100,000 elements; briefwire reads pages of up to 100,000',
    );
    expect(catching(run)).toMatchObject({ code: 'too-complex' });
  });

  it('reads a page nested deep but within the limit', () => {
    expect(parseHtml(nestedPage(120)).text).toBe('Belousov landed in Pyongyang.');
  });

  it('refuses HTML text nested past the limit before building a DOM of it', () => {
    const deep = `<p>Intro</p>${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}`;
    expect(() => htmlToText(deep)).toThrow(MarkupTooComplex);
    expect(() => htmlToText(deep)).toThrow(
      'the HTML nests more than 2,048 elements deep; briefwire reads HTML up to 256 levels',
    );
  });

  it('measures depth as the DOM is built: implied closes, void and self-closed elements, raw text', () => {
    const shapes = [
      '<ul><li>a<li>b<li>c</ul>',
      '<p>a<p>b<p>c<div><p>d</div>',
      '<dl><dt>a<dd>b<dt>c<dd><b><i>d</i></b></dl>',
      '<table><tr><td>a<td>b<tr><td><span>c</span></table>',
      '<div><br><img src=x><input><hr><span><b>x</b></span></div>',
      '<svg><g><path/><circle/></g></svg><p>after</p>',
      '<script>"<div><div><div><div>"</script><style>/*<b><b><b>*/</style><p>x</p>',
      '<b><i><u><s>unclosed',
      '</div></span><p>stray ends</b></p></p>',
      '<!-- <div><div><div> --><div><div>two</div></div>',
      '<select><option>a<option>b<optgroup><option>c</select>',
    ];
    for (const html of shapes) {
      // Limit 1: the scan names the exact depth of anything deeper, up to 8.
      const measured = markupExcess(html, { depth: 1, elements: 1000 })?.found ?? 1;
      expect({ html, depth: measured }).toEqual({ html, depth: domDepth(html) });
    }
  });
});

function catching(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

/** How deep elements nest in the DOM linkedom builds of a fragment (below its <body>). */
function domDepth(html: string): number {
  let deepest = 0;
  const stack: [DomNode, number][] = [[parseHtmlDocument(html).body, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [DomNode, number];
    deepest = Math.max(deepest, depth);
    for (const child of Array.from(node.childNodes)) {
      if (isElement(child)) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}
