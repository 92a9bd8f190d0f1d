import { describe, expect, it } from 'vitest';
import { quotationUnits } from '../../../src/core/text/quotes.js';
import { splitSentences } from '../../../src/core/text/sentences.js';

/** The units of `text` as their texts, a broken quotation marked with a leading ✗. */
function units(text: string, lang: string): string[] {
  return quotationUnits(text, splitSentences(text, lang)).map(
    (u) => `${u.brokenQuote ? '✗ ' : ''}${text.slice(u.start, u.end)}`,
  );
}

describe('quotationUnits: a quotation spanning sentences is one unit', () => {
  it.each([
    ['en', '“We will stay. We will fight,” she said. Then she left.'],
    ['en', '"We will stay. We will fight," she said. Then she left.'],
    ['en', "'We will stay. We will fight,' she said. Then she left."],
    ['it', '«Resteremo. Combatteremo», ha detto. Poi è uscita.'],
    ['fr', '« Nous resterons. Nous combattrons », a-t-elle dit. Puis elle est partie.'],
    ['de', '„Wir bleiben. Wir kämpfen“, sagte sie. Dann ging sie.'],
    ['de', '»Wir bleiben. Wir kämpfen«, sagte sie. Dann ging sie.'],
    ['fr', '‹ Nous resterons. Nous combattrons ›, a-t-elle dit. Puis elle est partie.'],
  ])('%s: %s', (lang, text) => {
    const [quote, after] = units(text, lang);
    expect(quote).toMatch(/(?:said|detto|dit|sagte sie)\.$/);
    expect(after).toMatch(/^(?:Then|Poi|Puis|Dann)/);
  });

  it('leaves apostrophes alone: they open nothing', () => {
    expect(units("The players' union agreed. It's fine. L'Ucraina ha detto sì.", 'en')).toEqual([
      "The players' union agreed.",
      "It's fine.",
      "L'Ucraina ha detto sì.",
    ]);
  });

  it('never runs past a paragraph: a quotation left open there marks its unit broken', () => {
    expect(
      units('"First part. Still open.\n\n"Second part. Closed," he said. After.', 'en'),
    ).toEqual(['✗ "First part. Still open.', '"Second part. Closed," he said.', 'After.']);
  });

  it('marks a unit that closes a quotation it never opened', () => {
    expect(units('He stopped. Closed now,” he said. After.', 'en')[1]).toMatch(/^✗/);
  });
});
