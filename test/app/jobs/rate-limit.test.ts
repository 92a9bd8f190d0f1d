import { describe, expect, it } from 'vitest';
import {
  limiterFor,
  marginMs,
  RateLimiter,
  TokenBucket,
} from '../../../src/app/jobs/rate-limit.js';

describe('TokenBucket', () => {
  it('gives count tokens, each back perMs and a 25 ms margin after it was taken', () => {
    const bucket = new TokenBucket({ count: 2, perMs: 1000 });
    expect(bucket.wait(0)).toBe(0);
    bucket.take(0);
    expect(bucket.wait(100)).toBe(0);
    bucket.take(100);
    expect(bucket.wait(200)).toBe(825);
    expect(bucket.wait(1000)).toBe(25);
    expect(bucket.wait(1025)).toBe(0);
    bucket.take(1025);
    expect(bucket.wait(1025)).toBe(100);
    expect(bucket.idle(1500)).toBe(false);
    expect(bucket.idle(2050)).toBe(true);
  });

  it('keeps the margin small: 2.5 % of the window, never more than 100 ms', () => {
    expect(marginMs({ count: 30, perMs: 1000 })).toBe(25);
    expect(marginMs({ count: 20, perMs: 60_000 })).toBe(100);
    expect(marginMs({ count: 1, perMs: 0 })).toBe(0);
  });
});

describe('RateLimiter', () => {
  it('needs a token from the destination and from the global bucket', () => {
    const limiter = new RateLimiter({
      perDestination: [
        { count: 1, perMs: 1000 },
        { count: 3, perMs: 60_000 },
      ],
      global: { count: 2, perMs: 1000 },
    });
    // Tokens come back a window and its margin later: 25 ms a second, 100 ms a minute.
    expect(limiter.tryTake('a', 0)).toBe(0);
    expect(limiter.tryTake('a', 0)).toBe(1025); // 1/s for the chat
    expect(limiter.tryTake('b', 10)).toBe(0);
    expect(limiter.tryTake('c', 20)).toBe(1005); // 2/s for the bot
    expect(limiter.tryTake('c', 1025)).toBe(0);
    expect(limiter.tryTake('a', 1025)).toBe(10); // the global bucket still full
    expect(limiter.tryTake('a', 1035)).toBe(0);
    expect(limiter.tryTake('a', 2100)).toBe(0);
    expect(limiter.tryTake('a', 3200)).toBe(56_900); // 3/min for the chat
  });

  it('gives each destination its own windows when asked per destination', () => {
    const limiter = new RateLimiter({
      perDestination: (destination) =>
        destination.startsWith('group')
          ? [
              { count: 1, perMs: 1000 },
              { count: 2, perMs: 60_000 },
            ]
          : { count: 1, perMs: 1000 },
    });
    for (const at of [0, 1025]) {
      expect(limiter.tryTake('group', at)).toBe(0);
      expect(limiter.tryTake('private', at)).toBe(0);
    }
    expect(limiter.tryTake('private', 2050)).toBe(0);
    expect(limiter.tryTake('group', 2050)).toBe(58_050); // 2/min for the group alone
  });

  it('moves a chat’s tokens to its new id, with the ones the new id already had', () => {
    const limiter = new RateLimiter({ perDestination: { count: 1, perMs: 1000 } });
    expect(limiter.tryTake('group', 0)).toBe(0);
    limiter.move('group', 'supergroup');
    expect(limiter.tryTake('supergroup', 10)).toBe(1015);
    expect(limiter.tryTake('other', 0)).toBe(0);
    expect(limiter.tryTake('supergroup', 1025)).toBe(0);
    limiter.move('other', 'supergroup');
    // Both tokens count: the new id's own (back at 2050) and the moved one (back at 1025).
    expect(limiter.tryTake('supergroup', 1025)).toBe(1025);
  });

  it("times a send's tokens from when it left, not from its answer", async () => {
    const limiter = new RateLimiter({ perDestination: { count: 1, perMs: 1000 } });
    await limiter.acquire('chat', () => 0);
    // However long the answer takes, the next send may go a window and the margin later.
    expect(limiter.tryTake('chat', 1000)).toBe(25);
    expect(limiter.tryTake('chat', 1025)).toBe(0);
  });

  it('refuses a limit that is no limit', () => {
    expect(() => new RateLimiter({ perDestination: { count: 0, perMs: 1000 } })).toThrow(
      RangeError,
    );
  });

  it('keeps one limiter per RateLimit object', () => {
    const limit = { perDestination: { count: 1, perMs: 1000 } };
    expect(limiterFor(limit)).toBe(limiterFor(limit));
    expect(limiterFor({ ...limit })).not.toBe(limiterFor(limit));
  });

  it('acquire waits on the given sleep and stops when aborted', async () => {
    const limiter = new RateLimiter({ perDestination: { count: 1, perMs: 500 } });
    let now = 0;
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      now += ms;
    };
    await limiter.acquire('x', () => now, sleep);
    await limiter.acquire('x', () => now, sleep);
    expect(waits).toEqual([500 + marginMs({ count: 1, perMs: 500 })]);
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(limiter.acquire('x', () => now, sleep, controller.signal)).rejects.toThrow(
      'stopped',
    );
  });
});

describe('RateLimiter: tokens re-timed by the answer', () => {
  const limit = { perDestination: { count: 1, perMs: 1000 } };

  it('keeps a send’s tokens out until its answer is in, even past their window', async () => {
    const limiter = new RateLimiter(limit);
    expect(await limiter.tryAcquire('telegram:-1', () => 0)).toBe(0);
    // A stall: no answer yet 2 s later, so the platform may not have counted it yet.
    expect(limiter.waitFor('telegram:-1', 2000)).toBeGreaterThan(0);
    await limiter.answered('telegram:-1', () => 2100);
    // The only round trip seen is the shortest: timed from the take, as before.
    expect(limiter.waitFor('telegram:-1', 2100)).toBe(0);
  });

  it('holds the tokens of a send answered later than the shortest round trip that much longer', async () => {
    const limiter = new RateLimiter(limit);
    await limiter.tryAcquire('telegram:-1', () => 0);
    await limiter.answered('telegram:-1', () => 100);
    await limiter.tryAcquire('telegram:-2', () => 0);
    // 400 ms instead of 100: it may have reached the platform up to 300 ms late.
    await limiter.answered('telegram:-2', () => 400);
    expect(limiter.waitFor('telegram:-1', 1025)).toBe(0);
    expect(limiter.waitFor('telegram:-2', 1025)).toBe(300);
  });

  it('holds the first sends’ tokens longer once a shorter round trip shows they came late', async () => {
    const limiter = new RateLimiter(limit);
    // The first send: a cold connection, answered after 300 ms, the shortest seen so far.
    await limiter.tryAcquire('telegram:-1', () => 0);
    await limiter.answered('telegram:-1', () => 300);
    expect(limiter.waitFor('telegram:-1', 400)).toBe(625);
    // The next ones take 100 ms: the first may have reached the platform 200 ms late, and
    // its chat’s second message must not arrive within a second of it.
    await limiter.tryAcquire('telegram:-2', () => 400);
    await limiter.answered('telegram:-2', () => 500);
    expect(limiter.waitFor('telegram:-1', 1025)).toBe(200);
    expect(limiter.waitFor('telegram:-1', 1225)).toBe(0);
    expect(limiter.waitFor('telegram:-2', 1425)).toBe(0);
  });

  it('leaves the tokens of sends already back alone when a shorter trip comes', async () => {
    const limiter = new RateLimiter(limit);
    await limiter.tryAcquire('telegram:-1', () => 0);
    await limiter.answered('telegram:-1', () => 300);
    // Back at 1025; the shorter trip comes after, and the chat took a new token since.
    await limiter.tryAcquire('telegram:-1', () => 1100);
    await limiter.answered('telegram:-1', () => 1300);
    await limiter.tryAcquire('telegram:-2', () => 1400);
    await limiter.answered('telegram:-2', () => 1500);
    // The second take (200 ms, timed against 100) is held 100 ms past 2125; only that.
    expect(limiter.waitFor('telegram:-1', 2125)).toBe(100);
    expect(limiter.waitFor('telegram:-1', 2225)).toBe(0);
  });

  it('lets the tokens of a send that never answers go 30 s after they were due', async () => {
    const limiter = new RateLimiter(limit);
    await limiter.tryAcquire('telegram:-1', () => 0);
    expect(limiter.waitFor('telegram:-1', 31_024)).toBe(1);
    expect(limiter.waitFor('telegram:-1', 31_025)).toBe(0);
  });

  it('times a command reply’s tokens (acquire, no answer awaited) from the take', async () => {
    const limiter = new RateLimiter(limit);
    await limiter.acquire('telegram:-1', () => 0);
    expect(limiter.waitFor('telegram:-1', 1025)).toBe(0);
  });
});
