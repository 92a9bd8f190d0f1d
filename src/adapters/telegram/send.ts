/**
 * Telegram's way out of the outbox: each delivery rendered (render.ts) and sent with
 * sendMessage, after its lead image with sendPhoto when it has one (photo.ts; a photo
 * Telegram refuses is dropped and the brief sent as text), under Telegram's limits, which the outbox keeps (chat.ts). The outbox's
 * retry is the only retry: a 429's `retry_after` goes back to it as the delay, so there is
 * one mechanism, not grammY's auto-retry fighting the outbox's.
 *
 * A brief longer than one message goes out as several; the parts already sent are
 * remembered, so a retry after a failure halfway sends only the rest. A group upgraded to
 * a supergroup: the outbox moves its subscriptions and queue to the new chat (and sends
 * what it had already read there too), and the message is sent there at once.
 */
import type { Api } from 'grammy';
import type { LinkPreviewOptions } from 'grammy/types';
import {
  type Log,
  type RateLimit,
  type Sender,
  type SendOutcome,
  silentLog,
} from '../../app/jobs/index.js';
import type { Delivery } from '../../store/port.js';
import { telegramDestination, telegramRateLimit, telegramTarget } from './chat.js';
import { telegramFailure } from './errors.js';
import { type TelegramPhoto, type TelegramPost, telegramPost, textPost } from './photo.js';
import type { TelegramMessage } from './render/index.js';

/** The sendMessage options of a rendered message (buttons are added by the caller). */
export function sendOptions(message: TelegramMessage): {
  parse_mode: 'HTML';
  link_preview_options: LinkPreviewOptions;
} {
  return {
    parse_mode: 'HTML',
    link_preview_options:
      message.preview === null ? { is_disabled: true } : { url: message.preview },
  };
}

export interface TelegramSenderOptions {
  api: Api;
  /** Default: Telegram's documented limits. Command replies share it (the same object). */
  limit?: RateLimit;
  log?: Log;
}

export interface TelegramSender extends Sender {
  limiter: RateLimit;
}

/** How many deliveries' partial progress is remembered at most. */
const PROGRESS_MAX = 10_000;

export function createTelegramSender(options: TelegramSenderOptions): TelegramSender {
  const { api } = options;
  const log = options.log ?? silentLog;
  const limiter = options.limit ?? telegramRateLimit();
  /**
   * Delivery id → how many of its steps went out before a failure, and whether it was
   * being sent as text only (its photo refused).
   */
  const progress = new Map<number, Progress>();

  const remember = (id: number, sent: Progress): void => {
    if (progress.size >= PROGRESS_MAX) {
      const oldest = progress.keys().next().value;
      if (oldest !== undefined) progress.delete(oldest);
    }
    progress.set(id, sent);
  };

  return {
    limiter,
    accepts: (destination) => telegramTarget(destination) !== null,
    send: async (destination, delivery, context): Promise<SendOutcome> => {
      const target = telegramTarget(destination);
      if (target === null) return { ok: false, kind: 'permanent', reason: 'not a Telegram chat' };
      let { chatId } = target;
      // A forum topic: every message goes into it (a topic deleted answers 400 "message
      // thread not found", which pauses the subscription: errors.ts).
      const topic = target.topicId === null ? {} : { message_thread_id: target.topicId };
      const before = progress.get(delivery.id) ?? { sent: 0, textOnly: false };
      let textOnly = before.textOnly;
      let steps = textOnly ? textSteps(delivery) : stepsOf(telegramPost(delivery));
      if (steps.length === 0) {
        return { ok: false, kind: 'permanent', reason: 'nothing to send' };
      }
      const start = before.sent;
      for (let index = start; index < steps.length; index++) {
        const step = steps[index] as Step;
        if (index > start) await context.acquire();
        // Twice at most: a second move in one send would be a loop, not an upgrade.
        for (let moves = 0; ; moves++) {
          try {
            if (step.kind === 'photo') {
              await api.sendPhoto(chatId, step.photo.url, {
                ...photoOptions(step.photo),
                ...topic,
              });
            } else {
              await api.sendMessage(chatId, step.message.html, {
                ...sendOptions(step.message),
                ...topic,
              });
            }
            break;
          } catch (error) {
            const failure = telegramFailure(error);
            if (step.kind === 'photo' && failure.kind === 'permanent') {
              // Telegram could not take the image (gone, not an image, too big): the
              // brief goes out as text, nothing of it lost.
              log.warn(
                `telegram: ${destination}: the photo of delivery ${delivery.id} was refused (${failure.reason}); sending it as text`,
              );
              textOnly = true;
              steps = textSteps(delivery);
              index = -1;
              break;
            }
            if (failure.kind !== 'migrated' || moves > 0) {
              if (index > 0 || textOnly) remember(delivery.id, { sent: index, textOnly });
              return failure.kind === 'migrated'
                ? { ok: false, kind: 'retry', reason: failure.reason }
                : failure;
            }
            const to = telegramDestination(failure.chatId, target.topicId);
            const moved = await context.moved(to);
            log.warn(
              `telegram: ${destination} became ${to} (group upgraded to a supergroup): ${moved.subscriptions} subscription(s) and ${moved.deliveries} queued message(s) moved; update the config if it names ${destination}`,
            );
            chatId = failure.chatId;
            destination = to;
          }
        }
      }
      progress.delete(delivery.id);
      return { ok: true };
    },
  };
}

interface Progress {
  sent: number;
  textOnly: boolean;
}

/** One API call of a post: its photo, or one of its messages. */
type Step = { kind: 'photo'; photo: TelegramPhoto } | { kind: 'message'; message: TelegramMessage };

function stepsOf(post: TelegramPost): Step[] {
  const messages = post.messages.map((message): Step => ({ kind: 'message', message }));
  return post.photo === null ? messages : [{ kind: 'photo', photo: post.photo }, ...messages];
}

function textSteps(delivery: Delivery): Step[] {
  return textPost(delivery).map((message) => ({ kind: 'message', message }));
}

/** The sendPhoto options of a photo: its caption in HTML parse mode, if it has one. */
export function photoOptions(photo: TelegramPhoto): { caption?: string; parse_mode?: 'HTML' } {
  return photo.caption === null ? {} : { caption: photo.caption, parse_mode: 'HTML' };
}
