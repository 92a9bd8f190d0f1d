import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/input/errors.js';
import { parseArticle } from '../../src/core/input/index.js';
import { readArticle, readableInThread, readFeed } from '../../src/input/read.js';
import { FeedError } from '../../src/net/errors.js';
import { rejection } from '../support/errors.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const escaped = (html: string) => html.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const chain = (depth: number, text: string) =>
  `${'<div>'.repeat(depth)}<p>${text}</p>${'</div>'.repeat(depth)}`;

/** The longest the main thread went without running a timer, while watching. */
function watchThread(): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 20);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(longest, performance.now() - last);
    },
  };
}

let watching: { stop(): number } | null = null;
afterEach(() => {
  watching?.stop();
  watching = null;
});

describe('readArticle: pages are read in a worker with a deadline', () => {
  it('reads a page as parseArticle does', async () => {
    const page = readFileSync(new URL('../fixtures/input/news-page.html', import.meta.url));
    const input = { bytes: page, url: 'https://ledger.example/world/belousov', name: 'news' };
    expect(await readArticle(input)).toEqual(await parseArticle(input));
  });

  it('refuses a page nested 2,000 deep with its depth', async () => {
    const page = `<html><body>${chain(2000, 'Deep.')}</body></html>`;
    const error = await rejection(
      readArticle({ bytes: bytes(page), name: 'deep.html' }),
      InputError,
    );
    expect(error.code).toBe('too-complex');
    expect(error.message).toBe(
      'deep.html: the page nests 2,003 elements deep; briefwire reads pages up to 256 levels',
    );
  });

  it('gives up a page still being read at its deadline, the thread free all along', async () => {
    // Within the markup limits (250 levels, 75,000 elements), and some 4.5 s of reading on
    // a quiet machine: the deadline stays well short of that, or a loaded machine that
    // delays the deadline's timer lets the finished page win the race.
    const page = `<html><body>${chain(249, 'Belousov landed in Pyongyang.').repeat(300)}</body></html>`;
    watching = watchThread();
    const error = await rejection(
      // Long enough for the worker to start and be deep in Readability.
      readArticle({ bytes: bytes(page), name: 'slow.html' }, { deadlineMs: 2000 }),
      InputError,
    );
    const longest = watching.stop();
    expect(error.code).toBe('too-complex');
    expect(error.message).toBe(
      'slow.html: took over 2 s to read; briefwire gives up on pages that take that long',
    );
    expect(longest).toBeLessThan(1000);
  });

  it("keeps a worker's refusal typed, with its message", async () => {
    const app = '<html><head><script>x()</script></head><body><div id="root"></div></body></html>';
    const error = await rejection(readArticle({ bytes: bytes(app), name: 'app.html' }), InputError);
    expect(error.code).toBe('not-an-article');
    expect(error.message).toMatch(/^app\.html: the page has no readable text/);
  });

  it('stops when its signal is aborted', async () => {
    const page = `<html><body>${chain(249, 'Slow.').repeat(300)}</body></html>`;
    const controller = new AbortController();
    const reading = readArticle({ bytes: bytes(page), name: 'slow.html' }, controller);
    setTimeout(() => controller.abort(new Error('shutting down')), 200);
    await expect(reading).rejects.toThrow('shutting down');
  });
});

describe('readFeed: big feeds are read in a worker with a deadline', () => {
  const rss = (items: string) =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>${items}</channel></rss>`;
  const hostile = rss(
    `<item><title>Belousov lands in Pyongyang</title><link>https://wire.example/1</link>
      <description>${escaped(`${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}`)}</description></item>
    <item><title>Umerov meets Yoon in Seoul</title><link>https://wire.example/2</link>
      <description>${escaped('<p>Umerov met <b>Yoon</b> in Seoul.</p>')}</description></item>`,
  );

  it('reads an item of 100,000 nested escaped <div>s as plain text, the thread free all along', async () => {
    expect(readableInThread(bytes(hostile))).toBe(false);
    watching = watchThread();
    const feed = await readFeed(bytes(hostile), { url: 'https://wire.example/rss' });
    const longest = watching.stop();
    expect(feed.items.map((i) => [i.title, i.text])).toEqual([
      ['Belousov lands in Pyongyang', 'deep'],
      ['Umerov meets Yoon in Seoul', 'Umerov met Yoon in Seoul.'],
    ]);
    expect(feed.problems).toEqual([
      'item "Belousov lands in Pyongyang": its HTML nests more than 2,048 elements deep; briefwire reads HTML up to 256 levels; read as plain text',
    ]);
    expect(longest).toBeLessThan(1000);
  });

  it('gives up a feed past its deadline with too-complex', async () => {
    const error = await rejection(
      readFeed(bytes(hostile), { label: 'https://wire.example/rss', deadlineMs: 1 }),
      FeedError,
    );
    expect(error.code).toBe('too-complex');
    expect(error.message).toBe(
      'https://wire.example/rss: took over 1 ms to read; briefwire gives up on feeds that take that long',
    );
  });

  it("keeps a worker's refusal typed", async () => {
    const page = `<html><head><title>Not a feed</title></head><body>${'<p>x</p>'.repeat(40_000)}</body></html>`;
    const error = await rejection(readFeed(bytes(page), { label: 'page' }), FeedError);
    expect(error.code).toBe('not-a-feed');
    expect(error.message).toBe('page: is an HTML page, not a feed');
  });
});

describe('start-up: what reading a text loads', () => {
  /** The CommonJS packages loaded (rss-parser is one) once `steps` ran on the built read.js. */
  function packagesAfter(steps: string): string[] {
    const read = new URL('../../dist/input/read.js', import.meta.url).href;
    const script = `
      import { createRequire } from 'node:module';
      const { readArticle, readFeed } = await import(${JSON.stringify(read)});
      const bytes = (text) => new TextEncoder().encode(text);
      ${steps}
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify([...new Set(loaded.flatMap((p) => /node_modules\\/([^/]+)/.exec(p)?.[1] ?? []))]));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    return JSON.parse(child.stdout) as string[];
  }

  it('reads a plain-text article without the feed parser, so `briefwire brief` starts fast', () => {
    const after = packagesAfter(
      "await readArticle({ bytes: bytes('A title\\n\\nSome text of the article.'), name: 'a.txt' });",
    );
    expect(after).not.toContain('rss-parser');
  });

  it('loads the feed parser with the first feed', () => {
    const after = packagesAfter(
      `await readFeed(bytes('<rss version="2.0"><channel><title>T</title><item><title>A</title><link>https://a.example/1</link></item></channel></rss>'), { label: 'feed' });`,
    );
    expect(after).toContain('rss-parser');
  });
});
