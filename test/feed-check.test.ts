import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './fixtures/input/http-server.js';
import { expectOneLineError, ROOT, runCli } from './support/cli.js';
import { tempFolder } from './support/files.js';

// Drives the built command (`npm test` builds it first) as a user would, from the repo root.
const run = (args: string[]) => runCli(args);
const FIXTURES = join(ROOT, 'test', 'fixtures', 'feeds');

const { dir, file } = tempFolder('feed-check');

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('briefwire feed check FILE', () => {
  it('prints the feed title and every item: title, link, guid, date', async () => {
    const result = await run(['feed', 'check', 'test/fixtures/feeds/rss1.rdf']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'RDF Example News',
        'https://rdf.example/ · RSS 1.0 · language en · 2 items',
        '',
        '1. Umerov meets Yoon in Seoul',
        '   link: https://rdf.example/umerov-seoul',
        '   guid: https://rdf.example/umerov-seoul',
        '   date: 2024-11-29T08:00:00.000Z',
        '',
        '2. Belousov lands in Pyongyang',
        '   link: https://rdf.example/belousov-pyongyang',
        '   guid: https://rdf.example/belousov-pyongyang',
        '   date: 2024-11-29T07:00:00.000Z',
        '',
      ].join('\n'),
    );
  });

  it('says (none) for what an item lacks and counts what it left out', async () => {
    const result = await run(['feed', 'check', join(FIXTURES, 'rss2.xml')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Wire & Co – Mondo\nhttps://wire.example/mondo/ · RSS 2.0 · language it · 4 items\n',
    );
    expect(result.stdout).toContain('1 item(s) without title or text left out');
    expect(result.stdout).toContain('   guid: (none)\n   date: (none)\n');
  });

  it('prints JSON with --json', async () => {
    const result = await run(['feed', 'check', '--json', join(FIXTURES, 'atom.xml')]);
    expect(result.code).toBe(0);
    const feed = JSON.parse(result.stdout) as Record<string, unknown> & {
      items: Record<string, unknown>[];
    };
    expect(feed).toMatchObject({ format: 'Atom', title: 'Le Monde Exemple', language: 'fr' });
    expect(feed.items).toHaveLength(3);
    expect(Object.keys(feed.items[0] ?? {}).sort()).toEqual(
      ['guid', 'image', 'language', 'link', 'publishedAt', 'text', 'title'].sort(),
    );
  });

  it('reads JSON Feed', async () => {
    const result = await run(['feed', 'check', join(FIXTURES, 'feed.json')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^JSON Example\nhttps:\/\/json\.example\/ · JSON Feed 1\.1/);
  });

  it('strips terminal control characters from feed text', async () => {
    const path = file(
      'ansi.xml',
      '<rss version="2.0"><channel><title>Evil\u001b[2J news for everyone</title><item><title>Hi\u001b]0;pwned\u0007 there</title></item></channel></rss>',
    );
    const result = await run(['feed', 'check', path]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).not.toContain('\u0007');
    expect(result.stdout).toContain('1. Hi]0;pwned there');
  });
});

describe('briefwire feed check: one line for anything unusable', () => {
  it('an HTML page, naming the feed it advertises', async () => {
    const result = await run(['feed', 'check', 'test/fixtures/feeds/page.html']);
    expectOneLineError(
      result,
      /^briefwire: test\/fixtures\/feeds\/page\.html: is an HTML page, not a feed/,
    );
  });

  it('truncated XML', async () => {
    const path = file(
      'cut.xml',
      '<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><item><title>Half',
    );
    expectOneLineError(await run(['feed', 'check', path]), /cut\.xml: the XML is cut short/);
  });

  it('an empty file', async () => {
    const path = file('empty.xml', '\n\n');
    expectOneLineError(
      await run(['feed', 'check', path]),
      /empty\.xml: is empty; there is no feed to read$/m,
    );
  });

  it('binary data', async () => {
    const path = file(
      'image.png',
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
    );
    expectOneLineError(
      await run(['feed', 'check', path]),
      /image\.png: looks like binary data \(PNG image\), not a feed/,
    );
  });

  it('a missing file and a directory', async () => {
    expectOneLineError(
      await run(['feed', 'check', 'no/such/feed.xml']),
      /^briefwire: no\/such\/feed\.xml: no such file\n$/,
    );
    expectOneLineError(await run(['feed', 'check', dir]), /is a directory, not a file/);
  });

  it('a 404', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(404);
      res.end('<h1>Not found</h1>');
    });
    const url = server.url('/missing.xml');
    expectOneLineError(
      await run(['feed', 'check', url]),
      new RegExp(`^briefwire: ${url}: HTTP 404 Not Found\\n$`),
    );
  });

  it('an unreachable server', async () => {
    const gone = await startServer(() => undefined);
    const url = gone.url('/feed');
    await gone.close();
    expectOneLineError(
      await run(['feed', 'check', url]),
      /connection refused; is the server running\?/,
    );
  });

  it('a page served where a feed was expected', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        '<!doctype html><html><head><link rel="alternate" type="application/atom+xml" href="/atom"></head><body>Hi</body></html>',
      );
    });
    expectOneLineError(
      await run(['feed', 'check', server.url('/')]),
      new RegExp(`is an HTML page, not a feed \\(the page names a feed: ${server.url('/atom')}\\)`),
    );
  });

  it('usage mistakes', async () => {
    expectOneLineError(
      await run(['feed']),
      /feed needs a subcommand: briefwire feed check FILE\|URL/,
    );
    expectOneLineError(await run(['feed', 'list']), /unknown feed subcommand "list"/);
    expectOneLineError(await run(['feed', 'check']), /feed check takes one FILE or URL/);
    expectOneLineError(
      await run(['feed', 'check', '--jsno', 'a']),
      /feed check: unknown option --jsno \(did you mean --json\?\)/,
    );
    expectOneLineError(
      await run(['feed', 'check', 'ftp://x.example/feed']),
      /ftp: is not supported/,
    );
  });
});

describe('briefwire feed check URL', () => {
  it('fetches a gzip feed over HTTP, following a redirect, resolving links against it', async () => {
    const rss =
      '<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback</title><item><title>Story</title><link>/story?utm_source=x</link><guid>s1</guid><pubDate>Fri, 29 Nov 2024 08:00:00 GMT</pubDate></item></channel></rss>';
    server = await startServer((req, res) => {
      if (req.url === '/old') {
        res.writeHead(301, { location: '/feeds/main.xml' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
      res.end(gzipSync(rss));
    });
    const result = await run(['feed', 'check', '--json', server.url('/old')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const feed = JSON.parse(result.stdout) as { url: string; items: { link: string }[] };
    expect(feed.url).toBe(server.url('/feeds/main.xml'));
    expect(feed.items[0]?.link).toBe(server.url('/story?utm_source=x'));
  });
});

describe("briefwire feed check URL with the config's http settings", () => {
  /** /hop/N redirects to /hop/N+1 until /hop/<hops>, which serves a feed. */
  async function hopping(hops: number): Promise<TestServer> {
    return startServer((req, res) => {
      const n = Number(/^\/hop\/(\d+)$/.exec(req.url ?? '')?.[1] ?? 0);
      if (n < hops) {
        res.writeHead(302, { location: `/hop/${n + 1}` });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(
        '<rss version="2.0"><channel><title>Hops</title><item><title>Arrived</title></item></channel></rss>',
      );
    });
  }
  const config = file(
    'http.yaml',
    'http:\n  userAgent: feed-checker/2 (+https://ops.example)\n  maxRedirects: 1\n',
  );

  it('names itself with http.userAgent and follows up to http.maxRedirects', async () => {
    server = await hopping(1);
    const result = await run(['feed', 'check', '--config', config, server.url('/hop/0')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Hops\n/);
    expect(server.requests.map((r) => r.headers['user-agent'])).toEqual([
      'feed-checker/2 (+https://ops.example)',
      'feed-checker/2 (+https://ops.example)',
    ]);
  });

  it('refuses one redirect more than http.maxRedirects in one line', async () => {
    server = await hopping(2);
    const url = server.url('/hop/0');
    expectOneLineError(
      await run(['feed', 'check', '--config', config, url]),
      new RegExp(
        `^briefwire: ${url}: too many redirects \\(more than 1\\); the last one to ${server.url('/hop/2')}\\n$`,
      ),
    );
    expect(server.requests).toHaveLength(2);
  });

  it('says which config it cannot use', async () => {
    const broken = file('broken.yaml', 'http:\n  maxRedirects: lots\n');
    expectOneLineError(
      await run(['feed', 'check', '--config', broken, 'test/fixtures/feeds/rss1.rdf']),
      /broken\.yaml: http\.maxRedirects/,
    );
  });
});

describe('briefwire help', () => {
  it('lists feed check', async () => {
    const result = await run(['help']);
    expect(result.stdout).toContain('briefwire feed check [--json] [--config FILE] FILE|URL');
  });
});
