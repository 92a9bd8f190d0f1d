import { mapped } from '../shared/arrays.js';
import type { Doc, DocToken } from './actors/document.js';
import { MAX_UNIT_WORDS, MIN_CLAUSE_WORDS, type UnitFacts } from './summary.js';
import { stem, type Vocabulary } from './summary-terms.js';
import { clauseEnd } from './text/clauses.js';
import { demonstrativeNoun, opensWithPointer } from './text/openers.js';
import { quotationUnits } from './text/quotes.js';

const BLANK_LINE = /\n[ \t\r]*\n/;
const QUOTE_MARK = /["“”„«»‹›]/;
const ELIDED = /^\p{L}+['’]$/u;
const NO_TOKENS: readonly DocToken[] = [];
/**
 * Two sentences glued where the splitter saw none: a stop right before a capital after a
 * word or a quotation ("rodage.A 5H10", "en France".Dans", "l'AFP.Et"), or a quotation
 * closed and the next begun ("RN."Je", "chemin"."Il").
 */
const GLUED = /[\p{Ll}"»”][.!?]\p{Lu}|\p{Lu}{2}[.!?]\p{Lu}\p{Ll}|[.!?]["»”]["«“]?\p{Lu}/u;

/** What a unit's own text says about it: all of its facts but the actors it names. */
export type UnitText = Omit<UnitFacts, 'actors'>;

/** The actors of a unit that names none: one map for all of them. */
const NO_ACTORS: ReadonlyMap<string, number> = new Map();

/**
 * The units with the actors their sentences name, the one part of their facts that waits
 * for the entity model: `sentenceActors` holds, per sentence, the actors it names with
 * their salience (none where it names none). A unit of one sentence holds that sentence's
 * map itself, not a copy.
 */
export function withActors(
  units: readonly UnitText[],
  sentenceActors: readonly (ReadonlyMap<string, number> | undefined)[],
): UnitFacts[] {
  return mapped(units, (u) => {
    const { first, last } = u.unit;
    let actors = sentenceActors[first] ?? NO_ACTORS;
    if (first !== last) {
      const merged = new Map<string, number>();
      for (let i = first; i <= last; i++)
        for (const [id, s] of sentenceActors[i] ?? NO_ACTORS) merged.set(id, s);
      if (merged.size > 0) actors = merged;
    }
    // Written out, not spread: a spread copy is several times slower to make and to read.
    return {
      unit: u.unit,
      text: u.text,
      position: u.position,
      paragraph: u.paragraph,
      opensParagraph: u.opensParagraph,
      words: u.words,
      cut: u.cut,
      terms: u.terms,
      actors,
      numbers: u.numbers,
      quoted: u.quoted,
      pointer: u.pointer,
      antecedent: u.antecedent,
    };
  });
}

/**
 * The article's selection units (sentences, or quotations spanning sentences) with what
 * their text tells the summariser, their terms numbered by `vocabulary` (the article's, made
 * with its stopwords, `doc.words.stopwords`). Read right after `prepare`, while the Doc's
 * tokens are still in the processor's cache: once the entity model has read its multi-MB
 * tables they are not, and the same reading costs some four times more.
 */
export function unitTexts(doc: Doc, vocabulary: Vocabulary): UnitText[] {
  const { text, sentences, sentenceTokens } = doc;
  // Paragraph of each sentence: a blank line between two sentences starts a new one.
  const paragraphOf: number[] = [];
  const opens: boolean[] = [];
  let paragraph = 0;
  for (let i = 0; i < sentences.length; i++) {
    // Not sentences[-1]: a negative index is a named-property load, and V8 keeps the load
    // site on its slow path for good once it has seen one.
    const previous = i > 0 ? sentences[i - 1] : undefined;
    const s = sentences[i];
    const starts =
      !previous || (s !== undefined && BLANK_LINE.test(text.slice(previous.end, s.start)));
    if (previous && starts) paragraph++;
    paragraphOf.push(paragraph);
    opens.push(starts);
  }
  const stopwords = doc.words.stopwords;
  return mapped(quotationUnits(text, sentences), (unit): UnitText => {
    // A lede too long to show whole is the words before its last clause boundary that fits
    // (clauseEnd): newswire writes what happened first, in one sentence of 60–70 words. A
    // later sentence that long is left out instead (a lede is worth a cut bullet, a side
    // remark is not), and so is one that is two sentences glued where the splitter saw
    // none, or a quotation of several sentences: shown whole or not at all.
    const lede = unit.first === 0 && unit.last === 0 ? (sentenceTokens[0] ?? NO_TOKENS) : null;
    const end =
      lede !== null &&
      wordsIn(lede) > MAX_UNIT_WORDS &&
      !GLUED.test(text.slice(unit.start, unit.end))
        ? clauseEnd(lede, doc.words, MIN_CLAUSE_WORDS, MAX_UNIT_WORDS)
        : undefined;
    let words = 0;
    let numbers = 0;
    const opening: string[] = [];
    let firstText = '';
    let secondText = '';
    // A quotation's sentences one after the other, read where they are: no joined copy.
    const runs: (readonly DocToken[])[] = [];
    for (let sentence = unit.first; sentence <= unit.last; sentence++) {
      const all = sentenceTokens[sentence] ?? NO_TOKENS;
      const tokens = end === undefined ? all : all.filter((t) => t.end <= end);
      runs.push(tokens);
      for (const t of tokens) {
        if (t.word) {
          words++;
          const c = t.key.charCodeAt(0);
          if (c >= 48 && c <= 57) numbers++;
        }
        // The first words, elided articles and pronouns included ("C'est" is c + est).
        if (opening.length < 6 && (t.word || ELIDED.test(t.text))) {
          if (opening.length === 0) firstText = t.text;
          else if (opening.length === 1) secondText = t.text;
          // "C'est" stays one token (a capital C may start a name, as in "C'Bon"): its
          // elided head is what points back.
          const apostrophe = apostropheIn(t.key);
          const elided = apostrophe > 0 && ELIDED.test(t.key.slice(0, apostrophe + 1));
          opening.push(elided ? t.key.slice(0, apostrophe) : t.key);
        }
      }
    }
    const unitText =
      end === undefined ? text.slice(unit.start, unit.end) : `${text.slice(unit.start, end)}…`;
    const pointer = opensWithPointer(opening, doc.lang, firstText);
    const noun = pointer ? demonstrativeNoun(opening, doc.lang, secondText, stopwords) : undefined;
    return {
      unit,
      text: unitText,
      position: unit.first,
      paragraph: paragraphOf[unit.first] ?? 0,
      opensParagraph: opens[unit.first] ?? false,
      words,
      cut: end !== undefined,
      terms: vocabulary.terms(runs),
      numbers,
      quoted: QUOTE_MARK.test(unitText),
      pointer,
      // Numbered even when no unit says it as a term (a word of two letters): the headline,
      // numbered after the units, may.
      antecedent:
        pointer && noun !== undefined && !stopwords.has(noun)
          ? vocabulary.id(stem(noun))
          : undefined,
    };
  });
}

function wordsIn(tokens: readonly DocToken[]): number {
  let words = 0;
  for (const t of tokens) if (t.word) words++;
  return words;
}

/**
 * Where a key's first apostrophe is (-1: none): the elision regex is asked only of the
 * letters up to it, ELIDED's shape, so no regex of its own is compiled for it. A loop over
 * the code units: `includes('’')` on a one-byte string is a slow call each time.
 */
function apostropheIn(key: string): number {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 39 || c === 0x2019) return i;
  }
  return -1;
}
