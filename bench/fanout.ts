// What the platform fan-out benches share: one real brief queued for many destinations,
// a drain of the outbox until it is empty (timed), and the share of a rate limit used.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drainOutbox, type Instance, type RateWindow, type Sender } from '../src/app/jobs/index.js';
import { briefArticle } from '../src/core/brief.js';
import type { Destination, Store } from '../src/store/port.js';

const ARTICLE = fileURLToPath(new URL('articles/it.txt', import.meta.url));

const BENCH_CONFIG = {
  outbox: { retryBaseMs: 1000, retryMaxMs: 60_000, maxAttempts: 8 },
} as Parameters<typeof drainOutbox>[0]['config'];

/** The brief of the bench's Italian article, queued in one delivery per destination. */
export async function queueOneBrief(
  store: Store,
  destinations: readonly Destination[],
): Promise<void> {
  const [title = '', ...text] = readFileSync(ARTICLE, 'utf8').split('\n');
  const brief = briefArticle({ title, text: text.join('\n'), url: 'https://news.example/seed' });
  const { feed } = await store.feeds.add({
    url: 'https://news.example/feed.xml',
    name: 'Wire',
    intervalSeconds: 900,
    languageHint: null,
    origin: 'config',
  });
  await store.ingest(feed.id, [{ keys: ['g:seed'], brief, destinations }]);
}

/**
 * Drains the outbox through `sender` until nothing is left (retries included); seconds
 * taken. `instance`: this drain's name on leases, when several share a store.
 */
export async function drainTimed(
  store: Store,
  sender: Sender,
  instance?: Instance,
): Promise<number> {
  const started = performance.now();
  for (let round = 1; ; round++) {
    await drainOutbox({
      store,
      senders: [sender],
      config: BENCH_CONFIG,
      concurrency: 16,
      ...(instance ? { instance } : {}),
    });
    if ((await store.outbox.destinations(new Date(Date.now() + 3_600_000))).length === 0) break;
    if (round > 100) throw new Error('the outbox did not drain');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (performance.now() - started) / 1000;
}

/**
 * `sent` as a share of what the limit allows from the first send to the last: a full
 * window at once, then `count` more every `perMs`.
 */
export function shareOfAllowance(sent: number, seconds: number, window: RateWindow): number {
  return sent / (window.count + (window.count * seconds * 1000) / window.perMs);
}

export function round(x: number, digits = 2): number {
  return Number(x.toFixed(digits));
}
