/**
 * What every platform's escaping starts from: `@username` broken so that no feed text
 * mentions anyone. Each platform's own escaping is beside it (adapters/telegram/render/
 * escape.ts: HTML; adapters/discord/render/escape.ts: markdown).
 */
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
