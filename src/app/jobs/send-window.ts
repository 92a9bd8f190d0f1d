/**
 * How many of a sender's deliveries may be "in flight" at once: sent, or being sent, but
 * not yet recorded as sent. A process that dies (kill -9, a crash, a power cut) leaves
 * exactly those pending, and they go out again after restart or lease takeover: the window
 * bounds the repeats a death can cost.
 *
 * It is no wider than the platform's allowance needs (Little's law): the sender's global
 * rate × the shortest time a send has held its slot (its round trip plus the record),
 * with a quarter more for jitter. On a near network that is one, so a death repeats at
 * most one message; with a 100 ms round trip to Telegram's 30/s, four, which still keeps
 * the allowance full. The shortest recent time, not the mean: a loaded machine or a slow
 * answer widens the mean but not what the network itself costs.
 *
 * A send that holds its slot far longer than the others (a platform that hangs until its
 * timeout) stops counting after `stallMs`, so one stuck chat never stops the fan-out; the
 * bound is then loose by the stalled sends, which is stated where it matters (README).
 */
import { globalWindows, type RateLimit } from './rate-limit.js';

/** A taken place in the window; given back with `leave`. */
export interface Slot {
  readonly since: number;
}

/** How many recent slot times the window remembers to find the shortest. */
const SAMPLES = 32;
/** A slot held this long (or 8 × the shortest time, if longer) no longer counts. */
const STALL_MS = 1000;

export class SendWindow {
  private readonly open = new Set<Slot>();
  private readonly waiters = new Set<() => void>();
  private readonly samples: number[] = [];

  /**
   * @param ratePerMs the sender's allowance for all its destinations together
   * @param most the widest the window may be (the drain's destinations at once)
   * @param clock a monotonic clock in ms
   */
  constructor(
    private readonly ratePerMs: number,
    private readonly most: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** The shortest slot time seen lately, or null before the first send. */
  private shortest(): number | null {
    return this.samples.length === 0 ? null : Math.min(...this.samples);
  }

  /** How many slots may be open now: one until a send has shown what a round trip costs. */
  size(): number {
    const shortest = this.shortest();
    if (shortest === null) return 1;
    const needed = Math.ceil(this.ratePerMs * shortest * 1.25);
    return Math.max(1, Math.min(this.most, needed));
  }

  private stallMs(): number {
    return Math.max(STALL_MS, 8 * (this.shortest() ?? 0));
  }

  /** Open slots that still count (not stalled), and when the oldest of them stalls. */
  private counted(now: number): { count: number; nextStall: number } {
    const stall = this.stallMs();
    let count = 0;
    let nextStall = Number.POSITIVE_INFINITY;
    for (const slot of this.open) {
      const at = slot.since + stall;
      if (at > now) {
        count++;
        nextStall = Math.min(nextStall, at);
      }
    }
    return { count, nextStall };
  }

  /** Waits for a place in the window and takes it; rejects when the signal aborts. */
  async enter(signal?: AbortSignal): Promise<Slot> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock();
      const { count, nextStall } = this.counted(now);
      if (count < this.size()) {
        const slot = { since: now };
        this.open.add(slot);
        return slot;
      }
      await this.wake(nextStall - now, signal);
    }
  }

  /**
   * Gives the place back. `sent`: a send was made in it, so its time is a sample of what a
   * send costs (a slot given back because the tokens were not there yet is not).
   */
  leave(slot: Slot, sent: boolean): void {
    if (!this.open.delete(slot)) return;
    if (sent) {
      this.samples.push(this.clock() - slot.since);
      if (this.samples.length > SAMPLES) this.samples.shift();
    }
    for (const wake of this.waiters) wake();
  }

  /** Resolves when a slot is given back or after `ms`, whichever comes first. */
  private wake(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        reject(signal?.reason);
      };
      const timer = setTimeout(done, Math.max(1, Math.ceil(ms)));
      this.waiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

const windows = new WeakMap<RateLimit, SendWindow | null>();

/**
 * The window of a sender's RateLimit object, for the life of the process (every drain of
 * the outbox shares it); null when the sender declares no global rate, so that nothing
 * bounds its sends but the drain's own concurrency.
 */
export function sendWindowFor(limit: RateLimit, most: number): SendWindow | null {
  let window = windows.get(limit);
  if (window === undefined) {
    const rates = globalWindows(limit)
      .filter((w) => w.perMs > 0)
      .map((w) => w.count / w.perMs);
    window = rates.length === 0 ? null : new SendWindow(Math.min(...rates), most);
    windows.set(limit, window);
  }
  return window;
}
