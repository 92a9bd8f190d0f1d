import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../src/core/text/sentences.js';

/** The sentences of `text`, after checking that each one is a verbatim slice of it. */
function split(text: string, lang: string): string[] {
  const sentences = splitSentences(text, lang);
  for (const s of sentences) {
    expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(s.text).toBe(s.text.trim());
  }
  return sentences.map((s) => s.text);
}

describe('splitSentences: Italian', () => {
  it('does not end a sentence at Sig., Dott., prof. or On.', () => {
    expect(
      split(
        'Il Sig. Rossi è arrivato ieri a Roma. Il Dott. Bianchi e il prof. Verdi lo hanno accolto.',
        'it',
      ),
    ).toEqual([
      'Il Sig. Rossi è arrivato ieri a Roma.',
      'Il Dott. Bianchi e il prof. Verdi lo hanno accolto.',
    ]);
    expect(split("L'On. Meloni ha parlato alla Camera. L'aula ha applaudito.", 'it')).toEqual([
      "L'On. Meloni ha parlato alla Camera.",
      "L'aula ha applaudito.",
    ]);
  });

  it('keeps Sig.ra with the name that follows', () => {
    expect(split('La Sig.ra Bianchi ha votato. Il marito no.', 'it')).toEqual([
      'La Sig.ra Bianchi ha votato.',
      'Il marito no.',
    ]);
  });

  it('ends a sentence at "ecc." when a capital follows, but not otherwise', () => {
    expect(split('Sono aumentati prezzi, affitti, bollette ecc. Il governo tace.', 'it')).toEqual([
      'Sono aumentati prezzi, affitti, bollette ecc.',
      'Il governo tace.',
    ]);
    expect(split('Prezzi, affitti ecc. sono aumentati ancora.', 'it')).toHaveLength(1);
  });

  it('keeps decimals with a point or a comma whole', () => {
    expect(
      split(
        "L'inflazione è salita al 3,5 per cento. Il Pil è cresciuto del 3.5% nel trimestre.",
        'it',
      ),
    ).toEqual([
      "L'inflazione è salita al 3,5 per cento.",
      'Il Pil è cresciuto del 3.5% nel trimestre.',
    ]);
  });

  it('keeps « » quotes with the sentence, and a quoted question followed by lower case', () => {
    expect(
      split(
        '«Non ci arrenderemo», ha detto il ministro. «Perché?» chiese il giornalista. Nessuno rispose.',
        'it',
      ),
    ).toEqual([
      '«Non ci arrenderemo», ha detto il ministro.',
      '«Perché?» chiese il giornalista.',
      'Nessuno rispose.',
    ]);
  });

  it('ends a sentence after an ellipsis only when a capital follows', () => {
    expect(split('Il ministro ha esitato… poi ha parlato. La sala era piena.', 'it')).toEqual([
      'Il ministro ha esitato… poi ha parlato.',
      'La sala era piena.',
    ]);
    expect(split('Il ministro ha parlato a lungo... Poi ha lasciato la sala.', 'it')).toEqual([
      'Il ministro ha parlato a lungo...',
      'Poi ha lasciato la sala.',
    ]);
  });
});

describe('splitSentences: English', () => {
  it('does not end a sentence at Mr., Mrs. or Dr.', () => {
    expect(
      split('Mr. Smith met Dr. Jones and Mrs. Brown in Washington. They discussed trade.', 'en'),
    ).toEqual(['Mr. Smith met Dr. Jones and Mrs. Brown in Washington.', 'They discussed trade.']);
  });

  it('keeps initials with the surname', () => {
    expect(
      split('The author J. K. Rowling spoke on Tuesday. George W. Bush listened.', 'en'),
    ).toEqual(['The author J. K. Rowling spoke on Tuesday.', 'George W. Bush listened.']);
    expect(split('J.K. Rowling wrote a letter. It was long.', 'en')).toEqual([
      'J.K. Rowling wrote a letter.',
      'It was long.',
    ]);
  });

  it('keeps dotted abbreviations such as U.S., p.m. and e.g. inside the sentence', () => {
    expect(
      split(
        'The U.S. delegation left at 5 p.m. on Friday. Prices rose, e.g. for fuel. Wages did not.',
        'en',
      ),
    ).toEqual([
      'The U.S. delegation left at 5 p.m. on Friday.',
      'Prices rose, e.g. for fuel.',
      'Wages did not.',
    ]);
  });

  it('keeps decimals whole', () => {
    expect(
      split('The economy grew 3.5% as $2.4 billion flowed in. Analysts cheered.', 'en'),
    ).toEqual(['The economy grew 3.5% as $2.4 billion flowed in.', 'Analysts cheered.']);
  });

  it('keeps curly and straight quotes with the sentence they close', () => {
    expect(split('He said: “Enough.” Then he left. She said: "Stay." He did not.', 'en')).toEqual([
      'He said: “Enough.”',
      'Then he left.',
      'She said: "Stay."',
      'He did not.',
    ]);
  });

  it('does not end a sentence at ? or ! inside quotes when lower case follows', () => {
    expect(
      split(
        '“We will not surrender!” the minister said. “Are you sure?” she asked. He nodded.',
        'en',
      ),
    ).toEqual([
      '“We will not surrender!” the minister said.',
      '“Are you sure?” she asked.',
      'He nodded.',
    ]);
  });

  it('ends a sentence at a quoted question when a capital follows', () => {
    expect(split('“Why now?” The senator looked around.', 'en')).toEqual([
      '“Why now?”',
      'The senator looked around.',
    ]);
  });

  it('treats "..." like "…"', () => {
    expect(split('He waited... then he spoke. He waited... Then he left.', 'en')).toEqual([
      'He waited... then he spoke.',
      'He waited...',
      'Then he left.',
    ]);
  });
});

describe('splitSentences: French', () => {
  it('does not end a sentence at M., Mme or Mlle', () => {
    expect(
      split(
        "M. Macron a reçu Mme Merkel et Mlle Dupont à Paris. Ils ont parlé de l'Ukraine.",
        'fr',
      ),
    ).toEqual([
      'M. Macron a reçu Mme Merkel et Mlle Dupont à Paris.',
      "Ils ont parlé de l'Ukraine.",
    ]);
  });

  it('keeps spaced « … » with the sentence, even with a period inside', () => {
    expect(
      split(
        '« Nous ne céderons pas », a déclaré le ministre. Il a ajouté : « La France tiendra. » Puis il est parti.',
        'fr',
      ),
    ).toEqual([
      '« Nous ne céderons pas », a déclaré le ministre.',
      'Il a ajouté : « La France tiendra. »',
      'Puis il est parti.',
    ]);
  });

  it('handles the space before ? and ! and lower case after them', () => {
    expect(
      split(
        '« Pourquoi ? » a demandé le journaliste. Il est arrivé ! a-t-il dit. Personne ne répond.',
        'fr',
      ),
    ).toEqual([
      '« Pourquoi ? » a demandé le journaliste.',
      'Il est arrivé ! a-t-il dit.',
      'Personne ne répond.',
    ]);
    expect(split('« Pourquoi maintenant ? » La question reste ouverte.', 'fr')).toEqual([
      '« Pourquoi maintenant ? »',
      'La question reste ouverte.',
    ]);
  });

  it('keeps a decimal comma and an ellipsis followed by lower case', () => {
    expect(
      split('Le taux est passé à 3,5 %. Le président a hésité… puis il a parlé.', 'fr'),
    ).toEqual(['Le taux est passé à 3,5 %.', 'Le président a hésité… puis il a parlé.']);
  });
});

describe('splitSentences: German', () => {
  it('does not end a sentence at Dr., z. B. or z.B.', () => {
    expect(
      split(
        'Dr. Müller kam nach Berlin. Viele Länder, z. B. Frankreich, sind dagegen. Andere, z.B. Polen, nicht.',
        'de',
      ),
    ).toEqual([
      'Dr. Müller kam nach Berlin.',
      'Viele Länder, z. B. Frankreich, sind dagegen.',
      'Andere, z.B. Polen, nicht.',
    ]);
  });

  it('keeps an initial after a name ("Rüdiger K.")', () => {
    expect(split('Der Vorsitzende Rüdiger K. sagte nichts. Die Sitzung endete.', 'de')).toEqual([
      'Der Vorsitzende Rüdiger K. sagte nichts.',
      'Die Sitzung endete.',
    ]);
  });

  it('reads a number before a month as an ordinal', () => {
    expect(
      split(
        'Die Wahl findet am 3. Oktober statt. Das Treffen war am 1. Mai. Die Parteien werben um Stimmen.',
        'de',
      ),
    ).toEqual([
      'Die Wahl findet am 3. Oktober statt.',
      'Das Treffen war am 1. Mai.',
      'Die Parteien werben um Stimmen.',
    ]);
  });

  it('reads a number after an article or preposition as an ordinal, not elsewhere', () => {
    expect(
      split('Er gewann zum 2. Mal die Wahl. Im 3. Quartal wuchs die Wirtschaft.', 'de'),
    ).toEqual(['Er gewann zum 2. Mal die Wahl.', 'Im 3. Quartal wuchs die Wirtschaft.']);
    expect(split('Die Zahl der Toten stieg auf 3. Die Polizei ermittelt.', 'de')).toEqual([
      'Die Zahl der Toten stieg auf 3.',
      'Die Polizei ermittelt.',
    ]);
  });

  it('keeps „ “ quotes with the sentence they close', () => {
    expect(
      split(
        '„Wir geben nicht auf“, sagte der Minister. Er sagte: „Wir bleiben.“ Dann ging er. „Warum jetzt?“, fragte ein Abgeordneter.',
        'de',
      ),
    ).toEqual([
      '„Wir geben nicht auf“, sagte der Minister.',
      'Er sagte: „Wir bleiben.“',
      'Dann ging er.',
      '„Warum jetzt?“, fragte ein Abgeordneter.',
    ]);
  });

  it('keeps decimals with a comma and abbreviations such as Mio.', () => {
    expect(
      split('Die Inflation stieg auf 3,5 Prozent. Die Kosten betragen 5 Mio. Euro.', 'de'),
    ).toEqual(['Die Inflation stieg auf 3,5 Prozent.', 'Die Kosten betragen 5 Mio. Euro.']);
  });
});

describe('splitSentences: Spanish', () => {
  it('does not end a sentence at Sr., Sra. or Dra.', () => {
    expect(
      split('El Sr. García llegó a Madrid. La Sra. López y la Dra. Pérez lo recibieron.', 'es'),
    ).toEqual(['El Sr. García llegó a Madrid.', 'La Sra. López y la Dra. Pérez lo recibieron.']);
  });

  it('keeps EE. UU. and EE.UU. inside the sentence', () => {
    expect(
      split('El presidente de EE. UU. llegó ayer. Los EE.UU. anunciaron sanciones.', 'es'),
    ).toEqual(['El presidente de EE. UU. llegó ayer.', 'Los EE.UU. anunciaron sanciones.']);
  });

  it('handles ¿…? and ¡…! including a lower-case continuation', () => {
    expect(split('¿Qué pasará ahora? Nadie lo sabe. ¡Basta! gritó el manifestante.', 'es')).toEqual(
      ['¿Qué pasará ahora?', 'Nadie lo sabe.', '¡Basta! gritó el manifestante.'],
    );
    expect(split('«¿Hasta cuándo?», preguntó el diputado. Nadie contestó.', 'es')).toEqual([
      '«¿Hasta cuándo?», preguntó el diputado.',
      'Nadie contestó.',
    ]);
  });

  it('keeps a decimal comma', () => {
    expect(split('La inflación subió al 3,5 %. El BCE actuó.', 'es')).toEqual([
      'La inflación subió al 3,5 %.',
      'El BCE actuó.',
    ]);
  });
});

describe('splitSentences: paragraphs and offsets', () => {
  it('ends a sentence at a paragraph break even without punctuation', () => {
    expect(
      split('Vertice a Seul\n\nIl ministro è arrivato. Nessun commento\n \nNuovo paragrafo', 'it'),
    ).toEqual(['Vertice a Seul', 'Il ministro è arrivato.', 'Nessun commento', 'Nuovo paragrafo']);
  });

  it('recognises Windows (CRLF) paragraph breaks', () => {
    expect(split('Vertice a Seul\r\n\r\nIl ministro è arrivato.\r\n', 'it')).toEqual([
      'Vertice a Seul',
      'Il ministro è arrivato.',
    ]);
  });

  it('does not end a sentence at a single line break inside a paragraph', () => {
    expect(split('Il ministro è arrivato\nieri sera a Seul.', 'it')).toEqual([
      'Il ministro è arrivato\nieri sera a Seul.',
    ]);
  });

  it('returns nothing for empty or blank text and keeps a last sentence without a period', () => {
    expect(splitSentences('', 'it')).toEqual([]);
    expect(splitSentences(' \n\n \t', 'it')).toEqual([]);
    expect(split('Nessun commento dal Cremlino', 'it')).toEqual(['Nessun commento dal Cremlino']);
  });

  it('gives offsets into the original text, skipping surrounding whitespace', () => {
    const text = '  Il ministro è arrivato.\u00a0 Ha parlato a lungo.\n\n  «Basta», ha detto.  ';
    const sentences = splitSentences(text, 'it');
    expect(sentences.map((s) => [s.text, s.start, s.end])).toEqual([
      ['Il ministro è arrivato.', 2, 25],
      ['Ha parlato a lungo.', 27, 46],
      ['«Basta», ha detto.', 50, 68],
    ]);
  });

  it('covers a whole article verbatim, in order, without overlaps, in every language', () => {
    const articles: Record<string, string> = {
      it: "Il ministro della Difesa russo Andrei Belousov è atterrato a Pyongyang. «La cooperazione continuerà», ha detto.\n\nNelle stesse ore il Sig. Umerov incontrava a Seul il presidente Yoon Suk-yeol… L'inflazione è al 3,5 per cento.",
      en: "Russia's defence minister landed in Pyongyang on Friday. “Our cooperation will continue,” he said.\n\nMr. Umerov met President Yoon Suk-yeol in Seoul at 5 p.m. on Friday. Inflation is 3.5%.",
      fr: "Le ministre russe est arrivé vendredi à Pyongyang. « La coopération continuera », a-t-il dit.\n\nM. Oumerov a rencontré le président Yoon à Séoul. L'inflation est de 3,5 %.",
      de: 'Der russische Minister ist am 29. November in Pjöngjang gelandet. „Die Zusammenarbeit geht weiter“, sagte er.\n\nDr. Umjerow traf z. B. Präsident Yoon in Seoul. Die Inflation liegt bei 3,5 Prozent.',
      es: 'El ministro ruso aterrizó el viernes en Pyongyang. «La cooperación continuará», dijo.\n\nEl Sr. Umérov se reunió con el presidente Yoon en Seúl. La inflación es del 3,5 %.',
    };
    for (const [lang, text] of Object.entries(articles)) {
      const sentences = splitSentences(text, lang);
      expect(sentences.length, lang).toBeGreaterThanOrEqual(4);
      let previousEnd = 0;
      for (const s of sentences) {
        expect(text.slice(s.start, s.end), lang).toBe(s.text);
        expect(s.start, lang).toBeGreaterThanOrEqual(previousEnd);
        expect(text.slice(previousEnd, s.start).trim(), lang).toBe('');
        previousEnd = s.end;
      }
      expect(text.slice(previousEnd).trim(), lang).toBe('');
    }
  });
});

describe('splitSentences: text whose paragraph breaks were lost upstream', () => {
  it('splits a stop glued to the next capitalised word', () => {
    expect(
      split(
        'Il a été employé comme aide domestique.Consternant, le verdict a surpris la salle.',
        'fr',
      ),
    ).toEqual([
      'Il a été employé comme aide domestique.',
      'Consternant, le verdict a surpris la salle.',
    ]);
  });

  it('reads a straight quote after the stop as closing or opening by how many came before', () => {
    expect(
      split('They won for the fifth time in a row."Tommy was great," the coach said.', 'en'),
    ).toEqual(['They won for the fifth time in a row.', '"Tommy was great," the coach said.']);
    expect(split('"We won five in a row."Tommy Paul then left the court.', 'en')).toEqual([
      '"We won five in a row."',
      'Tommy Paul then left the court.',
    ]);
  });

  it('keeps the closing quotes and brackets after a stop with its sentence', () => {
    expect(split('(Er sagte: „Nein.“) Dann ging er.', 'de')).toEqual([
      '(Er sagte: „Nein.“)',
      'Dann ging er.',
    ]);
    expect(split('Il a dit : « Non. »\u00a0» Puis il est parti.', 'fr')).toEqual([
      'Il a dit : « Non. »\u00a0»',
      'Puis il est parti.',
    ]);
  });

  it('keeps what only looks glued: acronyms, decimals, domains, abbreviations', () => {
    for (const text of [
      'The U.S.A. team won 3.5 points on bild.de and ASP.NET pages.',
      'Dr.Müller kam am Montag nach Berlin.',
    ])
      expect(split(text, 'und')).toHaveLength(1);
  });
});

describe('splitSentences: scripts without its rules', () => {
  it('splits at the full stops of Chinese, Hindi and Arabic', () => {
    expect(split('日本政府称排放符合标准。中国表示反对。韩国渔民抗议。', 'zh')).toHaveLength(3);
    expect(split('सरकार ने बजट पेश किया। विपक्ष ने विरोध किया।', 'hi')).toHaveLength(2);
    expect(split('أعلنت الحكومة الميزانية. هل توافق المعارضة؟ رفضت المعارضة.', 'ar')).toHaveLength(
      3,
    );
  });
});

describe('splitSentences: what opens the next sentence', () => {
  it('is a capital, a titlecase letter, a letter without case or a figure, in any script', () => {
    for (const opening of ['Members', '42', 'Émile', 'ǅemal', '𝐀lpha', '東京', '٣', 'Ωmega'])
      expect(split(`The vote passed. ${opening} agreed.`, 'en')).toEqual([
        'The vote passed.',
        `${opening} agreed.`,
      ]);
  });

  it('is not a lower-case letter or a symbol', () => {
    for (const opening of ['members', 'émile', '$5', '@vote', '_x', '€5', '😀'])
      expect(split(`The vote passed. ${opening} agreed.`, 'en')).toHaveLength(1);
  });
});
