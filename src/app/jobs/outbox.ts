/**
 * The outbox sender: sends what the store holds as pending deliveries, through the senders
 * the adapters register, and records each outcome.
 *
 * - Per destination, deliveries go out one at a time in creation order; destinations are
 *   drained in parallel (bounded). A retry holds its destination back, and the ones queued
 *   behind it wait with it, so order holds.
 * - Transient errors are retried with exponential backoff (`outbox.retryBase`, doubling up
 *   to `outbox.retryMax`; a platform's own retry-after wins); after `outbox.maxAttempts`, or
 *   on a permanent error, the delivery is failed with the reason kept. A destination that is
 *   gone (bot blocked, channel deleted) has its subscriptions paused with the reason, and
 *   what was still queued for it is failed.
 * - A sender's rate limits are kept here (rate-limit.ts), by waiting on a timer.
 * - A destination that gets a new address during a send (a Telegram group upgraded to a
 *   supergroup) is followed: its rows and rate-limit windows move, and the drain goes on
 *   at the new address, never sending what it had read to the old one.
 * - Nothing is "taken": a delivery is marked only after its send returned. One being sent
 *   when the process dies is still pending on restart and is sent again. Nothing is lost,
 *   and what can repeat is bounded by the sender's send window (send-window.ts): as many
 *   sends at once as its allowance needs over the network's round trip, one on a near
 *   network, so a death repeats at most one message there.
 */
import type { Config, DestinationOptions } from '../../config/index.js';
import { compactBrief } from '../../core/render/index.js';
import { errorLine, type Log, silentLog } from '../../shared/log.js';
import { eachLimited } from '../../shared/pool.js';
import type { Delivery, Destination, MoveResult, Store } from '../../store/port.js';
import { destinationLocale } from '../texts.js';
import { defaultInstance, type Instance } from './instance.js';
import { type Limiter, type RateLimit, realSleep, type Sleep } from './rate-limit.js';
import { type Slot, sendWindowFor } from './send-window.js';
import { limiterOf } from './shared-rate-limit.js';

export type { Delivery } from '../../store/port.js';
export type { RateLimit, RateWindow } from './rate-limit.js';

/** What one send came to. */
export type SendOutcome =
  | { ok: true }
  /** Try again later: network trouble, a 5xx, a 429 (`after`: the platform's retry-after, ms). */
  | { ok: false; kind: 'retry'; after?: number; reason: string }
  /** It will never go through (message refused, too long, bad request): give it up. */
  | { ok: false; kind: 'permanent'; reason: string }
  /** The chat is gone for the bot (blocked, kicked, channel deleted): pause it. */
  | { ok: false; kind: 'destination-gone'; reason: string };

/** What the outbox lends a send. */
export interface SendContext {
  /**
   * For a delivery that goes out as several messages: waits for one more send's worth of
   * the rate limits (the outbox took the first), timed from when the previous part left.
   * Rejects when the drain is stopped.
   */
  acquire(): Promise<void>;
  /**
   * The destination has a new address from now on (a Telegram group upgraded to a
   * supergroup): its subscriptions and queue move there, its rate-limit windows go with it,
   * and what this drain still had read for the old address is sent to the new one.
   */
  moved(to: Destination): Promise<MoveResult>;
}

/** A platform's way out (an adapter provides one): which destinations it serves, and how. */
export interface Sender {
  accepts(destination: Destination): boolean;
  /** Resolves with the outcome; a throw counts as a transient error. */
  send(destination: Destination, delivery: Delivery, context: SendContext): Promise<SendOutcome>;
  /** Kept by the outbox; the same object for the sender's life (its buckets hang on it). */
  limiter?: RateLimit;
}

/** A non-brief message the scheduler queues (a notice to admins, a digest). */
export interface OutboxMessage {
  kind: 'notice' | 'digest';
  /** Plain text, ready for a terminal; adapters may render the other fields richer. */
  text: string;
  [field: string]: unknown;
}

/** The text of a queued message payload, or null when it has none. */
export function messageText(payload: unknown): string | null {
  if (typeof payload === 'string') return payload;
  if (payload && typeof payload === 'object') {
    const text = (payload as { text?: unknown }).text;
    if (typeof text === 'string') return text;
  }
  return null;
}

export interface DrainOptions {
  store: Store;
  senders: readonly Sender[];
  config: Pick<Config, 'outbox'> & Partial<Pick<Config, 'destinations'>>;
  now?: () => Date;
  /** Stops the drain between sends (and interrupts rate-limit waits). */
  signal?: AbortSignal;
  /**
   * One pass over the destinations due when it starts (each drained until its queue is
   * empty or held back by a retry). Otherwise passes repeat while they make progress, so
   * what was queued meanwhile goes out too.
   */
  once?: boolean;
  /** Destinations drained at the same time; default 8. */
  concurrency?: number;
  /** How rate-limit waits wait; tests pass one that moves a fake clock. */
  sleep?: Sleep;
  log?: Log;
  /** This process's name on leases, and how long they last (a store several instances share). */
  instance?: Instance;
}

export interface DrainResult {
  sent: number;
  /** Transient failures, each queued again for later. */
  retried: number;
  /** Given up: permanent errors, too many attempts, a destination gone. */
  failed: number;
  /** Destinations found gone, their subscriptions paused. */
  gone: number;
  /** Destinations left waiting: no sender accepts them, or they are in quiet hours. */
  waiting: number;
}

/** How many of a destination's pending deliveries are read at a time. */
const BATCH = 50;
/** The longest a platform's retry-after is honoured as such. */
const MAX_AFTER_MS = 24 * 60 * 60 * 1000;

/** Destinations being drained, per store: two drains in one process never share one. */
const draining = new WeakMap<Store, Set<Destination>>();

function busySet(store: Store): Set<Destination> {
  let set = draining.get(store);
  if (!set) {
    set = new Set();
    draining.set(store, set);
  }
  return set;
}

/** Backoff before the next attempt, after `attempts` attempts already failed before this one. */
export function retryDelay(
  attempts: number,
  config: Pick<Config, 'outbox'>,
  after?: number,
): number {
  if (after !== undefined && Number.isFinite(after) && after >= 0) {
    return Math.min(after, MAX_AFTER_MS);
  }
  const { retryBaseMs, retryMaxMs } = config.outbox;
  return Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(attempts, 40));
}

/**
 * The delivery as its subscription wants it posted — a compact template drops the body —
 * and for whom: the chat's language and time zone, read when it is sent so a /lang given
 * while it waited counts.
 */
async function asPosted(
  store: Store,
  config: Partial<Pick<Config, 'destinations'>>,
  destination: Destination,
  delivery: Delivery,
): Promise<Delivery> {
  if (delivery.kind !== 'brief') return delivery;
  const locale = await destinationLocale(store, config, destination);
  const brief = delivery.template === 'compact' ? compactBrief(delivery.brief) : delivery.brief;
  return { ...delivery, brief, locale };
}

/** Sends what is due in the outbox; see the module comment. Never throws for one delivery. */
export async function drainOutbox(options: DrainOptions): Promise<DrainResult> {
  const { store, senders, config, signal } = options;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? realSleep;
  const log = options.log ?? silentLog;
  const busy = busySet(store);
  // Instances sharing the store drain a destination one at a time: the one holding its
  // lease, renewed before each send. One that dies lets go when the lease expires; the
  // delivery it was sending is then sent again (the one repeat a crash may cost).
  const instance = options.instance ?? defaultInstance();
  const cluster = store.cluster;
  const leaseOf = (destination: Destination): string => `outbox:${destination}`;
  const hold = async (destination: Destination): Promise<boolean> =>
    cluster === null ||
    (await store.leases.acquire(leaseOf(destination), instance.owner, instance.leaseMs));
  const letGo = async (destination: Destination): Promise<void> => {
    if (cluster !== null) await store.leases.release(leaseOf(destination), instance.owner);
  };
  const concurrency = options.concurrency ?? 8;
  const result: DrainResult = { sent: 0, retried: 0, failed: 0, gone: 0, waiting: 0 };
  /** Destinations this drain leaves alone: waiting, or drained by another drain. */
  const leave = new Set<Destination>();
  const aborted = (): boolean => signal?.aborted === true;

  const sendOne = async (
    sender: Sender,
    destination: Destination,
    delivery: Delivery,
    context: SendContext,
  ): Promise<SendOutcome> => {
    try {
      return await sender.send(destination, delivery, context);
    } catch (error) {
      return { ok: false, kind: 'retry', reason: errorLine(error) };
    }
  };

  /** Fails whatever is still queued for a destination that is gone. */
  const failRest = async (destination: Destination, reason: string): Promise<void> => {
    for (;;) {
      const rest = await store.outbox.pending(destination, BATCH);
      if (rest.length === 0) return;
      for (const delivery of rest) {
        if (await store.outbox.fail(delivery.id, reason)) result.failed++;
      }
    }
  };

  /**
   * What one send came to, recorded; false when the destination's queue must wait (a retry,
   * or the destination is gone).
   */
  const settle = async (
    destination: Destination,
    delivery: Delivery,
    outcome: SendOutcome,
  ): Promise<boolean> => {
    if (outcome.ok) {
      await store.outbox.markSent(delivery.id);
      result.sent++;
      return true;
    }
    const reason = outcome.reason.replace(/\s*[\r\n]+\s*/g, ' ').trim() || outcome.kind;
    if (outcome.kind === 'permanent') {
      await store.outbox.fail(delivery.id, reason);
      result.failed++;
      log.warn(`outbox: delivery ${delivery.id} to ${destination} failed: ${reason}`);
      return true;
    }
    if (outcome.kind === 'destination-gone') {
      const paused = await store.subscriptions.pauseDestination(destination, reason);
      result.gone++;
      log.warn(`outbox: ${destination} is gone (${reason}); ${paused} subscription(s) paused`);
      await failRest(destination, `destination gone: ${reason}`);
      return false;
    }
    const attempts = delivery.attempts + 1;
    if (attempts >= config.outbox.maxAttempts) {
      await store.outbox.fail(delivery.id, `gave up after ${attempts} attempts: ${reason}`);
      result.failed++;
      log.warn(`outbox: delivery ${delivery.id} to ${destination} given up: ${reason}`);
      return true;
    }
    const delay = retryDelay(delivery.attempts, config, outcome.after);
    await store.outbox.retry(delivery.id, new Date(now().getTime() + delay), reason);
    result.retried++;
    log.info(`outbox: delivery ${delivery.id} to ${destination} retried in ${delay} ms: ${reason}`);
    return false;
  };

  /**
   * Drains one destination, or leaves it for later (no sender, quiet hours). `held`: the
   * destinations this drain keeps others off; one it moves to joins them.
   */
  const drainDestination = async (initial: Destination, held: Set<Destination>): Promise<void> => {
    let destination = initial;
    const sender = senders.find((s) => s.accepts(destination));
    if (!sender) {
      log.debug(`outbox: no sender for ${destination}; its deliveries wait`);
      leave.add(destination);
      result.waiting++;
      return;
    }
    if (inQuietHours(config, destination, now())) {
      leave.add(destination);
      result.waiting++;
      return;
    }
    const limiter: Limiter | null = sender.limiter ? limiterOf(store, sender.limiter) : null;
    const window = sender.limiter ? sendWindowFor(sender.limiter, concurrency) : null;
    const context: SendContext = {
      acquire: async () => {
        // Each part takes its own tokens: a window (and the limiter's margin) after the
        // previous part left, whenever its answer came back.
        if (!limiter) return;
        // The sender asks for the next part once the previous one was answered.
        await limiter.answered(destination, () => now().getTime());
        await limiter.acquire(destination, () => now().getTime(), sleep, signal);
      },
      moved: async (to) => {
        const from = destination;
        // Claimed before the rows move, so that no other drain sends them meanwhile.
        if (!busy.has(to)) {
          busy.add(to);
          held.add(to);
          await hold(to);
        }
        const moved = await store.subscriptions.moveDestination(from, to);
        limiter?.move(from, to);
        destination = to;
        return moved;
      },
    };
    /**
     * A place in the sender's window (send-window.ts) with this send's tokens taken. The
     * place is never held while waiting for tokens (a chat's 1/s would stop every other
     * chat): without them, it is given back until they are due.
     */
    const enter = async (): Promise<Slot | null> => {
      for (;;) {
        const slot = window ? await window.enter(signal) : null;
        const wait = limiter ? await limiter.tryAcquire(destination, () => now().getTime()) : 0;
        if (wait === 0) return slot;
        if (slot) window?.leave(slot, false);
        await sleep(wait, signal);
      }
    };
    batches: for (;;) {
      const batchOf = destination;
      const batch = await store.outbox.pending(batchOf, BATCH);
      if (batch.length === 0) return;
      for (const delivery of batch) {
        if (aborted()) return;
        // The head is waiting for a retry: everything behind it waits too.
        if (delivery.nextAttemptAt.getTime() > now().getTime()) return;
        // Rendered before its tokens are taken: they are timed from the send, so the send
        // follows at once.
        const posted = await asPosted(store, config, destination, delivery);
        // Still ours, renewed before each send (the lease outlasts the longest wait for
        // tokens, a group's 20/min): one that lapsed may have gone to another instance,
        // which sends it instead. Renewed before the tokens are taken, not between them and
        // the send, which must follow them at once.
        if (!(await hold(destination))) return;
        let slot: Slot | null;
        try {
          slot = await enter();
        } catch (error) {
          if (aborted()) return;
          throw error;
        }
        let goOn: boolean;
        try {
          const outcome = await sendOne(sender, destination, posted, context);
          await limiter?.answered(destination, () => now().getTime());
          goOn = await settle(destination, delivery, outcome);
        } finally {
          if (slot) window?.leave(slot, true);
        }
        if (!goOn) return;
        // Moved during that send: the rest of this batch moved too. It is read again from
        // the new address (by this drain, unless another one already drains it), so that
        // nothing more goes to the old one.
        if (destination !== batchOf) {
          if (held.has(destination)) continue batches;
          return;
        }
      }
    }
  };

  const guarded = async (destination: Destination): Promise<void> => {
    if (busy.has(destination)) {
      leave.add(destination);
      return;
    }
    busy.add(destination);
    const held = new Set([destination]);
    try {
      // Another instance drains it now: it is theirs until their lease lapses.
      if (await hold(destination)) await drainDestination(destination, held);
      else leave.add(destination);
    } catch (error) {
      // A store error: leave this destination for the next drain, keep the others going.
      leave.add(destination);
      log.error(`outbox: draining ${destination} failed: ${errorLine(error)}`);
    } finally {
      for (const d of held) {
        busy.delete(d);
        await letGo(d).catch((error: unknown) => {
          log.warn(`outbox: the lease on ${d} is left to expire: ${errorLine(error)}`);
        });
      }
    }
  };

  for (;;) {
    if (aborted()) break;
    const due = (await store.outbox.destinations(now())).filter((d) => !leave.has(d));
    if (due.length === 0) break;
    const before = result.sent + result.failed + result.retried;
    await eachLimited(due, concurrency, guarded, aborted);
    if (options.once || result.sent + result.failed + result.retried === before) break;
  }
  return result;
}

// ── Quiet hours ──────────────────────────────────────────────────────────────────────────

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes since midnight at `at` in an IANA time zone. */
export function minuteOfDay(at: Date, timeZone: string): number {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clockFormats.set(timeZone, format);
  }
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(at)) {
    if (part.type === 'hour') hour = Number(part.value);
    if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

/** Whether the destination's quiet hours (config `destinations`) hold at `at`: posts wait. */
export function inQuietHours(
  config: Partial<Pick<Config, 'destinations'>>,
  destination: Destination,
  at: Date,
): boolean {
  const all = config.destinations as Record<string, DestinationOptions | undefined> | undefined;
  const options = all?.[destination];
  const quiet = options?.quietHours;
  if (!quiet) return false;
  const minute = minuteOfDay(at, options.timezone);
  const { startMinute: start, endMinute: end } = quiet;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}
