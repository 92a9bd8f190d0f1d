/**
 * What a command is: its name, how it is written, who may run it, how it is described to
 * the platforms and /help, and what it does, declared together in one module per command
 * (src/app/commands/<name>.ts) and listed once in the registry (commands.ts). grammY's
 * `bot.command(name, handler)` and Hono's routes are the model: a command is declared where
 * it is handled, so its policy cannot be stated twice.
 */
import { CHAT_LANGUAGES, type ChatLanguage } from '../../config/schema.js';
import { text as say, type TextKey, type TextValues } from '../../core/i18n/catalogue.js';
import type { Messages } from './reply-texts.js';
import type { Chat, CommandDeps, CommandInput, ErrorCode, Reply } from './types.js';

/** A text in every language a chat can choose (a command's description, arguments, option). */
export type Localized = Readonly<Record<ChatLanguage, string>>;

/** The catalogue's text of `key` in every chat language: `localized('command.help')`. */
export function localized(key: TextKey, values?: TextValues): Localized {
  return Object.fromEntries(
    CHAT_LANGUAGES.map((language) => [language, say(language, key, values)]),
  ) as Localized;
}

/** The `args` of a command written with nothing after it (/help, /feeds). */
export const NO_ARGS: Localized = Object.fromEntries(
  CHAT_LANGUAGES.map((language) => [language, '']),
) as Localized;

export type CommandName =
  | 'start'
  | 'help'
  | 'brief'
  | 'actor'
  | 'feeds'
  | 'subscribe'
  | 'unsubscribe'
  | 'filter'
  | 'media'
  | 'preview'
  | 'template'
  | 'digest'
  | 'pause'
  | 'resume'
  | 'export'
  | 'import'
  | 'lang';

/** One argument, as a Discord slash-command option (Telegram takes them as text). */
export interface CommandOption {
  /** Lower case, a-z and _ (Discord's rule). */
  name: string;
  type: 'string' | 'integer' | 'attachment';
  required: boolean;
  description: Localized;
  /** The values allowed, when they are few (/lang). */
  choices?: readonly string[];
  /** Suggestions come from the store as the user types (/actor: see actorSuggestions). */
  autocomplete?: boolean;
  /** For integers. */
  min?: number;
  max?: number;
}

/**
 * Who may run a command. Chat admins are Telegram's creator/administrators, Discord's
 * members with Manage Server, and everyone on the console.
 */
export type Policy =
  | { who: 'anyone' }
  /** Only admins: the command changes the chat (hidden from members' menus and /help). */
  | { who: 'admins' }
  /**
   * Anyone may read the current setting; only admins change it. `changes(args)` tells a
   * change (`/lang it`) from a reading (`/lang`). Listed for everyone.
   */
  | { who: 'admins-to-change'; changes: (args: string) => boolean };

export const ANYONE: Policy = { who: 'anyone' };
export const ADMINS: Policy = { who: 'admins' };
export function adminsToChange(changes: (args: string) => boolean): Policy {
  return { who: 'admins-to-change', changes };
}

/** What a command's handler is given: the chat, its arguments, its language. */
export interface Context {
  deps: CommandDeps;
  input: CommandInput;
  chat: Chat;
  info: CommandInfo;
  /** Everything after the command, trimmed; may span lines (/import). */
  args: string;
  /** The chat's language: its replies, the briefs' labels and dates. */
  language: ChatLanguage;
  m: Messages;
  /** The registry, for /help and /start. */
  commands: readonly CommandInfo[];
}

export interface CommandSpec {
  name: CommandName;
  /** How the arguments are written after the command, for /help: `URL [filters]`. */
  args: Localized;
  policy: Policy;
  /** One line, ≤ 100 characters (Discord's limit; Telegram allows 256). */
  description: Localized;
  /** In the order they are written after the command. */
  options: readonly CommandOption[];
  /** Shown in the command menus and /help; false for /start. */
  listed: boolean;
  /** Runs the command for someone the policy allows; a user's mistake is an error reply. */
  run: (ctx: Context) => Promise<Reply>;
}

export interface CommandInfo extends CommandSpec {
  /**
   * Only chat admins may run it at all (policy `admins`): the platforms hide it from members
   * (Discord: Manage Server; Telegram: the administrators' menu) and /help lists it for
   * admins only. Derived from the policy, never written by hand.
   */
  readonly admin: boolean;
}

export function defineCommand(spec: CommandSpec): CommandInfo {
  return { ...spec, admin: spec.policy.who === 'admins' };
}

/** Whether this command line needs an admin, by the command's policy. */
export function needsAdmin(info: CommandInfo, args: string): boolean {
  const { policy } = info;
  return policy.who === 'admins' || (policy.who === 'admins-to-change' && policy.changes(args));
}

// ── Replies ──────────────────────────────────────────────────────────────────────────────

export function text(ctx: Pick<Context, 'language'>, body: string): Reply {
  return { kind: 'text', language: ctx.language, text: body };
}

export function error(ctx: Pick<Context, 'language'>, code: ErrorCode, body: string): Reply {
  return { kind: 'error', code, language: ctx.language, text: body };
}

/** `/subscribe URL [filters]`, for usage lines and /help. */
export function usageOf(info: Pick<CommandSpec, 'name' | 'args'>, language: ChatLanguage): string {
  const args = info.args[language];
  return args ? `/${info.name} ${args}` : `/${info.name}`;
}

/** The usage line of the command being run, as an error reply. */
export function usage(ctx: Context): Reply {
  return error(ctx, 'usage', ctx.m.usage(usageOf(ctx.info, ctx.language)));
}

/** `URL rest of the line` → [URL, 'rest of the line']. */
export function splitFirst(args: string): [string, string] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(args.trim());
  return m ? [m[1] ?? '', (m[2] ?? '').trim()] : ['', ''];
}
