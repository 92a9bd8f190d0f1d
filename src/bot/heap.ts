/**
 * The V8 heap settings of the long-running bot. Loading the bot and polling many feeds are
 * bursts of short-lived objects. With V8's defaults the young generation grows to two 16 MB
 * semi-spaces in such a burst and keeps that size, and the old generation keeps its
 * high-water mark, until V8's memory reducer runs: ~100 s after the poll (its watchdog), as
 * bench/run-memory.ts saw with --trace-gc. A bot that polls every few minutes would hold a burst's memory
 * for most of its life. So the service asks V8 to favour size:
 * - `--optimize-for-size`: the memory reducer acts seconds after the process goes quiet,
 *   and the heap grows less eagerly;
 * - `--semi-space-growth-factor=1`: the young generation keeps its start size (1 MB per
 *   semi-space), so short-lived data never holds 32 MB of it.
 * bench/run-memory.ts (the real `briefwire run`, 1,000 feeds): idle 168–192 → 135–139 MB,
 * peak the same, for ~20 % more CPU in the poll (the young generation is collected more
 * often); an idle bot spends next to none. Each flag alone misses: without the first, idle
 * 197–199 MB; without the second, idle 145–151 MB and a peak of 156–157 MB. The price is
 * paid by each brief too: ~600 KB of short-lived objects against a 1 MB young generation
 * means a scavenge every other brief, which copies and promotes the brief in progress, so
 * the bot briefs at ~0.6–0.85 × the rate of V8's defaults on one article repeated, and at
 * about half on a stream of new articles, where `--optimize-for-size` brings ~40× the
 * mark-compacts (`npm run bench` prints both; bench/ner-speed.mjs --heap service;
 * docs/model-card.md, sixth session). Briefs are about a fifth of that poll's CPU (parsing
 * the feeds is most of it), so the memory wins. V8 reads both flags as it runs, so setting them
 * at start, before the bot's modules load, takes effect; the short commands (`brief`, `tag`)
 * keep V8's defaults.
 */
import { setFlagsFromString } from 'node:v8';

export const SERVICE_HEAP_FLAGS = ['--optimize-for-size', '--semi-space-growth-factor=1'] as const;

/** Applies SERVICE_HEAP_FLAGS to this process; call once, before the bot's modules load. */
export function favourHeapSize(): void {
  for (const flag of SERVICE_HEAP_FLAGS) setFlagsFromString(flag);
}
