import { describe, expect, it } from 'vitest';
import { casingCode } from '../../../src/core/ner/casing.js';
import { hashString } from '../../../src/core/ner/hash.js';
import { truecaseCapitals, truecaseHeadline } from '../../../src/core/ner/truecase.js';

/** A casing table as training learns it: "ministro" always lower case, "rossi" never. */
const casing = new Map([
  [hashString('ministro'), casingCode(40, 40)],
  [hashString('il'), casingCode(500, 500)],
  [hashString('a'), casingCode(500, 500)],
  [hashString('rossi'), casingCode(0, 30)],
]);

describe('truecaseCapitals', () => {
  it('gives a sentence in capitals the spelling its words have elsewhere in the document', () => {
    const [headline, body] = truecaseCapitals(
      [
        ['IL', 'MINISTRO', 'ROSSI', 'A', 'VALDORIA', 'CON', 'NATO', 'E', 'ONU'],
        ['Ieri', 'il', 'ministro', 'è', 'arrivato', 'con', 'la', 'Nato', '.'],
      ],
      casing,
    );
    // Body spelling ("con", "Nato"), the table ("ministro", "Rossi"), a capital for an
    // unknown long word ("Valdoria"), capitals kept for a short unknown one ("ONU").
    expect(headline).toEqual([
      'Il',
      'ministro',
      'Rossi',
      'a',
      'Valdoria',
      'con',
      'Nato',
      'E',
      'ONU',
    ]);
    expect(body).toEqual(['Ieri', 'il', 'ministro', 'è', 'arrivato', 'con', 'la', 'Nato', '.']);
  });

  it('leaves sentences with ordinary case alone, and the same tokens in number', () => {
    const sentences = [['Il', 'CEO', 'di', 'ACME', 'ha', 'parlato', '.']];
    expect(truecaseCapitals(sentences, casing)).toEqual(sentences);
  });

  it('reads a sentence as in capitals at three words in four, wherever the others stand', () => {
    // The words not in capitals come first: the count must not give up on them early.
    const three = [['ieri', 'Roma', 'IL', 'MINISTRO', 'ROSSI', 'FIRMA', 'ACCORDI', 'NUOVI']];
    expect(truecaseCapitals(three, casing)[0]).toEqual([
      'ieri',
      'Roma',
      'il',
      'ministro',
      'Rossi',
      'Firma',
      'Accordi',
      'Nuovi',
    ]);
    const under = [['ieri', 'Roma', 'oggi', 'IL', 'MINISTRO', 'ROSSI', 'FIRMA', 'ACCORDI']];
    expect(truecaseCapitals(under, casing)).toEqual(under);
  });
});

describe('truecaseHeadline', () => {
  const body = [['Ieri', 'il', 'ministro', 'Rossi', 'ha', 'firmato', "l'", 'accordo', '.']];

  it('reads a headline in capitals as truecaseCapitals reads it beside its body', () => {
    expect(
      truecaseHeadline(['IL', 'MINISTRO', 'ROSSI', 'FIRMA', "L'", 'ACCORDO'], body, casing),
    ).toEqual(['Il', 'ministro', 'Rossi', 'firma', "l'", 'accordo']);
  });

  it('does not capitalise a word of a headline in capitals that neither the body nor the table knows, so no verb joins a name', () => {
    const givenNameAt = (i: number) => i === 2; // "GIULIA"
    expect(
      truecaseHeadline(
        ['IL', 'MINISTRO', 'GIULIA', 'ROSSI', 'DIMETTE', 'PER', 'VALDORIA'],
        [['Ieri', 'il', 'consiglio', 'di', 'Valdoria', 'ha', 'votato', '.']],
        casing,
        givenNameAt,
      ),
    ).toEqual(['Il', 'ministro', 'Giulia', 'Rossi', 'dimette', 'PER', 'Valdoria']);
  });

  it('capitalises an unknown word of a headline in capitals after a given name: a surname only the headline has', () => {
    expect(
      truecaseHeadline(
        ['LA', 'MINISTRA', 'GIULIA', 'ZANFRETTI', 'PARLERÀ'],
        body,
        casing,
        (i) => i === 2,
      ),
    ).toEqual(['La', 'ministra', 'Giulia', 'Zanfretti', 'parlerà']);
  });

  it('keeps in capitals an unknown acronym of a headline that the body writes in capitals', () => {
    expect(
      truecaseHeadline(
        ['ROSSI', 'INCONTRA', 'FEDERSANITA'],
        [['Ieri', 'FEDERSANITA', 'ha', 'parlato', '.']],
        casing,
      ),
    ).toEqual(['Rossi', 'incontra', 'FEDERSANITA']);
  });

  it('lower-cases the ordinary words of a headline in title case, and keeps the names', () => {
    expect(
      truecaseHeadline(
        ['Ministro', 'Rossi', 'Firmato', 'Accordo', 'Con', 'Valdoria'],
        body,
        casing,
      ),
    ).toEqual(['Ministro', 'Rossi', 'firmato', 'accordo', 'Con', 'Valdoria']);
  });

  it('finds the body’s spelling of a title-case headline’s word whatever its first letter', () => {
    // The body's tokens are screened by length and first letter before any case
    // conversion: a first letter beyond ASCII, or one that lower-cases into ASCII (the
    // Kelvin sign), must still be found.
    const german = [
      ['Die', 'Regierung', 'streitet', 'über', 'Zölle', '.'],
      ['Man', 'misst', 'in', '\u212Aelvin', 'und', 'ärgert', 'sich', '.'],
    ];
    expect(
      truecaseHeadline(
        ['Regierung', 'Streitet', 'Über', 'Zölle', 'Ärgert', 'Kelvin'],
        german,
        casing,
      ),
    ).toEqual(['Regierung', 'streitet', 'über', 'Zölle', 'ärgert', '\u212Aelvin']);
  });

  it('leaves a headline in sentence case as written: its capitals mean names', () => {
    const headline = ['Il', 'ministro', 'Rossi', 'firma', 'con', 'Valdoria'];
    expect(truecaseHeadline(headline, body, casing)).toEqual(headline);
  });
});
