export {
  platformLanguage,
  TELEGRAM_LIMITS,
  type TelegramLimits,
  telegramChatId,
  telegramDestination,
  telegramRateLimit,
} from './chat.js';
export { type TelegramFailure, telegramFailure } from './errors.js';
export {
  createTelegramAdapter,
  type TelegramAdapter,
  type TelegramAdapterOptions,
  TelegramStartError,
  type TelegramWebhook,
} from './lifecycle.js';
export {
  type CommandButton,
  deliveryMessages,
  renderReply as renderTelegramReply,
  type TelegramDocument,
  type TelegramMessage,
  type TelegramOutput,
} from './render/index.js';
export { createTelegramSender, type TelegramSender, type TelegramSenderOptions } from './send.js';
