/**
 * Rate limits a sender declares (Telegram: 1 message/s per chat, 20/min per group, 30/s per
 * bot), kept by the outbox with token buckets.
 *
 * A bucket holds `count` tokens; sending takes one, and a token taken at t is back at
 * t + perMs. So no window of `perMs` ever sees more than `count` sends — stricter than a
 * bucket that refills continuously, which lets up to 2 × count − 1 through in one window
 * (a burst, then the refill) and would earn a 429 from a platform that counts per window.
 *
 * Waiting is computed, never polled: the limiter says how long until every bucket involved
 * has a token, and the caller awaits a timer for that long.
 *
 * A platform counts a request when it arrives, some time after it was sent. Over a steady
 * network every request takes about as long, so sends `perMs` apart arrive `perMs` apart;
 * what varies is the jitter, and a token comes back `perMs` plus a margin for it after the
 * send (marginMs). Timing tokens from the answer instead would leave a full round trip
 * unused per window: with 100 ms of latency, 86 % of Telegram's allowance.
 */

/** At most `count` sends in any `perMs` milliseconds. */
export interface RateWindow {
  count: number;
  perMs: number;
}

export interface RateLimit {
  /**
   * For each destination on its own; several windows all apply (1/s and 20/min). A function
   * gives each destination its own (Telegram: a group keeps 20/min, a private chat does not).
   */
  perDestination:
    | RateWindow
    | readonly RateWindow[]
    | ((destination: string) => RateWindow | readonly RateWindow[]);
  /** For all destinations of the sender together. */
  global?: RateWindow | readonly RateWindow[];
  /**
   * The destinations that share one set of per-destination buckets (Telegram: the topics of
   * a forum group are one chat to its limits); default, each destination its own.
   */
  bucketOf?: (destination: string) => string;
  /**
   * Counted here, not by a server at the far end of a network (`/brief URL`'s limits): a
   * token comes back exactly a window after it was taken, with no margin for jitter.
   */
  local?: boolean;
}

/** Resolves after `ms`, or rejects with the signal's reason once it is aborted. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function windows(value: RateWindow | readonly RateWindow[] | undefined): RateWindow[] {
  if (value === undefined) return [];
  const list: readonly RateWindow[] = Array.isArray(value) ? value : [value as RateWindow];
  for (const w of list) {
    if (!(Number.isInteger(w.count) && w.count >= 1) || !(w.perMs >= 0)) {
      throw new RangeError(`not a rate limit: ${w.count} per ${w.perMs} ms`);
    }
  }
  return [...list];
}

/** The windows a send to `destination` must fit in: its own, then the sender's global ones. */
export function windowsFor(
  limit: RateLimit,
  destination: string,
): { perDestination: RateWindow[]; global: RateWindow[] } {
  const { perDestination } = limit;
  return {
    perDestination: windows(
      typeof perDestination === 'function' ? perDestination(destination) : perDestination,
    ),
    global: windows(limit.global),
  };
}

/** What the outbox waits on before a send: in the process, or shared through the store. */
export interface Limiter {
  acquire(
    destination: string,
    now: () => number,
    sleep?: Sleep,
    signal?: AbortSignal,
  ): Promise<void>;
  move(from: string, to: string): void;
}

/** The most a send's tokens are held past their window for the network's jitter. */
export const MAX_MARGIN_MS = 100;

/**
 * How long past `perMs` a token stays out: 2.5 % of the window (25 ms of a second, so 97.5 %
 * of the allowance is used), at most MAX_MARGIN_MS (a minute's window needs no more).
 */
export function marginMs(window: RateWindow): number {
  return Math.min(MAX_MARGIN_MS, Math.ceil(window.perMs / 40));
}

/** A token taken from a bucket: free again at `at`. */
interface Token {
  at: number;
}

/** One window's bucket: the tokens taken, each with the time it comes back. */
export class TokenBucket {
  private returns: Token[] = [];
  private readonly holdMs: number;
  constructor(
    readonly window: RateWindow,
    options: { local?: boolean } = {},
  ) {
    this.holdMs = window.perMs + (options.local === true ? 0 : marginMs(window));
  }

  /** Milliseconds until a token is free at `now` (0: one is free now). */
  wait(now: number): number {
    if (this.returns.some((token) => token.at <= now)) {
      this.returns = this.returns.filter((token) => token.at > now);
    }
    if (this.returns.length < this.window.count) return 0;
    let first = Number.POSITIVE_INFINITY;
    for (const token of this.returns) first = Math.min(first, token.at);
    return first - now;
  }

  take(now: number): Token {
    const token = { at: now + this.holdMs };
    this.returns.push(token);
    return token;
  }

  /** True when every token is back: the bucket can be forgotten. */
  idle(now: number): boolean {
    return this.returns.every((token) => token.at <= now);
  }

  /** Takes over the tokens another bucket of the same window has out. */
  absorb(other: TokenBucket): void {
    this.returns.push(...other.returns);
    other.returns = [];
  }
}

/** How many per-destination buckets to keep before dropping the idle ones. */
const SWEEP_AT = 1024;

/** The buckets of one sender: per destination, and global. */
export class RateLimiter implements Limiter {
  private readonly perDestination: (destination: string) => RateWindow[];
  private readonly global: TokenBucket[];
  private readonly buckets = new Map<string, TokenBucket[]>();
  private readonly bucketOf: (destination: string) => string;
  private readonly local: { local: boolean };

  constructor(limit: RateLimit) {
    this.bucketOf = limit.bucketOf ?? ((destination) => destination);
    const { perDestination } = limit;
    if (typeof perDestination === 'function') {
      this.perDestination = (destination) => windows(perDestination(destination));
    } else {
      const same = windows(perDestination);
      this.perDestination = () => same;
    }
    const local = { local: limit.local === true };
    this.local = local;
    this.global = windows(limit.global).map((w) => new TokenBucket(w, local));
  }

  private bucketsOf(destination: string): TokenBucket[] {
    const key = this.bucketOf(destination);
    let list = this.buckets.get(key);
    if (!list) {
      list = this.perDestination(destination).map((w) => new TokenBucket(w, this.local));
      this.buckets.set(key, list);
    }
    return list;
  }

  /**
   * Takes a token from every bucket the destination's send needs and returns 0; or, when
   * one of them is empty, takes nothing and returns how many ms to wait before asking again.
   */
  tryTake(destination: string, now: number): number {
    if (this.buckets.size >= SWEEP_AT) this.sweep(now);
    const all = [...this.bucketsOf(destination), ...this.global];
    let wait = 0;
    for (const bucket of all) wait = Math.max(wait, bucket.wait(now));
    if (wait > 0) return wait;
    for (const bucket of all) bucket.take(now);
    return 0;
  }

  /** Milliseconds until a send to `destination` may go (0: now); takes nothing. */
  waitFor(destination: string, now: number): number {
    if (this.buckets.size >= SWEEP_AT) this.sweep(now);
    let wait = 0;
    for (const bucket of [...this.bucketsOf(destination), ...this.global]) {
      wait = Math.max(wait, bucket.wait(now));
    }
    return wait;
  }

  /**
   * Waits (on a timer) until a send to `destination` is allowed, then takes its tokens:
   * send right away, they are timed from now.
   */
  async acquire(
    destination: string,
    now: () => number,
    sleep: Sleep = realSleep,
    signal?: AbortSignal,
  ): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const wait = this.tryTake(destination, now());
      if (wait === 0) return;
      await sleep(wait, signal);
    }
  }

  /**
   * Sends to `from` go to `to` from now on (a Telegram group upgraded to a supergroup is
   * the same chat under a new id): the tokens taken for `from` count for `to`, so the first
   * send to the new id waits as the next one to the old would have.
   */
  move(fromDestination: string, toDestination: string): void {
    const from = this.bucketOf(fromDestination);
    const to = this.bucketOf(toDestination);
    const moving = this.buckets.get(from);
    if (!moving || from === to) return;
    this.buckets.delete(from);
    const there = this.buckets.get(to);
    if (!there) {
      this.buckets.set(to, moving);
      return;
    }
    for (const bucket of there) {
      const same = moving.find(
        (b) => b.window.count === bucket.window.count && b.window.perMs === bucket.window.perMs,
      );
      if (same) bucket.absorb(same);
    }
  }

  private sweep(now: number): void {
    for (const [destination, list] of this.buckets) {
      if (list.every((bucket) => bucket.idle(now))) this.buckets.delete(destination);
    }
  }
}

const limiters = new WeakMap<RateLimit, RateLimiter>();

/**
 * The limiter of a sender's RateLimit object: one per object for the life of the process,
 * so the buckets carry over from one drain of the outbox to the next.
 */
export function limiterFor(limit: RateLimit): RateLimiter {
  let limiter = limiters.get(limit);
  if (!limiter) {
    limiter = new RateLimiter(limit);
    limiters.set(limit, limiter);
  }
  return limiter;
}
