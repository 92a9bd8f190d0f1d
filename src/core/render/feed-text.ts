/**
 * Feed text shown outside a brief — a feed's own title, an actor's name or role, a headline
 * in a digest or on an /actor page, the error a feed's server answered — is as hostile as a
 * brief's own text, and every place that shows it takes it through here, whatever the
 * platform: the console prints it, Telegram and Discord escape it for their markup.
 */
import { breakMentions } from './escape.js';
import { cleanText } from './text.js';
import { safeUrl } from './view.js';

/** Long enough for any name or headline; beyond it a field is padding or abuse. */
export const FEED_TEXT_MAX = 300;

/**
 * One clean line (see cleanText: no terminal escapes, control or invisible characters, bidi
 * overrides or lone surrogates) of at most `max` units, in which no `@username` mentions
 * anyone (see breakMentions). '' when nothing is left.
 */
export function feedText(raw: unknown, max: number = FEED_TEXT_MAX): string {
  return breakMentions(cleanText(raw, max));
}

/**
 * A link from a feed as a brief would link it: http(s) only, no credentials (the
 * `https://bank.example@evil.example/` form), normalised; null otherwise.
 */
export function feedUrl(raw: unknown): string | null {
  return safeUrl(raw);
}
