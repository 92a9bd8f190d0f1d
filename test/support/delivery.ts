/**
 * What the platform tests share: a loopback feed subscribed by some chats, and draining
 * the outbox until nothing is due, as the scheduler would.
 */

import { drainOutbox, type Log, type Sender } from '../../src/app/jobs/index.js';
import type { Config } from '../../src/config/index.js';
import type { Destination, FeedRecord, Store } from '../../src/store/port.js';
import { rss, serve } from '../app/commands/helpers.js';

export interface FeedItem {
  title: string;
  link: string;
  text: string;
  /** RFC 822, as RSS writes it. */
  pubDate?: string;
  /** The item's lead image (an image enclosure), as written in the XML. */
  image?: string;
}

/** Drains the outbox until nothing is due within a minute (retries included). */
export async function drainAll(
  store: Store,
  senders: readonly Sender[],
  config: Pick<Config, 'outbox'>,
  log?: Log,
): Promise<void> {
  for (let round = 0; round < 100; round++) {
    await drainOutbox({ store, senders, config, ...(log ? { log } : {}) });
    if ((await store.outbox.destinations(new Date(Date.now() + 60_000))).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the outbox did not drain');
}

/**
 * A feed served on 127.0.0.1 with the given items (written as XML), stored as a config feed
 * allowed to be private, subscribed by the given destinations. `closers` gets its stop.
 * Its first poll posts `firstPollPosts` items (default 1, as the config's default).
 */
export async function loopbackFeed(
  store: Store,
  items: readonly FeedItem[],
  destinations: readonly Destination[],
  closers: (() => Promise<void>)[],
  { firstPollPosts = 1 }: { firstPollPosts?: number } = {},
): Promise<{ feed: FeedRecord; url: string }> {
  const server = await serve({
    '/feed.xml': [200, 'application/rss+xml', rss('Wire', [...items])],
  });
  closers.push(() => server.close());
  const url = server.url('/feed.xml');
  const { feed } = await store.feeds.add({
    url,
    name: 'Wire',
    intervalSeconds: 900,
    languageHint: null,
    origin: 'config',
    options: { allowPrivate: true, firstPollPosts },
  });
  for (const destination of destinations) await store.subscriptions.add(feed.id, destination);
  return { feed, url };
}
