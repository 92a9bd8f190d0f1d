import { afterEach, beforeEach } from 'vitest';
import type { Store, StoreMaintenance } from '../../../src/store/port.js';
import { START } from '../helpers.js';

/** A store an implementation opened for one test, on the clock it was given. */
export interface OpenedStore {
  store: Store;
  /** Closes the store and opens the same one again, as a restart would. */
  reopen(): Promise<Store>;
  /** The same store as `doctor` and `db backup` open it. */
  maintenance(): Promise<StoreMaintenance>;
  /** The same store opened again, beside this one, as a second instance would (same clock). */
  another(): Promise<Store>;
  /** Closes it (and the others) and removes everything the test made (the file, the schema). */
  cleanup(): Promise<void>;
}

/** How an implementation opens a fresh, empty store for each test of the contract. */
export type OpenForContract = (now: () => Date) => Promise<OpenedStore>;

/** The store of the running test, with a clock the test moves. */
export interface StoreUnderTest {
  readonly store: Store;
  clock: { now: number; advance(ms: number): void };
  reopen(): Promise<Store>;
  maintenance(): Promise<StoreMaintenance>;
  another(): Promise<Store>;
}

/** A fresh store before each test, removed after it; the function gives the current one. */
export function useStore(open: OpenForContract): () => StoreUnderTest {
  let current: { opened: OpenedStore; under: StoreUnderTest } | null = null;
  beforeEach(async () => {
    const clock = {
      now: START,
      advance(ms: number) {
        clock.now += ms;
      },
    };
    const opened = await open(() => new Date(clock.now));
    const under: StoreUnderTest = {
      get store() {
        return opened.store;
      },
      clock,
      reopen: () => opened.reopen(),
      maintenance: () => opened.maintenance(),
      another: () => opened.another(),
    };
    current = { opened, under };
  });
  afterEach(async () => {
    await current?.opened.cleanup();
    current = null;
  });
  return () => {
    if (current === null) throw new Error('no store: called outside a test');
    return current.under;
  };
}
