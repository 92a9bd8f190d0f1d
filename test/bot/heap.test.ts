import { describe, expect, it } from 'vitest';
import {
  BUSY_HEAP_FLAG,
  busyHeap,
  IDLE_HEAP_FLAG,
  SERVICE_HEAP_FLAGS,
} from '../../src/bot/heap.js';

/** A busyHeap whose V8 flags are written down instead of set. */
function recorded() {
  const flags: string[] = [];
  return { flags, whileBusy: busyHeap((flag) => flags.push(flag)) };
}

describe('the service heap while the bot works', () => {
  it('lets the young generation grow during the work and stops it once the work is done', async () => {
    const { flags, whileBusy } = recorded();
    const result = await whileBusy(async () => {
      expect(flags).toEqual([BUSY_HEAP_FLAG]);
      return 42;
    });
    expect(result).toBe(42);
    expect(flags).toEqual([BUSY_HEAP_FLAG, IDLE_HEAP_FLAG]);
  });

  it('stays busy until the last of overlapping works ends', async () => {
    const { flags, whileBusy } = recorded();
    let endFirst = () => {};
    const first = whileBusy(() => new Promise<void>((resolve) => (endFirst = resolve)));
    const second = whileBusy(async () => 'done');
    await second;
    // The poll still running keeps the busy heap.
    expect(flags).toEqual([BUSY_HEAP_FLAG]);
    endFirst();
    await first;
    expect(flags).toEqual([BUSY_HEAP_FLAG, IDLE_HEAP_FLAG]);
  });

  it('goes back to the idle heap when the work fails, and passes the failure on', async () => {
    const { flags, whileBusy } = recorded();
    await expect(
      whileBusy(async () => {
        throw new Error('feed unreachable');
      }),
    ).rejects.toThrow('feed unreachable');
    expect(flags).toEqual([BUSY_HEAP_FLAG, IDLE_HEAP_FLAG]);
  });

  it('idles with the young generation the service starts with', () => {
    // The idle heap is the one favourHeapSize sets: going idle undoes exactly the busy flag.
    expect(SERVICE_HEAP_FLAGS).toContain(IDLE_HEAP_FLAG);
    expect(BUSY_HEAP_FLAG.split('=')[0]).toBe(IDLE_HEAP_FLAG.split('=')[0]);
  });
});
