/**
 * How often `/brief URL` may be asked: each one fetches a page from anywhere and reads it
 * in a worker for up to ARTICLE_DEADLINE_MS, so one user, or one busy group, must not keep
 * the bot's readers to itself. Token buckets of the outbox's RateLimiter: no minute ever
 * sees more than `count` of them.
 */
import { RateLimiter, type RateWindow } from '../jobs/rate-limit.js';

export const BRIEF_URL_LIMITS = {
  /** One user, in every chat together. */
  perUser: { count: 3, perMs: 60_000 },
  /** One chat, all its users together. */
  perChat: { count: 10, perMs: 60_000 },
} as const satisfies Record<string, RateWindow>;

/** May this `/brief URL` go: yes (and it was counted), or who asked too often and how long to wait. */
export type BriefUrlTurn =
  | { ok: true }
  | { ok: false; who: 'user' | 'chat'; count: number; retryInMs: number };

export class BriefUrlLimiter {
  private readonly users = new RateLimiter({
    perDestination: BRIEF_URL_LIMITS.perUser,
    local: true,
  });
  private readonly chats = new RateLimiter({
    perDestination: BRIEF_URL_LIMITS.perChat,
    local: true,
  });

  /**
   * Counts one `/brief URL` by `user` (null when the platform names none: a channel post,
   * the console) in `chat` at `now`; counts nothing when it may not go.
   */
  take(user: string | null, chat: string, now: number): BriefUrlTurn {
    const userWait = user === null ? 0 : this.users.waitFor(user, now);
    if (userWait > 0) {
      return { ok: false, who: 'user', count: BRIEF_URL_LIMITS.perUser.count, retryInMs: userWait };
    }
    const chatWait = this.chats.waitFor(chat, now);
    if (chatWait > 0) {
      return { ok: false, who: 'chat', count: BRIEF_URL_LIMITS.perChat.count, retryInMs: chatWait };
    }
    if (user !== null) this.users.tryTake(user, now);
    this.chats.tryTake(chat, now);
    return { ok: true };
  }
}
