/**
 * The set-up every end-to-end platform test shares: the project's Telegram Bot API or
 * Discord (REST + gateway) on 127.0.0.1, a real SQLite store, a memory log, the real
 * adapter over the one command handler, and the real outbox. Called at a test file's top
 * level, it registers the hooks: each test gets them new, and after it the adapter stops,
 * what the test opened closes (`closers`, last first), and the token is in no log line.
 *
 *     const h = useDiscordLoopback((api) => api.addGuild({ … }));
 *     const discord = await h.start();
 *     await h.pollAndDeliver(discord);
 *     expect(h.api.messages(CHANNEL)) …
 */
import { afterEach, beforeEach, expect } from 'vitest';
import {
  createDiscordAdapter,
  type DiscordAdapter,
  type DiscordAdapterOptions,
} from '../../src/adapters/discord/index.js';
import {
  createTelegramAdapter,
  type TelegramAdapter,
  type TelegramAdapterOptions,
} from '../../src/adapters/telegram/index.js';
import { createCommandDeps, createCommandHandler } from '../../src/app/commands/index.js';
import { pollDueFeeds, type Sender } from '../../src/app/jobs/index.js';
import type { Config } from '../../src/config/index.js';
import { fetchFeed } from '../../src/feeds/fetch.js';
import { testConfig } from '../app/commands/helpers.js';
import { memoryLog, openTestStore, type TestStore } from '../app/jobs/helpers.js';
import { drainAll } from './delivery.js';
import { type DiscordApi, startDiscordApi } from './discord-api.js';
import { startTelegramApi, type TelegramApi } from './telegram-api.js';

/** Retries within a test's patience. */
export const LOOPBACK_CONFIG: Config = testConfig(`
outbox:
  retryBase: 10ms
  retryMax: 50ms
`);

export interface Loopback<Api, Adapter, Options> {
  readonly api: Api;
  readonly t: TestStore;
  readonly log: ReturnType<typeof memoryLog>;
  /** Closed after the test, last first (feed servers, image servers …). */
  readonly closers: (() => Promise<void>)[];
  readonly config: Config;
  /** The adapter started by `start` (or adopted), stopped after the test; null before. */
  readonly adapter: Adapter | null;
  /** An adapter the test made itself, to be stopped after it as well. */
  adopt(adapter: Adapter): Adapter;
  /** The adapter over the store and the one command handler, started; stopped after the test. */
  start(options?: Partial<Options>): Promise<Adapter>;
  /** Drains the outbox until nothing is due (retries included), as the scheduler would. */
  drain(senders: readonly Sender[]): Promise<void>;
  /** Polls the feeds due (loopback allowed, as a test's feeds are there), and sends what they bring. */
  pollAndDeliver(adapter: { sender: Sender }): Promise<void>;
}

interface Platform<Api, Adapter, Options> {
  open(): Promise<Api & { token: string; close(): Promise<void> }>;
  create(api: Api, base: AdapterBase, options: Partial<Options>): Adapter;
}

/** What every adapter is made with. */
interface AdapterBase {
  handle: DiscordAdapterOptions['handle'];
  store: TestStore['store'];
  log: ReturnType<typeof memoryLog>;
}

function useLoopback<
  Api,
  Adapter extends { start(): Promise<void>; stop(): Promise<void> },
  Options,
>(
  platform: Platform<Api, Adapter, Options>,
  setup: (api: Api) => void | Promise<void>,
  config: Config,
): Loopback<Api, Adapter, Options> {
  let api: (Api & { token: string; close(): Promise<void> }) | undefined;
  let t: TestStore | undefined;
  let log: ReturnType<typeof memoryLog> | undefined;
  let adapter: Adapter | null = null;
  const closers: (() => Promise<void>)[] = [];
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the loopback platform is set up in beforeEach');
    return value;
  };

  beforeEach(async () => {
    api = await platform.open();
    await setup(api);
    t = openTestStore();
    log = memoryLog();
    adapter = null;
  });

  afterEach(async () => {
    await adapter?.stop();
    for (const close of closers.splice(0).reverse()) await close();
    const token = api?.token;
    await api?.close();
    await t?.cleanup();
    // Whatever happened, the token never reached a log line.
    if (token) expect((log?.lines ?? []).join('\n')).not.toContain(token);
  });

  const harness: Loopback<Api, Adapter, Options> = {
    get api() {
      return ready(api);
    },
    get t() {
      return ready(t);
    },
    get log() {
      return ready(log);
    },
    closers,
    config,
    get adapter() {
      return adapter;
    },
    adopt: (made) => {
      adapter = made;
      return made;
    },
    start: async (options = {}) => {
      const store = ready(t).store;
      const handle = createCommandHandler(
        createCommandDeps({ store, config, guard: { allowPrivate: true } }),
      );
      adapter = platform.create(ready(api), { handle, store, log: ready(log) }, options);
      await adapter.start();
      return adapter;
    },
    drain: (senders) => drainAll(ready(t).store, senders, config, ready(log)),
    pollAndDeliver: async ({ sender }) => {
      await pollDueFeeds({
        store: ready(t).store,
        config,
        now: () => new Date(),
        fetch: (url, options) => fetchFeed(url, { ...options, allowPrivate: true }),
      });
      await harness.drain([sender]);
    },
  };
  return harness;
}

export type DiscordLoopback = Loopback<DiscordApi, DiscordAdapter, DiscordAdapterOptions>;

/** Discord on loopback; `setup` adds the servers, channels, threads and members a file needs. */
export function useDiscordLoopback(
  setup: (api: DiscordApi) => void | Promise<void>,
  config: Config = LOOPBACK_CONFIG,
): DiscordLoopback {
  return useLoopback<DiscordApi, DiscordAdapter, DiscordAdapterOptions>(
    {
      open: () => startDiscordApi(),
      create: (api, base, options) =>
        createDiscordAdapter({ token: api.token, apiRoot: `${api.root}/api`, ...base, ...options }),
    },
    setup,
    config,
  );
}

export type TelegramLoopback = Loopback<TelegramApi, TelegramAdapter, TelegramAdapterOptions>;

/** Telegram's Bot API on loopback; `setup` adds the users, chats and topics a file needs. */
export function useTelegramLoopback(
  setup: (api: TelegramApi) => void | Promise<void>,
  config: Config = LOOPBACK_CONFIG,
): TelegramLoopback {
  return useLoopback<TelegramApi, TelegramAdapter, TelegramAdapterOptions>(
    {
      open: () => startTelegramApi(),
      create: (api, base, options) =>
        createTelegramAdapter({
          token: api.token,
          apiRoot: api.apiRoot,
          pollTimeout: 1,
          ...base,
          ...options,
        }),
    },
    setup,
    config,
  );
}
