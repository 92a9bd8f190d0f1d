/**
 * Discord's way out of the outbox: each delivery rendered (render.ts) and posted with
 * `POST /channels/{id}/messages` through discord.js's REST client, under Discord's limits,
 * which the outbox keeps (channel.ts).
 *
 * - Every message carries `allowed_mentions: { parse: [] }`: nothing in feed text can ping.
 * - Every message carries a nonce derived from the delivery, with `enforce_nonce`: when
 *   @discordjs/rest sends again after a lost answer (connection reset), Discord returns
 *   the message it already created instead of posting a second one.
 * - @discordjs/rest waits out short 429s itself (Retry-After) and retries 5xx and resets a
 *   few times; what still fails comes back to the outbox as an outcome (errors.ts).
 * - A channel where the bot lacks Embed Links gets the brief as plain text.
 * - A delivery of several messages (plain text) remembers the parts already sent, so a
 *   retry after a failure halfway sends only the rest.
 */
import { type REST, Routes } from 'discord.js';
import {
  type Log,
  type RateLimit,
  type Sender,
  type SendOutcome,
  silentLog,
} from '../../app/jobs/index.js';
import type { Delivery } from '../../store/port.js';
import { discordChannelId, discordRateLimit } from './channel.js';
import { discordFailure } from './errors.js';
import { type DiscordMessage, deliveryMessages } from './render/index.js';

/** MessageFlags.SuppressEmbeds: no link previews. */
const SUPPRESS_EMBEDS = 1 << 2;

/** The JSON body of a message create (and of an interaction reply, without the nonce). */
export interface MessageBody {
  content?: string;
  embeds?: NonNullable<DiscordMessage['embeds']>;
  flags?: number;
  allowed_mentions: { parse: [] };
  nonce?: string;
  enforce_nonce?: boolean;
}

/** A rendered message as the body Discord takes, mentions always off. */
export function messageBody(message: DiscordMessage): MessageBody {
  return {
    ...(message.content !== undefined && message.content !== ''
      ? { content: message.content }
      : {}),
    ...(message.embeds && message.embeds.length > 0 ? { embeds: message.embeds } : {}),
    ...(message.suppressEmbeds ? { flags: SUPPRESS_EMBEDS } : {}),
    allowed_mentions: { parse: [] },
  };
}

/**
 * The nonce of one message of a delivery (≤ 25 characters, Discord's limit): its id and
 * creation time, so a store created afresh never reuses the nonce of an earlier one.
 */
export function deliveryNonce(delivery: Pick<Delivery, 'id' | 'createdAt'>, part: number): string {
  return `${delivery.id.toString(36)}.${delivery.createdAt.getTime().toString(36)}.${part}`.slice(
    0,
    25,
  );
}

export interface DiscordSenderOptions {
  rest: Pick<REST, 'post'>;
  /**
   * Whether the bot may embed links in the channel (from the client's cache); null when
   * unknown (the channel is not cached), and then embeds are sent.
   */
  embedLinks?: (channelId: string) => boolean | null;
  /** Default: Discord's documented limits. */
  limit?: RateLimit;
  log?: Log;
}

export interface DiscordSender extends Sender {
  limiter: RateLimit;
}

/** How many deliveries' partial progress is remembered at most. */
const PROGRESS_MAX = 10_000;
/** How many briefs' rendered messages are kept: a fan-out renders its brief once. */
const RENDERED_MAX = 64;

export function createDiscordSender(options: DiscordSenderOptions): DiscordSender {
  const { rest } = options;
  const log = options.log ?? silentLog;
  const limiter = options.limit ?? discordRateLimit();
  /** Delivery id → how it was being sent and how many of its messages went out. */
  const progress = new Map<number, { embeds: boolean; sent: number }>();

  /** `briefId:embeds` → the brief's messages (the same for every channel it goes to). */
  const rendered = new Map<string, DiscordMessage[]>();
  const render = (delivery: Delivery, embeds: boolean): DiscordMessage[] => {
    if (delivery.kind !== 'brief') return deliveryMessages(delivery, embeds);
    const key = `${delivery.briefId}:${embeds}`;
    let messages = rendered.get(key);
    if (!messages) {
      messages = deliveryMessages(delivery, embeds);
      if (rendered.size >= RENDERED_MAX) {
        const oldest = rendered.keys().next().value;
        if (oldest !== undefined) rendered.delete(oldest);
      }
      rendered.set(key, messages);
    }
    return messages;
  };

  const remember = (id: number, embeds: boolean, sent: number): void => {
    if (progress.size >= PROGRESS_MAX) {
      const oldest = progress.keys().next().value;
      if (oldest !== undefined) progress.delete(oldest);
    }
    progress.set(id, { embeds, sent });
  };

  return {
    limiter,
    accepts: (destination) => discordChannelId(destination) !== null,
    send: async (destination, delivery, context): Promise<SendOutcome> => {
      const channelId = discordChannelId(destination);
      if (channelId === null) {
        return { ok: false, kind: 'permanent', reason: 'not a Discord channel' };
      }
      const earlier = progress.get(delivery.id);
      const embeds = earlier?.embeds ?? options.embedLinks?.(channelId) !== false;
      const messages = render(delivery, embeds);
      if (messages.length === 0) return { ok: false, kind: 'permanent', reason: 'nothing to send' };
      if (!embeds && earlier === undefined) {
        log.debug(`discord: ${destination}: no Embed Links permission; sending plain text`);
      }
      const start = earlier?.sent ?? 0;
      for (let index = start; index < messages.length; index++) {
        if (index > start) await context.acquire();
        const body: MessageBody = {
          ...messageBody(messages[index] as DiscordMessage),
          nonce: deliveryNonce(delivery, index),
          enforce_nonce: true,
        };
        try {
          await rest.post(Routes.channelMessages(channelId), { body });
        } catch (error) {
          if (index > 0) remember(delivery.id, embeds, index);
          return discordFailure(error);
        }
      }
      progress.delete(delivery.id);
      return { ok: true };
    },
  };
}
