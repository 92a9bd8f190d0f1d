// What the platform fan-out benches share: one real brief queued for many destinations,
// the stores of one or several instances, a drain of the outbox until it is empty (timed),
// and the share of a rate limit used.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { drainOutbox, type Instance, type RateWindow, type Sender } from '../src/app/jobs/index.js';
import { briefArticle } from '../src/core/brief.js';
import { openStore } from '../src/store/open.js';
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

/** The PostgreSQL server the benches of several instances use; null when none is set. */
export function benchDatabaseUrl(): string | null {
  return process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || null;
}

/**
 * A fan-out bench's command line, `[destinations] [round trip ms] [instances]`; null (after
 * printing its skip line and an empty JSON line, as bench/run.mjs reads them) when several
 * instances are asked for and no PostgreSQL server is set.
 */
export function fanoutArgs(
  platform: string,
  destinations: number,
): { destinations: number; latencyMs: number; instances: number; key: string; who: string } | null {
  const [count, latencyMs, instances] = [destinations, 100, 1].map((fallback, k) =>
    Number(process.argv[2 + k] ?? fallback),
  ) as [number, number, number];
  const who = instances === 1 ? '' : ` (${instances} instances on PostgreSQL)`;
  if (instances > 1 && benchDatabaseUrl() === null) {
    console.log(`${platform} fan-out${who}: skipped, set BENCH_DATABASE_URL or TEST_DATABASE_URL`);
    console.log(JSON.stringify({}));
    return null;
  }
  const key = instances === 1 ? platform : `${platform}${instances}`;
  return { destinations: count, latencyMs, instances, key, who };
}

/** The stores of the instances: one SQLite file, or a fresh PostgreSQL schema for several. */
export async function openStores(instances: number, dir: string) {
  if (instances === 1) {
    const store = await openStore(`sqlite:${path.join(dir, 'briefwire.db')}`);
    return { stores: [store], drop: async () => {} };
  }
  const url = benchDatabaseUrl();
  if (!url) throw new Error('several instances need BENCH_DATABASE_URL or TEST_DATABASE_URL');
  const schema = `bw_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const inSchema = new URL(url);
  inSchema.searchParams.set('options', `-c search_path=${schema}`);
  const stores: Store[] = [];
  for (let n = 0; n < instances; n++) stores.push(await openStore(inSchema.toString()));
  return {
    stores,
    drop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/**
 * `sent` as a share of what the limit allows from the first send to the last: a full
 * window at once, then `count` more every `perMs`.
 */
export function shareOfAllowance(sent: number, seconds: number, window: RateWindow): number {
  return sent / (window.count + (window.count * seconds * 1000) / window.perMs);
}

/**
 * `sent` as a share of the limit's rate over `seconds`, with no burst: what a sender that
 * keeps exactly `count` per `perMs` all along would score 100 % on. The burst a window
 * allows at once needs `count` sends in flight, which the send window (send-window.ts)
 * never allows so that a crash repeats few messages: counted, it caps a steady sender
 * at sent / (count + sent) (Discord's 500 at 91 %, Telegram's 1,000 at 97 %).
 * This (messages per second over the allowed rate) is the figure the 95 % target reads;
 * shareOfAllowance is printed beside it.
 */
export function shareOfRate(sent: number, seconds: number, window: RateWindow): number {
  return sent / ((window.count * seconds * 1000) / window.perMs);
}

export function round(x: number, digits = 2): number {
  return Number(x.toFixed(digits));
}

/**
 * Where a fan-out's share of the allowance went, from the platform's arrival times of the
 * accepted sends (ms, one clock with `startedAt`/`endedAt`): printed with BENCH_TRACE=1.
 * - start: from the drain's start to the first arrival;
 * - burst: sends in the first window after the first arrival (the allowance: `count`);
 * - cycle: the mean and least time from a send to the one `count` sends later, the time a
 *   token takes to come round (the window, then margin, lateness and idle time);
 * - tail: from the last arrival to the drain's end.
 */
export function arrivalProfile(
  arrivals: readonly number[],
  window: RateWindow,
  startedAt: number,
  endedAt: number,
) {
  const at = [...arrivals].sort((a, b) => a - b);
  const first = at[0] ?? startedAt;
  const last = at[at.length - 1] ?? endedAt;
  const burst = at.filter((t) => t < first + window.perMs).length;
  const cycles: number[] = [];
  for (let i = 0; i + window.count < at.length; i++) {
    cycles.push((at[i + window.count] as number) - (at[i] as number));
  }
  const mean = cycles.reduce((a, b) => a + b, 0) / Math.max(1, cycles.length);
  const sorted = [...cycles].sort((a, b) => a - b);
  const q = (p: number) => round(sorted[Math.floor(p * (sorted.length - 1))] ?? 0, 1);
  return {
    startMs: round(first - startedAt, 1),
    burst,
    cycleMeanMs: round(mean, 1),
    cycleMinMs: q(0),
    cycleP10Ms: q(0.1),
    cycleP50Ms: q(0.5),
    cycleP90Ms: q(0.9),
    cycleMaxMs: q(1),
    tailMs: round(endedAt - last, 1),
  };
}
