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
  marginMs,
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
 * How long past its window a shared token stays out. Between a token taken on the store's
 * clock and the request reaching the platform lie a commit's round trip, this process's
 * scheduling and the network, and two instances' sends must still arrive a window apart. A
 * send answered late holds its tokens that much longer (`answered`), measured against the
 * shortest round trip this instance has seen; the margin covers how far that shortest may
 * still be above what the network can do: the in-process margin (marginMs) plus how far
 * this instance's short trips spread (`spread`, RoundTrips), so a steady network loses
 * little of the allowance and a jittery one keeps its distance.
 *
 * The in-process part also covers instances at unequal distances: a token one instance
 * gives back may be reused by another whose requests reach the platform sooner, so the
 * shortest trips to the platform of instances sharing a store must lie within about 25 ms
 * of each other (instances side by side, as the compose profile runs them).
 *
 * Before the instance has seen enough round trips to say (`spread` null): an eighth of the
 * window (125 ms of a second), at most SHARED_MAX_MARGIN_MS, which is also the most the
 * spread may add up to. Loaded CI machines showed 1 × 429 with a fixed 25 ms when the
 * lateness was still measured from the take's return instead of its time on the server.
 */
export function sharedMarginMs(window: RateWindow, spread: number | null = null): number {
  const most = Math.min(SHARED_MAX_MARGIN_MS, Math.ceil(window.perMs / 8));
  if (spread === null) return most;
  return Math.min(most, marginMs(window) + Math.ceil(spread));
}

/**
 * The buckets a send to `destination` takes a token from. A token is out for its window
 * plus sharedMarginMs (given the spread of this instance's round trips), timed from the
 * take (the send) and held longer by a late answer, as rate-limit.ts explains.
 */
export function bucketsFor(
  limit: RateLimit,
  destination: string,
  spread: number | null = null,
): RateBucket[] {
  const platform = platformOf(destination);
  const { perDestination, global } = windowsFor(limit, destination);
  return [
    ...perDestination.map((w) => ({
      key: `${platform}:${destination.slice(platform.length + 1)}:${windowName(w)}`,
      count: w.count,
      perMs: w.perMs + sharedMarginMs(w, spread),
    })),
    ...global.map((w) => ({
      key: `${platform}:*:${windowName(w)}`,
      count: w.count,
      perMs: w.perMs + sharedMarginMs(w, spread),
    })),
  ];
}

export class SharedRateLimiter implements Limiter {
  constructor(
    private readonly rates: RateStore,
    private readonly limit: RateLimit,
  ) {}

  /** Per destination, the tokens of its latest awaited take not yet answered. */
  private readonly latest = new Map<string, { tokens: RateTokens; holdMs: number }>();
  private readonly trips = new RoundTrips<RateTokens>();

  async tryAcquire(destination: string): Promise<number> {
    // The store's clock, not `now`: the instances' clocks may differ, the server's is one.
    const buckets = bucketsFor(this.limit, destination, this.trips.spread());
    const taken = await this.rates.take(buckets, { awaited: true });
    if (!taken.ok) return Math.max(1, taken.waitMs);
    const holdMs = Math.max(...buckets.map((bucket) => bucket.perMs));
    this.latest.set(destination, { tokens: taken.tokens, holdMs });
    return 0;
  }

  /**
   * As RateLimiter.answered, with the tokens in the store. The round trip runs from the
   * tokens' time on the store's clock to the answer on this one: a commit, a stalled event
   * loop or a slow link between the take and the request leaving all count, and the clocks'
   * offset, the same in every trip, drops out against the shortest.
   */
  async answered(destination: string, now: () => number): Promise<void> {
    const latest = this.latest.get(destination);
    if (!latest) return;
    this.latest.delete(destination);
    const { tokens, holdMs } = latest;
    if (tokens.ids.length === 0) return;
    const at = now();
    // Back at most `holdMs` (and the lateness) from now: the clocks' offset is unknown, so
    // not from the take.
    const { late, retime } = this.trips.answered(at - tokens.at, tokens, at, holdMs);
    await this.rates.answered(tokens, late);
    // Earlier sends timed against a longer shortest trip: one write per difference.
    const by = new Map<number, string[]>();
    for (const { tokens: earlier, by: ms } of retime) {
      by.set(ms, [...(by.get(ms) ?? []), ...earlier.ids]);
    }
    for (const [ms, ids] of by) await this.rates.answered({ ids, at: 0 }, ms);
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
