import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, parseArticle } from '../../../src/core/input/index.js';
import { encodeLegacy } from '../../fixtures/input/legacy-encode.js';
import { rejection } from '../../support/errors.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/input/${name}`, import.meta.url));

const failure = (promise: Promise<unknown>) => rejection(promise, InputError);

describe('parseArticle dispatches on what the bytes are', () => {
  it('plain text', async () => {
    const a = await parseArticle({ bytes: utf8(' date 2024-11 Titolo\n\nTesto.\n') });
    expect(a).toMatchObject({
      title: 'Titolo',
      text: 'Testo.',
      publishedAt: '2024-11',
    });
  });

  it('an HTML page, with the url as base for its links', async () => {
    const a = await parseArticle({
      bytes: fixture('news-page.html'),
      url: 'https://ledger.example/x',
    });
    expect(a.title).toBe('Belousov lands in Pyongyang as Umerov meets Yoon in Seoul');
    expect(a.url).toBe('https://ledger.example/world/2024/11/29/belousov-pyongyang');
  });

  it('an RSS feed, an RSS 1.0 feed', async () => {
    expect((await parseArticle({ bytes: fixture('feed-rss2.xml') })).source).toBe(
      'Example Wire – World',
    );
    expect((await parseArticle({ bytes: fixture('feed-rss1.rdf') })).source).toBe(
      'RDF Example News',
    );
  });

  it('windows-1251 HTML declared in the header', async () => {
    const html =
      '<html lang="ru"><head><title>Белоусов в Пхеньяне</title></head><body><p>Министр обороны России Андрей Белоусов прилетел в Пхеньян.</p></body></html>';
    const a = await parseArticle({
      bytes: encodeLegacy(html, 'windows-1251'),
      contentType: 'text/html; charset=windows-1251',
    });
    expect(a).toMatchObject({
      title: 'Белоусов в Пхеньяне',
      text: 'Министр обороны России Андрей Белоусов прилетел в Пхеньян.',
      language: 'ru',
    });
  });

  it('an ISO-8859-1 feed declared in its XML prolog', async () => {
    const xml =
      '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Le Fil</title><item><title>Réunion à Séoul</title><description>Le ministre a été reçu à Séoul.</description></item></channel></rss>';
    const a = await parseArticle({ bytes: encodeLegacy(xml, 'iso-8859-1') });
    expect(a).toMatchObject({
      title: 'Réunion à Séoul',
      text: 'Le ministre a été reçu à Séoul.',
      source: 'Le Fil',
    });
  });
});

describe('parseArticle refuses what is not an article, saying why in one line', () => {
  it('a PDF', async () => {
    const error = await failure(
      parseArticle({
        bytes: Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
        name: 'input.pdf',
      }),
    );
    expect(error.code).toBe('binary');
    expect(error.message).toBe('input.pdf: looks like binary data (PDF), not an article');
  });

  it('bytes with NULs', async () => {
    const error = await failure(
      parseArticle({ bytes: new Uint8Array([65, 0, 66, 0, 0, 0, 1, 2]), name: 'x.bin' }),
    );
    expect(error.code).toBe('binary');
    expect(error.message).toBe('x.bin: looks like binary data, not an article');
  });

  it('an empty input', async () => {
    const error = await failure(parseArticle({ bytes: utf8('  \n\n '), name: 'stdin' }));
    expect(error.code).toBe('empty');
    expect(error.message).toBe('stdin: is empty; there is no article to read');
  });

  it('XML that is not a feed', async () => {
    const error = await failure(
      parseArticle({
        bytes: utf8('<?xml version="1.0"?><urlset><url/></urlset>'),
        url: 'https://s.example/sitemap.xml',
      }),
    );
    expect(error.code).toBe('not-an-article');
    expect(error.message).toBe(
      'https://s.example/sitemap.xml: is XML (<urlset>) but not an RSS/Atom feed or an HTML page',
    );
  });
});
