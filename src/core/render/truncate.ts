export const ELLIPSIS = '…';

/** True when `code` is the first half of a surrogate pair. */
export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Cuts `text` to at most `max` UTF-16 units, ellipsis included, without splitting a
 * surrogate pair. `max` below 1 yields ''.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  return `${sliceSafe(text, max - ELLIPSIS.length).trimEnd()}${ELLIPSIS}`;
}

/** `text.slice(0, end)`, moved back one unit when it would end on half a surrogate pair. */
export function sliceSafe(text: string, end: number): string {
  if (end <= 0) return '';
  if (end >= text.length) return text;
  return isHighSurrogate(text.charCodeAt(end - 1)) ? text.slice(0, end - 1) : text.slice(0, end);
}

/**
 * Truncates escaped HTML text to `max` units, ellipsis included. The cut never lands
 * inside an entity (`&am…` would make Telegram reject the message) nor between the
 * halves of a surrogate pair. Only for text produced by `escapeHtml`, where every `&`
 * starts an entity.
 */
export function truncateHtml(html: string, max: number): string {
  if (html.length <= max) return html;
  if (max < 1) return '';
  let kept = sliceSafe(html, max - ELLIPSIS.length);
  const amp = kept.lastIndexOf('&');
  if (amp !== -1 && kept.indexOf(';', amp) === -1) kept = kept.slice(0, amp);
  return `${kept.trimEnd()}${ELLIPSIS}`;
}

/**
 * Truncates text produced by `escapeDiscord` to `max` units, ellipsis included, never
 * leaving a dangling escape backslash (it would swallow or expose what follows) nor half
 * a surrogate pair.
 */
export function truncateMarkdown(markdown: string, max: number): string {
  if (markdown.length <= max) return markdown;
  if (max < 1) return '';
  let kept = sliceSafe(markdown, max - ELLIPSIS.length);
  let backslashes = 0;
  while (backslashes < kept.length && kept.charCodeAt(kept.length - 1 - backslashes) === 0x5c) {
    backslashes++;
  }
  if (backslashes % 2 === 1) kept = kept.slice(0, -1);
  return `${kept.trimEnd()}${ELLIPSIS}`;
}
