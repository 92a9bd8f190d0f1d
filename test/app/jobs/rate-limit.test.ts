import { describe, expect, it } from 'vitest';
import { limiterFor, RateLimiter, TokenBucket } from '../../../src/app/jobs/rate-limit.js';

describe('TokenBucket', () => {
  it('gives count tokens, each back perMs after it was taken', () => {
    const bucket = new TokenBucket({ count: 2, perMs: 1000 });
    expect(bucket.wait(0)).toBe(0);
    bucket.take(0);
    expect(bucket.wait(100)).toBe(0);
    bucket.take(100);
    expect(bucket.wait(200)).toBe(800);
    expect(bucket.wait(1000)).toBe(0);
    bucket.take(1000);
    expect(bucket.wait(1000)).toBe(100);
    expect(bucket.idle(1500)).toBe(false);
    expect(bucket.idle(2000)).toBe(true);
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
    expect(limiter.tryTake('a', 0)).toBe(0);
    expect(limiter.tryTake('a', 0)).toBe(1000); // 1/s for the chat
    expect(limiter.tryTake('b', 10)).toBe(0);
    expect(limiter.tryTake('c', 20)).toBe(980); // 2/s for the bot
    expect(limiter.tryTake('c', 1000)).toBe(0);
    expect(limiter.tryTake('a', 1000)).toBe(10); // the global bucket still full
    expect(limiter.tryTake('a', 1010)).toBe(0);
    expect(limiter.tryTake('a', 2100)).toBe(0);
    expect(limiter.tryTake('a', 3200)).toBe(56_800); // 3/min for the chat
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
    for (const at of [0, 1000]) {
      expect(limiter.tryTake('group', at)).toBe(0);
      expect(limiter.tryTake('private', at)).toBe(0);
    }
    expect(limiter.tryTake('private', 2000)).toBe(0);
    expect(limiter.tryTake('group', 2000)).toBe(58_000); // 2/min for the group alone
  });

  it('moves a chat’s tokens to its new id, with the ones the new id already had', () => {
    const limiter = new RateLimiter({ perDestination: { count: 1, perMs: 1000 } });
    expect(limiter.tryTake('group', 0)).toBe(0);
    limiter.move('group', 'supergroup');
    expect(limiter.tryTake('supergroup', 10)).toBe(990);
    expect(limiter.tryTake('other', 0)).toBe(0);
    expect(limiter.tryTake('supergroup', 1000)).toBe(0);
    limiter.move('other', 'supergroup');
    // Both tokens count: the new id's own (back at 2000) and the moved one (back at 1000).
    expect(limiter.tryTake('supergroup', 1000)).toBe(1000);
  });

  it("holds a send's tokens until its answer is back, then perMs more", async () => {
    const limiter = new RateLimiter({ perDestination: { count: 1, perMs: 1000 } });
    const permit = await limiter.acquire('chat', () => 0);
    // The request took 300 ms to answer: the platform may have counted it as late as that.
    permit.done(300);
    expect(limiter.tryTake('chat', 1000)).toBe(300);
    expect(limiter.tryTake('chat', 1300)).toBe(0);
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
    expect(waits).toEqual([500]);
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(limiter.acquire('x', () => now, sleep, controller.signal)).rejects.toThrow(
      'stopped',
    );
  });
});
