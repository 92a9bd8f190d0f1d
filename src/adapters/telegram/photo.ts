/**
 * A delivery as Telegram posts it when its subscription shows media: the brief's lead image
 * as a photo (sendPhoto, by URL: Telegram fetches it itself, the bot never connects to the
 * image's host), with the brief as its caption when the brief fits a caption, else the photo
 * first and the brief's messages after it; no link preview under a post that has a photo.
 * Without an image, or with media off, the brief's messages alone, with the link preview as
 * the subscription's `preview` says. Pure: send.ts makes the API calls.
 */
import type { Delivery } from '../../store/port.js';
import { deliveryMessages, type TelegramMessage } from './render/index.js';

/**
 * Telegram's caption limit: "0-1024 characters after entities parsing" (Bot API, sendPhoto
 * `caption`).
 */
export const CAPTION_MAX = 1024;

export interface TelegramPhoto {
  /** An absolute http(s) URL, passed as is for Telegram to fetch. */
  url: string;
  /** HTML parse mode; null for a photo without a caption (the brief follows it). */
  caption: string | null;
}

export interface TelegramPost {
  /** Sent first, when there is one. */
  photo: TelegramPhoto | null;
  /** Sent after the photo (or alone). */
  messages: TelegramMessage[];
}

/** The characters Telegram counts in HTML the renderers wrote: tags out, entities as one. */
export function parsedLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(/&(?:#\d+|#x[\da-f]+|[a-z]+);/gi, '&').length;
}

/** The delivery as text only: the link preview as the subscription wants it. */
export function textPost(delivery: Delivery): TelegramMessage[] {
  const messages = deliveryMessages(delivery);
  if (delivery.kind !== 'brief' || delivery.preview) return messages;
  return messages.map((message) => ({ ...message, preview: null }));
}

/** The delivery as posted: with its photo when it has an image and media is on. */
export function telegramPost(delivery: Delivery): TelegramPost {
  const messages = textPost(delivery);
  const image = delivery.kind === 'brief' && delivery.media ? delivery.brief.image : undefined;
  if (image === undefined || messages.length === 0) return { photo: null, messages };
  const [first] = messages;
  if (messages.length === 1 && first && parsedLength(first.html) <= CAPTION_MAX) {
    return { photo: { url: image, caption: first.html }, messages: [] };
  }
  return {
    photo: { url: image, caption: null },
    messages: messages.map((message) => ({ ...message, preview: null })),
  };
}
