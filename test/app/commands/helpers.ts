import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type Chat,
  type CommandDeps,
  createCommandDeps,
  createCommandHandler,
  type Reply,
} from '../../../src/app/commands/index.js';
import { type Config, parseConfig } from '../../../src/config/index.js';
import { briefArticle } from '../../../src/core/brief.js';
import type { Article, Brief } from '../../../src/core/types.js';
import type { Destination, FeedRecord, Store } from '../../../src/store/port.js';
import { openSqliteStore } from '../../../src/store/sqlite.js';
import { startServer, type TestServer } from '../../fixtures/input/http-server.js';

export const START = Date.parse('2025-03-14T08:00:00.000Z');
export const DAY = 86_400_000;

/** The config the handler reads: the defaults, plus whatever YAML a test adds. */
export function testConfig(yaml = ''): Config {
  return parseConfig({ text: yaml, file: path.join(tmpdir(), 'briefwire-test.yaml'), env: {} });
}

/** A chat whose admin answer the test sets, counting how often it was asked. */
export interface TestChat extends Chat {
  admin: boolean;
  asked: number;
}

export function chat(destination: Destination, admin = true, language?: 'en' | 'it'): TestChat {
  const c: TestChat = {
    destination,
    admin,
    asked: 0,
    // As each platform's adapter says.
    fileInput: destination.startsWith('telegram:')
      ? 'caption'
      : destination.startsWith('discord:')
        ? 'attachment'
        : 'path',
    isAdmin: async () => {
      c.asked++;
      return c.admin;
    },
    ...(language ? { language } : {}),
  };
  return c;
}

/** A real SQLite store in a temp dir, the handler over it, and a clock tests move. */
export interface Bot {
  store: Store;
  /** The SQLite file. */
  file: string;
  config: Config;
  clock: { now: number };
  deps: CommandDeps;
  /** `user`: who sends it (`telegram:1001`), as the platform adapters say. */
  send(chat: Chat, text: string, user?: string): Promise<Reply>;
  /** Another handler over the same store (other deps, e.g. the default guard). */
  with(overrides: Partial<CommandDeps>): (chat: Chat, text: string) => Promise<Reply>;
  errors: unknown[];
  cleanup(): Promise<void>;
}

/**
 * `allowPrivate`: the URL guard lets 127.0.0.1 through (the test servers); without it the
 * handler has the guard every chat gets.
 */
export function openBot(options: { allowPrivate?: boolean; yaml?: string } = {}): Bot {
  const dir = mkdtempSync(path.join(tmpdir(), 'briefwire-commands-'));
  const clock = { now: START };
  const file = path.join(dir, 'data', 'briefwire.db');
  const store = openSqliteStore(file, {
    now: () => new Date(clock.now),
  });
  const config = testConfig(options.yaml);
  const errors: unknown[] = [];
  const deps = createCommandDeps({
    store,
    config,
    now: () => new Date(clock.now),
    ...(options.allowPrivate ? { guard: { allowPrivate: true } } : {}),
    onError: (error) => errors.push(error),
  });
  const handle = createCommandHandler(deps);
  return {
    store,
    file,
    config,
    clock,
    deps,
    errors,
    send: (c, text, user) => handle({ text, chat: c, ...(user ? { user } : {}) }),
    with: (overrides) => {
      const other = createCommandHandler({ ...deps, ...overrides });
      return (c, text) => other({ text, chat: c });
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The reply's text, after checking its kind. */
export function textOf(reply: Reply, kind: Reply['kind'] = 'text'): string {
  if (reply.kind !== kind) {
    throw new Error(`expected a ${kind} reply, got ${reply.kind}: ${reply.text}`);
  }
  return reply.text;
}

export function rss(
  title: string,
  items: { title: string; link: string; text: string; pubDate?: string; image?: string }[],
): string {
  const entries = items
    .map(
      (i) =>
        `<item><title>${i.title}</title><link>${i.link}</link><guid>${i.link}</guid>` +
        `${i.pubDate ? `<pubDate>${i.pubDate}</pubDate>` : ''}<description>${i.text}</description>` +
        `${i.image ? `<enclosure url="${i.image}" type="image/jpeg" length="1"/>` : ''}</item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${title}</title><link>https://news.example/</link><language>it-IT</language>${entries}</channel></rss>`;
}

/** Pages served on 127.0.0.1: path → [status, content type, body]. */
export async function serve(
  pages: Record<string, [number, string, string]>,
): Promise<TestServer & { hits: (path: string) => number }> {
  const server = await startServer((req: IncomingMessage, res: ServerResponse) => {
    const page = pages[req.url ?? '/'];
    if (page === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const [status, type, body] = page;
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  return {
    ...server,
    hits: (p) => server.requests.filter((r) => r.url === p).length,
  };
}

/** A feed in the store, subscribed by the given chats, as a poll would leave it. */
export async function storedFeed(
  store: Store,
  url: string,
  name: string,
  destinations: readonly Destination[],
): Promise<FeedRecord> {
  const { feed } = await store.feeds.add({
    url,
    name,
    intervalSeconds: 900,
    languageHint: null,
    origin: 'config',
  });
  for (const destination of destinations) await store.subscriptions.add(feed.id, destination);
  return feed;
}

/** Briefs made with the real engine, stored for a feed, a day apart (oldest first). */
export async function ingestArticles(
  bot: Bot,
  feed: FeedRecord,
  articles: readonly Article[],
  destinations: readonly Destination[],
): Promise<Brief[]> {
  const briefs: Brief[] = [];
  for (const [k, article] of articles.entries()) {
    const brief = briefArticle({
      ...article,
      publishedAt: article.publishedAt ?? new Date(bot.clock.now).toISOString(),
    });
    await bot.store.ingest(feed.id, [
      { keys: [`g:${feed.id}:${k}:${article.title}`], brief, destinations },
    ]);
    briefs.push(brief);
    bot.clock.now += DAY;
  }
  return briefs;
}
