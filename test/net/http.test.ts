import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/input/errors.js';
import { fetchBytes, USER_AGENT } from '../../src/net/http.js';
import { startServer, type TestServer } from '../fixtures/input/http-server.js';
import { rejection } from '../support/errors.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const failure = (promise: Promise<unknown>) => rejection(promise, InputError);

/**
 * A body of up to 1 GiB of 'a', written as fast as the client reads it: how much the server
 * wrote, and when the client closed the connection.
 */
function endlessBody() {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let written = 0;
  let closedEarly!: () => void;
  const closed = new Promise<void>((resolve) => {
    closedEarly = resolve;
  });
  const pump = (res: ServerResponse): void => {
    const more = (): void => {
      while (written < 1024 * 1024 * 1024) {
        written += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', more);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => closedEarly());
    more();
  };
  return { pump, closed, written: () => written };
}

describe('fetchBytes', () => {
  it('returns the body, content type, final URL and status of a 200', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<p>Hello</p>');
    });
    const got = await fetchBytes(server.url('/page'));
    expect(new TextDecoder().decode(got.bytes)).toBe('<p>Hello</p>');
    expect(got).toMatchObject({
      contentType: 'text/html; charset=utf-8',
      finalUrl: server.url('/page'),
      status: 200,
    });
  });

  it('identifies itself and says what it accepts', async () => {
    server = await startServer((_req, res) => res.end('ok'));
    await fetchBytes(server.url('/'), { headers: { 'X-Extra': '1' } });
    const req = server.requests[0];
    expect(req?.headers['user-agent']).toBe(USER_AGENT);
    expect(USER_AGENT).toBe('briefwire/0.1 (+https://github.com/briefwire)');
    expect(req?.headers.accept).toContain('text/html');
    expect(req?.headers.accept).toContain('application/rss+xml');
    expect(req?.headers['x-extra']).toBe('1');
  });

  it.each([
    [404, 'HTTP 404 Not Found'],
    [500, 'HTTP 500 Internal Server Error'],
    [403, 'HTTP 403 Forbidden'],
  ])('refuses a %i as unreachable, naming the status', async (status, words) => {
    server = await startServer((_req, res) => {
      res.writeHead(status);
      res.end('nope');
    });
    const error = await failure(fetchBytes(server.url('/y?page=2')));
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(`${server.url('/y?page=2')}: ${words}`);
  });

  function redirectingServer(hops: number): Promise<TestServer> {
    return startServer((req, res) => {
      const n = Number(/^\/hop\/(\d+)$/.exec(req.url ?? '')?.[1] ?? 0);
      if (n < hops) {
        // every redirect status; absolute and relative Locations
        const status = [301, 302, 303, 307, 308][n % 5] as number;
        const next = `/hop/${n + 1}`;
        res.writeHead(status, { location: n % 2 ? `http://${req.headers.host}${next}` : next });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`arrived after ${n}`);
      }
    });
  }

  it('follows up to 5 redirects and reports where it ended', async () => {
    server = await redirectingServer(5);
    const got = await fetchBytes(server.url('/hop/0'));
    expect(new TextDecoder().decode(got.bytes)).toBe('arrived after 5');
    expect(got.finalUrl).toBe(server.url('/hop/5'));
    expect(server.requests).toHaveLength(6);
  });

  it('refuses a 6th redirect', async () => {
    server = await redirectingServer(6);
    const error = await failure(fetchBytes(server.url('/hop/0')));
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/too many redirects \(more than 5\)/);
    expect(server.requests).toHaveLength(6);
  });

  it('refuses a redirect to something other than http(s)', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    });
    const error = await failure(fetchBytes(server.url('/')));
    expect(error.code).toBe('bad-url');
  });

  it('lets the caller check every hop', async () => {
    server = await redirectingServer(2);
    const seen: string[] = [];
    await fetchBytes(server.url('/hop/0'), { checkUrl: (u) => void seen.push(u.pathname) });
    expect(seen).toEqual(['/hop/0', '/hop/1', '/hop/2']);
    const refused = await failure(
      fetchBytes(server.url('/hop/0'), {
        checkUrl: (u) => {
          if (u.pathname === '/hop/1') throw new InputError('bad-url', u.href, 'not allowed');
        },
      }),
    );
    expect(refused.code).toBe('bad-url');
  });

  it.each([
    ['ftp://files.example/a.txt', /only http:\/\/ and https:\/\/ URLs can be fetched/],
    ['not a url', /is not a valid URL/],
  ])('refuses %j as a bad URL', async (url, message) => {
    const error = await failure(fetchBytes(url));
    expect(error.code).toBe('bad-url');
    expect(error.message).toMatch(message);
  });

  it('gives up on a server that does not answer in time', async () => {
    server = await startServer(() => {
      // never responds
    });
    const started = Date.now();
    const error = await failure(fetchBytes(server.url('/slow'), { timeoutMs: 200 }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(
      `${server.url('/slow')}: no complete response within 0.2 s (timed out)`,
    );
  });

  it('gives up on a body that trickles past the timeout', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first bytes');
      // and then nothing more
    });
    const error = await failure(fetchBytes(server.url('/trickle'), { timeoutMs: 300 }));
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/timed out/);
  });

  it('aborts a huge body as soon as it passes the cap', async () => {
    const body = endlessBody();
    server = await startServer((_req, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/plain' }); // no length: streamed
      body.pump(res);
    });
    const error = await failure(fetchBytes(server.url('/huge'), { maxBytes: 1024 * 1024 }));
    expect(error.code).toBe('too-large');
    expect(error.message).toBe(
      `${server.url('/huge')}: the response is larger than the 1 MiB limit`,
    );
    await body.closed;
    // The server saw the connection closed long before its 1 GiB was sent.
    expect(body.written()).toBeLessThan(16 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.write('x');
    });
    const error = await failure(fetchBytes(server.url('/big'), { maxBytes: 1024 * 1024 }));
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/is 10 MiB, over the 1 MiB limit$/);
  });

  it('with truncate, keeps the head of a longer body and stops reading it', async () => {
    const body = endlessBody();
    server = await startServer((_req, res: ServerResponse) => {
      // Declared over the cap: with truncate, read all the same, up to the cap.
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(1 << 30) });
      body.pump(res);
    });
    const got = await fetchBytes(server.url('/long'), { maxBytes: 1000, truncate: true });
    expect(new TextDecoder().decode(got.bytes)).toBe('a'.repeat(1000));
    await body.closed;
    expect(body.written()).toBeLessThan(16 * 1024 * 1024);
  });

  it('decodes a gzip body', async () => {
    const page = '<p>Compressed Belousov story</p>'.repeat(100);
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      res.end(gzipSync(page));
    });
    const got = await fetchBytes(server.url('/gz'));
    expect(new TextDecoder().decode(got.bytes)).toBe(page);
    expect(server.requests[0]?.headers['accept-encoding']).toMatch(/gzip/);
  });

  it('caps the decoded size of a gzip body, not the compressed one', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const error = await failure(fetchBytes(server.url('/bomb'), { maxBytes: 1024 * 1024 }));
    expect(error.code).toBe('too-large');
  });

  it('names a refused connection in words', async () => {
    const gone = await startServer(() => undefined);
    const url = gone.url('/');
    await gone.close();
    const error = await failure(fetchBytes(url));
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(`${url}: connection refused; is the server running?`);
  });

  it('names a connection the server drops', async () => {
    server = await startServer((req) => req.socket.destroy());
    const error = await failure(fetchBytes(server.url('/drop')));
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/closed the connection|other side closed/);
    expect(error.message).not.toContain('\n');
  });

  it('rejects with the caller’s own reason when cancelled', async () => {
    server = await startServer(() => undefined);
    const controller = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => controller.abort(reason), 50);
    await expect(fetchBytes(server.url('/'), { signal: controller.signal })).rejects.toBe(reason);
  });

  it('lets the caller replace the error of a refused status (onErrorStatus)', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '30' });
      res.end();
    });
    const seen: [number, string | null][] = [];
    const own = new Error('rate limited');
    await expect(
      fetchBytes(server.url('/feed'), {
        onErrorStatus: (status, headers) => {
          seen.push([status, headers.get('retry-after')]);
          throw own;
        },
      }),
    ).rejects.toBe(own);
    expect(seen).toEqual([[429, '30']]);
    // Returning leaves the usual error.
    const error = await failure(
      fetchBytes(server.url('/feed'), { onErrorStatus: () => undefined }),
    );
    expect(error.message).toBe(`${server.url('/feed')}: HTTP 429 Too Many Requests`);
  });

  it('hands back a 304 to a conditional request', async () => {
    server = await startServer((req, res) => {
      res.writeHead(req.headers['if-none-match'] === '"v1"' ? 304 : 200, { etag: '"v1"' });
      res.end();
    });
    const got = await fetchBytes(server.url('/feed'), { headers: { 'If-None-Match': '"v1"' } });
    expect(got.status).toBe(304);
    expect(got.bytes).toHaveLength(0);
    expect(got.headers.get('etag')).toBe('"v1"');
  });
});
