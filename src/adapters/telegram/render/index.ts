/**
 * The command handler's replies and the outbox's deliveries as Telegram messages: HTML
 * parse mode, everything from outside (feed text, names, URLs, what a user typed) escaped,
 * every message within 4096 characters and balanced on its own. Pure: no grammY here; the
 * adapter turns these values into API calls.
 */

import { actorCommand, isoDay as day, storyDate } from '../../../app/commands/actor.js';
import {
  type HelpEntry,
  messages,
  type Reply,
  type ReplyKind,
} from '../../../app/commands/index.js';
import { type DigestPayload, isDigestMessage } from '../../../app/jobs/digest.js';
import { textsFor } from '../../../app/texts.js';
import { type BriefLocale, feedUrl } from '../../../core/render/index.js';
import { renderTemplate, storedTemplate } from '../../../core/render/template.js';
import type { Brief } from '../../../core/types.js';
import type { Delivery } from '../../../store/port.js';
import { renderTelegram, TELEGRAM_MESSAGE_LIMIT, TELEGRAM_TEMPLATE } from './brief.js';
import { escapeHtml, escapeHtmlAttribute } from './escape.js';

type ReplyOf<K extends ReplyKind> = Extract<Reply, { kind: K }>;

/** An inline-keyboard button that runs a command when pressed (`/actor id:… 2`). */
export interface CommandButton {
  text: string;
  command: string;
}

export interface TelegramMessage {
  /** HTML parse mode, ≤ 4096 characters. */
  html: string;
  /** Rows of buttons under the message. */
  buttons?: CommandButton[][];
  /** The URL whose link preview shows under the message; null for no preview. */
  preview: string | null;
}

export interface TelegramDocument {
  filename: string;
  content: string;
  /** HTML, ≤ 1024 characters. */
  caption: string;
}

export interface TelegramOutput {
  messages: TelegramMessage[];
  document?: TelegramDocument;
}

/** Room kept below Telegram's limit: plain text is cut at lines, and lines are cut hard. */
const PLAIN_LIMIT = TELEGRAM_MESSAGE_LIMIT - 96;
const CAPTION_LIMIT = 1024;

/** Text cut into pieces of at most `limit` characters, at line ends where it can be. */
export function splitLines(text: string, limit = PLAIN_LIMIT): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > limit) {
      if (current !== '') pieces.push(current);
      current = '';
      pieces.push(rest.slice(0, limit));
      rest = rest.slice(limit);
    }
    const joined = current === '' ? rest : `${current}\n${rest}`;
    if (joined.length <= limit) {
      current = joined;
    } else {
      pieces.push(current);
      current = rest;
    }
  }
  if (current.trim() !== '') pieces.push(current);
  return pieces.filter((piece) => piece.trim() !== '');
}

/** Plain text as escaped messages, no preview. */
function plain(text: string): TelegramMessage[] {
  return splitLines(text).map((piece) => ({ html: escapeHtml(piece), preview: null }));
}

/** A headline linked to its article; only a URL a brief would link becomes a link (feedUrl). */
function link(url: string | null, text: string): string {
  const label = escapeHtml(text);
  const href = feedUrl(url);
  return href ? `<a href="${escapeHtmlAttribute(href)}">${label}</a>` : label;
}

/** HTML lines packed into messages, each line whole (each is balanced markup). */
function packLines(lines: readonly string[], preview: string | null = null): TelegramMessage[] {
  const out: TelegramMessage[] = [];
  let current = '';
  for (const line of lines) {
    const joined = current === '' ? line : `${current}\n${line}`;
    if (joined.length <= PLAIN_LIMIT) {
      current = joined;
      continue;
    }
    if (current !== '') out.push({ html: current, preview: null });
    // A single line longer than a message is cut as escaped text, its markup dropped.
    current = line.length <= PLAIN_LIMIT ? line : escapeHtml(line.replace(/<[^>]*>/g, ''));
    if (current.length > PLAIN_LIMIT) current = current.slice(0, PLAIN_LIMIT);
  }
  if (current.trim() !== '') out.push({ html: current, preview: null });
  if (out[0]) out[0].preview = preview;
  return out;
}

// ── Briefs ───────────────────────────────────────────────────────────────────────────────

/** One brief: its Telegram rendering (brief.ts), with the article's preview under its first part. */
export function briefMessages(brief: Brief, locale?: BriefLocale): TelegramMessage[] {
  return renderTelegram(brief, locale).map((html, index) => ({
    html,
    preview: index === 0 ? brief.url : null,
  }));
}

/** Several briefs (/brief): as many whole briefs per message as fit, no previews. */
function briefList(
  heading: string,
  briefs: readonly Brief[],
  locale: BriefLocale,
): TelegramMessage[] {
  const out: TelegramMessage[] = [];
  let current = `<b>${escapeHtml(heading)}</b>`;
  for (const brief of briefs) {
    for (const html of renderTelegram(brief, locale)) {
      const joined = `${current}\n\n${html}`;
      if (joined.length <= TELEGRAM_MESSAGE_LIMIT) {
        current = joined;
      } else {
        out.push({ html: current, preview: null });
        current = html;
      }
    }
  }
  out.push({ html: current, preview: null });
  return out;
}

// ── Replies ──────────────────────────────────────────────────────────────────────────────

function renderHelp(reply: ReplyOf<'help'>): TelegramOutput {
  const m = messages(reply.language);
  const lines: string[] = [];
  if (reply.text.startsWith(m.welcome)) lines.push(escapeHtml(m.welcome), '');
  lines.push(`<b>${escapeHtml(m.helpTitle)}</b>`);
  for (const command of reply.commands as HelpEntry[]) {
    lines.push(`${escapeHtml(command.usage)} — ${escapeHtml(command.description)}`);
  }
  if (!reply.commands.some((c) => c.admin)) lines.push('', `<i>${escapeHtml(m.helpAdminNote)}</i>`);
  return { messages: packLines(lines) };
}

function renderActor(reply: ReplyOf<'actor'>): TelegramOutput {
  const m = messages(reply.language);
  const { profile, stories, page, pages } = reply;
  const lines = [
    `<b>${escapeHtml(profile.name)}</b>`,
    escapeHtml(
      m.actorSeen(
        m.kind[profile.kind],
        profile.briefCount,
        day(profile.firstSeenAt),
        day(profile.lastSeenAt),
      ),
    ),
  ];
  if (profile.roles.length > 0) {
    lines.push('', `<b>${escapeHtml(m.actorRoles)}</b>`);
    for (const role of profile.roles.slice(0, 6)) {
      const text = m.actorRole(
        role.role,
        day(role.firstSeenAt),
        day(role.lastSeenAt),
        role.briefCount,
      );
      lines.push(`• ${escapeHtml(text)}`);
    }
  }
  lines.push('', `<b>${escapeHtml(m.actorStories(page, pages))}</b>`);
  if (stories.length === 0) lines.push(escapeHtml(m.actorNoStories));
  for (const story of stories) {
    const when = day(storyDate(story));
    const source = story.brief.source ? ` — <i>${escapeHtml(story.brief.source)}</i>` : '';
    lines.push(`• ${when} · ${link(story.brief.url, story.brief.title)}${source}`);
  }
  if (profile.coActors.length > 0) {
    const company = profile.coActors.map((c) => `${c.name} (${c.together})`).join(', ');
    lines.push('', `${escapeHtml(m.actorCompany)} ${escapeHtml(company)}`);
  }
  const out = packLines(lines);
  const buttons: CommandButton[] = [];
  if (page > 1)
    buttons.push({ text: `◀ ${page - 1}/${pages}`, command: actorCommand(profile.id, page - 1) });
  if (page < pages)
    buttons.push({ text: `${page + 1}/${pages} ▶`, command: actorCommand(profile.id, page + 1) });
  const last = out.at(-1);
  if (last && buttons.length > 0) last.buttons = [buttons];
  return { messages: out };
}

function renderChoices(reply: ReplyOf<'actor-choices'>): TelegramOutput {
  const m = messages(reply.language);
  const out = plain(m.actorDidYouMean(reply.query));
  const last = out.at(-1);
  if (last) {
    last.buttons = reply.choices.map((choice) => [
      { text: `${choice.name} (${m.kind[choice.kind]})`.slice(0, 64), command: choice.command },
    ]);
  }
  return { messages: out };
}

function renderExport(reply: ReplyOf<'export'>): TelegramOutput {
  // Cut before escaping: the limit counts the text Telegram shows, and a cut after
  // escaping could split an entity (`&am`).
  const caption = escapeHtml((reply.text.split('\n', 1)[0] ?? '').slice(0, CAPTION_LIMIT));
  return {
    messages: [],
    document: { filename: reply.filename, content: reply.opml, caption },
  };
}

type Renderers = { [K in ReplyKind]: (reply: ReplyOf<K>) => TelegramOutput };

const RENDERERS: Renderers = {
  text: (reply) => ({ messages: plain(reply.text) }),
  error: (reply) => ({ messages: plain(reply.text) }),
  help: renderHelp,
  briefs: (reply) => {
    if (reply.briefs.length === 0) return { messages: plain(reply.text) };
    const heading = messages(reply.language).latestBriefs(reply.briefs.length);
    return { messages: briefList(heading, reply.briefs, reply.locale) };
  },
  brief: (reply) => ({ messages: briefMessages(reply.brief, reply.locale) }),
  actor: renderActor,
  'actor-choices': renderChoices,
  feeds: (reply) => ({ messages: plain(reply.text) }),
  export: renderExport,
  import: (reply) => ({ messages: plain(reply.text) }),
  ignored: () => ({ messages: [] }),
};

/** A reply as Telegram messages (none for a command meant for another bot). */
export function renderReply(reply: Reply): TelegramOutput {
  return (RENDERERS[reply.kind] as (reply: Reply) => TelegramOutput)(reply);
}

// ── Deliveries ───────────────────────────────────────────────────────────────────────────

/** A digest: its heading, then each actor's briefs as linked headlines. */
export function digestMessages(digest: DigestPayload): TelegramMessage[] {
  const texts = textsFor(digest.language);
  const lines = [`<b>${escapeHtml(digest.text.split('\n', 1)[0] ?? '')}</b>`];
  for (const group of digest.groups) {
    lines.push('', `<b>${escapeHtml(group.actor ? group.actor.name : texts.otherStories)}</b>`);
    for (const brief of group.briefs) {
      const source = brief.source ? ` — <i>${escapeHtml(brief.source)}</i>` : '';
      lines.push(`• ${link(brief.url, brief.title)}${source}`);
    }
  }
  return packLines(lines);
}

/** What the outbox delivers, as Telegram messages: a brief, a digest, a notice. */
export function deliveryMessages(delivery: Delivery): TelegramMessage[] {
  if (delivery.kind === 'brief') {
    const custom = storedTemplate(delivery.template);
    if (custom === null) return briefMessages(delivery.brief, delivery.locale);
    const html = renderTemplate(custom, delivery.brief, TELEGRAM_TEMPLATE, delivery.locale);
    return [{ html, preview: delivery.brief.url }];
  }
  const { payload } = delivery;
  if (isDigestMessage(payload)) return digestMessages(payload);
  if (typeof payload === 'string') return plain(payload);
  const text = (payload as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? plain(text) : [];
}
