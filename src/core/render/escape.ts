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

// Discord's markdown treats a backslash before any ASCII punctuation as an escape, so
// escaping more than strictly needed is harmless; these are the characters that open
// formatting anywhere in a line: bold/italic, underline, strike, code, spoiler, quote,
// masked links, and the backslash itself.
const MARKDOWN_INLINE = /[\\*_~`|>[\]()]/g;
// These only mean something at the start of a line (heading, subtext, list item).
const MARKDOWN_LINE_START = /^(?:[#+-]|\d+\.)/;

const ZWSP = '\u200b';

// An http(s) URL is kept whole (a break inside would cut the link); Telegram reads it as
// one link, never as a mention. Any other `@` before a username character is a mention.
const MENTION_OR_URL = /(https?:\/\/[^\s<>"]+)|@(?=[A-Za-z0-9_])/g;

/**
 * Makes `@username` in feed text mention no one: Telegram notifies the named user (and
 * Discord bridges may too). A zero-width space after the `@` is invisible but ends the
 * username for every client's parser; feed text cannot bring its own (cleanText strips
 * them first), so applying this twice changes nothing more.
 */
export function breakMentions(text: string): string {
  return text.replace(MENTION_OR_URL, (match, url: string | undefined) =>
    url === undefined ? `@${ZWSP}` : match,
  );
}

/**
 * Makes clean text inert in Discord markdown: no formatting, no masked links, no
 * mentions. Input is one line (see `cleanText`), so only its own start can be a line
 * start; callers that put it elsewhere are merely a little over-cautious.
 */
export function escapeDiscord(text: string): string {
  return neutraliseMentions(
    text
      .replace(MARKDOWN_INLINE, '\\$&')
      .replace(MARKDOWN_LINE_START, (start) =>
        start.endsWith('.') ? `${start.slice(0, -1)}\\.` : `\\${start}`,
      ),
  );
}

/**
 * Breaks every mention form: `<@id>`, `<@!id>`, `<@&id>`, `<#id>`, `</cmd:id>`, custom
 * emoji and timestamps all start with `<`, and `@everyone` / `@here` with `@`. A
 * zero-width space after those characters is invisible but stops Discord's parser;
 * feed text cannot bring its own (cleanText strips them first). This also applies to
 * plain-text places such as embed footers, where backslashes would show.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(/</g, `<${ZWSP}`).replace(/@(?=everyone|here)/gi, `@${ZWSP}`);
}
