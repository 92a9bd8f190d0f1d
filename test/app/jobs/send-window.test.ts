import { describe, expect, it } from 'vitest';
import { SendWindow, sendWindowFor } from '../../../src/app/jobs/send-window.js';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('SendWindow', () => {
  it('is one place wide until a send has shown what a round trip costs', async () => {
    const window = new SendWindow(30 / 1000, 8);
    expect(window.size()).toBe(1);
  });

  it('widens to the allowance × the shortest recent send time, with a quarter for jitter', async () => {
    const clock = manualClock();
    const window = new SendWindow(30 / 1000, 8, clock.now);
    for (const ms of [300, 100, 250]) {
      const slot = await window.enter();
      clock.advance(ms);
      window.leave(slot, true);
    }
    // 30/s × 100 ms × 1.25 = 3.75: four sends at once keep 30 a second going.
    expect(window.size()).toBe(4);
  });

  it('never widens past the drain’s own concurrency', async () => {
    const clock = manualClock();
    const window = new SendWindow(50 / 1000, 8, clock.now);
    const slot = await window.enter();
    clock.advance(2000);
    window.leave(slot, true);
    expect(window.size()).toBe(8);
  });

  it('does not learn from a place given back without a send (the tokens were not there)', async () => {
    const clock = manualClock();
    const window = new SendWindow(30 / 1000, 8, clock.now);
    const slot = await window.enter();
    clock.advance(500);
    window.leave(slot, false);
    expect(window.size()).toBe(1);
  });

  it('makes the next send wait while the window is full, and lets it in when a place is given back', async () => {
    const window = new SendWindow(30 / 1000, 8);
    const first = await window.enter();
    let entered = false;
    const second = window.enter().then((slot) => {
      entered = true;
      return slot;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(entered).toBe(false);
    window.leave(first, true);
    await second;
    expect(entered).toBe(true);
  });

  it('stops counting a send stuck past a second, so one hung chat never stops the fan-out', async () => {
    const window = new SendWindow(30 / 1000, 8);
    await window.enter(); // never given back: the platform hangs
    const started = performance.now();
    await window.enter();
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('gives up waiting when the drain is stopped', async () => {
    const window = new SendWindow(30 / 1000, 8);
    await window.enter();
    const controller = new AbortController();
    const waiting = window.enter(controller.signal);
    controller.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
  });
});

describe('sendWindowFor', () => {
  it('takes the tightest of the sender’s global windows, and is the same window for the process', () => {
    const limit = {
      perDestination: { count: 1, perMs: 1000 },
      global: [
        { count: 30, perMs: 1000 },
        { count: 600, perMs: 60_000 },
      ],
    };
    const window = sendWindowFor(limit, 8);
    expect(window).not.toBeNull();
    expect(sendWindowFor(limit, 8)).toBe(window);
  });

  it('has none for a sender without a global allowance', () => {
    expect(sendWindowFor({ perDestination: { count: 1, perMs: 1000 } }, 8)).toBeNull();
  });
});
