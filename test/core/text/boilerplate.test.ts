import { describe, expect, it } from 'vitest';
import {
  datelineLength,
  stripBoilerplate,
  withExplicitDots,
} from '../../../src/core/text/boilerplate.js';

const story = 'The council approved the new bridge on Monday. Work starts in May.';

describe('stripBoilerplate takes out what sites and agencies add', () => {
  it.each([
    ['a WordPress footer', 'The post Council approves bridge appeared first on Daily Herald.'],
    [
      'its French form',
      'L’article Le conseil approuve le pont est apparu en premier sur Le Quotidien.',
    ],
    [
      'its Italian form',
      "L'articolo Il consiglio approva il ponte proviene da Gazzetta del Borgo.",
    ],
    ['its German form', 'Der Beitrag Rat genehmigt Brücke erschien zuerst auf Nordstadt Kurier.'],
    [
      'its Spanish form',
      'La entrada El consejo aprueba el puente se publicó primero en Diario del Valle.',
    ],
    ['Read more', 'Read more: Quake hits Japan coast'],
    ['Leggi anche', 'Leggi anche: Il vecchio ponte chiuso per lavori'],
    ['Lesen Sie auch', 'Lesen Sie auch: Die alte Brücke wird gesperrt'],
    ['Lire aussi', 'Lire aussi : Le vieux pont fermé pour travaux'],
    ['Lee también', 'Lee también: El viejo puente, cerrado por obras'],
    ['a share bar', 'Share this withEmailFacebookMessengerTwitterPinterestWhatsAppLinkedIn'],
    [
      'a newsletter prompt',
      'Sign up for our newsletter to get the day’s top stories in your inbox.',
    ],
    [
      'an Italian newsletter prompt',
      'Iscriviti alla newsletter per ricevere ogni mattina le notizie.',
    ],
    ['a caption with its credit', 'Workers on the old bridge on Tuesday. Photo: Mark Lennihan/AP'],
    ['a photo credit', 'REUTERS/Leonhard Foeger'],
    ['a German credit', 'Foto: dpa/Michael Kappeler'],
    ['a byline', 'By Jane Whitfield, Reuters'],
    ['an Italian byline', 'di Giulia Ferrante'],
    ['a Reuters sign-off', '(Reporting by Jane Whitfield; Editing by Tom Hogue)'],
    ['a sign-off line', 'Reporting by Jane Whitfield in Nairobi; Editing by Tom Hogue'],
    [
      'a longer one',
      'Additional reporting by Ana Ruiz in Madrid; Writing by Jane Whitfield; Editing by Tom Hogue and Mark Heinrich.',
    ],
    ['a single credit line', 'Editing by Tom Hogue'],
    ['an agency tag', '(dpa/afp)'],
  ])('%s', (_, junk) => {
    expect(stripBoilerplate(`${junk}\n\n${story}\n\n${junk}`)).toBe(story);
  });

  it.each([
    ['WASHINGTON (Reuters) - ', 'en'],
    ['PARIS, 3 mars (AFP) - ', 'fr'],
    ['MADRID (EFE) – ', 'es'],
    ['ROMA – ', 'it'],
    ['Berlin (dpa) - ', 'de'],
    ['(CNN) -- ', 'en'],
    ['(CNN)', 'en'],
    ['REUTERS / Leonhard Foeger PARIS (Reuters) - ', 'en'],
  ])('the dateline %j before the story', (dateline) => {
    expect(stripBoilerplate(`${dateline}${story}`)).toBe(story);
  });

  it.each([
    'Madrid, 13 nov (EFE).- ',
    'Fráncfort (Alemania), 18 dic (EFE).- ',
    'Santiago de Chile, 4 feb (EFE).- ',
    'WASHINGTON (Reuters) - ',
    // Capitals beyond ASCII, first or second, and an agency's desk after a slash.
    'ÉTATS-UNIS – ',
    'SÃO PAULO — ',
    'ÖSTERREICH -- ',
    'Wien (APA/dpa) - ',
    '(ANSA) - ROMA, 5 MAR - ',
    'Ñuñoa (EFE) - ',
  ])('measures the dateline %j that opens a first sentence', (dateline) => {
    expect(datelineLength(`${dateline}${story}`)).toBe(dateline.length);
    expect(datelineLength(story)).toBe(0);
  });

  it.each([
    'Paris – the council voted.',
    'PAris – the council voted.',
    'P – the council voted.',
    'Berlin (Reuters Foundation) - the council voted.',
    'Wien (APAdpa) - the council voted.',
    'Rome (the capital) - the council voted.',
  ])('finds no dateline in %j', (paragraph) => {
    expect(datelineLength(paragraph)).toBe(0);
  });

  it.each([
    'Madrid, 13 nov (EFE).- ',
    'ROMA, 5 mar (ANSA) – ',
    'Duisburg (dpa/lnw) - ',
    'PARIS (AFP) - ',
    'BERLIN (dpa) - ',
  ])('takes the agency dateline %j out of a paragraph further down, too', (dateline) => {
    const next = 'Critics said the bridge would cost too much.';
    expect(stripBoilerplate(`${dateline}${story}\n\n${dateline}${next}`)).toBe(
      `${story}\n\n${next}`,
    );
  });

  it.each([
    ['names an agency before a colon', 'Según la agencia (EFE): el puente costará el doble.'],
    [
      'names an agency before a dash',
      'The council told the agency (Reuters) - that the bridge would cost more.',
    ],
    [
      'opens like a credit',
      'Reporting by the BBC found that the council paid twice for the same bridge.',
    ],
    ['opens like a credit', 'Editing by hand took the council two weeks.'],
  ])('keeps a story sentence that %s: %j', (_, line) => {
    const text = `${story}\n\n${line}`;
    expect(stripBoilerplate(text)).toBe(text);
    expect(stripBoilerplate(line)).toBe(line);
  });

  it('leaves capitals and a dash further down the story: an acronym, not a dateline', () => {
    const text = `${story}\n\nNATO - the alliance - met on Tuesday.`;
    expect(stripBoilerplate(text)).toBe(text);
  });

  it('cuts a share bar or an inline credit out of a line, leaving a paragraph break', () => {
    expect(
      stripBoilerplate(
        'The plan was welcomed.Share this withEmailFacebookTwitter\nCritics disagreed.',
      ),
    ).toBe('The plan was welcomed.\n\nCritics disagreed.');
    expect(stripBoilerplate('(Foto: dpa) Die Brücke wird gebaut.')).toBe('Die Brücke wird gebaut.');
  });

  it('cuts AFP crossheads run into the text', () => {
    expect(
      stripBoilerplate(
        'Elle est partie en voiture.- "S\'approprier leur vie" -Le vélo-école a formé 700 personnes.',
      ),
    ).toBe('Elle est partie en voiture.\n\nLe vélo-école a formé 700 personnes.');
  });

  it('keeps story lines that only look like boilerplate', () => {
    for (const line of [
      'Di Maio ha detto che il governo cadrà entro l’estate.',
      'The company’s newsletter reported record sales in the third quarter.',
      'By Friday, the river had risen by two metres in the city centre.',
      'NATO said the exercise would last two weeks.',
    ])
      expect(stripBoilerplate(`${line}\n\n${story}`)).toBe(`${line}\n\n${story}`);
  });

  it('judges only short lines as boilerplate: a long paragraph that holds a telling phrase stays', () => {
    // 61 words or more: a story paragraph, whatever phrase it holds.
    const filler =
      'The port authority said the new cranes would double the number of containers handled each day';
    for (const line of [
      `${filler}, and readers could click here for the full timetable, which runs to the end of next year. ${filler}, the director said on Tuesday. ${filler} by the spring.`,
      `${filler}, a change that ${filler} and lower fees for farmers. ${filler} before the winter season begins. Photo: Mark Lennihan/AP`,
    ]) {
      expect(line.split(' ').length).toBeGreaterThan(60);
      expect(stripBoilerplate(`${story}\n\n${line}`)).toBe(`${story}\n\n${line}`);
    }
  });

  it('reads a line of names as a byline only up to 12 words', () => {
    const names =
      'By Jane Whitfield, Tom Hogue, Anna Verdi, Marco Neri, Paolo Gialli and Luca Bianchi';
    expect(names.split(' ').length).toBeGreaterThan(12);
    expect(stripBoilerplate(`${names}\n\n${story}`)).toBe(`${names}\n\n${story}`);
  });

  it('gives a clean text back as it was between its first and last letters, odd white space too', () => {
    const story =
      'The council met on Monday.\u00a0\n\u2028\n  It voted to close the bridge.  \n\n\ufeffWork starts in May.';
    expect(stripBoilerplate(`\u3000 ${story}\n\t`)).toBe(story);
  });

  it('gives nothing for a text that is only boilerplate', () => {
    expect(stripBoilerplate('Read more: Other story\n\nShare this withEmailFacebookTwitter')).toBe(
      '',
    );
  });
});

const ANY = '[^\\n\\r\\u2028\\u2029]';

describe('withExplicitDots writes each `.` as the class of what it matches', () => {
  it('replaces the dots outside classes and escapes only', () => {
    expect(withExplicitDots('^a.b.{1,3}$')).toBe(`^a${ANY}b${ANY}{1,3}$`);
    expect(withExplicitDots('a\\.b')).toBe('a\\.b');
    expect(withExplicitDots('[.!?].')).toBe(`[.!?]${ANY}`);
    expect(withExplicitDots('[^.\\]]+.')).toBe(`[^.\\]]+${ANY}`);
    expect(withExplicitDots('[^]..')).toBe(`[^]${ANY}${ANY}`);
    expect(withExplicitDots('\\p{L}.\\u{1F600}\\\\.')).toBe(`\\p{L}${ANY}\\u{1F600}\\\\${ANY}`);
  });

  // Each source matched with its dots and with them written out, under the flags the
  // boilerplate's line patterns are compiled with.
  const sources = [
    '^The post .{1,300} appeared first on .{1,200}$',
    '^(?:©|\\(c\\)|copyright)\\s?.{0,200}$',
    '^scroll down for (?:video|more).{0,100}$',
    '^a.b$',
    '^.$',
    '^..$',
    '^[^.!?]{1,5}.$',
    '^\\(?(?:photo|foto)s? (?:by|di)\\s.{1,20}\\)?$',
  ];
  const subjects = [
    'The post Council approves bridge appeared first on Daily Herald.',
    'THE POST COUNCIL APPROVES BRIDGE APPEARED FIRST ON DAILY HERALD.',
    'The post 😀 Brücke ſ \u212A appeared first on 𝔇aily',
    'The post split\nacross lines appeared first on Daily Herald.',
    'The post a\u2028b appeared first on c',
    'The post a\u2029b appeared first on c\r',
    '© 2026 Daily Herald',
    'Copyright\u00a0𝒳',
    'Scroll down for video ſ',
    'SCROLL DOWN FOR MORE\r\n',
    'a\u212Ab',
    'aſb',
    'a\nb',
    'a\rb',
    'a😀b',
    'a\ud800b',
    'K',
    '\u212A',
    '😀',
    '\ud83d',
    '\ud83d\ude00\ud83d',
    '\n',
    '\r',
    '\u2028',
    '\u2029',
    '',
    'Photos by Jane Whitfield)',
    'foto di 😀\u212Aſ',
    'abc!😀',
    'abc.\n',
  ];

  it.each(sources)('matches as before: %s', (source) => {
    const before = new RegExp(source, 'iu');
    const after = new RegExp(withExplicitDots(source), 'iu');
    expect(after.source).not.toBe(before.source);
    for (const subject of subjects)
      expect([subject, after.exec(subject)?.[0]]).toEqual([subject, before.exec(subject)?.[0]]);
  });
});
