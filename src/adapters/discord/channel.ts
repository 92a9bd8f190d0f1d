/**
 * Discord channels as the rest of the bot names them: destinations `discord:<channel id>`
 * (a snowflake), the user's locale reduced to the bot's language, and Discord's documented
 * sending limits.
 */

import type { RateLimit, RateWindow } from '../../app/jobs/index.js';
import type { BotLanguage, Destination } from '../../config/index.js';

const PREFIX = 'discord:';

export function discordDestination(channelId: string): Destination {
  return `discord:${channelId}`;
}

/** The channel id (a snowflake) of a Discord destination; else null. */
export function discordChannelId(destination: string): string | null {
  if (!destination.startsWith(PREFIX)) return null;
  const id = destination.slice(PREFIX.length);
  return /^\d{15,21}$/.test(id) ? id : null;
}

/** Discord's locale (en-US, en-GB, it, …) as the bot's language. */
export function platformLanguage(locale: string | null | undefined): BotLanguage | undefined {
  if (!locale) return undefined;
  return locale.toLowerCase().startsWith('it') ? 'it' : 'en';
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
