/**
 * The library's `render`: a brief for a terminal, Telegram or Discord. Each format lives
 * with its platform (adapters/<platform>/render/brief.ts: pure, no client library), the
 * terminal's in core; this only picks one, so `import { render } from 'briefwire'` stays
 * what it was while the bot's adapters use their own renderer directly.
 */
import { type DiscordRender, renderDiscord } from './adapters/discord/render/brief.js';
import { renderTelegram } from './adapters/telegram/render/brief.js';
import type { BriefLocale } from './core/render/labels.js';
import { renderText } from './core/render/plain.js';
import type { Brief } from './core/types.js';

export type {
  DiscordEmbed,
  DiscordEmbedField,
  DiscordEmbedFooter,
  DiscordRender,
} from './adapters/discord/render/brief.js';

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
