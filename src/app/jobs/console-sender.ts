/**
 * The console's Sender: writes each delivery to a stream (stdout for the console adapter, a
 * memory stream in tests) as plain text — renderText(brief), or a message's text.
 */
import type { Writable } from 'node:stream';
import { renderText } from '../../core/render/index.js';
import { renderTemplate, storedTemplate, TEXT_TEMPLATE } from '../../core/render/template.js';
import { errorLine } from '../../shared/log.js';
import type { Delivery, Destination } from '../../store/port.js';
import { messageText, type Sender, type SendOutcome } from './outbox.js';
import type { RateLimit } from './rate-limit.js';

export const CONSOLE_DESTINATION = 'console';

export interface ConsoleSenderOptions {
  /** Where deliveries are written; a write's callback decides that it was sent. */
  stream: Pick<Writable, 'write'>;
  /** Which destinations it serves; default only 'console'. */
  accepts?: (destination: Destination) => boolean;
  /** How a delivery is written; default the text, then a blank line. */
  format?: (delivery: Delivery) => string;
  limiter?: RateLimit;
}

/** A delivery as plain text: a brief rendered for a terminal, or a message's text. */
export function deliveryText(delivery: Delivery): string | null {
  if (delivery.kind === 'brief') {
    const custom = storedTemplate(delivery.template);
    if (custom !== null)
      return renderTemplate(custom, delivery.brief, TEXT_TEMPLATE, delivery.locale);
    return renderText(delivery.brief, delivery.locale);
  }
  return messageText(delivery.payload);
}

export function createConsoleSender(options: ConsoleSenderOptions): Sender {
  const accepts = options.accepts ?? ((destination) => destination === CONSOLE_DESTINATION);
  const format =
    options.format ??
    ((delivery: Delivery) => {
      const text = deliveryText(delivery);
      return text === null ? '' : `${text.trimEnd()}\n\n`;
    });
  const sender: Sender = {
    accepts,
    send: async (_destination, delivery): Promise<SendOutcome> => {
      const text = format(delivery);
      if (text === '') return { ok: false, kind: 'permanent', reason: 'nothing to print' };
      return new Promise<SendOutcome>((resolve) => {
        try {
          options.stream.write(text, (error) => {
            resolve(error ? { ok: false, kind: 'retry', reason: errorLine(error) } : { ok: true });
          });
        } catch (error) {
          resolve({ ok: false, kind: 'retry', reason: errorLine(error) });
        }
      });
    },
  };
  if (options.limiter) sender.limiter = options.limiter;
  return sender;
}
