import { chmodSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/input/errors.js';
import { loadArticle } from '../../src/input/load.js';
import { startServer, type TestServer } from '../fixtures/input/http-server.js';
import { encodeLegacy } from '../fixtures/input/legacy-encode.js';
import { rejection } from '../support/errors.js';
import { tempFolder } from '../support/files.js';

const { dir, file } = tempFolder('load');

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const failure = (promise: Promise<unknown>) => rejection(promise, InputError);

const story = ' date 2024-11 Belousov a Pyongyang\n\nIl ministro è atterrato ieri.\n';

describe('loadArticle from a file', () => {
  it('reads a plain-text article', async () => {
    const article = await loadArticle(file('story.txt', story));
    expect(article).toMatchObject({
      title: 'Belousov a Pyongyang',
      text: 'Il ministro è atterrato ieri.',
      publishedAt: '2024-11',
    });
  });

  it('reads a file:// URL as a file', async () => {
    const path = file('story-url.txt', story);
    expect((await loadArticle(pathToFileURL(path).href)).title).toBe('Belousov a Pyongyang');
  });

  it('names a missing file', async () => {
    const path = join(dir, 'nope.txt');
    const error = await failure(loadArticle(path));
    expect(error.code).toBe('unreadable');
    expect(error.message).toBe(`${path}: no such file`);
  });

  it('names a directory', async () => {
    const error = await failure(loadArticle(dir));
    expect(error.code).toBe('unreadable');
    expect(error.message).toBe(`${dir}: is a directory, not a file`);
  });

  it.skipIf(process.getuid?.() === 0)('names a file it may not read', async () => {
    const path = file('secret.txt', story);
    chmodSync(path, 0o000);
    const error = await failure(loadArticle(path));
    expect(error.code).toBe('unreadable');
    expect(error.message).toBe(`${path}: permission denied`);
  });

  it('refuses a file over the limit from its size, before reading it', async () => {
    // A sparse 6 MiB of NULs: had it been read, it would be called binary instead.
    const path = file('huge.txt', '');
    truncateSync(path, 6 * 1024 * 1024);
    const error = await failure(loadArticle(path));
    expect(error.code).toBe('too-large');
    expect(error.message).toBe(`${path}: is 6 MiB, over the 5 MiB limit`);
    const small = await failure(
      loadArticle(file('medium.txt', 'x'.repeat(2000)), { maxBytes: 1000 }),
    );
    expect(small.message).toMatch(/is 2.0 KiB, over the 1000 bytes limit$/);
  });

  it('refuses a PDF with the file name in the message', async () => {
    const path = file('input.pdf', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1'));
    const error = await failure(loadArticle(path));
    expect(error.code).toBe('binary');
    expect(error.message).toBe(`${path}: looks like binary data (PDF), not an article`);
  });

  it('refuses an empty file', async () => {
    const error = await failure(loadArticle(file('empty.txt', '\n  \n')));
    expect(error.code).toBe('empty');
  });

  it('reads an iso-8859-1 file', async () => {
    const path = file(
      'latin1.txt',
      encodeLegacy('Réunion à Séoul\n\nLe ministre a été reçu.', 'iso-8859-1'),
    );
    expect(await loadArticle(path)).toMatchObject({
      title: 'Réunion à Séoul',
      text: 'Le ministre a été reçu.',
    });
  });
});

describe('loadArticle from stdin (-)', () => {
  it('reads the piped article', async () => {
    const stdin = Readable.from([
      Buffer.from(' date 2024-11 Belousov'),
      Buffer.from(' a Pyongyang\n\nTesto.\n'),
    ]);
    expect(await loadArticle('-', { stdin })).toMatchObject({
      title: 'Belousov a Pyongyang',
      text: 'Testo.',
    });
  });

  it('stops reading at the limit', async () => {
    let pulled = 0;
    const stdin = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(1024, 'a'));
      },
    });
    const error = await failure(loadArticle('-', { stdin, maxBytes: 10 * 1024 }));
    expect(error.code).toBe('too-large');
    expect(error.message).toBe('stdin: is over the 10 KiB limit');
    expect(pulled).toBeLessThan(100);
  });

  it('refuses nothing piped in as empty', async () => {
    const error = await failure(loadArticle('-', { stdin: Readable.from([]) }));
    expect(error.code).toBe('empty');
    expect(error.message).toBe('stdin: is empty; there is no article to read');
  });
});

describe('loadArticle from a URL', () => {
  it('fetches and reads an HTML page, with the final URL as base', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/old') {
        res.writeHead(301, { location: '/news/talks' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<html lang="en"><head><title>Talks in Seoul</title><meta property="og:site_name" content="Loopback News"></head><body><article><p>Umerov met Yoon in Seoul on Friday.</p><p>Belousov was in Pyongyang.</p></article></body></html>',
      );
    });
    const article = await loadArticle(server.url('/old'));
    expect(article).toEqual({
      title: 'Talks in Seoul',
      text: 'Umerov met Yoon in Seoul on Friday.\n\nBelousov was in Pyongyang.',
      url: server.url('/news/talks'),
      source: 'Loopback News',
      publishedAt: null,
      language: 'en',
    });
  });

  it('decodes with the charset the server names', async () => {
    const text = 'Белоусов в Пхеньяне\n\nМинистр обороны России прилетел в Пхеньян.';
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=windows-1251' });
      res.end(encodeLegacy(text, 'windows-1251'));
    });
    expect(await loadArticle(server.url('/ru.txt'))).toMatchObject({
      title: 'Белоусов в Пхеньяне',
      text: 'Министр обороны России прилетел в Пхеньян.',
      url: server.url('/ru.txt'),
    });
  });

  it('reads a feed served as XML', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(
        '<rss version="2.0"><channel><title>Loop Feed</title><link>/</link><item><title>Item</title><link>/item/1</link><description>Body.</description></item></channel></rss>',
      );
    });
    expect(await loadArticle(server.url('/feed.xml'))).toMatchObject({
      title: 'Item',
      url: server.url('/item/1'),
      source: 'Loop Feed',
    });
  });

  it('says which status the server answered', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    const error = await failure(loadArticle(server.url('/gone')));
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(`${server.url('/gone')}: HTTP 404 Not Found`);
  });

  it('applies the size limit to URLs too', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(5000));
    });
    const error = await failure(loadArticle(server.url('/big'), { maxBytes: 1000 }));
    expect(error.code).toBe('too-large');
  });

  it('refuses other schemes', async () => {
    const error = await failure(loadArticle('ftp://files.example/a.txt'));
    expect(error.code).toBe('bad-url');
    expect(error.message).toBe(
      'ftp://files.example/a.txt: ftp:// is not supported; give a file path, an http(s) URL, or - for stdin',
    );
  });
});
