/**
 * The platforms' allowances shared by every instance on one store (PostgreSQL): the same
 * windows as the in-process limiter (rate-limit.ts), kept in the store's rate_tokens, so
 * that three instances send 30 messages a second to Telegram together, not 30 each.
 *
 * Bucket names: the destination's platform and what the window covers, e.g.
 * 'telegram:*:30/1000' (the bot's 30/s) and 'telegram:-100123:20/60000' (a group's 20/min).
 */
import type { RateBucket, RateStore, RateTokens, Store } from '../../store/port.js';
import {
  type Limiter,
  limiterFor,
  type RateLimit,
  type RateWindow,
  RoundTrips,
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
 * arrive a window apart. A send answered late holds its tokens longer still (`answered`),
 * but only once its answer is in; loaded CI machines showed 1 × 429 with the in-process
 * 25 ms, with and without that correction.
 */
export function sharedMarginMs(window: RateWindow): number {
  return Math.min(SHARED_MAX_MARGIN_MS, Math.ceil(window.perMs / 8));
}

/**
 * The buckets a send to `destination` takes a token from. A token is out for its window
 * plus sharedMarginMs, timed from the take (the send) and held longer by a late answer, as
 * rate-limit.ts explains.
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

  /** Per destination, the tokens of its latest awaited take not yet answered. */
  private readonly latest = new Map<string, RateTokens>();
  private readonly trips = new RoundTrips();

  async tryAcquire(destination: string): Promise<number> {
    // The store's clock, not `now`: the instances' clocks may differ, the server's is one.
    const taken = await this.rates.take(bucketsFor(this.limit, destination), { awaited: true });
    if (!taken.ok) return Math.max(1, taken.waitMs);
    this.latest.set(destination, taken.tokens);
    return 0;
  }

  /**
   * As RateLimiter.answered, with the tokens in the store. The round trip runs from the
   * tokens' time on the store's clock to the answer on this one: a commit, a stalled event
   * loop or a slow link between the take and the request leaving all count, and the clocks'
   * offset, the same in every trip, drops out against the shortest.
   */
  async answered(destination: string, now: () => number): Promise<void> {
    const tokens = this.latest.get(destination);
    if (!tokens) return;
    this.latest.delete(destination);
    if (tokens.ids.length === 0) return;
    await this.rates.answered(tokens, this.trips.late(now() - tokens.at));
  }

  async acquire(
    destination: string,
    _now: () => number,
    sleep: Sleep = realSleep,
    signal?: AbortSignal,
  ): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const taken = await this.rates.take(bucketsFor(this.limit, destination));
      if (taken.ok) return;
      await sleep(Math.max(1, taken.waitMs), signal);
    }
  }

  /**
   * A chat's new id (a group upgraded to a supergroup) starts with empty buckets: the old
   * id's tokens stay under it and come back within the window (a second, a minute). The
   * send in flight is answered under the new id.
   */
  move(from: string, to: string): void {
    const latest = this.latest.get(from);
    if (latest === undefined || from === to) return;
    this.latest.delete(from);
    this.latest.set(to, latest);
  }
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
