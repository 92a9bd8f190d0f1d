/**
 * The one command dispatcher every platform calls: console, Telegram and Discord hand it
 * the text typed and the chat it came from, and render the Reply value it returns. It finds
 * the command in the registry, applies the command's policy and runs its handler. It knows
 * no platform: no markup, no platform types, no network of its own (the network pieces are
 * injected, see CommandDeps).
 */
import type { ChatLanguage } from '../../config/schema.js';
import { closest } from '../../shared/edit-distance.js';
import { destinationLanguage } from '../texts.js';
import { COMMANDS, commandInfo } from './commands.js';
import { type Context, error, needsAdmin } from './define.js';
import { messages } from './reply-texts.js';
import type { Chat, CommandDeps, CommandInput, Reply } from './types.js';

export { PAUSED_BY_ADMIN } from './chat-feeds.js';
export { exportFilename } from './export.js';
export { MAX_IMPORT } from './import.js';

/** A command line: `/Brief@briefwire_bot 3` → { name: 'brief', bot: 'briefwire_bot', args: '3' }. */
export interface CommandLine {
  name: string;
  /** The bot named after @ (Telegram groups), or null. */
  bot: string | null;
  /** Everything after the command, trimmed; may span lines (/import). */
  args: string;
}

export function parseCommandLine(text: string): CommandLine | null {
  const m = /^\s*\/([^\s@/]+)(?:@(\S*))?(?:\s+([\s\S]*))?$/.exec(text);
  if (!m?.[1]) return null;
  return { name: m[1].toLowerCase(), bot: m[2] || null, args: (m[3] ?? '').trim() };
}

/**
 * The language of a chat (its replies, its briefs' labels and dates): what
 * it chose with /lang, else the config's `destinations` setting for it, else the sender's
 * platform language, else English.
 */
export function chatLanguage(deps: CommandDeps, chat: Chat): Promise<ChatLanguage> {
  return destinationLanguage(deps.store, deps.config, chat.destination, chat.language);
}

export function createCommandHandler(deps: CommandDeps): (input: CommandInput) => Promise<Reply> {
  return (input) => handleCommand(input, deps);
}

/** Runs one command. Never throws: a bug becomes an `internal` error reply (and `onError`). */
export async function handleCommand(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  let language: ChatLanguage = input.chat.language ?? 'en';
  try {
    language = await chatLanguage(deps, input.chat);
    const m = messages(language);
    const line = parseCommandLine(input.text);
    if (line === null) return error({ language }, 'unknown-command', m.notACommand);
    if (line.bot !== null && input.botName) {
      const own = input.botName.replace(/^@/, '').toLowerCase();
      if (line.bot.toLowerCase() !== own) return { kind: 'ignored', language, text: '' };
    }
    const info = commandInfo(line.name);
    if (info === undefined) {
      const known = COMMANDS.filter((c) => c.listed).map((c) => c.name);
      const suggestion = closest(line.name, known);
      return error({ language }, 'unknown-command', m.unknownCommand(line.name, suggestion));
    }
    const ctx: Context = {
      deps,
      input,
      chat: input.chat,
      info,
      args: line.args,
      language,
      m,
      commands: COMMANDS,
    };
    if (needsAdmin(info, line.args)) {
      const refusal = await refuseNonAdmin(ctx);
      if (refusal !== null) return refusal;
    }
    return await info.run(ctx);
  } catch (failure) {
    deps.onError?.(failure, input);
    return error({ language }, 'internal', messages(language).internalError);
  }
}

/** The refusal for someone who is not an admin here (or whose rights could not be checked). */
async function refuseNonAdmin(ctx: Context): Promise<Reply | null> {
  let allowed: boolean;
  try {
    allowed = await ctx.chat.isAdmin();
  } catch (failure) {
    const detail = failure instanceof Error ? failure.message : String(failure);
    return error(ctx, 'not-admin', ctx.m.adminCheckFailed(detail.split('\n')[0] ?? detail));
  }
  return allowed ? null : error(ctx, 'not-admin', ctx.m.adminOnly(ctx.info.name));
}
