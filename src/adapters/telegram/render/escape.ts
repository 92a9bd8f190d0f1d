/**
 * Feed text escaped for Telegram's HTML parse mode: the one place Telegram text is escaped.
 * Pure: the library's `render` uses it (render/brief.ts).
 */
import { breakMentions } from '../../../core/render/escape.js';

/** Escapes clean text for Telegram's HTML parse mode (text content). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : '&gt;'));
}

/**
 * Escapes clean text for Telegram's HTML parse mode, with every `@username` broken (see
 * `breakMentions`): Telegram notifies the user a message mentions, whoever wrote it.
 */
export function escapeTelegram(text: string): string {
  return escapeHtml(breakMentions(text));
}

/** Escapes a value for a double-quoted HTML attribute. */
export function escapeHtmlAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}
