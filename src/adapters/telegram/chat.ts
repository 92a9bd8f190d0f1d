/**
 * Telegram chats as the rest of the bot names them: destinations `telegram:<chat id>` (or
 * `telegram:@channelname` from a config file), a forum topic `telegram:<chat id>/<topic id>`,
 * the sender's language reduced to the bot's, and Telegram's documented sending limits.
 */

import type { RateLimit, RateWindow } from '../../app/jobs/index.js';
import type { BotLanguage, Destination } from '../../config/index.js';
import { catalogueLanguageOfTag } from '../../core/i18n/catalogue.js';

const PREFIX = 'telegram:';

/** A chat, or one forum topic of it (the `message_thread_id` of its messages). */
export function telegramDestination(chatId: number | string, topicId?: number | null): Destination {
  return topicId == null ? `telegram:${chatId}` : `telegram:${chatId}/${topicId}`;
}

/** Where a Telegram destination's messages go: the chat, and the forum topic if any. */
export interface TelegramTarget {
  /** A number as text, or @channelname. */
  chatId: string;
  /** The topic's message_thread_id; null for the chat itself (a forum's General topic). */
  topicId: number | null;
}

const TARGET = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})(?:\/(\d{1,10}))?$/;

export function telegramTarget(destination: string): TelegramTarget | null {
  if (!destination.startsWith(PREFIX)) return null;
  const match = TARGET.exec(destination.slice(PREFIX.length));
  if (!match) return null;
  const topicId = match[2] === undefined ? null : Number(match[2]);
  // Topic ids are message ids: positive 32-bit integers.
  if (topicId !== null && !(topicId >= 1 && topicId <= 2 ** 31 - 1)) return null;
  return { chatId: match[1] as string, topicId };
}

/**
 * The forum topic a message was written in, or null. Only `is_topic_message` says so: in
 * a group that is no forum, a reply carries the message_thread_id of its reply thread too.
 */
export function topicOf(message: {
  is_topic_message?: boolean;
  message_thread_id?: number;
}): number | null {
  return message.is_topic_message === true && message.message_thread_id !== undefined
    ? message.message_thread_id
    : null;
}

/** The chat id (a number as text, or @channelname) of a Telegram destination; else null. */
export function telegramChatId(destination: string): string | null {
  return telegramTarget(destination)?.chatId ?? null;
}

/**
 * Telegram's `language_code` (an IETF tag: it, it-IT, de, en-GB …) as the bot's language;
 * English for a language the bot does not speak, none when Telegram gives none.
 */
export function platformLanguage(code: string | undefined): BotLanguage | undefined {
  if (!code) return undefined;
  return catalogueLanguageOfTag(code) ?? 'en';
}

/** Telegram's limits for a bot (core.telegram.org/bots/faq#broadcasting-to-users). */
export interface TelegramLimits {
  /** All chats together: about 30 messages per second. */
  global: RateWindow;
  /** One chat: about one message per second. */
  perChat: RateWindow;
  /** One group: at most 20 messages per minute. */
  perGroup: RateWindow;
}

export const TELEGRAM_LIMITS: Readonly<TelegramLimits> = Object.freeze({
  global: { count: 30, perMs: 1000 },
  perChat: { count: 1, perMs: 1000 },
  perGroup: { count: 20, perMs: 60_000 },
});

/**
 * The outbox's rate limit for Telegram. A destination names only the chat id, and groups,
 * supergroups and channels all have negative ids (or an @name), so all of those keep the
 * group limit too: a channel is held to 20 posts a minute, which no news feed reaches.
 */
export function telegramRateLimit(limits: TelegramLimits = TELEGRAM_LIMITS): RateLimit {
  return {
    // Telegram counts a group's messages, whichever of its topics they go to.
    bucketOf: (destination) => {
      const id = telegramChatId(destination);
      return id === null ? destination : telegramDestination(id);
    },
    perDestination: (destination) => {
      const id = telegramChatId(destination) ?? '';
      return /^\d/.test(id) ? [limits.perChat] : [limits.perChat, limits.perGroup];
    },
    global: limits.global,
  };
}
