/**
 * The console's rendering of the command handler's replies: every Reply kind as plain text
 * for a terminal, one small function each. Telegram and Discord adapters have their own
 * renderers of the same Reply values; this one adds no markup at all.
 *
 * The handler's `reply.text` is already a plain-text version of every reply; a kind whose
 * structure gives the terminal something better (briefs through core's renderer, help in
 * columns, the OPML of an export) is rendered from its fields instead.
 */

import {
  type BotLanguage,
  type HelpEntry,
  messages,
  type Reply,
  type ReplyKind,
} from '../app/commands/index.js';
import { text } from '../core/i18n/catalogue.js';
import { renderText as briefText } from '../core/render/index.js';

type ReplyOf<K extends ReplyKind> = Extract<Reply, { kind: K }>;

/** The console's own texts (the handler's are in its messages). */
export interface ConsoleTexts {
  /** First thing an interactive session prints. */
  banner: string;
  /** How to leave, under /help. */
  quit: string;
  /** `/import FILE` could not read the file. */
  cannotRead: (file: string, reason: string) => string;
}

/** The console's texts in a language, from the catalogue (src/core/i18n, keys `console.*`). */
export function consoleTexts(language: BotLanguage): ConsoleTexts {
  return {
    banner: text(language, 'console.banner'),
    quit: text(language, 'console.quit'),
    cannotRead: (file, reason) => text(language, 'console.cannotRead', { file, reason }),
  };
}

/** The one line that answers text that is no command. */
export function renderHint(language: BotLanguage): string {
  return messages(language).notACommand;
}

export function renderText(reply: ReplyOf<'text'>): string {
  return reply.text;
}

/** Unknown command, usage, refusals, failures: the handler's one short line. */
export function renderError(reply: ReplyOf<'error'>): string {
  return reply.text;
}

/** /help and /start: the commands in two columns, then how to leave the console. */
export function renderHelp(reply: ReplyOf<'help'>): string {
  const m = messages(reply.language);
  const width = Math.max(0, ...reply.commands.map((c: HelpEntry) => c.usage.length));
  const lines = reply.text.startsWith(m.welcome) ? [m.welcome, ''] : [];
  lines.push(m.helpTitle);
  for (const command of reply.commands) {
    lines.push(`  ${command.usage.padEnd(width)}  ${command.description}`);
  }
  if (!reply.commands.some((c) => c.admin)) lines.push('', m.helpAdminNote);
  lines.push('', consoleTexts(reply.language).quit);
  return lines.join('\n');
}

/** /brief: a heading, then each brief as core renders it for a terminal. */
export function renderBriefs(reply: ReplyOf<'briefs'>): string {
  const m = messages(reply.language);
  const briefs = reply.briefs.map((brief) => briefText(brief, reply.locale));
  return [m.latestBriefs(reply.briefs.length), ...briefs].join('\n\n');
}

/** /brief URL. */
export function renderBrief(reply: ReplyOf<'brief'>): string {
  return briefText(reply.brief, reply.locale);
}

/** /actor: kind, roles with dates, one page of stories, the company they keep. */
export function renderActor(reply: ReplyOf<'actor'>): string {
  return reply.text;
}

/** /actor with several close matches: each with the command that shows it. */
export function renderActorChoices(reply: ReplyOf<'actor-choices'>): string {
  return reply.text;
}

/** /feeds: numbered, with filters, pauses, failures and the digest time. */
export function renderFeeds(reply: ReplyOf<'feeds'>): string {
  return reply.text;
}

/** /export: a terminal takes no file, so the OPML itself, ready to copy or redirect. */
export function renderExport(reply: ReplyOf<'export'>): string {
  return reply.opml.trimEnd();
}

/** /import: the counts, then a line per feed (+ added, = skipped, ! failed). */
export function renderImport(reply: ReplyOf<'import'>): string {
  return reply.text;
}

type Renderers = { [K in ReplyKind]: (reply: ReplyOf<K>) => string | null };

const RENDERERS: Renderers = {
  text: renderText,
  error: renderError,
  help: renderHelp,
  briefs: renderBriefs,
  brief: renderBrief,
  actor: renderActor,
  'actor-choices': renderActorChoices,
  feeds: renderFeeds,
  export: renderExport,
  import: renderImport,
  // A command addressed to another bot: nothing to print.
  ignored: () => null,
};

/** A reply as the console prints it; null when there is nothing to print. */
export function renderReply(reply: Reply): string | null {
  const renderer = RENDERERS[reply.kind] as (reply: Reply) => string | null;
  return renderer(reply);
}
