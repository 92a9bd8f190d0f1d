/**
 * The command handler's replies and the outbox's deliveries as Discord messages: embeds for
 * briefs, digests and actor profiles, plain content for the rest, everything from outside
 * (feed text, names, what a user typed) made inert in Discord markdown, every message
 * within Discord's limits (2000 characters of content; an embed's title 256, description
 * 4096, 25 fields of 1024, 6000 in all; 10 embeds a message, 6000 for all of them).
 * Pure: no discord.js here; the adapter turns these values into API calls.
 */

import { actorCommand, isoDay as day, storyDate } from '../../../app/commands/actor.js';
import {
  type HelpEntry,
  messages,
  type Reply,
  type ReplyKind,
} from '../../../app/commands/index.js';
import { type DigestGroup, type DigestPayload, isDigestMessage } from '../../../app/jobs/digest.js';
import { textsFor } from '../../../app/texts.js';
import { type BriefLocale, feedUrl } from '../../../core/render/index.js';
import {
  type CustomTemplate,
  renderTemplate,
  storedTemplate,
} from '../../../core/render/template.js';
import { sliceSafe, truncate, truncateMarkdown } from '../../../core/render/truncate.js';
import type { Brief } from '../../../core/types.js';
import type { Delivery } from '../../../store/port.js';
import {
  DISCORD_EMBED_TEMPLATE,
  DISCORD_LIMITS,
  DISCORD_TEMPLATE,
  type DiscordEmbed,
  type DiscordEmbedField,
  EMBED_COLOR,
  embedTextLength,
  renderDiscord,
  type TitledEmbed,
} from './brief.js';
import { escapeDiscord } from './escape.js';

type ReplyOf<K extends ReplyKind> = Extract<Reply, { kind: K }>;

/** A button that runs a command when pressed (`/actor id:… 2`); the command is its custom_id. */
export interface CommandButton {
  /** ≤ 80 characters (Discord's limit for a button label). */
  label: string;
  /** ≤ 100 characters (Discord's limit for a custom_id). */
  command: string;
}

export interface DiscordFile {
  name: string;
  content: string;
}

export interface DiscordMessage {
  /** ≤ 2000 characters, markdown with everything from outside made inert. */
  content?: string;
  /** ≤ 10, at most 6000 characters for all of them together. */
  embeds?: DiscordEmbed[];
  files?: DiscordFile[];
  /** Rows (≤ 5) of buttons (≤ 5 a row). */
  buttons?: CommandButton[][];
  /** No link previews under the message (content that lists URLs). */
  suppressEmbeds?: boolean;
}

export interface DiscordOutput {
  /** The first answers the interaction; the others follow it. */
  messages: DiscordMessage[];
  /** Only the user who ran the command sees it (errors, /help, /feeds, /export). */
  ephemeral: boolean;
}

export const MESSAGE_LIMIT = DISCORD_LIMITS.message;
export const EMBEDS_PER_MESSAGE = 10;
const BUTTON_LABEL = 80;
const CUSTOM_ID = 100;
const BUTTONS_PER_ROW = 5;
const BUTTON_ROWS = 5;
/** A headline in a list (digest, actor stories) is cut to this. */
const HEADLINE_MAX = 120;
/** Longer URLs are not linked: they would crowd a field out. */
const URL_MAX = 512;

// ── Text ─────────────────────────────────────────────────────────────────────────────────

const URL_PATTERN = /https?:\/\/[^\s<>]+/g;

/**
 * Plain text made inert in Discord markdown: no formatting, no masked links, no mentions.
 * URLs are kept as they are (escapes inside them would break the link); `@everyone` in one
 * is percent-encoded, and no mention can hide in one (a URL here never holds `<`).
 */
export function inert(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let out = '';
      let last = 0;
      for (const match of line.matchAll(URL_PATTERN)) {
        out += escapeDiscord(line.slice(last, match.index));
        out += match[0].replace(/@(?=everyone|here)/gi, '%40');
        last = match.index + match[0].length;
      }
      return out + escapeDiscord(line.slice(last));
    })
    .join('\n');
}

/** Markdown cut into messages of at most `limit` characters, at line ends where it can be. */
export function splitContent(text: string, limit = MESSAGE_LIMIT): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > limit) {
      if (current.trim() !== '') pieces.push(current);
      current = '';
      const head = sliceSafe(rest, limit);
      pieces.push(head);
      rest = rest.slice(head.length);
    }
    const joined = current === '' ? rest : `${current}\n${rest}`;
    if (joined.length <= limit) {
      current = joined;
    } else {
      if (current.trim() !== '') pieces.push(current);
      current = rest;
    }
  }
  if (current.trim() !== '') pieces.push(current);
  return pieces;
}

/** Plain text as inert messages without link previews. */
export function textMessages(text: string): DiscordMessage[] {
  return splitContent(inert(text)).map((content) => ({ content, suppressEmbeds: true }));
}

/**
 * A URL fit for a markdown link target, or null: only one a brief would link (feedUrl: http(s),
 * no credentials), and not too long.
 */
function linkTarget(url: string | null): string | null {
  const safe = feedUrl(url);
  if (safe === null) return null;
  const href = safe.replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'));
  return href.length <= URL_MAX ? href : null;
}

/** `[headline](url)`, the headline escaped and cut; just the headline without a usable URL. */
function headlineLink(title: string, url: string | null): string {
  const label = truncateMarkdown(escapeDiscord(title.trim() || url || '…'), HEADLINE_MAX);
  const target = linkTarget(url);
  return target ? `[${label}](${target})` : label;
}

/**
 * Whole lines joined up to `max` characters; the first line that does not fit ends it (a
 * line is never cut: it may hold a link). Lines are built short enough for a field.
 */
function fillLines(lines: readonly string[], max: number): string {
  let text = '';
  for (const line of lines) {
    const joined = text === '' ? line : `${text}\n${line}`;
    if (joined.length > max) break;
    text = joined;
  }
  return text;
}

// ── Colours ──────────────────────────────────────────────────────────────────────────────

/** A stable colour per feed (by its name as briefs carry it): same feed, same stripe. */
export function feedColor(source: string | null): number {
  const name = source?.trim().toLowerCase();
  if (!name) return EMBED_COLOR;
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hsl((hash >>> 0) % 360, 0.62, 0.5);
}

function hsl(hue: number, saturation: number, lightness: number): number {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const x = chroma * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = lightness - chroma / 2;
  const [r, g, b] =
    hue < 60
      ? [chroma, x, 0]
      : hue < 120
        ? [x, chroma, 0]
        : hue < 180
          ? [0, chroma, x]
          : hue < 240
            ? [0, x, chroma]
            : hue < 300
              ? [x, 0, chroma]
              : [chroma, 0, x];
  const byte = (v: number) => Math.round((v + m) * 255);
  return (byte(r) << 16) | (byte(g) << 8) | byte(b);
}

// ── Briefs ───────────────────────────────────────────────────────────────────────────────

/** One brief as brief.ts renders it for Discord, in its feed's colour. */
export function briefEmbed(brief: Brief, locale?: BriefLocale): DiscordEmbed {
  return { ...renderDiscord(brief, locale).embed, color: feedColor(brief.source) };
}

/**
 * A brief through a custom template, as an embed like the built-ins' (the feed's colour, the
 * lead image when media is on): the template's text, escaped, is its description, within
 * the description's 4,096 (so under an embed's 6,000) by dropping summary bullets, whole.
 */
export function templateEmbed(
  template: CustomTemplate,
  brief: Brief,
  locale?: BriefLocale,
): DiscordEmbed {
  const description = renderTemplate(template, brief, DISCORD_EMBED_TEMPLATE, locale);
  return { description, color: feedColor(brief.source) };
}

/** Embeds packed into messages: at most 10 each, 6000 characters for all of one message. */
export function packEmbeds(embeds: readonly DiscordEmbed[]): DiscordMessage[] {
  const out: DiscordMessage[] = [];
  let current: DiscordEmbed[] = [];
  let size = 0;
  for (const embed of embeds) {
    const length = embedTextLength(embed);
    if (
      current.length > 0 &&
      (current.length >= EMBEDS_PER_MESSAGE || size + length > DISCORD_LIMITS.total)
    ) {
      out.push({ embeds: current });
      current = [];
      size = 0;
    }
    current.push(embed);
    size += length;
  }
  if (current.length > 0) out.push({ embeds: current });
  return out;
}

// ── Replies ──────────────────────────────────────────────────────────────────────────────

function renderHelp(reply: ReplyOf<'help'>): DiscordOutput {
  const m = messages(reply.language);
  const lines: string[] = [];
  if (reply.text.startsWith(m.welcome)) lines.push(inert(m.welcome), '');
  lines.push(`**${inert(m.helpTitle)}**`);
  for (const command of reply.commands as HelpEntry[]) {
    lines.push(`\`${command.usage.replace(/`/g, "'")}\` — ${inert(command.description)}`);
  }
  if (!reply.commands.some((c) => c.admin)) lines.push('', `*${inert(m.helpAdminNote)}*`);
  const messagesOut = splitContent(lines.join('\n')).map((content) => ({
    content,
    suppressEmbeds: true,
  }));
  return { messages: messagesOut, ephemeral: true };
}

function renderBriefs(reply: ReplyOf<'briefs'>): DiscordOutput {
  if (reply.briefs.length === 0) return { messages: textMessages(reply.text), ephemeral: false };
  const heading = messages(reply.language).latestBriefs(reply.briefs.length);
  const out = packEmbeds(reply.briefs.map((brief) => briefEmbed(brief, reply.locale)));
  const first = out[0];
  if (first) first.content = `**${inert(heading)}**`;
  return { messages: out, ephemeral: false };
}

const ACTOR_COLOR = 0x8e6cc7;

function renderActor(reply: ReplyOf<'actor'>): DiscordOutput {
  const m = messages(reply.language);
  const { profile, stories, page, pages } = reply;
  const embed: TitledEmbed = {
    title: truncateMarkdown(escapeDiscord(profile.name), DISCORD_LIMITS.title),
    description: inert(
      m.actorSeen(
        m.kind[profile.kind],
        profile.briefCount,
        day(profile.firstSeenAt),
        day(profile.lastSeenAt),
      ),
    ),
    color: ACTOR_COLOR,
  };
  const fields: DiscordEmbedField[] = [];
  if (profile.roles.length > 0) {
    const roles = profile.roles.slice(0, 6).map((role) => {
      const text = m.actorRole(
        role.role,
        day(role.firstSeenAt),
        day(role.lastSeenAt),
        role.briefCount,
      );
      return `• ${truncateMarkdown(inert(text), 300)}`;
    });
    fields.push({ name: m.actorRoles, value: fillLines(roles, DISCORD_LIMITS.fieldValue) });
  }
  const storyLines =
    stories.length === 0
      ? [inert(m.actorNoStories)]
      : stories.map((story) => {
          const source = story.brief.source
            ? ` — *${truncateMarkdown(escapeDiscord(story.brief.source), 60)}*`
            : '';
          return `• ${day(storyDate(story))} · ${headlineLink(story.brief.title, story.brief.url)}${source}`;
        });
  fields.push({
    name: truncate(m.actorStories(page, pages), DISCORD_LIMITS.fieldName),
    value: fillLines(storyLines, DISCORD_LIMITS.fieldValue),
  });
  if (profile.coActors.length > 0) {
    const company = profile.coActors.map((c) => `${c.name} (${c.together})`).join(', ');
    fields.push({
      name: m.actorCompany,
      value: truncateMarkdown(inert(company), DISCORD_LIMITS.fieldValue),
    });
  }
  embed.fields = fields.filter((field) => field.value !== '');
  const buttons: CommandButton[] = [];
  if (page > 1)
    buttons.push({ label: `◀ ${page - 1}/${pages}`, command: actorCommand(profile.id, page - 1) });
  if (page < pages)
    buttons.push({ label: `${page + 1}/${pages} ▶`, command: actorCommand(profile.id, page + 1) });
  const usable = buttons.filter((b) => b.command.length <= CUSTOM_ID);
  return {
    messages: [{ embeds: [embed], ...(usable.length > 0 ? { buttons: [usable] } : {}) }],
    ephemeral: false,
  };
}

function renderChoices(reply: ReplyOf<'actor-choices'>): DiscordOutput {
  const m = messages(reply.language);
  const lines = [inert(m.actorDidYouMean(reply.query))];
  const buttons: CommandButton[] = [];
  for (const choice of reply.choices) {
    const label = `${choice.name} (${m.kind[choice.kind]})`;
    lines.push(`• ${inert(label)}`);
    if (choice.command.length <= CUSTOM_ID) {
      buttons.push({ label: truncate(label, BUTTON_LABEL), command: choice.command });
    }
  }
  const rows: CommandButton[][] = [];
  for (let i = 0; i < buttons.length && rows.length < BUTTON_ROWS; i += BUTTONS_PER_ROW) {
    rows.push(buttons.slice(i, i + BUTTONS_PER_ROW));
  }
  const out = splitContent(lines.join('\n')).map((content) => ({ content }) as DiscordMessage);
  const last = out.at(-1);
  if (last && rows.length > 0) last.buttons = rows;
  return { messages: out, ephemeral: false };
}

function renderExport(reply: ReplyOf<'export'>): DiscordOutput {
  const caption = inert(reply.text.split('\n', 1)[0] ?? '');
  return {
    messages: [
      {
        content: truncateMarkdown(caption, MESSAGE_LIMIT),
        files: [{ name: reply.filename, content: reply.opml }],
      },
    ],
    ephemeral: true,
  };
}

type Renderers = { [K in ReplyKind]: (reply: ReplyOf<K>) => DiscordOutput };

const RENDERERS: Renderers = {
  text: (reply) => ({ messages: textMessages(reply.text), ephemeral: false }),
  error: (reply) => ({ messages: textMessages(reply.text), ephemeral: true }),
  help: renderHelp,
  briefs: renderBriefs,
  brief: (reply) => ({
    messages: [{ embeds: [briefEmbed(reply.brief, reply.locale)] }],
    ephemeral: false,
  }),
  actor: renderActor,
  'actor-choices': renderChoices,
  feeds: (reply) => ({ messages: textMessages(reply.text), ephemeral: true }),
  export: renderExport,
  import: (reply) => ({ messages: textMessages(reply.text), ephemeral: false }),
  // Only Telegram addresses commands to a bot by name; an interaction is always ours.
  ignored: (reply) => ({ messages: textMessages(reply.text || '…'), ephemeral: true }),
};

/** A reply as Discord messages; never none (an interaction must be answered). */
export function renderReply(reply: Reply): DiscordOutput {
  const output = (RENDERERS[reply.kind] as (reply: Reply) => DiscordOutput)(reply);
  if (output.messages.length === 0) output.messages.push({ content: '…' });
  return output;
}

/** Commands whose answer only their user sees: a deferral of them is ephemeral already. */
export const EPHEMERAL_COMMANDS: ReadonlySet<string> = new Set([
  'help',
  'start',
  'feeds',
  'export',
]);

// ── Deliveries ───────────────────────────────────────────────────────────────────────────

function digestLine(brief: DigestGroup['briefs'][number]): string {
  const source = brief.source ? ` — *${truncateMarkdown(escapeDiscord(brief.source), 60)}*` : '';
  return `• ${headlineLink(brief.title, brief.url)}${source}`;
}

/** A digest as one embed: its heading, then a field per actor with linked headlines. */
export function digestEmbed(digest: DigestPayload): DiscordEmbed {
  const texts = textsFor(digest.language);
  const heading = digest.text.split('\n', 1)[0] ?? '';
  const embed: TitledEmbed = {
    title: truncateMarkdown(escapeDiscord(heading), DISCORD_LIMITS.title),
    color: EMBED_COLOR,
  };
  const fields: DiscordEmbedField[] = [];
  let remaining = DISCORD_LIMITS.total - embed.title.length;
  for (const group of digest.groups.slice(0, DISCORD_LIMITS.fields)) {
    const name = truncateMarkdown(
      escapeDiscord(group.actor ? group.actor.name : texts.otherStories),
      200,
    );
    const room = Math.min(DISCORD_LIMITS.fieldValue, remaining - name.length);
    if (room < 40) break;
    const value = fillLines(group.briefs.map(digestLine), room);
    if (value === '') continue;
    fields.push({ name, value });
    remaining -= name.length + value.length;
  }
  if (fields.length > 0) embed.fields = fields;
  return embed;
}

/** A digest as plain messages, for a channel where the bot may not embed. */
export function digestMessages(digest: DigestPayload): string[] {
  const texts = textsFor(digest.language);
  const lines = [`**${inert(digest.text.split('\n', 1)[0] ?? '')}**`];
  for (const group of digest.groups) {
    lines.push('', `**${inert(group.actor ? group.actor.name : texts.otherStories)}**`);
    for (const brief of group.briefs) {
      const source = brief.source ? ` — *${escapeDiscord(brief.source)}*` : '';
      const target = linkTarget(brief.url);
      const link = target ? ` <${target}>` : '';
      lines.push(`• ${truncateMarkdown(escapeDiscord(brief.title), HEADLINE_MAX)}${source}${link}`);
    }
  }
  return splitContent(lines.join('\n'));
}

/**
 * What the outbox delivers, as Discord messages: a brief, a digest, a notice. `embeds`:
 * whether the bot may embed links in the channel; without, briefs and digests go as text.
 */
export function deliveryMessages(delivery: Delivery, embeds = true): DiscordMessage[] {
  if (delivery.kind === 'brief') {
    const custom = storedTemplate(delivery.template);
    if (embeds) {
      const embed: DiscordEmbed =
        custom === null
          ? briefEmbed(delivery.brief, delivery.locale)
          : templateEmbed(custom, delivery.brief, delivery.locale);
      // A picture Discord cannot get shows as none: the embed goes out all the same.
      const { image } = delivery.brief;
      if (delivery.media && image !== undefined && /^https?:\/\//i.test(image)) {
        embed.image = { url: image };
      }
      return [{ embeds: [embed] }];
    }
    if (custom !== null) {
      return [
        { content: renderTemplate(custom, delivery.brief, DISCORD_TEMPLATE, delivery.locale) },
      ];
    }
    return renderDiscord(delivery.brief, delivery.locale).fallback.map((content) => ({
      content,
    }));
  }
  const { payload } = delivery;
  if (isDigestMessage(payload)) {
    if (embeds) return [{ embeds: [digestEmbed(payload)] }];
    return digestMessages(payload).map((content) => ({ content }));
  }
  if (typeof payload === 'string') return textMessages(payload);
  const text = (payload as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? textMessages(text) : [];
}
