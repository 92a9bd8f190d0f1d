/**
 * Answers to commands, out to Telegram: a rendered reply sent (quoting the command in a
 * group, in its forum topic), an /actor page edited in place when a button is pressed,
 * each call under the outbox's rate limit and a 429 or two waited out. Buttons carry
 * their command in callback_data when it fits Telegram's 64 bytes, else a key remembered
 * here.
 */
import { type Bot, GrammyError, InputFile } from 'grammy';
import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import { type Log, type limiterOf, realSleep } from '../../app/jobs/index.js';
import { telegramDestination, topicOf } from './chat.js';
import { retryAfterMs } from './errors.js';
import type { TelegramMessage, TelegramOutput } from './render/index.js';
import { sendOptions } from './send.js';

/** Replies wait out at most this many 429s before giving up (deliveries use the outbox). */
const REPLY_RETRIES = 3;
/** Telegram's limit for callback_data. */
const CALLBACK_DATA_BYTES = 64;
const BUTTON_MEMORY = 5000;

export interface TelegramReplies {
  /** The reply to `message`, each part in turn, then its document. */
  send(message: Message, output: TelegramOutput): Promise<void>;
  /** `message` (the bot's, whose button was pressed) shows `first` instead. */
  edit(message: Message, first: TelegramMessage): Promise<void>;
  /** The command a button's callback_data stands for; undefined when it is forgotten. */
  buttonCommand(data: string): string | undefined;
}

export function createTelegramReplies(options: {
  bot: Bot;
  /** The outbox's allowance: replies count against it as posts do. */
  limiter: Pick<ReturnType<typeof limiterOf>, 'acquire'>;
  log: Log;
}): TelegramReplies {
  const { bot, limiter, log } = options;

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

  // ── Through the outbox's limiter, waiting out a 429 or two ───────────────────────────
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

  const send = async (message: Message, output: TelegramOutput): Promise<void> => {
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

  const edit = async (message: Message, first: TelegramMessage): Promise<void> => {
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
  };

  return {
    send,
    edit,
    buttonCommand: (data) => (data.startsWith('/') ? data : buttonCommands.get(data)),
  };
}
