/**
 * The Telegram adapter on grammY: updates in (long polling with @grammyjs/runner, or a
 * webhook), commands to the one command handler, replies out as HTML; deliveries go
 * through the outbox with the sender of send.ts, and both share one rate limiter.
 *
 *     const telegram = createTelegramAdapter({ token, apiRoot, handle, store, log });
 *     await telegram.start();      // getMe, command menus, then updates flow
 *     scheduler senders: [telegram.sender]
 *     await telegram.stop();
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type RunnerHandle, run, sequentialize } from '@grammyjs/runner';
import { Bot, type Context, GrammyError, InputFile, webhookCallback } from 'grammy';
import type {
  BotCommand,
  InlineKeyboardMarkup,
  Message,
  Update,
  UserFromGetMe,
} from 'grammy/types';
import {
  type Chat,
  COMMANDS,
  type CommandInput,
  commandInfo,
  LANGUAGES,
  messages,
  parseCommandLine,
  type Reply,
} from '../../app/commands/index.js';
import { errorLine, type Log, limiterOf, realSleep, silentLog } from '../../app/jobs/index.js';
import type { Destination, Store } from '../../store/port.js';
import { downloadAttachment } from '../shared/attachment.js';
import { pauseOnRemoval } from '../shared/removal.js';
import { platformLanguage, telegramDestination, topicOf } from './chat.js';
import { problemLine, retryAfterMs, telegramProblem } from './errors.js';
import { renderReply, type TelegramMessage, type TelegramOutput } from './render/index.js';
import { createTelegramSender, sendOptions, type TelegramSender } from './send.js';

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
/** Replies wait out at most this many 429s before giving up (deliveries use the outbox). */
const REPLY_RETRIES = 3;
/** Telegram's limit for callback_data. */
const CALLBACK_DATA_BYTES = 64;
const BUTTON_MEMORY = 5000;

/** The Bot API's user that stands for an anonymous group admin. */
const ANONYMOUS_ADMIN_ID = 1087968824;

export function createTelegramAdapter(options: TelegramAdapterOptions): TelegramAdapter {
  const log = options.log ?? silentLog;
  const apiRoot = (options.apiRoot ?? 'https://api.telegram.org').replace(/\/+$/, '');
  const bot = new Bot(options.token, { client: { apiRoot } });
  const sender = createTelegramSender({ api: bot.api, log });
  // Replies count against the same allowance as posts, shared by the instances when they are several.
  const limiter = limiterOf(options.store, sender.limiter);
  const adminCacheMs = options.adminCacheMs ?? 60_000;
  const importMaxBytes = options.importMaxBytes ?? 1024 * 1024;
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

  // ── Admin checks ─────────────────────────────────────────────────────────────────────
  const admins = new Map<string, { admin: boolean; until: number }>();
  const isChatAdmin = async (chatId: number, userId: number): Promise<boolean> => {
    const key = `${chatId}:${userId}`;
    const cached = admins.get(key);
    if (cached && cached.until > Date.now()) return cached.admin;
    try {
      const member = await bot.api.getChatMember(chatId, userId);
      const admin = member.status === 'creator' || member.status === 'administrator';
      if (admins.size > 10_000) admins.clear();
      admins.set(key, { admin, until: Date.now() + adminCacheMs });
      return admin;
    } catch (error) {
      log.warn(`telegram: cannot check the admins of ${chatId}: ${errorLine(error)}`);
      return false;
    }
  };

  /** The chat a message came from, as the command handler sees it. */
  /**
   * The destination a chat's commands act on: its number, or `telegram:@name` when a config
   * file subscribed the chat by its public @name (and the number has no subscription), so
   * that /feeds, /pause and the rest see what the config made.
   */
  const destinationOf = async (
    chat: Message['chat'],
    topicId: number | null,
  ): Promise<Destination> => {
    const numbered = telegramDestination(chat.id, topicId);
    const username = 'username' in chat ? chat.username : undefined;
    if (!username) return numbered;
    const named = telegramDestination(`@${username}`, topicId);
    const { subscriptions } = options.store;
    if ((await subscriptions.listByDestination(numbered)).length > 0) return numbered;
    return (await subscriptions.listByDestination(named)).length > 0 ? named : numbered;
  };

  const chatOf = async (
    message: Pick<
      Message,
      'chat' | 'from' | 'sender_chat' | 'is_topic_message' | 'message_thread_id'
    >,
  ): Promise<Chat> => {
    const { chat, from } = message;
    const isAdmin = async (): Promise<boolean> => {
      // A private chat is its user's own; only a channel's admins can post in it.
      if (chat.type === 'private' || chat.type === 'channel') return true;
      // "Remain anonymous" admins write as the group itself.
      if (message.sender_chat?.id === chat.id) return true;
      if (!from || from.id === ANONYMOUS_ADMIN_ID || message.sender_chat) return false;
      return isChatAdmin(chat.id, from.id);
    };
    return {
      // A command written in a forum topic acts on that topic: /subscribe there posts there.
      destination: await destinationOf(chat, topicOf(message)),
      isAdmin,
      language: platformLanguage(from?.language_code),
      fileInput: 'caption',
    };
  };

  // ── Buttons: callback_data holds the command when it fits in 64 bytes ────────────────
  const buttonCommands = new Map<string, string>();
  let buttonKey = 0;
  const callbackData = (command: string): string => {
    if (Buffer.byteLength(command) <= CALLBACK_DATA_BYTES) return command;
    const key = `k:${(buttonKey++).toString(36)}`;
    if (buttonCommands.size >= BUTTON_MEMORY) {
      const oldest = buttonCommands.keys().next().value;
      if (oldest !== undefined) buttonCommands.delete(oldest);
    }
    buttonCommands.set(key, command);
    return key;
  };
  const keyboard = (message: TelegramMessage): InlineKeyboardMarkup | undefined =>
    message.buttons
      ? {
          inline_keyboard: message.buttons.map((row) =>
            row.map((b) => ({ text: b.text, callback_data: callbackData(b.command) })),
          ),
        }
      : undefined;

  // ── Sending replies: through the outbox's limiter, waiting out a 429 or two ──────────
  const politely = async <T>(destination: string, call: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      await limiter.acquire(destination, () => Date.now(), realSleep);
      try {
        return await call();
      } catch (error) {
        const wait = retryAfterMs(error);
        if (wait === null || attempt >= REPLY_RETRIES) throw error;
        log.info(`telegram: 429 on a reply to ${destination}; retrying in ${wait} ms`);
        await realSleep(wait);
      }
    }
  };

  const sendReply = async (message: Message, output: TelegramOutput): Promise<void> => {
    const chatId = message.chat.id;
    const destination = telegramDestination(chatId);
    const topicId = topicOf(message);
    const thread = topicId === null ? {} : { message_thread_id: topicId };
    // In groups the answer quotes the command, so it is clear whose it is.
    const quote =
      message.chat.type === 'group' || message.chat.type === 'supergroup'
        ? {
            reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
          }
        : {};
    let first = true;
    for (const part of output.messages) {
      const markup = keyboard(part);
      await politely(destination, () =>
        bot.api.sendMessage(chatId, part.html, {
          ...sendOptions(part),
          ...thread,
          ...(first ? quote : {}),
          ...(markup ? { reply_markup: markup } : {}),
        }),
      );
      first = false;
    }
    const { document } = output;
    if (document) {
      await politely(destination, () =>
        bot.api.sendDocument(
          chatId,
          new InputFile(Buffer.from(document.content, 'utf8'), document.filename),
          { caption: document.caption, parse_mode: 'HTML', ...thread, ...quote },
        ),
      );
    }
  };

  const answer = async (message: Message, text: string): Promise<void> => {
    const reply = await options.handle({
      text,
      chat: await chatOf(message),
      botName: bot.botInfo.username,
      user: message.from ? `telegram:${message.from.id}` : undefined,
    });
    await sendReply(message, renderReply(reply));
  };

  // ── Updates ──────────────────────────────────────────────────────────────────────────
  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()));

  const onCommand = async (message: Message): Promise<void> => {
    // Other bots, and channel posts the group receives as automatic forwards, are not users.
    if (fromOtherBot(message) || message.is_automatic_forward) return;
    const text = message.text ?? message.caption ?? '';
    if (!text.startsWith('/')) return;
    if (someoneElses(message, text)) return;
    if (message.document && /^\/import(?:@\S+)?\s*$/i.test(text.trim())) {
      const file = await importedFile(message);
      await answer(message, file === null ? text : `/import\n${file}`);
      return;
    }
    await answer(message, text);
  };

  /**
   * Written by another bot. Not so when the message speaks for a chat (`sender_chat`): then
   * `from` is Telegram's placeholder bot (@GroupAnonymousBot for an anonymous admin, who
   * writes as the group; @Channel_Bot for someone writing as their channel), and a person
   * wrote it.
   */
  const fromOtherBot = (message: Message): boolean =>
    message.from?.is_bot === true && message.sender_chat === undefined;

  /**
   * A command in a group that is not ours and not addressed to us (`/weather` for another
   * bot in the same group): answering "unknown command" there would be noise. In a private
   * chat, or addressed `/x@ourbot`, an unknown command still gets its answer.
   */
  const someoneElses = (message: Message, text: string): boolean => {
    if (message.chat.type !== 'group' && message.chat.type !== 'supergroup') return false;
    const line = parseCommandLine(text);
    if (line === null || commandInfo(line.name) !== undefined) return false;
    return line.bot?.toLowerCase() !== bot.botInfo.username.toLowerCase();
  };

  /** The text of a file sent with /import as its caption; null when there is none to read. */
  const importedFile = async (message: Message): Promise<string | null> => {
    const document = message.document;
    if (!document) return null;
    if ((document.file_size ?? 0) > importMaxBytes) return null;
    const file = await bot.api.getFile(document.file_id);
    if (!file.file_path) return null;
    // The URL holds the token: the label names the file, never the URL.
    const got = await downloadAttachment(`${apiRoot}/file/bot${options.token}/${file.file_path}`, {
      maxBytes: importMaxBytes,
      label: `telegram: attachment ${document.file_name ?? document.file_id}`,
      log,
    });
    if (got.ok) return got.text;
    if (got.problem === 'too-large') return null;
    throw new Error(`the file could not be downloaded (${got.detail})`);
  };

  bot.on('message', (ctx) => onCommand(ctx.message));
  bot.on('channel_post', (ctx) => onCommand(ctx.channelPost));

  bot.on('callback_query:data', async (ctx) => {
    const data = ctx.callbackQuery.data;
    const command = data.startsWith('/') ? data : buttonCommands.get(data);
    const message = ctx.callbackQuery.message;
    if (!command || !message || !('text' in message || 'caption' in message)) {
      const language = platformLanguage(ctx.from.language_code) ?? 'en';
      await ctx.answerCallbackQuery({ text: messages(language).buttonExpired });
      return;
    }
    const reply = await options.handle({
      text: command,
      // The one who pressed the button, not the bot that wrote the message, is asking.
      chat: await chatOf({
        chat: message.chat,
        from: ctx.from,
        ...('is_topic_message' in message ? { is_topic_message: message.is_topic_message } : {}),
        ...('message_thread_id' in message ? { message_thread_id: message.message_thread_id } : {}),
      }),
      botName: bot.botInfo.username,
      user: `telegram:${ctx.from.id}`,
    });
    const [first, ...rest] = renderReply(reply).messages;
    await ctx.answerCallbackQuery();
    if (!first) return;
    const markup = keyboard(first);
    try {
      await politely(telegramDestination(message.chat.id), () =>
        bot.api.editMessageText(message.chat.id, message.message_id, first.html, {
          ...sendOptions(first),
          ...(markup ? { reply_markup: markup } : {}),
        }),
      );
    } catch (error) {
      // Pressed twice: the page is already shown.
      if (!(error instanceof GrammyError && /not modified/i.test(error.description))) throw error;
    }
    if (rest.length > 0) await sendReply(message as Message, { messages: rest });
  });

  // Removed from a chat: its subscriptions pause (and are kept) until an admin resumes them.
  bot.on('my_chat_member', async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status !== 'left' && status !== 'kicked') return;
    // Its topics' subscriptions pause at their next post (403: errors.ts).
    const destination = await destinationOf(ctx.myChatMember.chat, null);
    await pauseOnRemoval(
      options.store,
      log,
      destination,
      status === 'kicked' ? 'the bot was removed or blocked' : 'the bot left the chat',
    );
  });

  bot.catch((error) => {
    log.error(`telegram: update ${error.ctx.update.update_id}: ${errorLine(error.error)}`);
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
