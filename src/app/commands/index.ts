/**
 * The one command handler for every platform. An adapter:
 *
 *     const handle = createCommandHandler(createCommandDeps({ store, config }));
 *     const reply = await handle({ text, chat: { destination, isAdmin, language } });
 *     // render reply (see Reply) for its platform; reply.text is always a plain-text version
 *
 * and builds its command menu / slash commands from COMMANDS.
 */
export {
  ACTOR_MAX_STORIES,
  ACTOR_PAGE_SIZE,
  actorCommand,
  actorSuggestions,
  parseActorId,
} from './actor.js';
export { BRIEF_URL_LIMITS, BriefUrlLimiter, type BriefUrlTurn } from './brief-limits.js';
export {
  COMMANDS,
  type CommandInfo,
  type CommandName,
  type CommandOption,
  commandFromOptions,
  commandInfo,
  DEFAULT_BRIEFS,
  type Localized,
  MAX_BRIEFS,
  type Policy,
  usageOf,
} from './commands.js';
export { type CommandDepsOptions, createCommandDeps } from './deps.js';
export {
  type CommandLine,
  chatLanguage,
  createCommandHandler,
  exportFilename,
  handleCommand,
  MAX_IMPORT,
  PAUSED_BY_ADMIN,
  parseCommandLine,
} from './handler.js';
export { OpmlError, type OpmlFeed, parseOpml, toOpml } from './opml.js';
export {
  type BotLanguage,
  isBotLanguage,
  LANGUAGES,
  type Messages,
  messages,
} from './reply-texts.js';
export { filterText, storedFilters } from './subscribe.js';
export type {
  Chat,
  CommandDeps,
  CommandInput,
  ErrorCode,
  FeedEntry,
  FileInput,
  HelpEntry,
  ImportResult,
  Reply,
  ReplyKind,
} from './types.js';
