import type { Doc, DocToken } from './actors/document.js';
import { contentTerms, type UnitFacts } from './summary.js';
import { opensWithPointer } from './text/openers.js';
import { quotationUnits } from './text/quotes.js';

const BLANK_LINE = /\n[ \t\r]*\n/;
const QUOTE_MARK = /["“”„«»‹›]/;

/**
 * The article's selection units (sentences, or quotations spanning sentences) with what
 * the summariser scores them on. `sentenceActors` holds, per sentence, the actors it names
 * with their salience.
 */
export function unitFacts(
  doc: Doc,
  sentenceActors: readonly ReadonlyMap<string, number>[],
): UnitFacts[] {
  const { text, sentences } = doc;
  const sentenceTokens = sentences.map((): DocToken[] => []);
  for (const t of doc.tokens) sentenceTokens[t.sentence]?.push(t);
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
    const tokens: DocToken[] = [];
    const actors = new Map<string, number>();
    for (let i = unit.first; i <= unit.last; i++) {
      for (const t of sentenceTokens[i] ?? []) tokens.push(t);
      for (const [id, s] of sentenceActors[i] ?? []) actors.set(id, s);
    }
    let words = 0;
    let numbers = 0;
    const opening: string[] = [];
    let firstText = '';
    for (const t of tokens) {
      if (t.word) {
        words++;
        if (/^\d/.test(t.key)) numbers++;
      }
      // The first words, elided articles and pronouns included ("C'est" is c + est).
      if (opening.length < 6 && (t.word || /^\p{L}+['’]$/u.test(t.text))) {
        if (opening.length === 0) firstText = t.text;
        opening.push(t.word ? t.key : t.key.slice(0, -1));
      }
    }
    const unitText = text.slice(unit.start, unit.end);
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
      pointer: opensWithPointer(opening, doc.lang, firstText),
    };
  });
}
