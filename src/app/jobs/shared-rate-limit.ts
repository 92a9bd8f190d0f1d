/**
 * The platforms' allowances shared by every instance on one store (PostgreSQL): the same
 * windows as the in-process limiter (rate-limit.ts), kept in the store's rate_tokens, so
 * that three instances send 30 messages a second to Telegram together, not 30 each.
 *
 * Bucket names: the destination's platform and what the window covers, e.g.
 * 'telegram:*:30/1000' (the bot's 30/s) and 'telegram:-100123:20/60000' (a group's 20/min).
 */
import type { RateBucket, RateStore, Store } from '../../store/port.js';
import {
  type Limiter,
  limiterFor,
  type RateLimit,
  type RateWindow,
  realSleep,
  type Sleep,
  windowsFor,
} from './rate-limit.js';

const windowName = (w: RateWindow): string => `${w.count}/${w.perMs}`;

/** 'telegram:-100123' → 'telegram'; a destination without a platform prefix is its own. */
function platformOf(destination: string): string {
  const colon = destination.indexOf(':');
  return colon < 0 ? destination : destination.slice(0, colon);
}

/** The most a shared token is held past its window. */
export const SHARED_MAX_MARGIN_MS = 150;

/**
 * How long past its window a shared token stays out: an eighth of the window (125 ms of a
 * second), at most SHARED_MAX_MARGIN_MS. Wider than the in-process margin (rate-limit.ts):
 * between a token taken on the store's clock and the request leaving lie a commit's round
 * trip and another process's scheduling, and two instances' sends to one chat must still
 * arrive a window apart (a loaded CI machine showed 1 × 429 with the in-process 25 ms).
 */
export function sharedMarginMs(window: RateWindow): number {
  return Math.min(SHARED_MAX_MARGIN_MS, Math.ceil(window.perMs / 8));
}

/**
 * The buckets a send to `destination` takes a token from. A token is out for its window
 * plus sharedMarginMs, timed from the take (the send), as rate-limit.ts explains.
 */
export function bucketsFor(limit: RateLimit, destination: string): RateBucket[] {
  const platform = platformOf(destination);
  const { perDestination, global } = windowsFor(limit, destination);
  return [
    ...perDestination.map((w) => ({
      key: `${platform}:${destination.slice(platform.length + 1)}:${windowName(w)}`,
      count: w.count,
      perMs: w.perMs + sharedMarginMs(w),
    })),
    ...global.map((w) => ({
      key: `${platform}:*:${windowName(w)}`,
      count: w.count,
      perMs: w.perMs + sharedMarginMs(w),
    })),
  ];
}

export class SharedRateLimiter implements Limiter {
  constructor(
    private readonly rates: RateStore,
    private readonly limit: RateLimit,
  ) {}

  async tryAcquire(destination: string): Promise<number> {
    // The store's clock, not `now`: the instances' clocks may differ, the server's is one.
    const taken = await this.rates.take(bucketsFor(this.limit, destination));
    return taken.ok ? 0 : Math.max(1, taken.waitMs);
  }

  /** Shared tokens are timed from the take with a wider margin (sharedMarginMs). */
  async answered(): Promise<void> {}

  async acquire(
    destination: string,
    _now: () => number,
    sleep: Sleep = realSleep,
    signal?: AbortSignal,
  ): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const wait = await this.tryAcquire(destination);
      if (wait === 0) return;
      await sleep(wait, signal);
    }
  }

  /**
   * A chat's new id (a group upgraded to a supergroup) starts with empty buckets: the old
   * id's tokens stay under it and come back within the window (a second, a minute).
   */
  move(): void {}
}

const shared = new WeakMap<RateStore, WeakMap<RateLimit, SharedRateLimiter>>();

/** One shared limiter per store and sender, for the life of the process. */
export function sharedLimiterFor(rates: RateStore, limit: RateLimit): SharedRateLimiter {
  let perLimit = shared.get(rates);
  if (!perLimit) {
    perLimit = new WeakMap();
    shared.set(rates, perLimit);
  }
  let limiter = perLimit.get(limit);
  if (!limiter) {
    limiter = new SharedRateLimiter(rates, limit);
    perLimit.set(limit, limiter);
  }
  return limiter;
}

/**
 * The limiter every send of a sender waits on (the outbox's and the command replies'): the
 * store's shared one when instances share the store, else the process's own.
 */
export function limiterOf(store: Pick<Store, 'cluster'>, limit: RateLimit): Limiter {
  return store.cluster !== null ? sharedLimiterFor(store.cluster.rates, limit) : limiterFor(limit);
}
