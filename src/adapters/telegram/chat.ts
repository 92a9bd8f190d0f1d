/**
 * Telegram chats as the rest of the bot names them: destinations `telegram:<chat id>` (or
 * `telegram:@channelname` from a config file), the sender's language reduced to the bot's,
 * and Telegram's documented sending limits.
 */

import type { RateLimit, RateWindow } from '../../app/jobs/index.js';
import type { BotLanguage, Destination } from '../../config/index.js';

const PREFIX = 'telegram:';

export function telegramDestination(chatId: number | string): Destination {
  return `telegram:${chatId}`;
}

/** The chat id (a number as text, or @channelname) of a Telegram destination; else null. */
export function telegramChatId(destination: string): string | null {
  if (!destination.startsWith(PREFIX)) return null;
  const id = destination.slice(PREFIX.length);
  return /^-?\d{1,20}$/.test(id) || /^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(id) ? id : null;
}

/** Telegram's `language_code` (an IETF tag: it, it-IT, en-GB …) as the bot's language. */
export function platformLanguage(code: string | undefined): BotLanguage | undefined {
  if (!code) return undefined;
  return code.toLowerCase().startsWith('it') ? 'it' : 'en';
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
    perDestination: (destination) => {
      const id = telegramChatId(destination) ?? '';
      return /^\d/.test(id) ? [limits.perChat] : [limits.perChat, limits.perGroup];
    },
    global: limits.global,
  };
}
