import { mapped } from '../../shared/arrays.js';
import type { Token } from './tokens.js';

/**
 * Marks after which a clause may end: a comma, semicolon or dash. A colon is not one (what
 * follows it is what the sentence is about: "Il ministro ha detto: …").
 */
const CLAUSE_MARKS: ReadonlySet<string> = new Set([',', ';', '–', '—']);

/** Quotation marks and brackets: a sentence never ends early inside one. */
const OPENS: ReadonlySet<string> = new Set(['„', '«', '‹', '(', '[']);
const CLOSES: ReadonlySet<string> = new Set(['”', '»', '›', ')', ']']);
const STRAIGHT = '"';

/** What tells a clause boundary from a comma that closes a name: the language's words. */
export interface ClauseWords {
  /** Function words: what opens a clause or an adjunct ("tras", "which", "et", "und"). */
  stopwords: ReadonlySet<string>;
  /** Speech verbs ("said", "ha detto"): after a comma they close the speaker's name. */
  speech: { matchAt(keys: readonly string[], at: number): number };
}

/**
 * The fewest words between two clause marks that make a clause or an adjunct; fewer are an
 * apposition or an inserted phrase ("su presidente, Paschal Donohoe, dijo", "en cambio").
 */
const MIN_SEGMENT_WORDS = 4;

/**
 * Where a sentence too long to show whole may end early: the end of the word before its
 * last clause boundary that keeps `min`..`max` words, or undefined when it has none.
 *
 * A clause boundary is a comma, semicolon or dash followed by a function word of the
 * language (its stopwords: "tras", "which", "et", "und"): what follows is a second clause
 * or an adjunct ("…, con más de 700 millones de consumidores, tras más de un cuarto de
 * siglo de negociaciones y pese a…"), and the words before it say what happened. A comma
 * followed by a name or a noun is a list ("Brasil, Argentina"), and never one; nor is the
 * comma that closes an apposition or an inserted phrase (a few words since the last mark:
 * "el presidente, Emmanuel Macron, reiteró") or a speaker's name ("…, said"). Newswire ledes run to 60–70 words as one sentence: ending one at its last
 * such boundary keeps what happened, where a bullet that long reads as a run-on.
 *
 * The words before the boundary hold every quotation and bracket they open: a brief never
 * shows half of a quotation.
 */
export function clauseEnd(
  tokens: readonly Token[],
  language: ClauseWords,
  min: number,
  max: number,
): number | undefined {
  const keys = mapped(tokens, (t) => t.key);
  let words = 0;
  let segment = 0;
  let open = 0;
  let straight = 0;
  let best: number | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.word) {
      if (++words > max) break;
      segment++;
      continue;
    }
    const mark = t.text;
    if (mark === STRAIGHT) straight++;
    else if (OPENS.has(mark)) open++;
    // “ opens in English and Italian and closes German's „.
    else if (mark === '“') open = open > 0 ? open - 1 : open + 1;
    else if (CLOSES.has(mark)) open = Math.max(0, open - 1);
    else if (CLAUSE_MARKS.has(mark)) {
      const next = tokens[i + 1];
      if (
        words >= min &&
        segment >= MIN_SEGMENT_WORDS &&
        open === 0 &&
        straight % 2 === 0 &&
        i > 0 &&
        next?.word &&
        language.stopwords.has(next.key) &&
        language.speech.matchAt(keys, i + 1) === 0
      )
        best = (tokens[i - 1] as Token).end;
      segment = 0;
    }
  }
  return best;
}
