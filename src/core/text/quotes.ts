import type { Sentence } from './sentences.js';

/**
 * A run of sentences a summary shows whole or not at all: one sentence, or all the sentences
 * of a quotation that spans several ("“We will stay. We will fight,” she said.").
 */
export interface Unit {
  /** Indices of its first and last sentence. */
  first: number;
  last: number;
  start: number;
  end: number;
  /**
   * The unit opens a quotation its paragraph never closes, or closes one it never opened:
   * a part of a longer quotation (or of stray quote marks), which no summary shows.
   */
  brokenQuote: boolean;
}

enum Q {
  None = 0,
  Open = 1,
  Close = 2,
  /** " and ' : which one it is depends on the spaces around it and on what is open. */
  Either = 3,
}

// What each opening mark waits for. German opens with „ and closes with “ (or ”), and
// writes »…« as well as «…».
const CLOSES: Record<string, string> = {
  '“': '”',
  '„': '“”',
  '«': '»',
  '»': '«',
  '‹': '›',
  '›': '‹',
  '‘': "’'",
  '"': '"',
  "'": "'’",
};

const isSpace = (c: string | undefined) => c === undefined || /[\s\u00a0([{\-–—/]/.test(c);
const isLetter = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

function kind(text: string, i: number, open: readonly string[]): Q {
  const c = text[i] as string;
  // Not text[-1] at the start: a negative index sends the load site to V8's slow path.
  const before = i > 0 ? text[i - 1] : undefined;
  const after = text[i + 1];
  const top = open.at(-1);
  switch (c) {
    case '"':
      return Q.Either;
    case "'":
    case '’':
      // An apostrophe between letters ("don't", "l'Ucraina") or after a letter with a
      // single quote open being the only ambiguity that closes.
      if (isLetter(before) && isLetter(after)) return Q.None;
      if (c === "'" && isSpace(before) && isLetter(after)) return Q.Open;
      if (top === '‘' || top === "'") return isLetter(after) ? Q.None : Q.Close;
      return Q.None;
    case '‘':
      return isLetter(before) && isLetter(after) ? Q.None : Q.Open;
    case '“':
      return top === '„' ? Q.Close : Q.Open;
    case '”':
      return Q.Close;
    case '„':
      return Q.Open;
    case '«':
    case '‹':
      return top === '»' || top === '›' ? Q.Close : Q.Open;
    case '»':
    case '›':
      if (top === '«' || top === '‹') return Q.Close;
      // German »…«: opens before a word; otherwise a stray closer.
      return isSpace(before) && isLetter(after) ? Q.Open : Q.Close;
    default:
      return Q.None;
  }
}

/** The next character that may change the state: a quote mark or a line break. */
const NEXT_MARK = /["'’‘“”„«»‹›\n]/g;

/**
 * Where the first mark at or after `from` is, or the text's length. `test`, not `exec`: a
 * global regex's `test` leaves lastIndex just past its one-character match and builds no
 * match array.
 */
function nextMark(text: string, from: number): number {
  NEXT_MARK.lastIndex = from;
  return NEXT_MARK.test(text) ? NEXT_MARK.lastIndex - 1 : text.length;
}

/**
 * Groups sentences into units: sentences joined while a quotation is open between them
 * within a paragraph. One pass over the text; a paragraph break closes whatever is open.
 */
export function quotationUnits(text: string, sentences: readonly Sentence[]): Unit[] {
  const units: Unit[] = [];
  const open: string[] = [];
  // The next mark not read yet: a search that went past a sentence's end is not made again
  // for the next sentence (marks are sparse, sentences many).
  let mark = nextMark(text, 0);
  let stray = false;
  let current: Unit | null = null;
  const scanTo = (to: number): void => {
    for (; mark < to; mark = nextMark(text, mark + 1)) {
      const pos = mark;
      if (text.charCodeAt(pos) === 10) {
        // A blank line ends the paragraph and whatever quotation it left open.
        let j = pos + 1;
        while (j < to && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j++;
        if (text[j] === '\n') open.length = 0;
        continue;
      }
      const c = text[pos] as string;
      let k = kind(text, pos, open);
      // Straight double quotes pair up within a paragraph, whatever the spaces say.
      if (k === Q.Either) k = open.includes(c) ? Q.Close : Q.Open;
      if (k === Q.Open) open.push(c);
      else if (k === Q.Close) {
        const at = findOpener(open, c);
        if (at < 0) stray = true;
        else open.length = at;
      }
    }
  };
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i] as Sentence;
    if (!current) {
      scanTo(s.start);
      stray = false;
      current = { first: i, last: i, start: s.start, end: s.end, brokenQuote: false };
    }
    scanTo(s.end);
    current.last = i;
    current.end = s.end;
    const next = sentences[i + 1];
    const sameParagraph = next !== undefined && !/\n[ \t\r]*\n/.test(text.slice(s.end, next.start));
    if (open.length > 0 && sameParagraph) continue;
    current.brokenQuote = stray || open.length > 0;
    units.push(current);
    current = null;
  }
  return units;
}

/** Where the quotation `closer` ends starts in the stack of open marks, or -1. */
function findOpener(open: readonly string[], closer: string): number {
  for (let k = open.length - 1; k >= 0; k--) {
    if (CLOSES[open[k] as string]?.includes(closer)) return k;
  }
  return -1;
}
