/**
 * A Doc is read once and shared by every stage of the brief: the entity model, the
 * headline's truecasing and the summary take each sentence's tokens from it.
 */
import { describe, expect, it } from 'vitest';
import { prepare, sentenceTexts } from '../../../src/core/actors/document.js';
import { defaultLexicon } from '../../../src/core/lexicon/index.js';

describe('prepare', () => {
  it('gives each sentence its own tokens, in order, and all of them', () => {
    const text = 'Il ministro è arrivato. «Siamo pronti», ha detto Rossi.\n\nDomani si vota!';
    const doc = prepare(text, 'it', defaultLexicon());
    expect(doc.sentenceTokens).toHaveLength(doc.sentences.length);
    expect(doc.sentenceTokens.flat()).toEqual(doc.tokens);
    doc.sentenceTokens.forEach((tokens, s) => {
      for (const t of tokens) expect(t.sentence).toBe(s);
    });
    expect(sentenceTexts(doc)).toEqual([
      ['Il', 'ministro', 'è', 'arrivato', '.'],
      ['«', 'Siamo', 'pronti', '»', ',', 'ha', 'detto', 'Rossi', '.'],
      ['Domani', 'si', 'vota', '!'],
    ]);
    // Made once: the model and the headline read the same lists.
    expect(sentenceTexts(doc)).toBe(sentenceTexts(doc));
  });

  it('has no sentences and no tokens for a blank text', () => {
    const doc = prepare('  \n ', 'en', defaultLexicon());
    expect(doc.sentenceTokens).toEqual([]);
    expect(sentenceTexts(doc)).toEqual([]);
  });
});
