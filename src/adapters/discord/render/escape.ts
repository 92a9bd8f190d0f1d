/**
 * Feed text made inert in Discord markdown: the one place Discord text is escaped. Pure:
 * the library's `render` uses it (render/brief.ts).
 */

// Discord's markdown treats a backslash before any ASCII punctuation as an escape, so
// escaping more than strictly needed is harmless; these are the characters that open
// formatting anywhere in a line: bold/italic, underline, strike, code, spoiler, quote,
// masked links, and the backslash itself.
const MARKDOWN_INLINE = /[\\*_~`|>[\]()]/g;
// These only mean something at the start of a line (heading, subtext, list item).
const MARKDOWN_LINE_START = /^(?:[#+-]|\d+\.)/;

const ZWSP = '\u200b';

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
