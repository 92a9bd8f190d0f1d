/**
 * Discord channels as the rest of the bot names them: destinations `discord:<channel id>`
 * (a snowflake) and `discord:<channel id>/<thread id>` for a thread of that channel, the
 * user's locale reduced to the bot's language, and Discord's documented sending limits.
 */

import type { RateLimit, RateWindow } from '../../app/jobs/index.js';
import type { BotLanguage, Destination } from '../../config/index.js';
import { catalogueLanguageOfTag } from '../../core/i18n/catalogue.js';

const PREFIX = 'discord:';

/** A channel, or a thread of it (a thread is a channel of its own, inside its parent). */
export function discordDestination(channelId: string, threadId?: string | null): Destination {
  return threadId == null ? `discord:${channelId}` : `discord:${channelId}/${threadId}`;
}

export interface DiscordTarget {
  channelId: string;
  /** The thread inside the channel; null for the channel itself. */
  threadId: string | null;
}

const TARGET = /^(\d{15,21})(?:\/(\d{15,21}))?$/;

export function discordTarget(destination: string): DiscordTarget | null {
  if (!destination.startsWith(PREFIX)) return null;
  const match = TARGET.exec(destination.slice(PREFIX.length));
  if (!match) return null;
  return { channelId: match[1] as string, threadId: match[2] ?? null };
}

/**
 * The channel a Discord destination's messages are posted to (a snowflake): the thread's
 * own id for a thread, else the channel's; null when it is no Discord destination.
 */
export function discordChannelId(destination: string): string | null {
  const target = discordTarget(destination);
  return target === null ? null : (target.threadId ?? target.channelId);
}

/**
 * The destination of a channel as discord.js has it: a thread is `discord:<parent>/<thread>`
 * (a command run inside a thread acts on the thread: /subscribe there posts there).
 */
export function destinationOf(
  channel: { isThread(): boolean; parentId?: string | null } | null,
  channelId: string,
): Destination {
  const parentId = channel?.isThread() ? channel.parentId : null;
  return parentId ? discordDestination(parentId, channelId) : discordDestination(channelId);
}

/**
 * Discord's locale (en-US, it, fr, de, es-ES, es-419 …) as the bot's language; English for
 * a language the bot does not speak, none when Discord gives none.
 */
export function platformLanguage(locale: string | null | undefined): BotLanguage | undefined {
  if (!locale) return undefined;
  return catalogueLanguageOfTag(locale) ?? 'en';
}

/** Discord's limits for a bot (discord.com/developers/docs/topics/rate-limits). */
export interface DiscordLimits {
  /** All requests of the bot together: 50 per second. */
  global: RateWindow;
  /** `POST /channels/{id}/messages`, one channel: 5 per 5 seconds. */
  perChannel: RateWindow;
}

export const DISCORD_RATE_LIMITS: Readonly<DiscordLimits> = Object.freeze({
  global: { count: 50, perMs: 1000 },
  perChannel: { count: 5, perMs: 5000 },
});

/**
 * The outbox's rate limit for Discord. The outbox keeps strict sliding windows, so what it
 * lets through never exceeds what Discord counts in any window; @discordjs/rest's own
 * queue (fixed one-second windows for the global limit) then never has to wait, and
 * Discord never answers 429.
 */
export function discordRateLimit(limits: DiscordLimits = DISCORD_RATE_LIMITS): RateLimit {
  return { perDestination: limits.perChannel, global: limits.global };
}
