import type { Brief } from '../types.js';
import type { DiscordRender } from './discord.js';
import { renderDiscord } from './discord.js';
import type { BriefLocale } from './labels.js';
import { renderText } from './plain.js';
import { renderTelegram } from './telegram.js';

export type {
  DiscordEmbed,
  DiscordEmbedField,
  DiscordEmbedFooter,
  DiscordRender,
} from './discord.js';
export {
  DISCORD_LIMITS,
  DISCORD_MAX_MESSAGES,
  embedTextLength,
  renderDiscord,
} from './discord.js';
export {
  breakMentions,
  escapeDiscord,
  escapeHtml,
  escapeHtmlAttribute,
  escapeTelegram,
} from './escape.js';
export { FEED_TEXT_MAX, feedText, feedUrl } from './feed-text.js';
export type { BriefLabels, BriefLanguage, BriefLocale } from './labels.js';
export {
  BRIEF_LABELS,
  BRIEF_LANGUAGES,
  briefLabels,
  DEFAULT_LOCALE,
  formatBriefDate,
  formatLocalDay,
  isBriefLanguage,
} from './labels.js';
export { renderText } from './plain.js';
export { renderTelegram, TELEGRAM_MAX_MESSAGES, TELEGRAM_MESSAGE_LIMIT } from './telegram.js';
export { terminalText } from './text.js';
export { UNTITLED } from './view.js';

/** What `render` returns for each target. */
export interface RenderOutput {
  /** Plain text for a terminal. */
  text: string;
  /** Telegram HTML parse-mode messages, each ≤ 4096 units, each balanced on its own. */
  telegram: string[];
  /** One embed within Discord's limits, plus plain messages for when embeds are not allowed. */
  discord: DiscordRender;
}

export type RenderTarget = keyof RenderOutput;

/**
 * A brief as a compact post shows it (config `template: compact`): headline, source, date,
 * link and tags — no summary, no actor lines. Every renderer takes it as it is.
 */
export function compactBrief(brief: Brief): Brief {
  return { ...brief, summary: [], actors: [] };
}

/** `locale`: the chat's language and time zone for labels and dates; English and UTC without. */
export function render(brief: Brief, target: 'text', locale?: BriefLocale): string;
export function render(brief: Brief, target: 'telegram', locale?: BriefLocale): string[];
export function render(brief: Brief, target: 'discord', locale?: BriefLocale): DiscordRender;
export function render<T extends RenderTarget>(
  brief: Brief,
  target: T,
  locale?: BriefLocale,
): RenderOutput[T];
export function render(
  brief: Brief,
  target: RenderTarget,
  locale?: BriefLocale,
): RenderOutput[RenderTarget] {
  switch (target) {
    case 'text':
      return renderText(brief, locale);
    case 'telegram':
      return renderTelegram(brief, locale);
    case 'discord':
      return renderDiscord(brief, locale);
    default:
      throw new TypeError(`unknown render target: ${String(target)}`);
  }
}
