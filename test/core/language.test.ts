import { beforeAll, describe, expect, it } from 'vitest';
import {
  detectLanguage,
  KNOWN_LANGUAGES,
  knownLanguageOf,
  loadLanguageDetector,
} from '../../src/core/language.js';

beforeAll(() => loadLanguageDetector());

// The same news paragraph in seven languages.
const PARAGRAPHS: Record<string, string> = {
  it: 'Il ministro della Difesa russo Andrei Belousov è atterrato ieri a Pyongyang, dove è stato accolto dal suo omologo nordcoreano. Nelle stesse ore il ministro ucraino Rustem Umerov incontrava a Seul il presidente sudcoreano Yoon Suk-yeol per discutere della cooperazione militare tra i due paesi.',
  en: "Russia's defence minister Andrei Belousov landed in Pyongyang on Friday, where he was welcomed by his North Korean counterpart. At the same time, Ukraine's defence minister Rustem Umerov was meeting South Korean President Yoon Suk-yeol in Seoul to discuss military cooperation between the two countries.",
  fr: 'Le ministre russe de la Défense, Andreï Belooussov, est arrivé vendredi à Pyongyang, où il a été accueilli par son homologue nord-coréen. Au même moment, le ministre ukrainien de la Défense, Roustem Oumerov, rencontrait à Séoul le président sud-coréen Yoon Suk-yeol pour discuter de la coopération militaire entre les deux pays.',
  de: 'Der russische Verteidigungsminister Andrej Beloussow ist am Freitag in Pjöngjang gelandet, wo er von seinem nordkoreanischen Amtskollegen empfangen wurde. Zur gleichen Zeit traf der ukrainische Verteidigungsminister Rustem Umjerow in Seoul den südkoreanischen Präsidenten Yoon Suk-yeol, um über die militärische Zusammenarbeit der beiden Länder zu sprechen.',
  es: 'El ministro de Defensa ruso, Andréi Beloúsov, aterrizó el viernes en Pyongyang, donde fue recibido por su homólogo norcoreano. Al mismo tiempo, el ministro de Defensa ucraniano, Rustem Umérov, se reunía en Seúl con el presidente surcoreano Yoon Suk-yeol para hablar de la cooperación militar entre ambos países.',
  pt: 'O ministro da Defesa russo, Andrei Belousov, aterrissou na sexta-feira em Pyongyang, onde foi recebido pelo seu homólogo norte-coreano. Ao mesmo tempo, o ministro da Defesa ucraniano, Rustem Umerov, reunia-se em Seul com o presidente sul-coreano Yoon Suk-yeol para discutir a cooperação militar entre os dois países.',
  nl: 'De Russische minister van Defensie Andrej Beloesov is vrijdag in Pyongyang geland, waar hij werd ontvangen door zijn Noord-Koreaanse ambtgenoot. Tegelijkertijd ontmoette de Oekraïense minister van Defensie Rustem Oemerov in Seoel de Zuid-Koreaanse president Yoon Suk-yeol om de militaire samenwerking tussen beide landen te bespreken.',
};

describe('detectLanguage', () => {
  it.each(KNOWN_LANGUAGES)('recognises a news paragraph in %s', (lang) => {
    expect(detectLanguage(PARAGRAPHS[lang] ?? '')).toBe(lang);
  });

  it.each(KNOWN_LANGUAGES)('recognises a single %s sentence', (lang) => {
    const first = (PARAGRAPHS[lang] ?? '').split('. ')[0] ?? '';
    expect(detectLanguage(first)).toBe(lang);
  });

  it.each(['pt', 'nl'])(
    'gives a %s paragraph its own code rather than one of the five known languages',
    (lang) => {
      expect(detectLanguage(PARAGRAPHS[lang] ?? '')).toBe(lang);
    },
  );

  it("trusts the text over a feed's wrong hint when the text is long enough", () => {
    expect(detectLanguage(PARAGRAPHS.fr ?? '', 'it')).toBe('fr');
    expect(detectLanguage(PARAGRAPHS.de ?? '', 'en-US')).toBe('de');
  });

  it('reads only about a paragraph of a very long article, and still gets it right', () => {
    const long = Array.from({ length: 200 }, () => PARAGRAPHS.es).join('\n\n');
    expect(detectLanguage(long)).toBe('es');
  });

  it.each(['', '   ', 'abc', 'Kyiv', '123', '!!!'])(
    'returns the hint for text too short to tell (%j)',
    (text) => {
      expect(detectLanguage(text, 'fr')).toBe('fr');
    },
  );

  it('normalises a hint such as "de-DE" or " IT " to a two-letter code', () => {
    expect(detectLanguage('', 'de-DE')).toBe('de');
    expect(detectLanguage('abc', ' IT ')).toBe('it');
  });

  it.each(['', '   ', 'abc', 'Kyiv', '123', '!!!'])(
    'returns "und" for text too short to tell and no hint (%j)',
    (text) => {
      expect(detectLanguage(text)).toBe('und');
      expect(detectLanguage(text, null)).toBe('und');
    },
  );

  it('ignores a hint that is not a language code', () => {
    expect(detectLanguage('', '  ')).toBe('und');
    expect(detectLanguage('', '42')).toBe('und');
  });
});

describe('the function-word check that spares loading the general detector', () => {
  const paragraphs: Record<string, string> = {
    it: "Il governo ha approvato ieri la manovra, che sarà discussa alla Camera nelle prossime settimane. Secondo il ministro dell'Economia, i conti sono in ordine e anche le stime di crescita del Pil per il prossimo anno sono state confermate dagli uffici del Tesoro.",
    en: 'The government approved the budget on Tuesday, and it will be debated in parliament next week. The finance minister said the figures had been checked by the treasury and that growth forecasts for the coming year were unchanged.',
    fr: "Le gouvernement a adopté mardi le budget, qui sera débattu par les députés dans les prochaines semaines. Selon le ministre de l'Économie, les comptes sont tenus et les prévisions de croissance pour l'an prochain ne sont pas modifiées.",
    de: 'Die Regierung hat am Dienstag den Haushalt beschlossen, der in den nächsten Wochen im Bundestag beraten wird. Nach Angaben des Finanzministers sind die Zahlen geprüft, und die Wachstumsprognose für das kommende Jahr wird nicht verändert.',
    es: 'El Gobierno aprobó el martes los presupuestos, que serán debatidos en el Congreso en las próximas semanas. Según el ministro de Economía, las cuentas están en orden y las previsiones de crecimiento para el próximo año no han cambiado, pero la oposición ya ha anunciado enmiendas.',
  };

  for (const [lang, text] of Object.entries(paragraphs)) {
    it(`names ${lang} from a news paragraph`, () => {
      expect(knownLanguageOf(text)).toBe(lang);
    });
  }

  it('stays silent on a close relative or a text too short to judge', () => {
    expect(
      knownLanguageOf(
        'O governo aprovou na terça-feira o orçamento, que será debatido no parlamento nas próximas semanas pelos deputados. Segundo o ministro, as contas estão em ordem e também não há mudanças nas previsões.',
      ),
    ).toBeNull();
    expect(knownLanguageOf('Mosca e Pyongyang')).toBeNull();
  });

  it('reads words between emoji, digits and marks, and not the words glued to them', () => {
    // Words are runs of letters and apostrophes: an emoji or a digit ends one, and a letter
    // outside the first plane (𝐀) belongs to it, so "il𝐀" is no function word.
    const apart = 'il😀la😀di😀che😀non,per:con 2024 una del';
    expect(knownLanguageOf(apart)).toBe('it');
    expect(knownLanguageOf(apart.replace(/😀|,|:| /gu, '𝐀'))).toBeNull();
  });
});
