export { formatDuration, parseDuration, tryParseDuration } from '../shared/duration.js';
export { ConfigError, type ConfigProblem } from './errors.js';
export {
  CONFIG_ENV_VARS,
  type Config,
  DEFAULT_CONFIG_FILE,
  DEFAULT_DESTINATION_OPTIONS,
  type DestinationOptions,
  type DigestConfig,
  type DiscordConfig,
  destinationOptions,
  type FeedConfig,
  type HttpConfig,
  type LoadConfigOptions,
  loadConfig,
  type OutboxConfig,
  type PollingConfig,
  parseConfig,
  type QuietHours,
  type ServerConfig,
  type SubscriptionConfig,
  type TelegramConfig,
} from './load.js';
export {
  BOT_LANGUAGES,
  type BotLanguage,
  CHAT_LANGUAGES,
  type ChatLanguage,
  type Destination,
  isBotLanguage,
  isChatLanguage,
  isDestination,
  type LogLevel,
  type ParsedDestination,
  parentDestination,
  parseDestination,
  type Template,
} from './schema.js';
export { Secrets, type SecretValues } from './secrets.js';
