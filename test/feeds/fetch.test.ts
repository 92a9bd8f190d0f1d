import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent } from 'node:http';
import { Agent as TlsAgent } from 'node:https';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FEED_MAX_BYTES, fetchFeed, parseRetryAfter } from '../../src/feeds/fetch.js';
import { parseFeed } from '../../src/feeds/parse.js';
import { FeedError } from '../../src/net/errors.js';
import { createGuardedAgents, type LookupAll } from '../../src/net/guard.js';
import { fetchBytes, USER_AGENT } from '../../src/net/http.js';
import { startServer, type TestServer } from '../fixtures/input/http-server.js';
import { rejection } from '../support/errors.js';
import { tempFolder } from '../support/files.js';
import { feedingPipe } from '../support/pipe.js';

const { dir } = tempFolder('fetch');

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Loopback Wire</title><link>http://wire.test/</link>
<item><title>Umerov meets Yoon in Seoul</title><link>/umerov</link><guid>u-1</guid>
<pubDate>Fri, 29 Nov 2024 08:00:00 GMT</pubDate><description>Kyiv and Seoul talk.</description></item>
</channel></rss>`;

const failure = (promise: Promise<unknown>) => rejection(promise, FeedError);

function okFeed(res: ServerResponse, body: string | Buffer = RSS, headers = {}): void {
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', ...headers });
  res.end(body);
}

const local = { allowPrivate: true };

describe('fetchFeed: conditional GET', () => {
  it('sends the ETag back as If-None-Match and reports a 304 as not-modified', async () => {
    server = await startServer((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' });
        res.end();
      } else okFeed(res, RSS, { etag: '"v1"' });
    });
    const first = await fetchFeed(server.url('/feed'), local);
    expect(first.status).toBe('ok');
    if (first.status !== 'ok') return;
    expect(first.etag).toBe('"v1"');
    expect(first.lastModified).toBeNull();
    expect((await parseFeed(first.bytes, { url: first.finalUrl })).title).toBe('Loopback Wire');

    const second = await fetchFeed(server.url('/feed'), { ...local, etag: first.etag });
    expect(second).toEqual({
      status: 'not-modified',
      finalUrl: server.url('/feed'),
      etag: '"v1"',
      lastModified: null,
    });
    expect(server.requests[0]?.headers['if-none-match']).toBeUndefined();
    expect(server.requests[1]?.headers['if-none-match']).toBe('"v1"');
  });

  it('sends Last-Modified back as If-Modified-Since', async () => {
    const stamp = 'Fri, 29 Nov 2024 08:00:00 GMT';
    server = await startServer((req, res) => {
      if (req.headers['if-modified-since'] === stamp) {
        res.writeHead(304);
        res.end();
      } else okFeed(res, RSS, { 'last-modified': stamp });
    });
    const first = await fetchFeed(server.url('/feed'), local);
    expect(first.status === 'ok' && first.lastModified).toBe(stamp);
    const second = await fetchFeed(server.url('/feed'), { ...local, lastModified: stamp });
    // The server sent no validators with its 304: the ones we had are kept.
    expect(second).toMatchObject({ status: 'not-modified', lastModified: stamp, etag: null });
    expect(server.requests[1]?.headers['if-modified-since']).toBe(stamp);
  });

  it('returns the new body and validators when the feed changed', async () => {
    server = await startServer((req, res) =>
      req.headers['if-none-match'] === '"v2"' ? res.end() : okFeed(res, RSS, { etag: '"v2"' }),
    );
    const got = await fetchFeed(server.url('/feed'), { ...local, etag: '"v1"' });
    expect(got).toMatchObject({ status: 'ok', etag: '"v2"' });
  });

  it('asks for feeds and names itself', async () => {
    server = await startServer((_req, res) => okFeed(res));
    await fetchFeed(server.url('/feed'), local);
    const headers = server.requests[0]?.headers ?? {};
    expect(headers.accept).toMatch(/^application\/rss\+xml, application\/atom\+xml/);
    expect(headers.accept).toContain('application/feed+json');
    expect(headers['user-agent']).toBe(USER_AGENT);
    expect(headers['accept-encoding']).toMatch(/gzip/);
    expect(headers['accept-encoding']).toMatch(/br/);
  });
});

describe('fetchFeed: errors', () => {
  it('turns a 500 into an http error with the status', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(500);
      res.end('boom');
    });
    const error = await failure(fetchFeed(server.url('/feed'), local));
    expect(error.code).toBe('http');
    expect(error.status).toBe(500);
    expect(error.retryAfterMs).toBeNull();
    expect(error.message).toBe(`${server.url('/feed')}: HTTP 500 Internal Server Error`);
  });

  it('turns a 404 into an http error', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    const error = await failure(fetchFeed(server.url('/gone'), local));
    expect(error).toMatchObject({ code: 'http', status: 404 });
    expect(error.detail).toBe('HTTP 404 Not Found');
  });

  it('carries Retry-After in seconds on a 429', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '120' });
      res.end();
    });
    const error = await failure(fetchFeed(server.url('/feed'), local));
    expect(error).toMatchObject({ code: 'retry-later', status: 429, retryAfterMs: 120_000 });
    expect(error.message).toBe(
      `${server.url('/feed')}: HTTP 429 Too Many Requests; retry after 2m`,
    );
  });

  it('carries Retry-After as an HTTP date on a 503', async () => {
    const now = Date.parse('2024-11-29T08:00:00Z');
    server = await startServer((_req, res) => {
      res.writeHead(503, { 'retry-after': 'Fri, 29 Nov 2024 08:05:30 GMT' });
      res.end();
    });
    const error = await failure(fetchFeed(server.url('/feed'), { ...local, now: () => now }));
    expect(error).toMatchObject({ code: 'retry-later', status: 503, retryAfterMs: 330_000 });
    expect(error.detail).toBe('HTTP 503 Service Unavailable; retry after 5m30s');
  });

  it('reports a 429 without Retry-After as retry-later with no delay', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(429);
      res.end();
    });
    const error = await failure(fetchFeed(server.url('/feed'), local));
    expect(error).toMatchObject({ code: 'retry-later', status: 429, retryAfterMs: null });
  });

  it('gives up on a slow server after the timeout', async () => {
    server = await startServer((_req, res) => {
      setTimeout(() => okFeed(res), 5000).unref();
    });
    const started = Date.now();
    const error = await failure(fetchFeed(server.url('/slow'), { ...local, timeoutMs: 300 }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(
      `${server.url('/slow')}: no complete response within 0.3 s (timed out)`,
    );
  });

  it('gets a fast answer within the same timeout', async () => {
    server = await startServer((_req, res) => {
      setTimeout(() => okFeed(res), 50);
    });
    expect((await fetchFeed(server.url('/feed'), { ...local, timeoutMs: 2000 })).status).toBe('ok');
  });

  it('caps a huge body (default 10 MiB) without reading it all', async () => {
    expect(FEED_MAX_BYTES).toBe(10 * 1024 * 1024);
    const chunk = Buffer.alloc(256 * 1024, 'a');
    let written = 0;
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss version="2.0"><channel><title>');
      const pump = (): void => {
        while (written < 200 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const error = await failure(fetchFeed(server.url('/huge'), local));
    expect(error.code).toBe('too-large');
    expect(error.message).toBe(
      `${server.url('/huge')}: the response is larger than the 10 MiB limit`,
    );
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('takes a smaller cap', async () => {
    server = await startServer((_req, res) => okFeed(res, RSS.repeat(1).padEnd(4096, ' ')));
    const error = await failure(fetchFeed(server.url('/feed'), { ...local, maxBytes: 1024 }));
    expect(error.code).toBe('too-large');
  });

  it('names an unreachable server in one line', async () => {
    const gone = await startServer(() => undefined);
    const url = gone.url('/feed');
    await gone.close();
    const error = await failure(fetchFeed(url, local));
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(`${url}: connection refused; is the server running?`);
  });
});

describe('fetchFeed: encodings', () => {
  it('decodes gzip', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
      res.end(gzipSync(RSS));
    });
    const got = await fetchFeed(server.url('/feed.gz'), local);
    expect(got.status === 'ok' && new TextDecoder().decode(got.bytes)).toBe(RSS);
  });

  it('decodes brotli', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'br' });
      res.end(brotliCompressSync(RSS));
    });
    const got = await fetchFeed(server.url('/feed.br'), local);
    expect(got.status === 'ok' && new TextDecoder().decode(got.bytes)).toBe(RSS);
  });
});

describe('fetchFeed: the private-address guard at every hop', () => {
  /** The first host passes the guard as a public one; later names go to the real resolver. */
  function firstHostPublic(): LookupAll {
    let calls = 0;
    return async (host) => {
      if (calls++ === 0) return [{ address: '93.184.216.34', family: 4 }];
      const { lookup } = await import('node:dns/promises');
      return lookup(host, { all: true });
    };
  }

  function redirectTo(target: (req: IncomingMessage) => string): Promise<TestServer> {
    return startServer((req, res) => {
      if (req.url === '/start') {
        res.writeHead(302, { location: target(req) });
        res.end();
      } else okFeed(res);
    });
  }

  // The check before each hop, on its own: an unguarded client lets the first request
  // reach the loopback server that the fake DNS passed off as public.
  const unguarded = { http: new Agent(), https: new TlsAgent() };
  afterAll(() => {
    unguarded.http.destroy();
    unguarded.https.destroy();
  });

  it('refuses a redirect to a name that resolves to loopback (localhost, real DNS)', async () => {
    server = await redirectTo((req) => `http://${req.headers.host}/feed`);
    const start = server.url('/start').replace('127.0.0.1', 'localhost');
    const error = await failure(fetchFeed(start, { lookup: firstHostPublic(), agents: unguarded }));
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(
      /^http:\/\/localhost:\d+\/feed: refused: resolves to a loopback address \((127\.0\.0\.1|::1)\) \(redirected from http:\/\/localhost:\d+\/start\)$/,
    );
    expect(server.requests.map((r) => r.url)).toEqual(['/start']);
  });

  it.each([
    ['http://10.0.0.5/feed', 'a private address (10.0.0.5)'],
    ['http://169.254.169.254/latest/meta-data/', 'the cloud metadata address (169.254.169.254)'],
    ['http://[::ffff:127.0.0.1]/feed', 'a loopback address (::ffff:7f00:1)'],
  ])('refuses a redirect to %s', async (target, words) => {
    server = await redirectTo(() => target);
    const start = server.url('/start').replace('127.0.0.1', 'localhost');
    const error = await failure(fetchFeed(start, { lookup: firstHostPublic(), agents: unguarded }));
    expect(error.code).toBe('refused');
    expect(error.detail).toBe(`refused: resolves to ${words} (redirected from ${start})`);
  });

  it('refuses the first URL before any request', async () => {
    server = await startServer((_req, res) => okFeed(res));
    const error = await failure(fetchFeed(server.url('/feed')));
    expect(error.code).toBe('refused');
    expect(error.message).toBe(
      `${server.url('/feed')}: refused: resolves to a loopback address (127.0.0.1)`,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('follows redirects among allowed addresses with allowPrivate', async () => {
    server = await redirectTo((req) => `http://${req.headers.host}/feed`);
    const got = await fetchFeed(server.url('/start'), local);
    expect(got).toMatchObject({ status: 'ok', finalUrl: server.url('/feed') });
  });

  it('refuses a redirect to file: even with allowFile', async () => {
    server = await redirectTo(() => 'file:///etc/passwd');
    const error = await failure(fetchFeed(server.url('/start'), { ...local, allowFile: true }));
    expect(error.code).toBe('bad-url');
  });
});

describe('fetchFeed: the guard as the connection is made (DNS rebinding)', () => {
  /** DNS that answers a public address once, then the address a rebinding attacker wants. */
  function rebinding(then = '127.0.0.1'): LookupAll & { calls: string[] } {
    const calls: string[] = [];
    return Object.assign(
      async (host: string) => {
        calls.push(host);
        const address = calls.length === 1 ? '93.184.216.34' : then;
        return [{ address, family: address.includes(':') ? 6 : 4 }];
      },
      { calls },
    );
  }

  it('refuses a name whose second DNS answer is loopback, and never reaches the server', async () => {
    server = await startServer((_req, res) => okFeed(res));
    const url = server.url('/feed').replace('127.0.0.1', 'rebind.test');
    const lookup = rebinding();
    const error = await failure(fetchFeed(url, { lookup }));
    expect(lookup.calls).toEqual(['rebind.test', 'rebind.test']); // the check, then the connect
    expect(error.code).toBe('refused');
    expect(error.message).toBe(
      `${url}: refused: rebind.test resolves to a loopback address (127.0.0.1)`,
    );
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['10.1.2.3', 'a private address (10.1.2.3)'],
    ['169.254.169.254', 'the cloud metadata address (169.254.169.254)'],
    ['::1', 'a loopback address (::1)'],
  ])('refuses a second answer of %s', async (address, words) => {
    server = await startServer((_req, res) => okFeed(res));
    const url = server.url('/feed').replace('127.0.0.1', 'rebind.test');
    const error = await failure(fetchFeed(url, { lookup: rebinding(address) }));
    expect(error.code).toBe('refused');
    expect(error.detail).toBe(`refused: rebind.test resolves to ${words}`);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a private address in the URL itself at connect time too', async () => {
    // The check before the request is skipped here (fetchBytes alone): the connector refuses.
    server = await startServer((_req, res) => okFeed(res));
    const agents = await createGuardedAgents();
    try {
      const error = await failure(fetchBytes(server.url('/feed'), { agents }));
      expect(error.code).toBe('refused');
      expect(error.message).toBe(
        `${server.url('/feed')}: refused: resolves to a loopback address (127.0.0.1)`,
      );
    } finally {
      agents.http.destroy();
      agents.https.destroy();
    }
    expect(server.requests).toHaveLength(0);
  });

  it('leaves private addresses alone with allowPrivate (config feeds, tests)', async () => {
    server = await startServer((_req, res) => okFeed(res));
    const url = server.url('/feed').replace('127.0.0.1', 'localhost');
    const got = await fetchFeed(url, { ...local, lookup: rebinding() });
    expect(got.status).toBe('ok');
  });
});

describe('fetchFeed: file feeds', () => {
  it('reads a file: URL only with allowFile, with an ETag from size and mtime', async () => {
    const url = new URL('../fixtures/feeds/rss2.xml', import.meta.url).href;
    const refused = await failure(fetchFeed(url));
    expect(refused.code).toBe('bad-url');
    const got = await fetchFeed(url, { allowFile: true });
    expect(got.status).toBe('ok');
    if (got.status !== 'ok') return;
    expect(got.etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect((await parseFeed(got.bytes)).title).toBe('Wire & Co – Mondo');
    const again = await fetchFeed(url, { allowFile: true, etag: got.etag });
    expect(again.status).toBe('not-modified');
  });

  it('names a missing file', async () => {
    const error = await failure(
      fetchFeed('file:///nonexistent/feed.xml', { allowFile: true, label: 'feed.xml' }),
    );
    expect(error.code).toBe('unreadable');
    expect(error.message).toBe('feed.xml: no such file');
  });

  it('stops reading a pipe or device at the cap, whatever its size says', async () => {
    // A pipe says it is 0 bytes long, as /dev/zero does; this one holds 64 MiB.
    const pipe = feedingPipe(dir, 'endless.xml', 64 * 1024 * 1024);
    const error = await failure(
      fetchFeed(pathToFileURL(pipe.path), {
        allowFile: true,
        label: 'endless.xml',
        maxBytes: 1024 * 1024,
      }),
    );
    expect(error.code).toBe('too-large');
    expect(error.message).toBe('endless.xml: is over the 1 MiB limit');
    // The reader let go at the cap: the writer was cut off, not read to its end.
    expect(await pipe.finished).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-11-29T08:00:00Z');
  it.each([
    ['0', 0],
    ['120', 120_000],
    [' 5 ', 5000],
    ['Fri, 29 Nov 2024 08:01:00 GMT', 60_000],
    ['Fri, 29 Nov 2024 07:00:00 GMT', 0],
    ['Friday, 29-Nov-24 08:00:10 GMT', 10_000],
    ['soon', null],
    ['-5', null],
    ['', null],
    [null, null],
  ])('%j → %j', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});
