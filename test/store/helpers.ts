import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Actor, Brief } from '../../src/core/types.js';
import type { Destination, FeedRecord, NewFeed, Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

/** A real SQLite file in a fresh temp dir, with a clock the test moves. */
export interface TestStore {
  store: Store;
  file: string;
  clock: { now: number; advance(ms: number): void };
  /** Closes and opens the same file again, as a restart would. */
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}

export const START = Date.parse('2025-03-14T08:00:00.000Z');
export const MINUTE = 60_000;
export const DAY = 86_400_000;

export function openTestStore(): TestStore {
  const dir = mkdtempSync(path.join(tmpdir(), 'briefwire-store-'));
  const file = path.join(dir, 'data', 'briefwire.db');
  const clock = {
    now: START,
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const open = () => openSqliteStore(file, { now: () => new Date(clock.now) });
  const handle: TestStore = {
    store: open(),
    file,
    clock,
    async reopen() {
      await handle.store.close();
      handle.store = open();
      return handle.store;
    },
    async cleanup() {
      await handle.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

export function actor(id: string, name: string, extra: Partial<Actor> = {}): Actor {
  return {
    id,
    name,
    kind: 'person',
    role: null,
    mentions: 1,
    salience: 0.5,
    aliases: [],
    ...extra,
  };
}

export function brief(title: string, extra: Partial<Brief> = {}): Brief {
  return {
    title,
    url: `https://news.example/${encodeURIComponent(title)}`,
    source: 'example feed',
    publishedAt: '2025-03-14T07:00:00.000Z',
    language: 'en',
    summary: [`${title}.`],
    actors: [],
    tags: [],
    ...extra,
  };
}

export async function addFeed(store: Store, extra: Partial<NewFeed> = {}): Promise<FeedRecord> {
  const { feed } = await store.feeds.add({
    url: 'https://news.example/rss',
    name: 'Example news',
    intervalSeconds: 300,
    languageHint: null,
    origin: 'config',
    ...extra,
  });
  return feed;
}

/** Ingests one item per title, keyed by its title, posted to the given destinations. */
export async function ingestTitles(
  store: Store,
  feedId: number,
  titles: readonly string[],
  destinations: readonly Destination[] = ['console'],
): Promise<number[]> {
  const outcomes = await store.ingest(
    feedId,
    titles.map((title) => ({ keys: [`guid:${title}`], brief: brief(title), destinations })),
  );
  return outcomes.map((outcome) => (outcome.status === 'stored' ? outcome.briefId : -1));
}

/**
 * Overwrites the first page of `table` in a closed SQLite file with `fill` bytes, as a disk
 * error or a stray write would: SQLite opens the file, and only reading that page fails.
 */
export function damagePage(file: string, table: string, fill = 0): void {
  const db = new Database(file, { readonly: true });
  let page: number;
  let pageSize: number;
  try {
    page = db
      .prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno LIMIT 1')
      .pluck()
      .get(table) as number;
    pageSize = db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
  if (!page) throw new Error(`no page of ${table} in ${file}`);
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, fill), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}
