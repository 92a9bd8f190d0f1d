import type { BriefLocale } from '../../../core/render/labels.js';
import { moreText } from '../../../core/render/labels.js';
import type { Piece } from '../../../core/render/pack.js';
import { pack } from '../../../core/render/pack.js';
import type { TemplateStyle } from '../../../core/render/template.js';
import { splitSentences } from '../../../core/render/text.js';
import { truncateHtml } from '../../../core/render/truncate.js';
import type { ActorGroup, BriefView } from '../../../core/render/view.js';
import { toView } from '../../../core/render/view.js';
import type { Brief } from '../../../core/types.js';
import { escapeHtmlAttribute, escapeTelegram } from './escape.js';

/** Telegram's limit for one message's text. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;
/** A brief is a post, not a flood: past this many messages the rest is cut. */
export const TELEGRAM_MAX_MESSAGES = 3;

const MORE = '\n…';
// Every piece must fit a message with the overflow marker still appended.
const PIECE_MAX = TELEGRAM_MESSAGE_LIMIT - MORE.length;
const TITLE_MAX = 1024;
const HREF_MAX = 2048;
const ACTORS_PER_KIND = 10;

/**
 * Renders a brief as Telegram HTML parse-mode messages. Each message is at most 4096
 * units of raw HTML (entity parsing only shortens it, so the parsed text fits too) and
 * is balanced HTML on its own: messages are cut only between whole lines or sentences,
 * each of which closes every tag it opens.
 */
export function renderTelegram(brief: Brief, locale?: BriefLocale): string[] {
  return pack(telegramPieces(toView(brief, locale)), {
    limit: TELEGRAM_MESSAGE_LIMIT,
    maxMessages: TELEGRAM_MAX_MESSAGES,
    more: MORE,
  });
}

function telegramPieces(view: BriefView): Piece[] {
  const pieces: Piece[] = [{ text: headline(view), sep: '' }];

  const meta = [view.source, view.date].filter((part) => part !== null).join(' · ');
  if (meta !== '') pieces.push({ text: `<i>${fitted(meta, 0)}</i>`, sep: '\n' });

  view.summary.forEach((sentence, index) => {
    pieces.push(...bullet(sentence, index === 0 ? '\n\n' : '\n'));
  });

  view.groups.forEach((group, index) => {
    pieces.push(...actorPieces(view, group, index === 0 ? '\n\n' : '\n'));
  });

  if (view.tags.length > 0) pieces.push({ text: fitted(view.tags.join(' '), 0), sep: '\n\n' });
  return pieces;
}

function headline(view: BriefView): string {
  const title = truncateHtml(escapeTelegram(view.title), TITLE_MAX);
  const href = view.url === null ? '' : escapeHtmlAttribute(view.url);
  // A url full of `&` grows fivefold when escaped; past this it could crowd the headline
  // out of its message, and a link nobody can read whole is better left out.
  if (href === '' || href.length > HREF_MAX) return `<b>${title}</b>`;
  return `<b><a href="${href}">${title}</a></b>`;
}

/**
 * A summary sentence as a bullet. A paragraph too long for one message (the summariser
 * failed to split it) is broken into its sentences so it can flow across messages.
 */
function bullet(sentence: string, sep: string): Piece[] {
  const marker = '• ';
  const whole = escapeTelegram(sentence);
  if (marker.length + whole.length <= PIECE_MAX) return [{ text: `${marker}${whole}`, sep }];
  return splitSentences(sentence).map((part, index) =>
    index === 0
      ? { text: `${marker}${fitted(part, marker.length)}`, sep }
      : { text: fitted(part, 0), sep: ' ' },
  );
}

function actorPieces(view: BriefView, group: ActorGroup, sep: string): Piece[] {
  const shown = group.actors.slice(0, ACTORS_PER_KIND);
  const hidden = group.actors.length - shown.length;
  const more = hidden > 0 ? moreText(view.labels, hidden) : '';
  const label = escapeTelegram(group.label);

  if (!shown.some((actor) => actor.role !== null)) {
    const names = shown.map((actor) => actor.name);
    if (more) names.push(more);
    const header = `<b>${label}:</b> `;
    return [{ text: `${header}${fitted(names.join(', '), header.length)}`, sep }];
  }

  const pieces: Piece[] = [{ text: `<b>${label}</b>`, sep }];
  for (const actor of shown) {
    const line = actor.role === null ? actor.name : `${actor.name} — ${actor.role}`;
    pieces.push({ text: `• ${fitted(line, 2)}`, sep: '\n' });
  }
  if (more) pieces.push({ text: `<i>${more}</i>`, sep: '\n' });
  return pieces;
}

/** Escapes clean text and trims it to what is left of a piece after `reserved` units. */
function fitted(text: string, reserved: number): string {
  // 7 covers the longest markup wrapped around a fitted text (`<i>` + `</i>`).
  return truncateHtml(escapeTelegram(text), PIECE_MAX - reserved - 7);
}

/** A custom template in Telegram HTML: one message, a bold headline, bare links. */
export const TELEGRAM_TEMPLATE: TemplateStyle = {
  escape: escapeTelegram,
  headline: (escaped) => `<b>${escaped}</b>`,
  // A bare URL: Telegram makes it a link (and its preview, unless that is off).
  link: (url) => escapeTelegram(url),
  // After entity parsing the text is no longer than the raw HTML, so this bounds both.
  limit: TELEGRAM_MESSAGE_LIMIT,
};
