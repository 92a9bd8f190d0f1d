/**
 * One unit of a message that must never be split: a line of balanced markup, or a
 * sentence. `sep` joins it to whatever precedes it in the same message and is dropped
 * when the piece opens a new message.
 */
export interface Piece {
  text: string;
  sep: string;
}

export interface PackOptions {
  /** Hard per-message limit in UTF-16 units. */
  limit: number;
  /** Beyond this many messages the rest is dropped and `more` marks the cut. */
  maxMessages: number;
  more: string;
}

/**
 * Greedily fills messages with whole pieces. Every piece must already fit in
 * `limit - more.length` (callers truncate over-long pieces first); room for `more` is
 * kept in every message so the last one can always take it.
 */
export function pack(pieces: readonly Piece[], options: PackOptions): string[] {
  const budget = options.limit - options.more.length;
  const messages: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (piece.text === '') continue;
    if (piece.text.length > budget) throw new RangeError('piece longer than a message');
    const joined = current === '' ? piece.text : `${current}${piece.sep}${piece.text}`;
    if (joined.length <= budget) {
      current = joined;
      continue;
    }
    messages.push(current);
    if (messages.length === options.maxMessages) {
      messages[messages.length - 1] = `${current}${options.more}`;
      return messages;
    }
    current = piece.text;
  }
  if (current !== '') messages.push(current);
  return messages;
}
