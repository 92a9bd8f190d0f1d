import type { Config } from '../../config/index.js';
import type { BriefLocale } from '../../core/render/labels.js';
import type { Article, Brief } from '../../core/types.js';
import type { FetchFeedResult } from '../../feeds/fetch.js';
import type { ParsedFeed, ParseFeedOptions } from '../../feeds/parse.js';
import type {
  ActorMatch,
  ActorProfile,
  BriefRecord,
  Destination,
  DigestRecord,
  Store,
} from '../../store/port.js';
import type { BriefUrlLimiter } from './brief-limits.js';
import type { CommandName, Localized } from './define.js';
import type { BotLanguage } from './reply-texts.js';

/** How a user hands a file (the OPML list of /import) to a command in a chat. */
export type FileInput =
  /** Telegram: the file sent with the command as its caption. */
  | 'caption'
  /** Discord: the slash command's attachment option. */
  | 'attachment'
  /** The console: the file's path after the command. */
  | 'path';

/** The chat a command came from, as the adapter knows it. */
export interface Chat {
  /** 'console', 'telegram:<chat id>', 'discord:<channel id>'. */
  destination: Destination;
  /**
   * Whether the sender may run admin commands here (Telegram: creator/administrator;
   * Discord: Manage Server; console: always). Asked only when an admin command runs (and
   * by /help, to list what this user may do).
   */
  isAdmin: () => Promise<boolean>;
  /**
   * The sender's language as the platform reports it (Telegram language_code, Discord
   * locale), as a chat language (none when the bot does not speak it). Used when the chat
   * chose none with /lang and the config sets none for the destination.
   */
  language?: BotLanguage | undefined;
  /** How a file reaches a command here: what /import's usage tells the user to do. */
  fileInput: FileInput;
  /**
   * The name of one of this chat's threads, as the platform tells it (Discord), for /feeds;
   * none where the platform cannot say (Telegram's Bot API has no way to read a forum
   * topic's name). Null or a failure: the topic is named by its id.
   */
  topicName?: ((destination: Destination) => Promise<string | null>) | undefined;
}

export interface CommandInput {
  /** The message as typed: '/subscribe https://x/feed.xml lang:it', '/brief@briefwire_bot 3'. */
  text: string;
  chat: Chat;
  /**
   * The bot's own user name (Telegram): a command addressed to another bot in a group
   * (`/help@otherbot`) is answered with an `ignored` reply.
   */
  botName?: string | undefined;
  /**
   * Who sent it, `telegram:<user id>` or `discord:<user id>`, for the limits on what one
   * person may ask (`/brief URL`); none when the platform names no one (a channel post,
   * the console).
   */
  user?: string | undefined;
}

/**
 * What the handler needs. Network pieces are functions, so tests can point them at servers
 * on 127.0.0.1; `createCommandDeps` builds the real ones with one URL guard for all.
 */
export interface CommandDeps {
  store: Store;
  config: Pick<Config, 'polling' | 'destinations'>;
  now: () => Date;
  /**
   * The SSRF guard for every URL typed in a chat (feeds and articles): throws FeedError
   * `bad-url`/`refused`/`unreachable`, else the parsed URL.
   */
  checkFeedUrl: (url: string) => Promise<URL>;
  /** One fetch of a feed URL that passed checkFeedUrl (redirects are guarded the same way). */
  fetchFeed: (url: string) => Promise<FetchFeedResult>;
  parseFeed: (bytes: Uint8Array, options: ParseFeedOptions) => Promise<ParsedFeed>;
  /** An article URL that passed checkFeedUrl → Article (for `/brief URL`). */
  loadArticle: (url: string) => Promise<Article>;
  /** The engine for `/brief URL`; default the rules' briefArticle (the bot passes its models). */
  brief?: (article: Article) => Brief;
  /** How often `/brief URL` may be asked, per user and per chat (one per bot). */
  briefLimits: BriefUrlLimiter;
  /** Called with errors that are bugs rather than user mistakes (the reply then says sorry). */
  onError?: ((error: unknown, input: CommandInput) => void) | undefined;
}

// ── Replies ──────────────────────────────────────────────────────────────────────────────

/** Every reply carries its language and the whole reply as plain text (the console prints it). */
interface ReplyBase {
  language: BotLanguage;
  /** Plain text, no markup; the adapter escapes it for its platform. */
  text: string;
}

export type ErrorCode =
  /** Text that is no command, or an unknown command. */
  | 'unknown-command'
  /** A missing or unreadable argument; the text gives the usage. */
  | 'usage'
  /** An admin command from someone who is not an admin (or whose rights could not be checked). */
  | 'not-admin'
  /** A URL that is malformed, not http(s), or refused by the guard (private address). */
  | 'bad-url'
  /** A feed number/URL, an actor, a language that does not exist. */
  | 'not-found'
  /** The feed or article could not be fetched or read; the text says why. */
  | 'failed'
  /** Asked too often (`/brief URL`); the text says when to try again. */
  | 'rate-limited'
  /** A bug: the text apologises, `onError` got the details. */
  | 'internal';

export interface HelpEntry {
  name: CommandName;
  /** `/subscribe URL [filters]` in the chat's language. */
  usage: string;
  description: string;
  admin: boolean;
}

/** A subscription of this chat, as /feeds shows it. */
export interface FeedEntry {
  /** What /unsubscribe, /filter, /pause and /resume take: 1, 2, … in /feeds order. */
  number: number;
  subscriptionId: number;
  feedId: number;
  name: string;
  url: string;
  /** The filter text ('' for none). */
  filters: string;
  /** This chat's subscription is paused (by /pause, or by the adapter: bot blocked …). */
  paused: boolean;
  pausedReason: string | null;
  /** The feed itself is paused for everyone (after failures in a row). */
  feedPaused: boolean;
  feedPausedReason: string | null;
  consecutiveFailures: number;
  lastError: string | null;
  lastPolledAt: Date | null;
  /** When a poll last found a new item in the feed; null before its first poll. */
  lastNewItemAt: Date | null;
}

export interface ImportResult {
  url: string;
  /** Why it was skipped or failed; null when added. */
  reason: string | null;
}

export type Reply =
  | (ReplyBase & { kind: 'text' })
  | (ReplyBase & { kind: 'error'; code: ErrorCode })
  /** /help and /start: the commands this user may run. */
  | (ReplyBase & { kind: 'help'; commands: HelpEntry[] })
  /** /brief: the latest briefs, newest first (render each with core's render()). */
  | (ReplyBase & { kind: 'briefs'; briefs: Brief[]; locale: BriefLocale })
  /** /brief URL. */
  | (ReplyBase & { kind: 'brief'; brief: Brief; locale: BriefLocale })
  /**
   * /actor: a profile and one page of its stories. `pageCommand(page)` of the index module
   * gives the command text for another page (Telegram's inline keyboard).
   */
  | (ReplyBase & {
      kind: 'actor';
      profile: ActorProfile;
      stories: BriefRecord[];
      page: number;
      pages: number;
    })
  /** /actor with several close matches: "did you mean"; each choice's `command` shows one. */
  | (ReplyBase & {
      kind: 'actor-choices';
      query: string;
      choices: (ActorMatch & { command: string })[];
    })
  | (ReplyBase & { kind: 'feeds'; feeds: FeedEntry[]; digest: DigestRecord | null })
  /** /export: send `opml` as a file named `filename`. */
  | (ReplyBase & { kind: 'export'; filename: string; opml: string })
  | (ReplyBase & {
      kind: 'import';
      added: ImportResult[];
      skipped: ImportResult[];
      failed: ImportResult[];
    })
  /** A command for another bot (`/help@otherbot`): send nothing. */
  | (ReplyBase & { kind: 'ignored' });

export type ReplyKind = Reply['kind'];

export type { Localized };
