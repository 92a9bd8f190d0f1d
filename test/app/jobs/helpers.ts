import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { PollDeps } from '../../../src/app/jobs/poller.js';
import { type Config, parseConfig } from '../../../src/config/index.js';
import type { Log } from '../../../src/shared/log.js';
import type { FeedRecord, Store } from '../../../src/store/port.js';
import { startServer, type TestServer } from '../../fixtures/input/http-server.js';
import type { TestStore } from '../../store/helpers.js';

export { MINUTE, openTestStore, START, type TestStore } from '../../store/helpers.js';

export const SECOND = 1000;

/** A config from YAML text, as the bot would load it (file in a temp dir). */
export function configFrom(yaml: string): Config {
  const dir = mkdtempSync(path.join(tmpdir(), 'briefwire-sched-config-'));
  try {
    return parseConfig({ text: yaml, file: path.join(dir, 'config.yaml'), env: {} });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Polling settings that make tests exact: no jitter, short backoff, pause after 3. */
export const POLLING_YAML = `
polling:
  defaultInterval: 10m
  jitter: 0
  maxConsecutiveFailures: 3
  backoffBase: 20m
  backoffMax: 1h
  concurrency: 2
outbox:
  retryBase: 5s
  retryMax: 1m
  maxAttempts: 4
`;

export interface Item {
  title: string;
  text?: string;
  guid?: string;
  link?: string;
  /** ISO date. */
  date?: string;
}

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An RSS 2.0 document. */
export function rss(items: readonly Item[], title = 'Loopback News'): string {
  const body = items
    .map((item) => {
      const parts = [`<title>${xmlEscape(item.title)}</title>`];
      if (item.guid) parts.push(`<guid isPermaLink="false">${xmlEscape(item.guid)}</guid>`);
      if (item.link) parts.push(`<link>${xmlEscape(item.link)}</link>`);
      if (item.date) parts.push(`<pubDate>${new Date(item.date).toUTCString()}</pubDate>`);
      parts.push(`<description>${xmlEscape(item.text ?? `${item.title}.`)}</description>`);
      return `<item>${parts.join('')}</item>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${xmlEscape(title)}</title><link>https://news.example/</link>
<language>en</language>
${body}
</channel></rss>`;
}

/** What the feed server answers; tests change it between polls. */
export interface FeedReply {
  status: number;
  body: string;
  headers: Record<string, string>;
  /** Answer 304 to an If-None-Match equal to this. */
  etag?: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface FeedState {
  reply: FeedReply;
  /** Requests being answered right now, and the most at once. */
  inFlight: number;
  maxInFlight: number;
}

export interface FeedServer extends TestServer {
  state: FeedState;
}

/** A feed on 127.0.0.1 answering `state.reply` (ETag/304 when `reply.etag` is set). */
export async function startFeedServer(reply: Partial<FeedReply> = {}): Promise<FeedServer> {
  const state: FeedState = {
    reply: { status: 200, body: rss([]), headers: {}, ...reply },
    inFlight: 0,
    maxInFlight: 0,
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    const { status, body, headers, etag, delayMs } = state.reply;
    const answer = (): void => {
      state.inFlight--;
      if (res.destroyed) return;
      if (etag && req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        res.end();
        return;
      }
      res.writeHead(status, {
        'content-type': 'application/rss+xml; charset=utf-8',
        ...(etag ? { etag } : {}),
        ...headers,
      });
      res.end(body);
    };
    if (delayMs) setTimeout(answer, delayMs);
    else answer();
  };
  const server = await startServer(handler);
  return { ...server, state };
}

/** Poll dependencies on the test store's clock, no jitter. */
export function pollDeps(t: TestStore, config: Config, extra: Partial<PollDeps> = {}): PollDeps {
  return { store: t.store, config, now: () => new Date(t.clock.now), rng: () => 0.5, ...extra };
}

export async function feedByUrl(store: Store, url: string): Promise<FeedRecord> {
  const feed = await store.feeds.getByUrl(url);
  if (!feed) throw new Error(`no feed ${url}`);
  return feed;
}

/** A writable that keeps what was written. */
export function memoryStream(): Writable & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      callback();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

/** A Log that keeps its lines, `level: message`. */
export function memoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

/** Resolves once `check` is true, polling every 10 ms; rejects after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
