import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../../src/app/jobs/console-sender.js';
import { drainOutbox, type Sender, type SendOutcome } from '../../../src/app/jobs/outbox.js';
import { limiterFor, marginMs, type RateLimit } from '../../../src/app/jobs/rate-limit.js';
import type { Config } from '../../../src/config/index.js';
import type { Delivery, Destination } from '../../../src/store/port.js';
import { addFeed, brief, ingestTitles } from '../../store/helpers.js';
import {
  configFrom,
  MINUTE,
  memoryStream,
  openTestStore,
  POLLING_YAML,
  SECOND,
  START,
  type TestStore,
} from './helpers.js';

let t: TestStore;
let config: Config;
beforeEach(() => {
  t = openTestStore();
  config = configFrom(POLLING_YAML); // retryBase 5s, retryMax 1m, maxAttempts 4
});
afterEach(async () => {
  await t.cleanup();
});

const titleOf = (delivery: Delivery): string =>
  delivery.kind === 'brief'
    ? delivery.brief.title
    : String((delivery.payload as { text?: string }).text);

interface Sent {
  destination: Destination;
  title: string;
  at: number;
}

/** A sender that records what it sends; `answer` decides each outcome (default ok). */
function recorder(
  answer: (
    destination: Destination,
    delivery: Delivery,
  ) => SendOutcome | Promise<SendOutcome> = () => ({
    ok: true,
  }),
  extra: { limiter?: RateLimit; accepts?: (d: string) => boolean; clock?: () => number } = {},
): Sender & { sent: Sent[]; tried: Sent[] } {
  const sent: Sent[] = [];
  const tried: Sent[] = [];
  const clock = extra.clock ?? (() => t.clock.now);
  return {
    sent,
    tried,
    accepts: extra.accepts ?? (() => true),
    ...(extra.limiter ? { limiter: extra.limiter } : {}),
    send: async (destination, delivery) => {
      const record = { destination, title: titleOf(delivery), at: clock() };
      tried.push(record);
      const outcome = await answer(destination, delivery);
      if (outcome.ok) sent.push(record);
      return outcome;
    },
  };
}

const drain = (senders: Sender[], extra: Partial<Parameters<typeof drainOutbox>[0]> = {}) =>
  drainOutbox({ store: t.store, senders, config, now: () => new Date(t.clock.now), ...extra });

describe('drainOutbox', () => {
  it('keeps creation order per destination while destinations go in parallel', async () => {
    const feed = await addFeed(t.store);
    const titles = Array.from({ length: 8 }, (_, k) => `Story ${k}`);
    await ingestTitles(t.store, feed.id, titles, [
      'telegram:-1',
      'telegram:-2',
      'discord:123456789012345678',
    ]);
    let inFlight = 0;
    let most = 0;
    const sender = recorder(async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      inFlight--;
      return { ok: true };
    });
    expect(await drain([sender])).toEqual({ sent: 24, retried: 0, failed: 0, gone: 0, waiting: 0 });
    for (const destination of ['telegram:-1', 'telegram:-2', 'discord:123456789012345678']) {
      expect(sender.sent.filter((s) => s.destination === destination).map((s) => s.title)).toEqual(
        titles,
      );
    }
    // One at a time per destination, the three destinations side by side.
    expect(most).toBe(3);
    expect((await t.store.outbox.stats()).pending).toBe(0);
    expect(await drain([sender])).toMatchObject({ sent: 0 });
  });

  describe('the send window: what a death can repeat', () => {
    /** Destinations -1 … -n, one brief each; a sender whose sends take `ms` of real time. */
    async function fanOut(n: number, ms: number, global: { count: number; perMs: number }) {
      const feed = await addFeed(t.store);
      const destinations = Array.from({ length: n }, (_, k) => `telegram:-${k + 1}` as const);
      await ingestTitles(t.store, feed.id, ['Story'], destinations);
      let inFlight = 0;
      let most = 0;
      const took: number[] = [];
      const sender = recorder(
        async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          const start = performance.now();
          await new Promise((resolve) => setTimeout(resolve, ms));
          took.push(performance.now() - start);
          inFlight--;
          return { ok: true };
        },
        { limiter: { perDestination: { count: 1, perMs: 1000 }, global } },
      );
      const result = await drain([sender]);
      return { result, most, took };
    }

    it('sends one at a time when one send fills the allowance (a near network), though eight chats drain side by side', async () => {
      // 20 per 2 s (the test's clock stands still, so all twelve fit): one send at a time
      // already sends 10 a second while a send takes < 80 ms.
      const { result, most, took } = await fanOut(12, 1, { count: 20, perMs: 2000 });
      expect(result.sent).toBe(12);
      expect(Math.max(...took)).toBeLessThan(80);
      expect(most).toBe(1);
    });

    it('opens as many sends at once as the allowance needs over a slow round trip, no more', async () => {
      // 30/s over 100 ms: about four sends in flight keep the allowance full.
      const { result, most, took } = await fanOut(16, 100, { count: 30, perMs: 1000 });
      expect(result.sent).toBe(16);
      expect(most).toBeGreaterThanOrEqual(4);
      // The window follows the shortest round trip seen (plus a quarter, and the record).
      expect(most).toBeLessThanOrEqual(Math.ceil(0.03 * Math.min(...took) * 1.25) + 1);
    });

    it('does not bound a sender that declares no allowance for all its chats', async () => {
      const feed = await addFeed(t.store);
      await ingestTitles(
        t.store,
        feed.id,
        ['Story'],
        ['telegram:-1', 'telegram:-2', 'telegram:-3'],
      );
      let inFlight = 0;
      let most = 0;
      const sender = recorder(
        async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 20));
          inFlight--;
          return { ok: true };
        },
        { limiter: { perDestination: { count: 1, perMs: 1000 } } },
      );
      expect((await drain([sender])).sent).toBe(3);
      expect(most).toBe(3);
    });
  });

  it('posts a compact subscription without summary and actors, a full one whole', async () => {
    const feed = await addFeed(t.store);
    await t.store.subscriptions.add(feed.id, 'telegram:-1', {
      filters: '',
      origin: 'config',
      template: 'compact',
    });
    await t.store.subscriptions.add(feed.id, 'telegram:-2', { filters: '', origin: 'config' });
    await t.store.ingest(feed.id, [
      {
        keys: ['g:1'],
        brief: brief('Belousov in Pyongyang', { summary: ['He landed.'], tags: ['#Belousov'] }),
        destinations: ['telegram:-1', 'telegram:-2'],
      },
    ]);
    const posted = new Map<string, Delivery>();
    await drain([
      recorder((destination, delivery) => {
        posted.set(destination, delivery);
        return { ok: true };
      }),
    ]);
    const compact = posted.get('telegram:-1');
    const full = posted.get('telegram:-2');
    expect(compact?.kind === 'brief' && compact.brief).toMatchObject({
      title: 'Belousov in Pyongyang',
      summary: [],
      actors: [],
    });
    expect(compact?.kind === 'brief' && compact.brief.tags.length).toBeGreaterThan(0);
    expect(full?.kind === 'brief' && full.brief.summary).toEqual(['He landed.']);
  });

  it('retries transient failures with exponential backoff, holding back the ones behind', async () => {
    const feed = await addFeed(t.store);
    await ingestTitles(t.store, feed.id, ['One', 'Two', 'Three']);
    let failures = 2;
    const sender = recorder((_d, delivery) =>
      titleOf(delivery) === 'Two' && failures-- > 0
        ? { ok: false, kind: 'retry', reason: 'HTTP 502 Bad Gateway' }
        : { ok: true },
    );
    expect(await drain([sender])).toMatchObject({ sent: 1, retried: 1 });
    const [two, three] = await t.store.outbox.pending('console', 10);
    expect(two).toMatchObject({
      attempts: 1,
      lastError: 'HTTP 502 Bad Gateway',
      nextAttemptAt: new Date(START + 5 * SECOND),
    });
    expect(three).toMatchObject({ attempts: 0 });

    t.clock.advance(4 * SECOND);
    expect(await drain([sender])).toMatchObject({ sent: 0, retried: 0 });
    t.clock.advance(SECOND);
    expect(await drain([sender])).toMatchObject({ sent: 0, retried: 1 });
    expect(await t.store.outbox.get(two?.id ?? -1)).toMatchObject({
      attempts: 2,
      nextAttemptAt: new Date(t.clock.now + 10 * SECOND),
    });
    t.clock.advance(10 * SECOND);
    expect(await drain([sender])).toMatchObject({ sent: 2 });
    expect(sender.sent.map((s) => s.title)).toEqual(['One', 'Two', 'Three']);
    expect(await t.store.outbox.get(two?.id ?? -1)).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it("uses the platform's retry-after, and gives up after maxAttempts with the reason", async () => {
    const feed = await addFeed(t.store);
    await ingestTitles(t.store, feed.id, ['One', 'Two']);
    const sender = recorder((_d, delivery) =>
      titleOf(delivery) === 'One'
        ? { ok: false, kind: 'retry', after: 42 * SECOND, reason: 'HTTP 429: retry after 42' }
        : { ok: true },
    );
    await drain([sender]);
    const [one] = await t.store.outbox.pending('console', 1);
    expect(one?.nextAttemptAt).toEqual(new Date(START + 42 * SECOND));
    for (let k = 0; k < 3; k++) {
      t.clock.advance(42 * SECOND);
      await drain([sender]);
    }
    // maxAttempts 4: given up, and the next one goes out.
    expect(await t.store.outbox.get(one?.id ?? -1)).toMatchObject({
      status: 'failed',
      attempts: 4,
      lastError: 'gave up after 4 attempts: HTTP 429: retry after 42',
    });
    expect(sender.sent.map((s) => s.title)).toEqual(['Two']);
  });

  it('keeps the reason of a permanent failure and goes on with the next', async () => {
    const feed = await addFeed(t.store);
    const [oneId] = await ingestTitles(t.store, feed.id, ['One', 'Two']);
    const sender = recorder((_d, delivery) =>
      titleOf(delivery) === 'One'
        ? {
            ok: false,
            kind: 'permanent',
            reason: 'Bad Request: message is too long\n(4097 > 4096)',
          }
        : { ok: true },
    );
    expect(await drain([sender])).toMatchObject({ sent: 1, failed: 1 });
    const failed = (await t.store.outbox.pending('console', 10)).length;
    expect(failed).toBe(0);
    const deliveries = await Promise.all([1, 2].map((id) => t.store.outbox.get(id)));
    expect(deliveries.find((d) => d?.kind === 'brief' && d.briefId === oneId)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'Bad Request: message is too long (4097 > 4096)',
    });
  });

  it('a thrown error counts as transient', async () => {
    const feed = await addFeed(t.store);
    await ingestTitles(t.store, feed.id, ['One']);
    const sender = recorder(() => {
      throw new Error('socket hang up');
    });
    expect(await drain([sender])).toMatchObject({ retried: 1 });
    expect((await t.store.outbox.pending('console', 1))[0]).toMatchObject({
      lastError: 'socket hang up',
    });
  });

  it('pauses a destination that is gone, fails what it had queued, and leaves the others alone', async () => {
    const feed = await addFeed(t.store);
    const other = await addFeed(t.store, { url: 'https://other.example/rss' });
    await t.store.subscriptions.add(feed.id, 'telegram:-1');
    await t.store.subscriptions.add(other.id, 'telegram:-1');
    await t.store.subscriptions.add(feed.id, 'telegram:-2');
    await ingestTitles(t.store, feed.id, ['One', 'Two', 'Three'], ['telegram:-1', 'telegram:-2']);
    const sender = recorder((destination) =>
      destination === 'telegram:-1'
        ? { ok: false, kind: 'destination-gone', reason: 'Forbidden: bot was blocked by the user' }
        : { ok: true },
    );
    expect(await drain([sender])).toEqual({ sent: 3, retried: 0, failed: 3, gone: 1, waiting: 0 });
    const subs = await t.store.subscriptions.listByDestination('telegram:-1');
    expect(subs.map((s) => [s.paused, s.pausedReason])).toEqual([
      [true, 'Forbidden: bot was blocked by the user'],
      [true, 'Forbidden: bot was blocked by the user'],
    ]);
    expect((await t.store.subscriptions.listByDestination('telegram:-2'))[0]?.paused).toBe(false);
    expect(sender.tried.filter((s) => s.destination === 'telegram:-1')).toHaveLength(1);
    expect(await t.store.outbox.destinations()).toEqual([]);
  });

  it('follows a destination that moves during a send: what it had read goes to the new one', async () => {
    const feed = await addFeed(t.store);
    await ingestTitles(t.store, feed.id, ['A', 'B', 'C'], ['telegram:-1']);
    let moves = 0;
    const sender = recorder(undefined);
    const send = sender.send;
    sender.send = async (destination, delivery, context) => {
      if (destination === 'telegram:-1') {
        const moved = await context.moved('telegram:-2');
        moves++;
        expect(moved).toMatchObject({ deliveries: 3 });
        return send('telegram:-2', delivery, context);
      }
      return send(destination, delivery, context);
    };
    expect(await drain([sender], { once: true })).toMatchObject({ sent: 3, retried: 0 });
    expect(moves).toBe(1);
    expect(sender.tried.map((s) => `${s.destination} ${s.title}`)).toEqual([
      'telegram:-2 A',
      'telegram:-2 B',
      'telegram:-2 C',
    ]);
  });

  it('leaves deliveries no sender accepts pending', async () => {
    const feed = await addFeed(t.store);
    await ingestTitles(t.store, feed.id, ['One'], ['console', 'discord:123456789012345678']);
    const sender = recorder(undefined, { accepts: (d) => d === 'console' });
    expect(await drain([sender])).toMatchObject({ sent: 1, waiting: 1 });
    expect(await t.store.outbox.destinations()).toEqual(['discord:123456789012345678']);
  });

  it('holds posts during quiet hours and sends them when they end', async () => {
    const quiet = configFrom(`${POLLING_YAML}
destinations:
  console: {quietHours: "22:00-07:00", timezone: Europe/Rome}
`);
    const feed = await addFeed(t.store);
    await ingestTitles(t.store, feed.id, ['Night news']);
    const sender = recorder();
    const at = (iso: string) => () => new Date(iso);
    // 23:30 in Rome (22:30 UTC): quiet.
    expect(
      await drainOutbox({
        store: t.store,
        senders: [sender],
        config: quiet,
        now: at('2025-03-14T22:30:00Z'),
      }),
    ).toMatchObject({ sent: 0, waiting: 1 });
    // 07:30 in Rome: out it goes.
    expect(
      await drainOutbox({
        store: t.store,
        senders: [sender],
        config: quiet,
        now: at('2025-03-15T06:30:00Z'),
      }),
    ).toMatchObject({ sent: 1 });
  });

  it('keeps per-destination and global rate limits (fake clock)', async () => {
    const feed = await addFeed(t.store);
    const destinations: Destination[] = ['telegram:-1', 'telegram:-2', 'telegram:-3'];
    await ingestTitles(
      t.store,
      feed.id,
      Array.from({ length: 5 }, (_, k) => `Story ${k}`),
      destinations,
    );
    const limiter: RateLimit = {
      perDestination: { count: 2, perMs: SECOND },
      global: { count: 4, perMs: SECOND },
    };
    const sender = recorder(undefined, { limiter });
    // The times tokens are taken: what the limiter guarantees (with destinations in
    // parallel, another one's fake sleep may move the clock before a send is recorded).
    const taken: Sent[] = [];
    const buckets = limiterFor(limiter);
    const tryTake = buckets.tryTake.bind(buckets);
    buckets.tryTake = (destination, now) => {
      const wait = tryTake(destination, now);
      // The limiter's keys here are the destinations it was given.
      if (wait === 0) taken.push({ destination: destination as Destination, title: '', at: now });
      return wait;
    };
    const sleeps: number[] = [];
    const result = await drain([sender], {
      sleep: async (ms) => {
        sleeps.push(ms);
        t.clock.advance(ms);
      },
    });
    expect(result.sent).toBe(15);
    expect(taken).toHaveLength(15);
    const most = (list: Sent[], windowMs: number): number =>
      Math.max(
        ...list.map((s) => list.filter((o) => o.at >= s.at && o.at < s.at + windowMs).length),
      );
    expect(most(taken, SECOND)).toBeLessThanOrEqual(4);
    for (const destination of destinations) {
      const mine = taken.filter((s) => s.destination === destination);
      expect(most(mine, SECOND)).toBeLessThanOrEqual(2);
      expect(sender.sent.filter((s) => s.destination === destination).map((s) => s.title)).toEqual(
        Array.from({ length: 5 }, (_, k) => `Story ${k}`),
      );
    }
    // 15 sends at 4 a second take at least 3 s; waits are timers, never a busy loop.
    expect(t.clock.now - START).toBeGreaterThanOrEqual(3 * SECOND);
    expect(sleeps.every((ms) => ms > 0)).toBe(true);
    expect(sleeps.length).toBeLessThan(40);

    // The buckets outlive one drain: three more for one chat, and the third waits.
    await ingestTitles(t.store, feed.id, ['Late 1', 'Late 2', 'Late 3'], ['telegram:-1']);
    const before = t.clock.now;
    await drain([sender], { sleep: async (ms) => t.clock.advance(ms) });
    expect(t.clock.now).toBeGreaterThan(before);
  });

  it('sends the next part of a delivery a window after the previous part left, however slow its answer (fake clock)', async () => {
    const feed = await addFeed(t.store);
    await ingestTitles(t.store, feed.id, ['Long story'], ['telegram:-1']);
    const limiter: RateLimit = { perDestination: { count: 1, perMs: SECOND } };
    /** Each part: when it left, and when its answer came back (300 ms later: a slow network). */
    const parts: Array<{ sent: number; answered: number }> = [];
    const sender: Sender = {
      accepts: () => true,
      limiter,
      send: async (_destination, _delivery, context) => {
        for (let part = 0; part < 3; part++) {
          if (part > 0) await context.acquire();
          const sent = t.clock.now;
          t.clock.advance(300);
          parts.push({ sent, answered: t.clock.now });
        }
        return { ok: true };
      },
    };
    await drain([sender], { sleep: async (ms) => t.clock.advance(ms) });
    expect(parts).toHaveLength(3);
    for (let k = 1; k < parts.length; k++) {
      const gap = (parts[k]?.sent ?? 0) - (parts[k - 1]?.sent ?? 0);
      // A second and the margin for the network's jitter: the answer's 300 ms are not
      // waited out again (they were, the allowance over latency fell to 86 %).
      expect(gap).toBe(SECOND + marginMs({ count: 1, perMs: SECOND }));
    }
  });

  it('waits on a real timer for a short real window', async () => {
    const feed = await addFeed(t.store);
    await ingestTitles(t.store, feed.id, ['A', 'B', 'C', 'D', 'E'], ['telegram:-7']);
    const sender = recorder(undefined, {
      limiter: { perDestination: { count: 2, perMs: 120 } },
      clock: () => Date.now(),
    });
    const started = Date.now();
    expect(await drainOutbox({ store: t.store, senders: [sender], config })).toMatchObject({
      sent: 5,
    });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(230);
    expect(elapsed).toBeLessThan(2000);
    const times = sender.sent.map((s) => s.at);
    for (let k = 2; k < times.length; k++) {
      expect((times[k] as number) - (times[k - 2] as number)).toBeGreaterThanOrEqual(115);
    }
  });

  it('stops between sends when aborted, and after a restart sends what is pending, nothing twice', async () => {
    const feed = await addFeed(t.store);
    const titles = ['One', 'Two', 'Three', 'Four', 'Five'];
    await ingestTitles(t.store, feed.id, titles, ['console', 'telegram:-1']);
    const controller = new AbortController();
    const first = recorder(() => {
      if (first.sent.length >= 3) controller.abort();
      return { ok: true };
    });
    await drain([first], { signal: controller.signal, concurrency: 1 });
    expect(first.sent.length).toBeGreaterThanOrEqual(3);
    expect(first.sent.length).toBeLessThan(10);

    const store = await t.reopen();
    const second = recorder();
    const result = await drainOutbox({
      store,
      senders: [second],
      config,
      now: () => new Date(t.clock.now),
    });
    const all = [...first.sent, ...second.sent].map((s) => `${s.destination} ${s.title}`);
    expect(all).toHaveLength(10);
    expect(new Set(all).size).toBe(10);
    expect(result.sent).toBe(10 - first.sent.length);
    expect((await store.outbox.stats()).pending).toBe(0);
  });

  it('sends queued messages (notices, digests) as well as briefs', async () => {
    await t.store.outbox.enqueue('console', { kind: 'notice', text: 'Feed X paused.' });
    const sender = recorder();
    await drain([sender]);
    expect(sender.sent.map((s) => s.title)).toEqual(['Feed X paused.']);
  });
});

describe('console sender', () => {
  it('writes briefs rendered as text and messages as their text', async () => {
    const feed = await addFeed(t.store);
    await t.store.ingest(feed.id, [
      {
        keys: ['g:1'],
        brief: brief('Storm closes schools', { summary: ['A storm closed schools on Monday.'] }),
        destinations: ['console', 'telegram:-1'],
      },
    ]);
    await t.store.outbox.enqueue('console', {
      kind: 'notice',
      text: 'Feed news paused after 3 failures.',
    });
    const stream = memoryStream();
    const sender = createConsoleSender({ stream });
    expect(sender.accepts('console')).toBe(true);
    expect(sender.accepts('telegram:-1')).toBe(false);
    expect(await drain([sender])).toMatchObject({ sent: 2, waiting: 1 });
    const out = stream.text();
    expect(out).toContain('Storm closes schools');
    expect(out).toContain('A storm closed schools on Monday.');
    expect(out.indexOf('Storm closes')).toBeLessThan(
      out.indexOf('Feed news paused after 3 failures.'),
    );
    expect(out.endsWith('Feed news paused after 3 failures.\n\n')).toBe(true);
  });

  it('a stream error is a transient failure', async () => {
    await t.store.outbox.enqueue('console', { kind: 'notice', text: 'hello' });
    const sender = createConsoleSender({
      stream: {
        write: ((_chunk: unknown, callback: (error?: Error | null) => void) => {
          callback(new Error('EPIPE: broken pipe'));
          return false;
        }) as never,
      },
    });
    expect(await drain([sender])).toMatchObject({ retried: 1 });
    expect((await t.store.outbox.pending('console', 1))[0]?.lastError).toBe('EPIPE: broken pipe');
    expect(MINUTE).toBe(60_000);
  });
});
