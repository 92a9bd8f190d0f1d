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
import path from 'node:path';
import { createCommandDeps, createCommandHandler } from '../adapters/commands/index.js';
import { createConsoleAdapter } from '../adapters/console.js';
import { type Config, ConfigError, destinationOptions, loadConfig } from '../config/index.js';
import { loadLanguageDetector } from '../core/language.js';
import {
  CONSOLE_DESTINATION,
  createConsoleSender,
  drainOutbox,
  errorLine,
  type Log,
  pollDueFeeds,
  startScheduler,
  syncConfig,
} from '../scheduler/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { createLog } from './log.js';

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
}

/** The store's file in the data dir. */
export const STORE_FILE = 'briefwire.db';

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

  // Log lines go straight to stderr until the console adapter can print them above its prompt.
  let writeLog = (line: string): void => {
    options.stderr.write(line);
  };
  const log = createLog(config.logLevel, (line) => writeLog(line));

  const dbFile = path.join(config.dataDir, STORE_FILE);
  try {
    mkdirSync(config.dataDir, { recursive: true });
  } catch (error) {
    return fail(`cannot create the data folder ${shown(config.dataDir, cwd)}: ${fsReason(error)}`);
  }
  let store: Store;
  try {
    store = openSqliteStore(dbFile);
  } catch (error) {
    return fail(`cannot open the store ${shown(dbFile, cwd)}: ${errorLine(error)}`);
  }

  try {
    // Long-running: load the general language detector once, now, not on the first odd article.
    await loadLanguageDetector();
    await syncConfig(store, config, log);
    log.info(
      `config ${shown(config.file, cwd)}: ${count(config.feeds.length, 'feed')}, ${count(config.subscriptions.length, 'subscription')}; store ${shown(dbFile, cwd)}`,
    );
    platforms(config, log);
    return await runConsole(config, store, log, options, cwd, (write) => {
      writeLog = write;
    });
  } finally {
    await store.close();
  }
}

async function runConsole(
  config: Config,
  store: Store,
  log: Log,
  options: RunBotOptions,
  cwd: string,
  setLogWriter: (write: (line: string) => void) => void,
): Promise<number> {
  const { signal } = options;
  const interactive = options.stdin.isTTY === true;
  const handle = createCommandHandler(
    createCommandDeps({
      store,
      config,
      onError: (error, input) => {
        const command = input.text.trim().split(/\s/, 1)[0] ?? '';
        log.error(`command ${command}: ${errorLine(error)}`);
      },
    }),
  );
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
  const sender = createConsoleSender({ stream: adapter.out });
  const stop = (): void => adapter.close();
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    if (interactive) {
      const scheduler = startScheduler({ store, config, senders: [sender], log });
      afterCommand = () => scheduler.drainNow();
      try {
        await adapter.run();
      } finally {
        log.info('stopping: waiting for the jobs under way');
        await scheduler.stop();
      }
      return 0;
    }
    // A script: what is due now, printed before the first command is read.
    const drain = async (): Promise<void> => {
      await drainOutbox({ store, senders: [sender], config, log, ...(signal ? { signal } : {}) });
    };
    await pollDueFeeds({
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

/** One line on the chat platforms: none is configured yet in console mode. */
function platforms(config: Config, log: Log): void {
  const { telegramBotToken, discordToken } = config.secrets;
  const set = [
    telegramBotToken !== null ? 'TELEGRAM_BOT_TOKEN' : null,
    discordToken !== null ? 'DISCORD_TOKEN' : null,
  ].filter((name): name is string => name !== null);
  if (set.length === 0) {
    log.info(
      'telegram, discord: not configured (set TELEGRAM_BOT_TOKEN or DISCORD_TOKEN); console only',
    );
  } else {
    log.warn(`${set.join(' and ')} set, but this version has no chat adapters yet; console only`);
  }
}

function fsReason(error: unknown): string {
  switch ((error as { code?: unknown }).code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return 'a file is in the way (dataDir / BRIEFWIRE_DATA_DIR must name a folder)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    default:
      return errorLine(error);
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A path as messages show it: relative when inside the working directory. */
function shown(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
