/**
 * What a unit's own text tells the summariser. Here: whether it opens with a word that
 * points back to the sentence before it, elided pronouns included ("C'est" is c + est).
 */
import { describe, expect, it } from 'vitest';
import { prepare } from '../../src/core/actors/document.js';
import { defaultLexicon } from '../../src/core/lexicon/index.js';
import { unitTexts } from '../../src/core/summary-facts.js';
import { Vocabulary } from '../../src/core/summary-terms.js';

const lead = 'Le gouvernement a présenté son budget mardi à Paris devant les députés.';

/** Whether the sentence after the lead is read as opening with a pointer. */
function pointsBack(sentence: string): boolean {
  const doc = prepare(`${lead} ${sentence}`, 'fr', defaultLexicon());
  const units = unitTexts(doc, new Vocabulary(doc.words.stopwords));
  expect(units).toHaveLength(2);
  return (units[1] as { pointer: boolean }).pointer;
}

describe('a unit that opens with an elided word', () => {
  it('is read by the letters before its apostrophe', () => {
    expect(pointsBack("C'est une question de souveraineté pour le pays, a dit le ministre.")).toBe(
      true,
    );
    expect(pointsBack('C’est une question de souveraineté pour le pays, a dit le ministre.')).toBe(
      true,
    );
  });

  it('points back only when that elided head is a pointer', () => {
    expect(pointsBack("Aujourd'hui le ministre défend son texte devant le Sénat.")).toBe(false);
    expect(pointsBack('Il défend son texte devant le Sénat, a dit le ministre.')).toBe(true);
  });
});
