export {
  DISCORD_RATE_LIMITS,
  type DiscordLimits,
  discordChannelId,
  discordDestination,
  discordRateLimit,
  platformLanguage,
} from './channel.js';
export { type AttachmentValue, optionValues, SLASH_COMMANDS, slashCommands } from './commands.js';
export { DiscordCode, type DiscordFailure, discordFailure } from './errors.js';
export {
  createDiscordAdapter,
  type DiscordAdapter,
  type DiscordAdapterOptions,
  DiscordStartError,
} from './lifecycle.js';
export {
  briefEmbed,
  type CommandButton,
  type DiscordFile,
  type DiscordMessage,
  type DiscordOutput,
  deliveryMessages,
  digestEmbed,
  feedColor,
  inert,
  renderReply as renderDiscordReply,
  splitContent,
} from './render/index.js';
export {
  createDiscordSender,
  type DiscordSender,
  type DiscordSenderOptions,
  deliveryNonce,
  type MessageBody,
  messageBody,
} from './send.js';
