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

/** The sender's windows for all its destinations together. */
export function globalWindows(limit: RateLimit): RateWindow[] {
  return windows(limit.global);
}

/** What the outbox waits on before a send: in the process, or shared through the store. */
export interface Limiter {
  /**
   * Takes a send's tokens and resolves 0 when every bucket has one; else takes nothing and
   * resolves how many ms to wait before asking again. The caller reports the answer with
   * `answered`.
   */
  tryAcquire(destination: string, now: () => number): Promise<number>;
  /** The send that took the destination's latest tokens was answered (or failed) now. */
  answered(destination: string, now: () => number): Promise<void>;
  /** Waits (on a timer) until the send's tokens are there, and takes them. */
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

/** The longest an unanswered send holds its tokens past their time (a send that hangs). */
const OPEN_MS = 30_000;

/**
 * A token taken from a bucket: free again at `at`. One taken for a send whose answer is
 * awaited (`open`) stays out until the answer re-times it (RateLimiter.answered).
 */
interface Token {
  at: number;
  /** When it would be back, timed from the take. */
  readonly due: number;
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

  take(now: number, open = false): Token {
    const due = now + this.holdMs;
    // A send that hangs lets its tokens go OPEN_MS after they were due.
    const token = { at: open ? due + OPEN_MS : due, due };
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

/** How many recent round trips are kept to find the shortest. */
const TRIPS = 32;

/** A send's tokens still out, to hold longer by `by` ms (RoundTrips.answered). */
export interface Retime<T> {
  readonly tokens: T;
  readonly by: number;
}

/**
 * The latest round trips of a sender's sends (take to answer): how much later than the
 * shortest of them one came is how late it may have reached the platform, and its tokens
 * are held that much longer.
 *
 * The shortest is only a reference once a short trip has been seen: the first sends (a
 * cold connection, code not yet compiled) are slow, and timed against themselves they
 * would count as on time. So the sends answered whose tokens are still out are kept with
 * the shortest they were timed against; when a shorter trip comes, each is held longer by
 * the difference, as if it had been timed against that one (the bench's one 429 came a
 * second into the fan-out, from a first send's token).
 */
export class RoundTrips<T> {
  private readonly trips: number[] = [];
  private out: { tokens: T; shortest: number; until: number }[] = [];

  /** The shortest trip lately, or null before the first answer. */
  shortest(): number | null {
    return this.trips.length === 0 ? null : Math.min(...this.trips);
  }

  /**
   * How far the short trips spread: the lower quartile's distance from the shortest, or
   * null before there are enough of them to say. How far the shortest may still be from
   * what the network can do, as a margin for it.
   */
  spread(): number | null {
    if (this.trips.length < TRIPS / 4) return null;
    const sorted = [...this.trips].sort((a, b) => a - b);
    return (sorted[Math.floor(sorted.length / 4)] as number) - (sorted[0] as number);
  }

  /**
   * A send answered at `now` after `trip` ms, whose tokens are out `holdMs` more (timed
   * from the take): how much later than the shortest it came, and the tokens of earlier
   * sends to hold longer because this one is the shortest yet.
   */
  answered(
    trip: number,
    tokens: T,
    now: number,
    holdMs: number,
  ): { late: number; retime: Retime<T>[] } {
    this.trips.push(trip);
    if (this.trips.length > TRIPS) this.trips.shift();
    const shortest = Math.min(...this.trips);
    this.out = this.out.filter((sent) => sent.until > now);
    const retime: Retime<T>[] = [];
    for (const sent of this.out) {
      if (sent.shortest <= shortest) continue;
      const by = sent.shortest - shortest;
      retime.push({ tokens: sent.tokens, by });
      sent.shortest = shortest;
      sent.until += by;
    }
    const late = Math.max(0, trip - shortest);
    this.out.push({ tokens, shortest, until: now + holdMs + late });
    return { late, retime };
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
  /** Per destination, the tokens of its latest send not yet answered, and when taken. */
  private readonly latest = new Map<string, { at: number; tokens: Token[] }>();
  private readonly trips = new RoundTrips<Token[]>();

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
  tryTake(destination: string, now: number, awaited = false): number {
    if (this.buckets.size >= SWEEP_AT) this.sweep(now);
    const all = [...this.bucketsOf(destination), ...this.global];
    let wait = 0;
    for (const bucket of all) wait = Math.max(wait, bucket.wait(now));
    if (wait > 0) return wait;
    const open = awaited && !this.local.local;
    const tokens = all.map((bucket) => bucket.take(now, open));
    if (!this.local.local) this.latest.set(destination, { at: now, tokens });
    return 0;
  }

  /**
   * The answer to the latest send to `destination` came back at `now`. A token is timed
   * from its take, on the guess that the request left then; a round trip longer than the
   * shortest one seen says it may have left (or arrived) up to that much later — a loaded
   * process, a busy link — so its tokens are held that much longer too. What a platform
   * counts on arrival is then never closer than its window, whatever the jitter. Tokens
   * taken with `tryAcquire` stay out until this is called (or OPEN_MS more), so that even
   * a stall longer than the window cannot hand them out before the answer is in.
   */
  async answered(destination: string, now: () => number): Promise<void> {
    const latest = this.latest.get(destination);
    if (!latest) return;
    this.latest.delete(destination);
    const at = now();
    const holdMs = Math.max(0, ...latest.tokens.map((token) => token.due - at));
    const { late, retime } = this.trips.answered(at - latest.at, latest.tokens, at, holdMs);
    for (const token of latest.tokens) token.at = token.due + late;
    for (const { tokens, by } of retime) for (const token of tokens) token.at += by;
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

  async tryAcquire(destination: string, now: () => number): Promise<number> {
    return this.tryTake(destination, now(), true);
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
    const latest = this.latest.get(fromDestination);
    if (latest && fromDestination !== toDestination) {
      this.latest.delete(fromDestination);
      this.latest.set(toDestination, latest);
    }
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
    // A send never answered here (a command's reply waits on `acquire` alone) is forgotten.
    for (const [destination, latest] of this.latest) {
      if (latest.tokens.every((token) => token.at <= now)) this.latest.delete(destination);
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
