import { describe, expect, it } from 'vitest';
import { defaultLexicon } from '../../../src/core/lexicon/index.js';
import { clauseEnd } from '../../../src/core/text/clauses.js';
import { tokenize } from '../../../src/core/text/tokens.js';

const words = (s: string) => s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

/** The words a sentence keeps when ended early to fit `max` words, or undefined. */
function ended(sentence: string, lang: string, min = 10, max = 40): string | undefined {
  const end = clauseEnd(tokenize(sentence), defaultLexicon().words(lang), min, max);
  return end === undefined ? undefined : sentence.slice(0, end);
}

describe('a long sentence ended at a clause boundary', () => {
  it('keeps what happened and leaves out the last adjunct that does not fit', () => {
    const sentence =
      'The central bank left its main interest rate unchanged on Thursday at the end of a two-day meeting in Frankfurt, which was watched closely by markets across the continent, while it raised its forecast for growth in the euro zone for next year.';
    const kept = ended(sentence, 'en', 10, 35);
    expect(kept).toBe(
      'The central bank left its main interest rate unchanged on Thursday at the end of a two-day meeting in Frankfurt, which was watched closely by markets across the continent',
    );
    expect(words(kept ?? '')).toBeLessThanOrEqual(35);
  });

  it('is never a comma inside a list of names', () => {
    const sentence =
      'Ministers from Germany, France, Italy, Spain, Portugal, Greece, Austria, Belgium, Ireland, Finland, Slovenia, Slovakia, Estonia, Latvia and Lithuania approved the new common budget in Brussels on Monday.';
    expect(ended(sentence, 'en', 5, 20)).toBeUndefined();
  });

  it('is never the comma that closes an apposition or a speaker', () => {
    // "…, Paschal Donohoe, dijo": the words before that comma say who, not what.
    const sentence =
      'Los ministros de Economía aprobaron en Bruselas el nuevo presupuesto común de la zona del euro y su presidente, Paschal Donohoe, dijo que es un paso histórico para todos los gobiernos de la unión.';
    expect(ended(sentence, 'es', 5, 30)).toBeUndefined();
    // It ends at the clause before instead: what happened, not who said it.
    const said =
      'The company will close three of its largest plants in the north of the country by the end of the year and cut some four thousand jobs, the chief executive of the group, said on Tuesday in a statement.';
    expect(ended(said, 'en', 5, 38)).toBe(
      'The company will close three of its largest plants in the north of the country by the end of the year and cut some four thousand jobs',
    );
  });

  it('is never inside a quotation or a bracket', () => {
    const german =
      'Der Minister hat am Montag in Berlin das neue Gesetz zur Rente vorgestellt, das nach seinen Worten „noch in diesem Jahr, und mit allen Ländern und Verbänden gemeinsam“ beraten werden soll.';
    expect(ended(german, 'de', 5, 25)).toBe(
      'Der Minister hat am Montag in Berlin das neue Gesetz zur Rente vorgestellt',
    );
    const bracket =
      'Il governo ha approvato ieri sera il decreto sulle pensioni (che entrerà in vigore a gennaio, dopo il voto delle Camere) e ha rinviato la riforma fiscale alla prossima settimana.';
    expect(ended(bracket, 'it', 5, 25)).toBeUndefined();
  });

  it('keeps at least `min` words, or the sentence has no such end', () => {
    const sentence =
      'En París, en cambio, el presidente francés reiteró ante la prensa que su país no puede aceptar el acuerdo comercial firmado este sábado.';
    expect(ended(sentence, 'es', 10, 20)).toBeUndefined();
  });
});
