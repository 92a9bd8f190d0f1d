/**
 * Feed text is hostile: it may carry terminal escapes, bidi overrides that flip a
 * headline's meaning, zero-width characters that smuggle `@everyone` past a filter,
 * lone surrogates that make platform APIs reject the whole message, and megabytes of
 * padding. Everything a renderer shows from a Brief goes through `cleanText` first.
 */

import { stripVTControlCharacters } from 'node:util';
import { ELLIPSIS, truncate } from './truncate.js';

// Line and paragraph breaks become spaces so a field can never start a new line on its
// own (a new line would let feed text open a Discord heading or block quote).
const BREAKING_CONTROLS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;

// C0/C1 controls (terminal escapes among them) and invisible format characters:
// zero-width space/joiners, LRM/RLM, bidi embeddings and overrides, bidi isolates,
// word joiner and invisible operators, Arabic letter mark, Mongolian vowel separator, BOM.
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const WHITESPACE_RUN = /\s+/g;

/**
 * Normalises one field of feed text to a single clean line of at most `max` units.
 * Work is bounded by `max`, not by the input: a 10 MB title is only scanned as far as
 * could ever be shown, so rendering stays fast whatever a feed sends.
 */
export function cleanText(raw: unknown, max: number): string {
  if (typeof raw !== 'string' || max < 1) return '';
  // Whitespace collapses and invisibles vanish, so keep some slack beyond `max`; input
  // beyond even that is padding or abuse and is cut (and marked as cut).
  const scanLimit = Math.max(max * 4, 1024);
  const clipped = raw.length > scanLimit;
  const scanned = clipped ? raw.slice(0, scanLimit) : raw;
  // Escape sequences go whole (an OSC's title with them), then any control left alone.
  const cleaned = stripVTControlCharacters(scanned)
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(BREAKING_CONTROLS, ' ')
    .replace(INVISIBLE, '')
    .replace(WHITESPACE_RUN, ' ')
    .trim();
  return truncate(clipped ? `${cleaned}${ELLIPSIS}` : cleaned, max);
}

/**
 * Splits a clean line into sentences, keeping each sentence's punctuation. Only used to
 * break a paragraph too long for one message, so an occasional split after an
 * abbreviation costs nothing but a line break.
 */
export function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?…。！？])\s+/).filter((part) => part !== '');
}

// C0 controls but tab and line feed, DEL and C1 controls (0x9b is CSI on some terminals).
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text for a terminal, lines kept: no escape sequences (Node's stripVTControlCharacters) and
 * no other control character, so nothing printed — feed text that got past cleaning, an
 * export's OPML, a log line naming a feed — can retitle the window, move the cursor or
 * rewrite the screen.
 */
export function terminalText(text: string): string {
  return stripVTControlCharacters(text).replace(TERMINAL_CONTROLS, '');
}
