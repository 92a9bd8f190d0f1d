import type { Doc, DocToken } from './actors/document.js';
import { contentTerms, stem, type UnitFacts } from './summary.js';
import { demonstrativeNoun, opensWithPointer } from './text/openers.js';
import { quotationUnits } from './text/quotes.js';

const BLANK_LINE = /\n[ \t\r]*\n/;
const QUOTE_MARK = /["“”„«»‹›]/;
const ELIDED = /^\p{L}+['’]$/u;

/**
 * The article's selection units (sentences, or quotations spanning sentences) with what
 * the summariser scores them on. `sentenceActors` holds, per sentence, the actors it names
 * with their salience.
 */
export function unitFacts(
  doc: Doc,
  sentenceActors: readonly ReadonlyMap<string, number>[],
): UnitFacts[] {
  const { text, sentences, sentenceTokens } = doc;
  // Paragraph of each sentence: a blank line between two sentences starts a new one.
  const paragraphOf: number[] = [];
  const opens: boolean[] = [];
  let paragraph = 0;
  for (let i = 0; i < sentences.length; i++) {
    const previous = sentences[i - 1];
    const s = sentences[i];
    const starts =
      !previous || (s !== undefined && BLANK_LINE.test(text.slice(previous.end, s.start)));
    if (previous && starts) paragraph++;
    paragraphOf.push(paragraph);
    opens.push(starts);
  }
  const stopwords = doc.words.stopwords;
  return quotationUnits(text, sentences).map((unit) => {
    // Most units are one sentence: its token list as it is, no copy.
    const tokens: DocToken[] =
      unit.first === unit.last
        ? (sentenceTokens[unit.first] ?? [])
        : sentenceTokens.slice(unit.first, unit.last + 1).flat();
    const actors =
      unit.first === unit.last
        ? new Map(sentenceActors[unit.first] ?? [])
        : new Map<string, number>();
    if (unit.first !== unit.last)
      for (let i = unit.first; i <= unit.last; i++)
        for (const [id, s] of sentenceActors[i] ?? []) actors.set(id, s);
    let words = 0;
    let numbers = 0;
    const opening: string[] = [];
    let firstText = '';
    let secondText = '';
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
        const elided = /^(\p{L}+)['’]/u.exec(t.key);
        opening.push(elided ? (elided[1] as string) : t.key);
      }
    }
    const unitText = text.slice(unit.start, unit.end);
    const pointer = opensWithPointer(opening, doc.lang, firstText);
    const noun = pointer ? demonstrativeNoun(opening, doc.lang, secondText, stopwords) : undefined;
    return {
      unit,
      text: unitText,
      position: unit.first,
      paragraph: paragraphOf[unit.first] ?? 0,
      opensParagraph: opens[unit.first] ?? false,
      words,
      terms: contentTerms(tokens, stopwords),
      actors,
      numbers,
      quoted: QUOTE_MARK.test(unitText),
      pointer,
      antecedent: pointer && noun !== undefined && !stopwords.has(noun) ? stem(noun) : undefined,
    };
  });
}
