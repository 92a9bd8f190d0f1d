import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { domHtmlToText, htmlToText, streamHtmlToText } from '../../../src/core/input/html-text.js';
import { MARKUP_LIMITS, MarkupTooComplex } from '../../../src/core/input/markup-limits.js';

/** The usual elements of a feed description (the old hand-written fast path's). */
const SIMPLE_TAGS = (
  'a abbr b bdi bdo big cite code data del dfn em font i ins kbd mark q s samp small span ' +
  'strike strong sub sup time tt u var wbr address article aside blockquote center dd div ' +
  'dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li main nav ol p section ul br img'
).split(' ');

/** Named references: HTML 4's Latin-1 set, and the punctuation feeds use. */
const SIMPLE_ENTITY_NAMES = (
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg ' +
  'plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Eacute Ntilde Ouml times szlig agrave aacute eacute ntilde ouml divide yuml ' +
  'Alpha Omega alpha omega quot QUOT amp AMP apos lt LT gt GT hellip mdash ndash lsquo rsquo ' +
  'ldquo rdquo bull euro trade'
).split(' ');

const VOID = new Set(['br', 'hr', 'img', 'wbr']);
const CONTAINERS = SIMPLE_TAGS.filter((tag) => !VOID.has(tag));

/** Text without markup: words, every kind of space, invisible characters, stray < & > ; #. */
const plainChar = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789') },
  { weight: 4, arbitrary: fc.constantFrom(' ', ' ', '  ', '\n', '\t', '\r\n', '\f', '\v') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '\u00a0',
      '\u200b',
      '\u00ad',
      '\u2060',
      '\ufeff',
      '\u2028',
      '\u3000',
      'é',
      'ß',
      'Ж',
      '北',
      '😀',
      '\0',
      '\u0001',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('.', ',', ';', '#', '"', "'", '=', '/', '>', '-', '& ', '< ', '<3'),
  },
);
const plainText = fc.array(plainChar, { maxLength: 12 }).map((cs) => cs.join(''));

/** References the fast path decodes. */
const knownEntity = fc.oneof(
  fc.constantFrom(...SIMPLE_ENTITY_NAMES).map((name) => `&${name};`),
  fc
    .oneof(
      fc.integer({ min: 1, max: 0x7f }),
      fc.integer({ min: 0xa0, max: 0xd7ff }),
      fc.integer({ min: 0xe000, max: 0x10ffff }),
    )
    .chain((cp) =>
      fc.constantFrom(
        `&#${cp};`,
        `&#00${cp};`,
        `&#x000${cp.toString(16)};`,
        `&#x${cp.toString(16)};`,
        `&#X${cp.toString(16).toUpperCase()};`,
      ),
    ),
);

/** References it leaves to the DOM (or reads as a literal &): the result must still agree. */
const otherEntity = fc.oneof(
  fc.constantFrom(
    '&amp',
    '&copy',
    '&ampx;',
    '&notit;',
    '&notin;',
    '&Tab;',
    '&NewLine;',
    '&AT&T;',
    'AT&T',
    '&#;',
    '&#x;',
    '&#65',
    '&#x41',
    '&#0;',
    '&#128;',
    '&#x9F;',
    '&#xD800;',
    '&#1114112;',
    '&#99999999;',
    '&;',
    '&',
    '&#',
    '&eacute',
  ),
  fc.constantFrom(...SIMPLE_ENTITY_NAMES).map((name) => `&${name}`),
);

const tagCase = (tag: string) =>
  fc.constantFrom(tag, tag.toUpperCase(), tag.charAt(0).toUpperCase() + tag.slice(1));

const space = fc.constantFrom(' ', '  ', '\n', '\t', ' \r\n ');

/** Attributes the fast path reads: quoted, unquoted, bare, styles that do not hide. */
const simpleAttribute = fc.oneof(
  fc.constantFrom(
    'href="https://example.com/a?b=1&amp;c=2"',
    "href='/x>y'",
    'href=/path/to',
    'class="lead"',
    'title="a > b < c"',
    'alt=""',
    'data-x="1"',
    'xml:lang="en"',
    'style="color: red"',
    "style='font-weight:bold'",
    'rel = "nofollow"',
    'width=600',
    'nowrap',
    'aria-label="x"',
  ),
);

/** Attributes the DOM must judge (hidden elements, entities in a style …). */
const otherAttribute = fc.constantFrom(
  'hidden',
  'HIDDEN',
  'aria-hidden="true"',
  'aria-hidden="false"',
  'style="display: none"',
  'STYLE="visibility:hidden"',
  'style="display&#58;none"',
  'style="color:red" style="display:none"',
  'href="x"title="y"',
  '"quoted"=x',
  'a<b=1',
  'on=',
);

const attributes = (attribute: fc.Arbitrary<string>) =>
  fc
    .array(fc.tuple(space, attribute), { maxLength: 3 })
    .map((list) => list.map(([s, a]) => `${s}${a}`).join(''));

const openTag = (tag: string, attribute: fc.Arbitrary<string>) =>
  fc
    .tuple(
      tagCase(tag),
      attributes(attribute),
      fc.constantFrom('', ' ', '/', ' /', '\n'),
      // A self-closing slash means nothing in HTML, on any element.
    )
    .map(([name, attrs, end]) => `<${name}${attrs}${end}>`);

const closeTag = (tag: string) =>
  fc.tuple(tagCase(tag), fc.constantFrom('', ' ', '\n ')).map(([name, s]) => `</${name}${s}>`);

/** Well-formed simple fragments: all of them must take the fast path. */
const simpleFragment: fc.Arbitrary<string> = fc.letrec<{ node: string; nodes: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: plainText },
    { weight: 2, arbitrary: knownEntity },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...VOID).chain((tag) => openTag(tag, simpleAttribute)),
    },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(...CONTAINERS)
        .chain((tag) =>
          fc
            .tuple(openTag(tag, simpleAttribute), tie('nodes'), closeTag(tag))
            .map(([open, inner, close]) => `${open}${inner}${close}`),
        ),
    },
  ),
  nodes: fc.array(tie('node'), { maxLength: 5 }).map((parts) => parts.join('')),
})).nodes;

/** Tag soup: any order of accepted and refused tokens, unclosed and misnested elements. */
const soupToken = fc.oneof(
  { weight: 5, arbitrary: plainText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'<>/&#;=" ab\n'), maxLength: 8 }) },
  { weight: 3, arbitrary: knownEntity },
  { weight: 1, arbitrary: otherEntity },
  {
    weight: 5,
    arbitrary: fc.constantFrom(...SIMPLE_TAGS).chain((tag) => openTag(tag, simpleAttribute)),
  },
  { weight: 4, arbitrary: fc.constantFrom(...SIMPLE_TAGS).chain(closeTag) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...SIMPLE_TAGS).chain((tag) => openTag(tag, otherAttribute)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '<script>var a = "<p>x</p>";</script>',
      '<style>p { color: red }</style>',
      '<table><tr><td>a</td><td>b</td></tr></table>',
      '<iframe src="x"></iframe>',
      '<pre>  a\n  b </pre>',
      '<textarea>t</textarea>',
      '<title>t</title>',
      '<svg><p/>x</svg>',
      '<!-- comment -->',
      '<!---->',
      '<![CDATA[x]]>',
      '<!DOCTYPE html>',
      '<?php echo 1 ?>',
      '</ p>',
      '</>',
      '</3>',
      '<p-x>',
      '<b<i>',
      '<a href="x',
      '<br',
      '</b',
      '<',
      '<html>',
      '<body>',
      '</body>',
      '<head>',
      '<div hidden>',
      '<tt>',
      '<video>v</video>',
      '<select><option>o</option></select>',
      '<noscript>n</noscript>',
      '<custom-el>c</custom-el>',
      '<td>',
      '<th>',
    ),
  },
);
const soup = fc.array(soupToken, { maxLength: 25 }).map((parts) => parts.join(''));

const RUNS = { numRuns: 1500 };

/** The fast path reads `html` (it does not leave it to the DOM) and gives the DOM path's text. */
function readsAsTheDom(html: string): void {
  expect(streamHtmlToText(html), html).not.toBeNull();
  expect(streamHtmlToText(html), html).toBe(domHtmlToText(html));
}

describe('htmlToText fast path (htmlparser2 events, html-stream)', () => {
  it('reads every well-formed simple fragment and gives the DOM path’s text', () => {
    fc.assert(
      fc.property(simpleFragment, (html) => {
        const fast = streamHtmlToText(html);
        expect(fast).not.toBeNull();
        expect(fast).toBe(domHtmlToText(html));
      }),
      RUNS,
    );
  });

  it('on tag soup, gives the DOM path’s text, or leaves a whole document to it', () => {
    let taken = 0;
    fc.assert(
      fc.property(soup, (html) => {
        const fast = streamHtmlToText(html);
        if (fast !== null) {
          taken++;
          expect(fast).toBe(domHtmlToText(html));
        } else {
          expect(html).toMatch(/<\/?(?:html|head|body)\b/i);
        }
        expect(htmlToText(html)).toBe(domHtmlToText(html));
      }),
      { numRuns: 3000 },
    );
    // Only fragments with their own <html>, <head> or <body> go to the DOM.
    expect(taken).toBeGreaterThan(2000);
  });

  it('decodes named references as the DOM does', () => {
    for (const name of SIMPLE_ENTITY_NAMES) {
      const html = `<p>x&${name};y</p>`;
      expect(streamHtmlToText(html), name).toBe(domHtmlToText(html));
    }
  });

  it('handles implied and stray end tags as htmlparser2 does', () => {
    for (const html of [
      '<p>a<p>b<div>c</div>d',
      '<b><p>x</b>y</p>z',
      '<ul><li>one<li>two</ul>after',
      '<dl><dt>t<dd>d<dt>u</dl>',
      'a</p>b</br>c</img>d</hr>e',
      '<p><span>a<h2>b</h2></span>c',
      '<span/>x<p/>y<br/>z',
    ]) {
      readsAsTheDom(html);
    }
  });

  it('reads what the hand-written fast path left to the DOM, as the DOM does', () => {
    for (const html of [
      '<p>a</p><script>b()</script>',
      '<style>p{}</style><p>a</p>',
      '<table><tr><td>a</td></tr></table>',
      '<iframe src="x"></iframe>',
      '<p>a<!-- c --></p>',
      '<![CDATA[x]]>',
      '<p hidden>a</p>',
      '<span style="display:none">a</span>',
      '<p>AT&T</p>',
      '<p>&copy 2024</p>',
      '<p>&unknownentity;</p>',
      '<p>&#128;</p>',
      '<pre> a </pre>',
    ]) {
      readsAsTheDom(html);
    }
  });

  it('judges hidden elements by their attributes as the DOM does: the first of a name counts', () => {
    for (const html of [
      '<p style="color:red" style="display:none">a</p>b',
      '<p style="display:none" style="color:red">a</p>b',
      '<p aria-hidden="false" aria-hidden="true">a</p>b',
      '<p aria-hidden="true" aria-hidden="false">a</p>b',
      '<p HIDDEN>a</p><p hidden="false">b</p>c',
      '<p Style="display:none">a</p><span title="x" hidden><b>b</b></span>c',
      '<p>a<br hidden>b<img hidden>c</p>',
    ]) {
      readsAsTheDom(html);
    }
  });

  it('leaves a whole document, and markup past the limits, to the DOM path', () => {
    for (const html of [
      '<html><body><p>a</p></body></html>',
      '<p>a</p></body><p>b</p>',
      '<head><title>t</title></head><p>a</p>',
      `${'<div>'.repeat(300)}deep`,
    ]) {
      expect(streamHtmlToText(html), html).toBeNull();
    }
    expect(htmlToText('<html><body><p>a</p></body></html>')).toBe('a');
  });

  it('counts comments toward the element limit, as the DOM path does', () => {
    const elements = MARKUP_LIMITS.elements - 10;
    const within = '<b>x</b>'.repeat(elements);
    expect(streamHtmlToText(within)).not.toBeNull();
    // The same elements and twenty comments: over the limit for both paths.
    const over = within + '<!-- c -->'.repeat(20);
    expect(streamHtmlToText(over)).toBeNull();
    expect(() => htmlToText(over)).toThrow(MarkupTooComplex);
  });

  it('reads a typical feed description', () => {
    const html =
      '<img src="https://news.example/i/1.jpg" alt="Talks" /><p>The talks in <a href="https://news.example/a?x=1&amp;y=2">Seoul</a> went on for &ldquo;hours&rdquo; &amp; ended with <strong>no deal</strong>; the next round&#8217;s agenda is open.</p>\n<p>Read more<br/>below&nbsp;&hellip;</p>';
    expect(streamHtmlToText(html)).toBe(
      'The talks in Seoul went on for “hours” & ended with no deal; the next round’s agenda is open.\n\nRead more\nbelow …',
    );
    expect(htmlToText(html)).toBe(domHtmlToText(html));
  });
});
