/**
 * `briefwire run`: the whole bot. The config is loaded and checked, the store opened under
 * the data dir, the config's feeds and subscriptions synced into it, and the console
 * adapter started; Telegram and Discord join when their tokens are set.
 *
 * - In a terminal (stdin is a TTY) the scheduler polls feeds and drains the outbox on its
 *   clock, new briefs are printed as they arrive, commands are typed at a prompt; Ctrl-C,
 *   Ctrl-D, SIGINT or SIGTERM stop it cleanly (jobs finished, store closed, exit 0).
 * - Otherwise (a script, a test) the due feeds are polled once and the outbox drained, then
 *   commands are read from stdin line by line, each reply printed and the outbox drained
 *   again, and the bot exits 0 at the end of input.
 */
import { mkdirSync } from 'node:fs';
import { type ConsoleAdapter, createConsoleAdapter } from '../adapters/console.js';
import { createCommandDeps, createCommandHandler } from '../app/commands/index.js';
import {
  CONSOLE_DESTINATION,
  createConsoleSender,
  drainOutbox,
  errorLine,
  instanceOwner,
  type Log,
  pollDueFeeds,
  type Scheduler,
  type Sender,
  startScheduler,
  syncConfig,
} from '../app/jobs/index.js';
import { type Config, ConfigError, destinationOptions, loadConfig } from '../config/index.js';
import { briefArticle } from '../core/brief.js';
import { defaultLexicon } from '../core/lexicon/index.js';
import type { Article, Brief } from '../core/types.js';
import { ModelFileError } from '../ner/load.js';
import { checkShippedModels, shippedTaggers } from '../ner/taggers.js';
import type { GuardOptions } from '../net/guard.js';
import { fsReason, shownPath } from '../store/file.js';
import {
  describeLocation,
  openStore,
  type Store,
  StoreError,
  type StoreLocation,
  storeLocation,
} from '../store/index.js';
import { healthRoutes } from './health.js';
import { type HttpServer, ListenError, type Route, startHttpServer } from './http.js';
import { createLog } from './log.js';
import { type BotMetrics, createMetrics, type PlatformName } from './metrics.js';
import { createPlatforms, type Platform } from './platforms.js';

export interface RunBotOptions {
  /** `--config FILE`; else BRIEFWIRE_CONFIG; else config/default.yaml. */
  configFile?: string | undefined;
  /** Usually process.env: overrides and tokens. */
  env: Readonly<Record<string, string | undefined>>;
  /** Commands; a TTY makes the bot interactive and long-running. */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean | undefined };
  /** Briefs and replies. */
  stdout: NodeJS.WritableStream;
  /** Log lines, and the one line of a start-up failure. */
  stderr: NodeJS.WritableStream;
  /** Aborting it (SIGINT, SIGTERM) stops the bot cleanly. */
  signal?: AbortSignal | undefined;
  /** Relative paths on the command line and in the environment; default process.cwd(). */
  cwd?: string | undefined;
  /**
   * The URL guard for what chats type (`/brief URL`, `/subscribe`). Leave it out: chats never
   * reach private addresses. `{ allowPrivate: true }` is for tests serving pages on
   * 127.0.0.1; no command line, environment variable or config key sets it.
   */
  chatGuard?: Pick<GuardOptions, 'allowPrivate'> | undefined;
}

export { STORE_FILE } from '../store/file.js';

/** Runs the bot until the end of input or a stop signal; resolves to the exit status. */
export async function runBot(options: RunBotOptions): Promise<number> {
  const cwd = options.cwd ?? process.cwd();
  const fail = (message: string): number => {
    options.stderr.write(`briefwire: ${message}\n`);
    return 1;
  };

  let config: Config;
  try {
    config = loadConfig({
      ...(options.configFile !== undefined ? { file: options.configFile } : {}),
      env: options.env,
      cwd,
    });
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }

  // DATABASE_URL (PostgreSQL), else the SQLite file of the data dir.
  let location: StoreLocation;
  try {
    location = storeLocation(options.env, config.dataDir, cwd);
  } catch (error) {
    if (error instanceof StoreError) return fail(error.message);
    throw error;
  }
  const show = (file: string): string => shownPath(file, cwd);
  const storeName = describeLocation(location, show);
  // Every language's entity model is checked now: a missing or corrupt file stops the bot
  // at start with one line, not at the first article of that language. Each is loaded only
  // when its language first comes (a bot of English feeds holds one model, not five).
  const models = config.models ? { folder: config.models } : {};
  const tagger = shippedTaggers(models);
  try {
    checkShippedModels(models);
  } catch (error) {
    if (error instanceof ModelFileError) return fail(error.message);
    throw error;
  }
  const brief = (article: Article): Brief => briefArticle(article, { tagger });

  // Log lines go straight to stderr until the console adapter can print them above its prompt.
  let writeLog = (line: string): void => {
    options.stderr.write(line);
  };
  const log = createLog(config.logLevel, (line) => writeLog(line), {
    secrets: [
      ...config.secrets.values(),
      ...(location.kind === 'postgres' && location.password !== null ? [location.password] : []),
    ],
    pretty: (options.stderr as { isTTY?: boolean }).isTTY === true,
  });

  if (location.kind === 'sqlite') {
    try {
      mkdirSync(config.dataDir, { recursive: true });
    } catch (error) {
      return fail(
        `cannot create the data folder ${shownPath(config.dataDir, cwd)}: ${fsReason(error)} (dataDir / BRIEFWIRE_DATA_DIR must name a folder)`,
      );
    }
  }
  let store: Store;
  try {
    store = await openStore(location, { show, log: (line) => log.warn(line) });
  } catch (error) {
    // Empty, damaged, not a store, unreachable: nothing is changed, and the line says what to do.
    if (error instanceof StoreError) return fail(error.message);
    return fail(`cannot open the store ${storeName}: ${errorLine(error)}`);
  }

  try {
    // Long-running: read the lexicon now (~5 ms), not in the first poll; its forms are made as
    // articles first ask for them (~45-80 ms in all, spread over the first polls, where a whole
    // build would hold up /healthz and every chat). The general language detector (~30 MB) is not
    // loaded here: the poller and /brief load it on the first article that needs it.
    defaultLexicon();
    await syncConfig(store, config, log);
    log.info(
      `config ${shownPath(config.file, cwd)}: ${count(config.feeds.length, 'feed')}, ${count(config.subscriptions.length, 'subscription')}; store ${storeName}`,
    );
    return await runWith(config, store, log, options, cwd, brief, (write) => {
      writeLog = write;
    });
  } finally {
    await store.close();
  }
}

async function runWith(
  config: Config,
  store: Store,
  log: Log,
  options: RunBotOptions,
  cwd: string,
  brief: (article: Article) => Brief,
  setLogWriter: (write: (line: string) => void) => void,
): Promise<number> {
  const { signal } = options;
  const interactive = options.stdin.isTTY === true;
  const handle = createCommandHandler(
    createCommandDeps({
      store,
      config,
      brief,
      ...(options.chatGuard ? { guard: options.chatGuard } : {}),
      onError: (error, input) => {
        const command = input.text.trim().split(/\s/, 1)[0] ?? '';
        log.error(`command ${command}: ${errorLine(error)}`);
      },
    }),
  );
  const platforms = await createPlatforms({ config, store, handle, log });
  if (platforms.length === 0) {
    log.info(
      'telegram, discord: not configured (set TELEGRAM_BOT_TOKEN or DISCORD_TOKEN); console only',
    );
  }
  let afterCommand = async (): Promise<void> => {};
  const adapter = createConsoleAdapter({
    handle,
    input: options.stdin,
    output: options.stdout,
    errorOutput: options.stderr,
    interactive,
    language: destinationOptions(config, CONSOLE_DESTINATION).language,
    afterCommand: () => afterCommand(),
    cwd,
  });
  setLogWriter((line) => {
    adapter.err.write(line);
  });
  const metrics =
    config.server.port === null
      ? null
      : createMetrics({
          store,
          tooManyRequests: () =>
            Object.fromEntries(platforms.map((p) => [p.name, p.tooManyRequests()])),
        });
  const counted = (name: PlatformName, sender: Sender): Sender =>
    metrics ? metrics.counting(name, sender) : sender;
  const senders = [
    counted('console', createConsoleSender({ stream: adapter.out })),
    ...platforms.map((p) => counted(p.name, p.sender)),
  ];
  const stop = (): void => adapter.close();
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    if (platforms.length > 0 || interactive) {
      return await runService({
        brief,
        config,
        store,
        log,
        options,
        adapter,
        platforms,
        senders,
        metrics,
        setAfterCommand: (f) => {
          afterCommand = f;
        },
      });
    }
    // A script: what is due now, printed before the first command is read.
    const drain = async (): Promise<void> => {
      await drainOutbox({ store, senders, config, log, ...(signal ? { signal } : {}) });
    };
    await pollDueFeeds({
      brief,
      store,
      config,
      now: () => new Date(),
      log,
      ...(signal ? { signal } : {}),
    });
    await drain();
    afterCommand = drain;
    await adapter.run();
    return 0;
  } finally {
    signal?.removeEventListener('abort', stop);
    adapter.close();
  }
}

/** How long a stop may take (jobs, platforms) before the bot exits anyway. */
const STOP_DEADLINE_MS = 10_000;

interface ServiceParts {
  config: Config;
  store: Store;
  log: Log;
  options: RunBotOptions;
  adapter: ConsoleAdapter;
  platforms: readonly Platform[];
  senders: readonly Sender[];
  metrics: BotMetrics | null;
  setAfterCommand: (f: () => Promise<void>) => void;
  brief: (article: Article) => Brief;
}

/**
 * The bot on its clock: platforms connected, the scheduler polling and draining, the HTTP
 * server (webhook, health, metrics) on HTTP_PORT when set. In a terminal it runs until the
 * console is closed or a signal comes; otherwise (a service) until SIGINT/SIGTERM — the end
 * of a piped stdin does not stop it. Stopping: no more updates or polls, the deliveries in
 * flight finish or stay pending for the next start, the store is closed by the caller.
 */
async function runService(parts: ServiceParts): Promise<number> {
  const { config, store, log, options, adapter, platforms, senders, metrics } = parts;
  const { signal } = options;
  const started: Platform[] = [];
  let server: HttpServer | null = null;
  let scheduler: Scheduler | null = null;
  try {
    const routes = new Map<string, Route>();
    for (const platform of platforms) {
      for (const [path, route] of platform.routes) routes.set(path, route);
    }
    if (routes.size > 0 && config.server.port === null) {
      throw new StartError(
        'TELEGRAM_WEBHOOK_URL is set but HTTP_PORT is not: the webhook needs a port to listen on (or unset TELEGRAM_WEBHOOK_URL to use long polling)',
      );
    }
    if (metrics) {
      const health = healthRoutes({
        store,
        platforms,
        metrics,
        lastDrainAt: () => scheduler?.lastDrainAt() ?? null,
      });
      for (const [path, route] of health) routes.set(path, route);
    }
    if (config.server.port !== null) {
      server = await startHttpServer({
        port: config.server.port,
        host: config.server.host,
        routes,
        log,
      }).catch((error: unknown) => {
        // A port in use, one that needs privileges: the operator's to fix, in one line.
        throw error instanceof ListenError ? new StartError(error.message) : error;
      });
      log.info(
        `http: listening on ${config.server.host}:${server.port} (${[...routes.keys()].join(', ')})`,
      );
    }
    for (const platform of platforms) {
      try {
        await platform.start(signal);
      } catch (error) {
        // The adapters' start errors are written for the operator (a refused token, an
        // unreachable API root): one line, then exit 1.
        throw new StartError(errorLine(error));
      }
      started.push(platform);
    }
    scheduler = startScheduler({
      store,
      config,
      instance: { owner: instanceOwner(), leaseMs: config.instances.leaseMs },
      brief: parts.brief,
      senders,
      log,
      ...(metrics
        ? {
            onPoll: (summary) => metrics.polled(summary),
            onBriefed: (seconds) => metrics.briefed(seconds),
          }
        : {}),
    });
    const drainNow = scheduler.drainNow.bind(scheduler);
    parts.setAfterCommand(() => drainNow());
    const stopped = new Promise<void>((resolve) => {
      if (signal?.aborted) resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    // A terminal's console ends the bot when it is closed; a pipe's end does not.
    const consoleDone = adapter.run();
    await (options.stdin.isTTY === true ? Promise.race([consoleDone, stopped]) : stopped);
    return 0;
  } catch (error) {
    if (error instanceof StartError) {
      // Stopped while starting (SIGTERM while Telegram was unreachable): a stop, not a failure.
      if (signal?.aborted) {
        log.warn(`stopped while starting: ${error.message}`);
        return 0;
      }
      options.stderr.write(`briefwire: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    adapter.close();
    log.info('stopping: no more updates or polls; waiting for the deliveries under way');
    const stopping = (async () => {
      for (const platform of started) {
        await platform.stop().catch((error: unknown) => {
          log.warn(`${platform.name}: stopping: ${errorLine(error)}`);
        });
      }
      await scheduler?.stop();
    })();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), STOP_DEADLINE_MS);
    });
    if ((await Promise.race([stopping, late])) === 'late') {
      log.warn(
        `stopping took over ${STOP_DEADLINE_MS / 1000} s; exiting anyway (pending deliveries stay queued)`,
      );
    }
    clearTimeout(timer);
    await server?.close();
  }
}

/** A reason the bot cannot start, for the operator, in one line. */
class StartError extends Error {}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
