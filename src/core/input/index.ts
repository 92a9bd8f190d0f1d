import type { Article } from '../types.js';
import { InputError } from './errors.js';
import { parsePlainText } from './plain.js';
import { sniff } from './sniff.js';

export { INPUT_ERROR_CODES, InputError, type InputErrorCode, isInputError } from './errors.js';
export { parsePlainText } from './plain.js';
export { decodeBytes, type Sniffed, sniff } from './sniff.js';

export interface RawInput {
  bytes: Uint8Array;
  /** The Content-Type header the bytes came with, if any: charset and kind hint. */
  contentType?: string | null | undefined;
  /** The address the bytes came from: base for relative links, url when the page names none. */
  url?: string | null | undefined;
  /** What to call the input in error messages (file path, URL, `stdin`); defaults to url. */
  name?: string | undefined;
}

/**
 * Bytes a user gave → Article, whatever they are: plain text, an HTML page, an RSS/Atom
 * feed or item. Pure (no I/O). Async only because the feed parser is.
 *
 * Rejects with InputError: `binary` (PDF, images, archives, undecodable bytes), `empty`
 * (nothing but whitespace), `not-an-article` (XML that is not a feed, a feed without
 * items, a page without text).
 */
export async function parseArticle(input: RawInput): Promise<Article> {
  const url = input.url ?? undefined;
  const label = input.name ?? url ?? 'input';
  const sniffed = sniff(input.bytes, input.contentType);
  switch (sniffed.kind) {
    case 'binary':
      throw new InputError(
        'binary',
        label,
        `looks like binary data${sniffed.what ? ` (${sniffed.what})` : ''}, not an article`,
      );
    case 'empty':
      throw new InputError('empty', label, 'is empty; there is no article to read');
    // The DOM and feed parsers load only when an input needs them: plain text, the common
    // case on the command line, starts without them.
    case 'html': {
      const { parseHtml } = await import('./html.js');
      return parseHtml(sniffed.text, { url, label });
    }
    case 'feed': {
      const { parseFeedItem } = await import('./feed-item.js');
      return parseFeedItem(sniffed.text, { url, label });
    }
    case 'xml':
      throw new InputError(
        'not-an-article',
        label,
        `is XML${sniffed.root ? ` (<${sniffed.root}>)` : ''} but not an RSS/Atom feed or an HTML page`,
      );
    case 'plain':
      return parsePlainText(sniffed.text, { url, label });
  }
}
