/**
 * What a failed Discord request means for the message: the outbox's outcome (retry, give
 * up, the channel is gone for the bot). @discordjs/rest throws DiscordAPIError for an
 * error answer (`code` is Discord's JSON error code, `status` the HTTP status), HTTPError
 * for a 5xx it retried and gave up on, RateLimitError for a 429 it was told not to wait
 * out; network errors come as they are. None of their messages holds the bot token.
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { errorLine, type SendOutcome } from '../../app/jobs/index.js';

export type DiscordFailure = Exclude<SendOutcome, { ok: true }>;

/** Discord's JSON error codes the adapter tells apart (discord.com/developers/docs/topics/opcodes-and-status-codes). */
export const DiscordCode = {
  UnknownChannel: 10003,
  UnknownGuild: 10004,
  MissingAccess: 50001,
  CannotSendToUser: 50007,
  NonTextChannel: 50008,
  MissingPermissions: 50013,
  InvalidFormBody: 50035,
  ThreadArchived: 50083,
} as const;

/**
 * Errors after which the bot can no longer post in the channel: the subscription is paused
 * with this reason (shown by /feeds) rather than each post failed, until an admin fixes
 * the channel and runs /resume.
 */
const GONE: Readonly<Record<number, string>> = {
  [DiscordCode.UnknownChannel]: 'the channel was deleted (10003 Unknown Channel)',
  [DiscordCode.UnknownGuild]: 'the bot is no longer in the server (10004 Unknown Guild)',
  [DiscordCode.MissingAccess]:
    'the bot cannot see the channel any more (50001 Missing Access): give it View Channel, then /resume',
  [DiscordCode.MissingPermissions]:
    'the bot may not post in the channel (50013 Missing Permissions): give it Send Messages, then /resume',
  [DiscordCode.CannotSendToUser]: 'the user does not take messages from the bot (50007)',
  [DiscordCode.NonTextChannel]: 'the channel takes no text messages (50008)',
  [DiscordCode.ThreadArchived]: 'the thread is archived (50083)',
};

export function discordFailure(error: unknown): DiscordFailure {
  if (error instanceof RateLimitError) {
    return {
      ok: false,
      kind: 'retry',
      reason: `429 rate limited${error.global ? ' (global)' : ''}; retry after ${error.retryAfter} ms`,
      after: Math.max(0, error.retryAfter),
    };
  }
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    const reason = `${error.status} ${code}: ${errorLine(error)}`;
    const gone = GONE[code];
    if (gone !== undefined) return { ok: false, kind: 'destination-gone', reason: gone };
    if (error.status === 429) return { ok: false, kind: 'retry', reason };
    // 401 (token revoked), 408, 5xx: nothing wrong with the message; try again later.
    if (error.status === 401 || error.status === 408 || error.status >= 500) {
      return { ok: false, kind: 'retry', reason };
    }
    // 50035 Invalid Form Body, 50006 empty message, other 4xx: sending again will not help.
    return { ok: false, kind: 'permanent', reason };
  }
  if (error instanceof HTTPError) {
    return { ok: false, kind: 'retry', reason: `HTTP ${error.status}: ${errorLine(error)}` };
  }
  return { ok: false, kind: 'retry', reason: errorLine(error) };
}
