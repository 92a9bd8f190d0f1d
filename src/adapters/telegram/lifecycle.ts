/**
 * The Telegram adapter on grammY, put together and run: the bot's start (getMe, the command
 * menus), its updates by long polling (@grammyjs/runner) or a webhook, taking them over or
 * leaving them to another instance, and its stop. What it does with an update is
 * updates.ts; how it answers, replies.ts; deliveries go through the outbox with the sender
 * of send.ts, and all of them share one rate limiter.
 *
 *     const telegram = createTelegramAdapter({ token, apiRoot, handle, store, log });
 *     await telegram.start();      // getMe, command menus, then updates flow
 *     scheduler senders: [telegram.sender]
 *     await telegram.stop();
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type RunnerHandle, run } from '@grammyjs/runner';
import { Bot, GrammyError, webhookCallback } from 'grammy';
import type { BotCommand, Update, UserFromGetMe } from 'grammy/types';
import { COMMANDS, type CommandInput, LANGUAGES, type Reply } from '../../app/commands/index.js';
import { errorLine, type Log, limiterOf, realSleep, silentLog } from '../../app/jobs/index.js';
import type { Store } from '../../store/port.js';
import { problemLine, telegramProblem } from './errors.js';
import { createTelegramReplies } from './replies.js';
import { createTelegramSender, type TelegramSender } from './send.js';
import { listenForUpdates } from './updates.js';

export interface TelegramWebhook {
  /** The public HTTPS URL Telegram posts updates to (TELEGRAM_WEBHOOK_URL). */
  url: string;
  /** Checked on every request (TELEGRAM_WEBHOOK_SECRET); default a random one per start. */
  secret?: string | null;
}

export interface TelegramAdapterOptions {
  token: string;
  /** TELEGRAM_API_ROOT: a self-hosted Bot API server; default the official one. */
  apiRoot?: string;
  handle: (input: CommandInput) => Promise<Reply>;
  store: Pick<Store, 'subscriptions' | 'cluster'>;
  log?: Log;
  /** Updates by webhook instead of long polling. */
  webhook?: TelegramWebhook | null;
  /** How long an admin check is trusted; default one minute. */
  adminCacheMs?: number;
  /** Long-polling timeout, seconds; default 30 (tests use less to stop quickly). */
  pollTimeout?: number;
  /** `/import` with an attached file reads at most this much; default 1 MiB. */
  importMaxBytes?: number;
}

export interface TelegramAdapter {
  /** For the outbox. */
  readonly sender: TelegramSender;
  /** The bot's @username, once started. */
  readonly username: string | null;
  /**
   * Checks the token (getMe, a few tries), sets the command menus, then takes updates;
   * rejects with a TelegramStartError. `signal` gives up the tries (a stop during start).
   */
  start(signal?: AbortSignal, options?: { updates?: boolean }): Promise<void>;
  /**
   * Long polling, started with `updates: false` (a standby among several instances, which
   * sends but leaves getUpdates to the elected one): takes updates from now on.
   */
  takeUpdates(): Promise<void>;
  /** Stops taking updates (the lead was lost) and waits for the ones being answered; sending goes on. */
  stopUpdates(): Promise<void>;
  /** Stops taking updates and waits for the ones being answered. */
  stop(): Promise<void>;
  /** Started, and the last call to Telegram for updates went through. */
  connected(): boolean;
  /** 429 answers received so far (each was waited out and retried). */
  tooManyRequests(): number;
  /** With a webhook: the request handler to mount at the webhook URL's path. */
  readonly webhookHandler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null;
  /** The path of the webhook URL (where webhookHandler listens), or null. */
  readonly webhookPath: string | null;
}

/** A token refused by Telegram, or a start that cannot go on: one line for the operator. */
export class TelegramStartError extends Error {
  override name = 'TelegramStartError';
}

const ALLOWED_UPDATES = [
  'message',
  'channel_post',
  'callback_query',
  'my_chat_member',
] as const satisfies readonly Exclude<keyof Update, 'update_id'>[];

/** getMe attempts at start: 1 + 2 + 4 + 8 s between them. */
const START_ATTEMPTS = 5;
export function createTelegramAdapter(options: TelegramAdapterOptions): TelegramAdapter {
  const log = options.log ?? silentLog;
  const apiRoot = (options.apiRoot ?? 'https://api.telegram.org').replace(/\/+$/, '');
  const bot = new Bot(options.token, { client: { apiRoot } });
  const sender = createTelegramSender({ api: bot.api, log });
  // Replies count against the same allowance as posts, shared by the instances when they are several.
  const limiter = limiterOf(options.store, sender.limiter);
  const webhook = options.webhook ?? null;
  const secret = webhook ? webhook.secret || randomBytes(24).toString('hex') : null;

  let runner: RunnerHandle | null = null;
  let started = false;
  let pollingOk = false;
  /** Started to send only, leaving getUpdates to another instance. */
  let standby = false;

  // Whether updates flow: the outcome of the latest getUpdates call. (Transformers see the
  // API's answer, `{ ok: false }` included, before grammY turns it into a GrammyError.)
  const pollFailed = (reason: string): void => {
    if (pollingOk) log.warn(`telegram: getUpdates failed: ${reason}; retrying`);
    pollingOk = false;
  };
  let tooManyRequests = 0;
  bot.api.config.use(async (previous, method, payload, signal) => {
    if (method !== 'getUpdates') {
      const result = await previous(method, payload, signal);
      if (!result.ok && result.error_code === 429) tooManyRequests++;
      return result;
    }
    try {
      const result = await previous(method, payload, signal);
      if (result.ok) {
        if (!pollingOk) log.info('telegram: getUpdates works again');
        pollingOk = true;
      } else if (!signal?.aborted) {
        pollFailed(`${result.error_code}: ${result.description}`);
      }
      return result;
    } catch (error) {
      if (!signal?.aborted) pollFailed(errorLine(error));
      throw error;
    }
  });

  listenForUpdates({
    bot,
    handle: options.handle,
    store: options.store,
    replies: createTelegramReplies({ bot, limiter, log }),
    log,
    apiRoot,
    token: options.token,
    adminCacheMs: options.adminCacheMs ?? 60_000,
    importMaxBytes: options.importMaxBytes ?? 1024 * 1024,
  });

  // ── Start ────────────────────────────────────────────────────────────────────────────
  /**
   * getMe, tried a few times over about 15 s: grammY's own bot.init() retries a network
   * error forever, which would leave a bot with a wrong API root or no network silent and
   * deaf to SIGTERM. A refused token is final at once.
   */
  const whoAmI = async (signal?: AbortSignal): Promise<UserFromGetMe> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await bot.api.getMe(signal as Parameters<typeof bot.api.getMe>[0]);
      } catch (error) {
        // Worded as `briefwire doctor` words it: the cause, then the fix.
        const problem = telegramProblem(error, apiRoot);
        if (error instanceof GrammyError && error.error_code < 500 && error.error_code !== 429) {
          // A refused or unknown token, a wrong API root: trying again changes nothing.
          throw new TelegramStartError(problemLine(problem));
        }
        if (signal?.aborted) throw new TelegramStartError(`${problem.detail} (stopped)`);
        if (attempt >= START_ATTEMPTS) throw new TelegramStartError(problemLine(problem));
        const wait = 1000 * 2 ** (attempt - 1);
        log.warn(`telegram: ${problem.detail}; trying again in ${wait / 1000} s`);
        await realSleep(wait, signal).catch(() => undefined);
      }
    }
  };

  // ── Command menus ────────────────────────────────────────────────────────────────────
  const setCommands = async (): Promise<void> => {
    for (const language of LANGUAGES) {
      const menu = (admin: boolean): BotCommand[] =>
        COMMANDS.filter((c) => c.listed && (admin || !c.admin)).map((c) => ({
          command: c.name,
          description: c.description[language].slice(0, 256),
        }));
      const code = language === 'en' ? {} : { language_code: language };
      await bot.api.setMyCommands(menu(false), code);
      await bot.api.setMyCommands(menu(true), {
        scope: { type: 'all_chat_administrators' },
        ...code,
      });
      await bot.api.setMyCommands(menu(true), { scope: { type: 'all_private_chats' }, ...code });
    }
  };

  /** Long polling: no webhook left set, then getUpdates in a loop (grammY's runner). */
  const takeUpdates = async (): Promise<void> => {
    await bot.api.deleteWebhook().catch((error: unknown) => {
      throw new TelegramStartError(`cannot switch Telegram to long polling: ${errorLine(error)}`);
    });
    pollingOk = true;
    runner = run(bot, {
      runner: {
        fetch: { allowed_updates: ALLOWED_UPDATES, timeout: options.pollTimeout ?? 30 },
        retryInterval: 'exponential',
        maxRetryTime: Number.POSITIVE_INFINITY,
        silent: true,
      },
    });
    log.info(`telegram: @${bot.botInfo.username} takes updates by long polling`);
  };

  const handler = webhook ? webhookCallback(bot, 'http', { secretToken: secret ?? '' }) : null;

  return {
    sender,
    get username() {
      return started ? bot.botInfo.username : null;
    },
    webhookHandler: handler
      ? async (req, res) => {
          await handler(req, res);
        }
      : null,
    webhookPath: webhook ? new URL(webhook.url).pathname : null,
    connected: () => started && (webhook !== null || standby || pollingOk),
    tooManyRequests: () => tooManyRequests,
    start: async (signal, startOptions) => {
      bot.botInfo = await whoAmI(signal);
      try {
        await setCommands();
      } catch (error) {
        log.warn(`telegram: the command menu was not set: ${errorLine(error)}`);
      }
      if (webhook) {
        await bot.api
          .setWebhook(webhook.url, {
            ...(secret ? { secret_token: secret } : {}),
            allowed_updates: ALLOWED_UPDATES,
          })
          .catch((error: unknown) => {
            throw new TelegramStartError(
              `Telegram refused the webhook ${webhook.url}: ${errorLine(error)}`,
            );
          });
        log.info(`telegram: @${bot.botInfo.username} takes updates by webhook at ${webhook.url}`);
      } else if (startOptions?.updates === false) {
        standby = true;
        log.info(`telegram: @${bot.botInfo.username} sends; another instance takes the updates`);
      } else {
        await takeUpdates();
      }
      started = true;
    },
    takeUpdates: async () => {
      if (webhook || runner?.isRunning()) return;
      await takeUpdates();
      standby = false;
    },
    stopUpdates: async () => {
      if (webhook) return;
      standby = true;
      const handle = runner;
      runner = null;
      if (handle?.isRunning()) await handle.stop();
    },
    stop: async () => {
      started = false;
      const handle = runner;
      runner = null;
      if (handle?.isRunning()) await handle.stop();
    },
  };
}
