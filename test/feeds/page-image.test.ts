/**
 * The lead image of an article page, for a polled item whose feed gives none: read from the
 * page's head through the feeds' guard; any failure is no image.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fetchPageImage } from '../../src/feeds/page-image.js';
import { startServer, type TestServer } from '../fixtures/input/http-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const PAGE =
  '<html><head><meta property="og:image" content="/lead.jpg"></head><body>Story</body></html>';

describe('fetchPageImage', () => {
  it('reads og:image from the head, resolved against the page', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    });
    expect(await fetchPageImage(server.url('/story'), { allowPrivate: true })).toBe(
      server.url('/lead.jpg'),
    );
  });

  it('keeps away from private addresses unless allowed, as feeds do', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    });
    expect(await fetchPageImage(server.url('/story'))).toBeNull();
    expect(server.requests).toHaveLength(0);
  });

  it('is no image for a page that is not HTML, and asks no DNS for a name that never resolves', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"html": "${PAGE}"}`);
    });
    expect(await fetchPageImage(server.url('/data'), { allowPrivate: true })).toBeNull();
    let lookups = 0;
    const lookup = async () => {
      lookups++;
      return [{ address: '93.184.216.34', family: 4 }];
    };
    expect(await fetchPageImage('https://news.example/story', { lookup })).toBeNull();
    expect(await fetchPageImage('https://site.invalid/story', { lookup })).toBeNull();
    expect(lookups).toBe(0);
  });
});
