import type { BriefLocale } from '../../../core/render/labels.js';
import { moreText } from '../../../core/render/labels.js';
import type { Piece } from '../../../core/render/pack.js';
import { pack } from '../../../core/render/pack.js';
import type { TemplateStyle } from '../../../core/render/template.js';
import { splitSentences } from '../../../core/render/text.js';
import { truncate, truncateMarkdown } from '../../../core/render/truncate.js';
import type { ActorGroup, BriefView } from '../../../core/render/view.js';
import { toView } from '../../../core/render/view.js';
import type { Brief } from '../../../core/types.js';
import { escapeDiscord, neutraliseMentions } from './escape.js';

/** Discord's embed object as its API takes it (the subset briefs use). */
export interface DiscordEmbed {
  /** None on a custom template's embed: the template lays out the headline itself. */
  title?: string;
  url?: string;
  description?: string;
  color: number;
  fields?: DiscordEmbedField[];
  footer?: DiscordEmbedFooter;
  /** ISO 8601. */
  timestamp?: string;
  /**
   * The large picture under the embed; Discord fetches it itself (its `url` "only supports
   * http(s) and attachments": Embed Image Structure), so the bot never connects to it.
   */
  image?: { url: string };
}

export interface DiscordEmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface DiscordEmbedFooter {
  text: string;
}

/** A brief's embed always has a title: its headline. */
export type TitledEmbed = DiscordEmbed & { title: string };

export interface DiscordRender {
  embed: TitledEmbed;
  /** Plain messages for channels where the bot lacks Embed Links. */
  fallback: string[];
}

/** Discord's documented embed limits. */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
  message: 2000,
} as const;

export const DISCORD_MAX_MESSAGES = 3;

/** A brief's stripe when its feed has no name (render/index.ts: each feed its own colour). */
export const EMBED_COLOR = 0x2f6fde;
// Below the platform maxima on purpose: a summary is 1–3 sentences, and keeping the
// description and footer short leaves the 6000 total for the actor fields.
const DESCRIPTION_MAX = 2048;
const FOOTER_MAX = 300;
const ACTORS_PER_KIND = 10;
const MIN_FIELD_VALUE = 40;
const MORE = '\n…';
const PIECE_MAX = DISCORD_LIMITS.message - MORE.length;

/** Renders a brief as one Discord embed plus plain-message fallbacks. */
export function renderDiscord(brief: Brief, locale?: BriefLocale): DiscordRender {
  const view = toView(brief, locale);
  return { embed: embed(view), fallback: fallback(view) };
}

/** What Discord counts against the 6000 total. */
export function embedTextLength(embed: DiscordEmbed): number {
  let total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  total += embed.footer?.text.length ?? 0;
  for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  return total;
}

function embed(view: BriefView): TitledEmbed {
  const result: TitledEmbed = {
    title: truncateMarkdown(escapeDiscord(view.title), DISCORD_LIMITS.title),
    color: EMBED_COLOR,
  };
  if (view.url !== null) result.url = view.url;

  const description = fillLines(
    view.summary.map((sentence) => plainLine(`• ${escapeDiscord(sentence)}`)),
    DESCRIPTION_MAX,
  );
  if (description !== '') result.description = description;

  // Footers are plain text: markdown escapes would show as backslashes there.
  // A date without a time goes in words: a timestamp would show a time nobody gave.
  const undated = view.timestamp === null ? view.date : null;
  const footer = [view.source, undated, ...(view.tags.length > 0 ? [view.tags.join(' ')] : [])];
  const footerText = truncate(
    neutraliseMentions(footer.filter((part) => part !== null).join(' · ')),
    FOOTER_MAX,
  );
  if (footerText !== '') result.footer = { text: footerText };
  if (view.timestamp !== null) result.timestamp = view.timestamp;

  let remaining = DISCORD_LIMITS.total - embedTextLength(result);
  const fields: DiscordEmbedField[] = [];
  for (const group of view.groups.slice(0, DISCORD_LIMITS.fields)) {
    const room = Math.min(DISCORD_LIMITS.fieldValue, remaining - group.label.length);
    if (room < MIN_FIELD_VALUE) break;
    const field = actorField(view, group, room);
    fields.push(field);
    remaining -= field.name.length + field.value.length;
  }
  if (fields.length > 0) result.fields = fields;
  return result;
}

/** A rendered line that knows how to shorten itself without breaking its markup. */
interface Line {
  text: string;
  cut(max: number): string;
}

function plainLine(text: string): Line {
  return { text, cut: (max) => truncateMarkdown(text, max) };
}

/** `**Name** — role`, shortened from the role first so the bold pair always closes. */
function actorLine(name: string, role: string | null): Line {
  const bold = `**${escapeDiscord(name)}**`;
  const rest = role === null ? '' : escapeDiscord(role);
  return {
    text: rest === '' ? bold : `${bold} — ${rest}`,
    cut(max) {
      if (bold.length > max) return `**${truncateMarkdown(escapeDiscord(name), max - 4)}**`;
      const room = max - bold.length - 3;
      return rest === '' || room < 2 ? bold : `${bold} — ${truncateMarkdown(rest, room)}`;
    },
  };
}

interface ActorBlock {
  /** No actor of the group has a role: a comma list reads better than lines. */
  compact: boolean;
  lines: Line[];
}

function actorBlock(view: BriefView, group: ActorGroup): ActorBlock {
  const shown = group.actors.slice(0, ACTORS_PER_KIND);
  const hidden = group.actors.length - shown.length;
  const suffix = hidden > 0 ? [moreText(view.labels, hidden)] : [];
  if (!shown.some((actor) => actor.role !== null)) {
    const names = [...shown.map((actor) => escapeDiscord(actor.name)), ...suffix].join(', ');
    return { compact: true, lines: [plainLine(names)] };
  }
  return {
    compact: false,
    lines: [...shown.map((actor) => actorLine(actor.name, actor.role)), ...suffix.map(plainLine)],
  };
}

function actorField(view: BriefView, group: ActorGroup, room: number): DiscordEmbedField {
  const block = actorBlock(view, group);
  return { name: group.label, value: fillLines(block.lines, room), inline: block.compact };
}

/**
 * Joins whole lines up to `max` units. The first line that does not fit is shortened
 * when a useful part of it fits, and ends the text either way.
 */
function fillLines(lines: readonly Line[], max: number): string {
  let text = '';
  for (const line of lines) {
    const candidate = text === '' ? line.text : `${text}\n${line.text}`;
    if (candidate.length <= max) {
      text = candidate;
      continue;
    }
    if (text === '') return line.cut(max);
    const room = max - text.length - 1;
    if (room >= MIN_FIELD_VALUE) text = `${text}\n${line.cut(room)}`;
    break;
  }
  return text;
}

function fallback(view: BriefView): string[] {
  const pieces: Piece[] = [{ text: `**${fitted(view.title, 4)}**`, sep: '' }];
  const meta = [view.source, view.date].filter((part) => part !== null).join(' · ');
  if (meta !== '') pieces.push({ text: `*${fitted(meta, 2)}*`, sep: '\n' });

  view.summary.forEach((sentence, index) => {
    const sep = index === 0 ? '\n\n' : '\n';
    const whole = escapeDiscord(sentence);
    if (whole.length + 2 <= PIECE_MAX) {
      pieces.push({ text: `• ${whole}`, sep });
      return;
    }
    splitSentences(sentence).forEach((part, partIndex) => {
      pieces.push(
        partIndex === 0
          ? { text: `• ${fitted(part, 2)}`, sep }
          : { text: fitted(part, 0), sep: ' ' },
      );
    });
  });

  view.groups.forEach((group, index) => {
    const block = actorBlock(view, group);
    const sep = index === 0 ? '\n\n' : '\n';
    if (block.compact) {
      const header = `**${group.label}:** `;
      for (const line of block.lines) {
        pieces.push({ text: `${header}${line.cut(PIECE_MAX - header.length)}`, sep });
      }
      return;
    }
    pieces.push({ text: `**${group.label}**`, sep });
    for (const line of block.lines)
      pieces.push({ text: `• ${line.cut(PIECE_MAX - 2)}`, sep: '\n' });
  });

  if (view.tags.length > 0) pieces.push({ text: fitted(view.tags.join(' '), 0), sep: '\n\n' });
  // Angle brackets make it a link without a preview; the url cannot contain `>` (the URL
  // parser percent-encodes it), and `@everyone` in a path is encoded so no client or
  // bridge that ignores link syntax could read it as a mention.
  const link = view.url === null ? '' : `<${view.url.replace(/@(?=everyone|here)/gi, '%40')}>`;
  if (link !== '' && link.length <= PIECE_MAX) pieces.push({ text: link, sep: '\n' });

  return pack(pieces, {
    limit: DISCORD_LIMITS.message,
    maxMessages: DISCORD_MAX_MESSAGES,
    more: MORE,
  });
}

/** Escapes clean text and trims it to a fallback piece after `reserved` units of markup. */
function fitted(text: string, reserved: number): string {
  return truncateMarkdown(escapeDiscord(text), PIECE_MAX - reserved);
}

/** A custom template in Discord markdown, as a message's content (no Embed Links). */
export const DISCORD_TEMPLATE: TemplateStyle = {
  escape: (text) => escapeDiscord(text),
  headline: (escaped) => `**${escaped}**`,
  // Inside <>: a link Discord does not unfold into a second preview.
  link: (url) => `<${neutraliseMentions(url)}>`,
  limit: DISCORD_LIMITS.message,
};

/** A custom template as an embed's description: the same markdown, an embed's room. */
export const DISCORD_EMBED_TEMPLATE: TemplateStyle = {
  ...DISCORD_TEMPLATE,
  limit: DISCORD_LIMITS.description,
};
