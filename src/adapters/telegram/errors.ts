/**
 * What a failed Bot API call means for the message: the outbox's outcome (retry, give up,
 * the chat is gone) or a group that became a supergroup. grammY throws GrammyError for an
 * `{ ok: false }` answer and HttpError when no answer came; neither message holds the token
 * (grammY leaves the request URL out unless `sensitiveLogs` is set, and we never set it).
 */
import { GrammyError, HttpError } from 'grammy';
import { errorLine, type SendOutcome } from '../../app/jobs/index.js';
import { networkReason } from '../../net/reason.js';

export type TelegramFailure =
  | Exclude<SendOutcome, { ok: true }>
  /** The group was upgraded to a supergroup: send again to `chatId`, and move there. */
  | { ok: false; kind: 'migrated'; chatId: string; reason: string };

/**
 * 400s that mean the bot can no longer write to the chat: it is gone for the bot as
 * surely as after a 403, so the subscription is paused rather than each post failed.
 */
const GONE_400 = [
  /chat not found/i,
  /have no rights to send/i,
  /not enough rights/i,
  /CHAT_WRITE_FORBIDDEN/,
  /CHAT_RESTRICTED/,
  /need administrator rights/i,
  /TOPIC_CLOSED|TOPIC_DELETED|message thread not found/i,
  /PEER_ID_INVALID/,
];

export function telegramFailure(error: unknown): TelegramFailure {
  if (error instanceof GrammyError) {
    const reason = `${error.error_code}: ${error.description}`;
    const { retry_after: retryAfter, migrate_to_chat_id: migrateTo } = error.parameters;
    if (migrateTo !== undefined) {
      return { ok: false, kind: 'migrated', chatId: String(migrateTo), reason };
    }
    if (error.error_code === 429) {
      return {
        ok: false,
        kind: 'retry',
        reason,
        ...(retryAfter !== undefined ? { after: retryAfter * 1000 } : {}),
      };
    }
    if (error.error_code === 403) return { ok: false, kind: 'destination-gone', reason };
    if (error.error_code === 400) {
      return GONE_400.some((pattern) => pattern.test(error.description))
        ? { ok: false, kind: 'destination-gone', reason }
        : { ok: false, kind: 'permanent', reason };
    }
    // 401 (token revoked), 404, 409, 5xx: nothing wrong with the message; try again later.
    return { ok: false, kind: 'retry', reason };
  }
  // HttpError (no answer: network, timeout) and anything else: try again later.
  return { ok: false, kind: 'retry', reason: errorLine(error) };
}

/** The seconds Telegram asked to wait, when the error is a 429. */
export function retryAfterMs(error: unknown): number | null {
  if (!(error instanceof GrammyError) || error.error_code !== 429) return null;
  const seconds = error.parameters.retry_after;
  return seconds === undefined ? 1000 : seconds * 1000;
}

/** Why a call to the Bot API failed, for the operator, and what to do about it. */
export interface TelegramProblem {
  detail: string;
  /** Null when there is nothing to do but wait. */
  fix: string | null;
}

/**
 * A failed getMe (or any call) in the operator's terms: a refused or unknown token, an
 * answer, or no answer and why (DNS, refused connection, TLS…), never grammY's "Network
 * request for 'getMe' failed!". `briefwire doctor` and the bot's start say the same.
 */
export function telegramProblem(error: unknown, apiRoot: string): TelegramProblem {
  if (error instanceof GrammyError) {
    if (error.error_code === 401) {
      return {
        detail: 'Telegram refused the token (401 Unauthorized)',
        fix: 'copy it again from @BotFather into TELEGRAM_BOT_TOKEN',
      };
    }
    if (error.error_code === 404) {
      return {
        detail: `Telegram does not know this token (404 Not Found) at ${apiRoot}`,
        fix: 'TELEGRAM_BOT_TOKEN must be the whole token from @BotFather, like 123456789:AA…; check TELEGRAM_API_ROOT if set',
      };
    }
    return {
      detail: `Telegram answered ${error.error_code}: ${error.description}`,
      fix: error.error_code === 429 || error.error_code >= 500 ? 'try again in a minute' : null,
    };
  }
  const reason = error instanceof HttpError ? networkReason(error.error) : networkReason(error);
  return {
    detail: `cannot reach ${apiRoot}: ${reason}`,
    fix: 'check the network (proxy, firewall, DNS), or telegram.apiRoot / TELEGRAM_API_ROOT',
  };
}

/** A problem as one line: `what is wrong; what to do`. */
export function problemLine(problem: TelegramProblem): string {
  return problem.fix === null ? problem.detail : `${problem.detail}; ${problem.fix}`;
}
