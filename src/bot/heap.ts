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
 * 197–199 MB; without the second, idle 145–151 MB and a peak of 156–157 MB. V8 reads both
 * flags as it runs, so setting them at start, before the bot's modules load, takes effect
 * (given on the command line instead, --optimize-for-size pins the young generation at
 * 1 MB for good); the short commands (`brief`, `tag`) keep V8's defaults.
 *
 * The 1 MB young generation is for the idle bot. A poll lets it grow again (busyHeap,
 * below): a brief leaves ~0.9 MB of short-lived objects, so with 1 MB every brief ran a
 * scavenge that copied and promoted the brief in progress, and GC took 12–20 % of a
 * brief's time instead of ~4 % (briefs at ~0.6–0.85 × V8's defaults' rate).
 */
import { setFlagsFromString } from 'node:v8';

/** The young generation's growth while the bot is idle (1: it keeps its 1 MB start size). */
export const IDLE_HEAP_FLAG = '--semi-space-growth-factor=1';

export const SERVICE_HEAP_FLAGS = ['--optimize-for-size', IDLE_HEAP_FLAG] as const;

/** Applies SERVICE_HEAP_FLAGS to this process; call once, before the bot's modules load. */
export function favourHeapSize(): void {
  for (const flag of SERVICE_HEAP_FLAGS) setFlagsFromString(flag);
}

/**
 * The young generation's growth while the bot works, and once it is idle again. While a
 * poll runs, the young generation may grow as V8's defaults let it (doubling, up to 16 MB
 * a semi-space); once the poll is done, growth stops and the memory reducer (with
 * --optimize-for-size, seconds after the bot goes quiet) shrinks it back to 1 MB.
 * On the bench article, with the service flags, GC went from 12–20 % of the wall time of
 * a brief to 4–5 % (its pauses ~0.2–0.5 ms → ~0.05–0.16 ms a brief). bench/run-memory.ts (the
 * real `briefwire run`, 1,000 feeds): CPU up to idle 17.2 → 13.7 s; idle 134.8 → 141.3 MB
 * (30 s later 131.1 → 130.3 MB), peak 140 → 155 MB while the poll runs.
 */
export const BUSY_HEAP_FLAG = '--semi-space-growth-factor=2';

/** Runs work with the busy heap, restored to the idle one when the last work in flight ends. */
export type WhileBusy = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * A WhileBusy for this process (with favourHeapSize, the service's): the first work in
 * flight sets the busy heap, the last one to end, however it ends, the idle one.
 * `setFlags` is V8's; tests pass their own.
 */
export function busyHeap(setFlags: (flag: string) => void = setFlagsFromString): WhileBusy {
  let working = 0;
  return async (work) => {
    if (working++ === 0) setFlags(BUSY_HEAP_FLAG);
    try {
      return await work();
    } finally {
      if (--working === 0) setFlags(IDLE_HEAP_FLAG);
    }
  };
}
