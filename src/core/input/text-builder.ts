/**
 * The text of an HTML reading, put together as it is read (nodeToText from the DOM, the
 * fast path from htmlparser2's events), in one pass over its characters. It gives what
 * the reading used to assemble and then clean up in passes (test/core/input/
 * text-builder.test.ts keeps that clean-up as the specification and checks it):
 *
 *  1. text outside <pre>: runs of [ \t\n\r\f] become one space (as a browser renders it);
 *  2. each line (a <br>, a block's start and end): runs of [ \t\f\v\u00a0] one space, then
 *     trimmed of what String.prototype.trim trims;
 *  3. normalizeParagraphs: a CR (kept only inside <pre>) ends a line, after that trim;
 *     soft hyphens, zero-width spaces, word joiners and BOMs dropped, again after it;
 *     trailing [ \t\f\v\u00a0] cut; lines with nothing visible are blank, and paragraphs
 *     are separated by exactly one blank line, none at either end.
 *
 * Those passes cost more than reading the HTML did (a feed item's description: split,
 * a regex per line and per text chunk, trim, join, then normalizeParagraphs' own).
 */
export class TextBuilder {
  /**
   * The output so far: lines as normalizeParagraphs separates them, then the current line
   * up to its last visible character (joined once, at the end).
   */
  #parts: string[] = [];
  /** The output has a line (#parts may still be empty until the current line's first). */
  #hasLine = false;
  /** A blank line since the last line with something visible (once the output has one). */
  #blank = false;
  /** Whether the current line has a visible character: a line without one is blank. */
  #visible = false;
  /**
   * Spaces after the current line's last visible character that an invisible one made
   * inner (step 2 keeps them): kept if something visible follows on the line, else cut of
   * trailing spaces (step 3).
   */
  #tail = '';
  /** Spaces at the end of what was read (runs collapsed): step 2 trims them at a line end. */
  #pending = '';
  /** #pending ends with a collapsed run of [ \t\f\v\u00a0]: the next one joins it. */
  #inRun = false;
  /** The line (step 2's) has a character trim keeps: spaces before one are trimmed. */
  #started = false;

  /** Text outside <pre>. */
  text(data: string): void {
    // Most text is words with single spaces between them, and maybe one at either end:
    // one regex says so faster than a look at each character.
    if (!WORDS.test(data)) {
      this.#read(data, false);
      return;
    }
    const n = data.length;
    const lead = data.charCodeAt(0) === 32 ? 1 : 0;
    const trail = n > lead && data.charCodeAt(n - 1) === 32 ? 1 : 0;
    if (lead) this.#space();
    if (n > lead + trail)
      this.#visibleText(lead + trail === 0 ? data : data.slice(lead, n - trail));
    if (trail) this.#space();
  }

  /** Text inside <pre>: line breaks are kept. */
  preText(data: string): void {
    this.#read(data, true);
  }

  /** A <br>. */
  lineBreak(): void {
    this.#endLine();
  }

  /** The start or end of a block element (two line breaks). */
  paragraphBreak(): void {
    this.#endLine();
    this.#endLine();
  }

  /** A table cell's start or end. */
  space(): void {
    this.#space();
  }

  finish(): string {
    this.#endLine();
    return this.#parts.join('');
  }

  #read(data: string, pre: boolean): void {
    const n = data.length;
    let i = 0;
    while (i < n) {
      // A run of visible characters, with single spaces between them, goes in as it is
      // (most text); anything else goes a character at a time.
      let j = i;
      while (j < n) {
        const c = data.charCodeAt(j);
        if ((c > 32 && c < 127) || kind(c, pre) === VISIBLE) j++;
        else if (c === 32 && j > i && j + 1 < n && kind(data.charCodeAt(j + 1), pre) === VISIBLE)
          j += 2;
        else break;
      }
      if (j > i) {
        this.#visibleText(j - i === n ? data : data.slice(i, j));
        i = j;
        continue;
      }
      const c = data.charCodeAt(i);
      switch (kind(c, pre)) {
        case SPACE:
          this.#space();
          break;
        case NEWLINE:
          this.#endLine();
          break;
        case INVISIBLE:
          // Visible to trim (step 2), gone after it: makes the spaces before it inner.
          this.#flush();
          this.#started = true;
          break;
        default: // TRIMMED
          if (this.#started) {
            this.#pending += data[i];
            this.#inRun = false;
          }
      }
      i++;
    }
  }

  #visibleText(s: string): void {
    if (this.#pending !== '') this.#flush();
    if (!this.#visible) {
      // The line's first visible character: the line break before it goes first.
      if (this.#hasLine) this.#parts.push(this.#blank ? '\n\n' : '\n');
      this.#visible = true;
    }
    if (this.#tail !== '') {
      this.#parts.push(this.#tail);
      this.#tail = '';
    }
    this.#parts.push(s);
    this.#started = true;
  }

  #space(): void {
    if (this.#started && !this.#inRun) {
      this.#pending += ' ';
      this.#inRun = true;
    }
  }

  /** #pending turns out inner: it stays, but for BOMs (dropped), and a CR ends a line. */
  #flush(): void {
    const pending = this.#pending;
    if (pending === ' ') this.#tail += ' ';
    else {
      for (const char of pending) {
        if (char === '\r') this.#endOutputLine();
        else if (char !== '\ufeff') this.#tail += char;
      }
    }
    this.#pending = '';
    this.#inRun = false;
  }

  /** A line break (step 2's): the spaces at its end are trimmed. */
  #endLine(): void {
    this.#pending = '';
    this.#inRun = false;
    this.#started = false;
    this.#endOutputLine();
  }

  /** The end of a line of the output (step 3's). */
  #endOutputLine(): void {
    if (this.#visible) {
      const tail = this.#tail.replace(TRAILING_SPACES, '');
      if (tail !== '') this.#parts.push(tail);
      this.#hasLine = true;
      this.#blank = false;
      this.#tail = '';
      this.#visible = false;
    } else {
      if (this.#hasLine) this.#blank = true;
      this.#tail = '';
    }
  }
}

/**
 * Visible characters with single spaces between them, and maybe one at either end (`\s`
 * is what trim trims: kind's SPACE, NEWLINE and TRIMMED).
 */
const WORDS = /^ ?(?:[^\s\u00ad\u200b\u2060]+(?: [^\s\u00ad\u200b\u2060]+)*)? ?$/;

/** Spaces that step 3 cuts at a line's end; in #tail, runs of them are single spaces. */
const TRAILING_SPACES = / +$/;

const VISIBLE = 0;
/** [ \t\f\v\u00a0] (and outside <pre>, \n and \r): runs of them are one space. */
const SPACE = 1;
const NEWLINE = 2;
/** Trimmed at a line's ends (String.prototype.trim), kept inside it: \r, other spaces. */
const TRIMMED = 3;
/** Soft hyphen, zero-width space, word joiner: dropped, after trim (a BOM is TRIMMED). */
const INVISIBLE = 4;

/** What a UTF-16 code unit is to the clean-up (the test tries every one). */
function kind(c: number, pre: boolean): number {
  if (c > 32 && c < 127) return VISIBLE;
  switch (c) {
    case 32:
    case 9:
    case 12:
    case 11:
    case 0xa0:
      return SPACE;
    case 10:
      return pre ? NEWLINE : SPACE;
    case 13:
      return pre ? TRIMMED : SPACE;
    case 0xad:
    case 0x200b:
    case 0x2060:
      return INVISIBLE;
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
    case 0xfeff:
      return TRIMMED;
  }
  return c >= 0x2000 && c <= 0x200a ? TRIMMED : VISIBLE;
}
