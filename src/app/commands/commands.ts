/**
 * The registry: every command, in menu order. Each is declared in its own module with its
 * description, policy and handler; Telegram's command menu (setMyCommands per language),
 * Discord's slash commands (names, options, localised descriptions, Manage Server for
 * admin-only commands), /help and the dispatcher (handler.ts) all read this list.
 */
import { actor } from './actor.js';
import { brief } from './brief.js';
import type { CommandInfo, CommandName } from './define.js';
import { digest } from './digest.js';
import { exportCommand } from './export.js';
import { feeds } from './feeds.js';
import { filter } from './filter.js';
import { help } from './help.js';
import { importCommand } from './import.js';
import { lang } from './lang.js';
import { media } from './media.js';
import { pause } from './pause.js';
import { preview } from './preview.js';
import { resume } from './resume.js';
import { start } from './start.js';
import { subscribe } from './subscribe.js';
import { template } from './template.js';
import { unsubscribe } from './unsubscribe.js';

export { DEFAULT_BRIEFS, MAX_BRIEFS } from './brief.js';
export type {
  CommandInfo,
  CommandName,
  CommandOption,
  CommandSpec,
  Localized,
  Policy,
} from './define.js';
export { usageOf } from './define.js';

export const COMMANDS: readonly CommandInfo[] = [
  start,
  help,
  brief,
  actor,
  feeds,
  subscribe,
  unsubscribe,
  filter,
  media,
  preview,
  template,
  digest,
  pause,
  resume,
  exportCommand,
  importCommand,
  lang,
];

const BY_NAME = new Map<string, CommandInfo>(COMMANDS.map((c) => [c.name, c]));

export function commandInfo(name: string): CommandInfo | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/**
 * A slash command's options as the command text the handler reads, in the declared order:
 * `commandFromOptions('digest', { time: '07:30', timezone: 'Europe/Rome' })` →
 * `/digest 07:30 Europe/Rome`. An attachment's value is its text (the OPML of /import).
 */
export function commandFromOptions(
  name: CommandName,
  values: Readonly<Record<string, string | number | null | undefined>>,
): string {
  const info = BY_NAME.get(name);
  const parts = [`/${name}`];
  for (const option of info?.options ?? []) {
    const value = values[option.name];
    if (value === undefined || value === null || value === '') continue;
    parts.push(String(value));
  }
  // /import's OPML goes on the lines after the command; everything else on one line.
  return parts.join(name === 'import' ? '\n' : ' ');
}
