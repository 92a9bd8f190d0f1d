import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { briefArticle, summaryInputs } from '../../src/core/brief.js';
import { parseFeedItem } from '../../src/core/input/feed-item.js';
import { parseHtml } from '../../src/core/input/html.js';
import { parsePlainText } from '../../src/core/input/plain.js';
import { loadLanguageDetector } from '../../src/core/language.js';
import { defaultLexicon } from '../../src/core/lexicon/index.js';
import { selectUnits } from '../../src/core/summary.js';
import { Vocabulary } from '../../src/core/summary-terms.js';
import { tokenize } from '../../src/core/text/tokens.js';
import type { Article, Brief } from '../../src/core/types.js';

beforeAll(() => loadLanguageDetector());

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

/** Every bullet is a verbatim slice of the article, in article order. */
function expectVerbatim(brief: Brief, text: string): void {
  let from = 0;
  for (const bullet of brief.summary) {
    const at = text.indexOf(bullet, from);
    expect(at, bullet).toBeGreaterThanOrEqual(from);
    from = at + bullet.length;
  }
}

/** A brief a reader can take as it is: 2–3 bullets, ≤ 90 words, none over 60. */
function expectReadable(brief: Brief): void {
  expect(brief.summary.length).toBeGreaterThanOrEqual(2);
  expect(brief.summary.length).toBeLessThanOrEqual(3);
  expect(words(brief.summary.join(' '))).toBeLessThanOrEqual(90);
  for (const bullet of brief.summary) expect(words(bullet)).toBeLessThanOrEqual(60);
}

/** Every quotation a bullet opens, it closes, in every quote style. */
function expectWholeQuotes(bullet: string): void {
  const count = (ch: string) => bullet.split(ch).length - 1;
  expect(count('"') % 2, bullet).toBe(0);
  expect(count('«'), bullet).toBe(count('»'));
  expect(count('„'), bullet).toBe(count('“'));
  expect(count('‹'), bullet).toBe(count('›'));
}

describe('the words a summary weighs', () => {
  it("are read with the article's own stopwords: one word, a stopword in one language only", () => {
    const tokens = tokenize('Hafenbehörde: die Schiffe warten, der Kanal trocknet aus');
    const terms = (lang: string) => {
      const vocabulary = new Vocabulary(defaultLexicon().words(lang).stopwords);
      return vocabulary.terms([tokens]).map((id) => vocabulary.stem(id));
    };
    // Asked in turn, so that a word's reading in one language cannot stand in for the other.
    for (let round = 0; round < 2; round++) {
      expect(terms('de')).toEqual(['hafenb', 'schiff', 'warten', 'kanal', 'trockn']);
      expect(terms('en')).toEqual([
        'hafenb',
        'die',
        'schiff',
        'warten',
        'der',
        'kanal',
        'trockn',
        'aus',
      ]);
    }
  });
});

describe('quotations that span sentences are shown whole or not at all', () => {
  const cases: [string, Article][] = [
    [
      'Italian « »',
      {
        title: 'Sinner vince gli Australian Open',
        text: [
          'Jannik Sinner ha vinto gli Australian Open battendo in finale Daniil Medvedev in cinque set a Melbourne.',
          '«Ho sognato questo momento da bambino. Non riesco ancora a crederci. Grazie a tutti», ha detto Jannik Sinner dopo la vittoria in finale.',
          'È il primo italiano a vincere il torneo australiano nella storia del tennis.',
          'Il presidente della Repubblica Sergio Mattarella gli ha telefonato per congratularsi con lui a nome del Paese.',
        ].join('\n\n'),
      },
    ],
    [
      'German „ “',
      {
        title: 'Asteroid fliegt an der Erde vorbei',
        text: [
          'Ein Asteroid von der Größe eines Fußballfeldes ist am Sonntag in geringer Entfernung an der Erde vorbeigeflogen.',
          '„Ein so großes Objekt kommt selten so nahe. Wir haben es drei Tage lang beobachtet“, sagte der Astronom Thomas Müller von der Sternwarte in Hamburg.',
          'Eine Gefahr für die Erde bestand nach Angaben der Europäischen Weltraumorganisation zu keinem Zeitpunkt.',
          'Der nächste Vorbeiflug des Asteroiden wird in vierzig Jahren erwartet, teilten die Forscher mit.',
        ].join('\n\n'),
      },
    ],
    [
      'English straight quotes',
      {
        title: 'Bulls win fifth game in a row',
        text: 'The Chicago Bulls beat the Boston Celtics 112-104 on Saturday for their fifth win in a row. "We played as a team tonight. Everybody stepped up when it mattered," coach Billy Donovan said after the game. Zach LaVine scored 31 points and DeMar DeRozan added 24 points for Chicago. The Bulls now sit second in the Eastern Conference standings.',
      },
    ],
    [
      'French « » with spaces',
      {
        title:
          "Budget : le gouvernement veut redresser les comptes publics avec 40 milliards d'économies",
        text: [
          "Le gouvernement a présenté mercredi un budget prévoyant 40 milliards d'euros d'économies pour l'an prochain.",
          "« Nous devons redresser nos comptes publics avec ce budget de 40 milliards d'économies. C'est une question de souveraineté », a déclaré le ministre de l'Économie devant la presse.",
          "L'opposition a dénoncé un budget d'austérité qui frappera d'abord les classes moyennes.",
          "Le texte sera examiné par l'Assemblée nationale à partir du mois d'octobre.",
        ].join('\n\n'),
      },
    ],
  ];
  it.each(cases)('%s', (_, article) => {
    const brief = briefArticle(article);
    expectReadable(brief);
    expectVerbatim(brief, article.text);
    for (const bullet of brief.summary) expectWholeQuotes(bullet);
  });
});

describe('sentence ends glued to the next sentence', () => {
  it('are split, so no bullet is a run-on of two paragraphs', () => {
    const article = {
      title: 'Les Bulls enchaînent',
      text: 'Les Bulls de Chicago ont battu les Celtics de Boston samedi pour une cinquième victoire de suite."Nous avons joué en équipe ce soir", a déclaré leur entraîneur Billy Donovan après la rencontre.Consternant, le public de Boston a quitté la salle avant la fin du match.Zach LaVine a marqué 31 points pour Chicago, qui remonte au deuxième rang de la conférence Est.',
    };
    const brief = briefArticle(article);
    expectReadable(brief);
    for (const bullet of brief.summary) {
      expect(bullet).not.toMatch(/\.["A-Z]/);
      expectWholeQuotes(bullet);
    }
  });
});

describe('all-caps text', () => {
  it('is read sentence by sentence', () => {
    const brief = briefArticle({
      title: 'SENATE PASSES BUDGET',
      text: 'THE U.S. SENATE PASSED THE BUDGET ON MONDAY AFTER A LONG NIGHT OF VOTES IN WASHINGTON. SEN. JOHN THUNE SAID THE DEAL WAS A GOOD START FOR BOTH PARTIES. THE HOUSE OF REPRESENTATIVES WILL VOTE ON THE BILL ON FRIDAY MORNING. OFFICIALS EXPECT THE BILL TO PASS BY A WIDE MARGIN NEXT WEEK.',
    });
    expectReadable(brief);
    expect(brief.summary[0]).toMatch(/^THE U\.S\. SENATE PASSED/);
  });
});

const wordpressItem = `<rss version="2.0"><channel><title>Gazzetta del Borgo</title><language>it</language>
<item><title>Il sindaco inaugura il nuovo ponte sul fiume</title>
<link>https://borgo.example/ponte</link>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[
<p>di Giulia Ferrante</p>
<p>ROMA – Il sindaco Marco Bellini ha inaugurato ieri mattina il nuovo ponte sul fiume, atteso da oltre dieci anni dagli abitanti del quartiere.</p>
<p>Leggi anche: Il vecchio ponte chiuso per lavori</p>
<p>L'opera è costata 12 milioni di euro ed è stata finanziata in gran parte dalla Regione Lazio.</p>
<p>Condividi suFacebookTwitterWhatsAppEmail</p>
<p>Alla cerimonia hanno partecipato centinaia di cittadini e il presidente della Regione.</p>
<p>Iscriviti alla newsletter per ricevere ogni mattina le notizie principali.</p>
<p>L'articolo Il sindaco inaugura il nuovo ponte sul fiume proviene da Gazzetta del Borgo.</p>
]]></content:encoded></item></channel></rss>`;

describe('boilerplate never reaches the brief', () => {
  it('a WordPress item: footer, "Leggi anche", share bar, newsletter, byline and dateline out', async () => {
    const article = await parseFeedItem(wordpressItem);
    const brief = briefArticle(article);
    expectReadable(brief);
    const joined = brief.summary.join(' ');
    for (const junk of [
      'proviene da',
      'Leggi anche',
      'Condividi',
      'newsletter',
      'Ferrante',
      'ROMA –',
    ])
      expect(joined).not.toContain(junk);
    expect(brief.summary[0]).toMatch(/^Il sindaco Marco Bellini ha inaugurato/);
    expect(brief.actors.map((a) => a.name)).not.toContain('Giulia Ferrante');
  });

  it('a Reuters story: photo credit, dateline and sign-off out of the text and the actors', () => {
    const text = [
      'REUTERS/Leonhard Foeger',
      'VIENNA (Reuters) - Austrian Chancellor Karl Nehammer said on Tuesday his government would cut energy taxes for households from January, as inflation hit its highest level in seventy years.',
      'The package is worth 2 billion euros and will be financed by a windfall tax on energy companies, Nehammer told reporters after a cabinet meeting.',
      'Opposition parties said the measures came too late for families struggling with bills this winter.',
      '(Reporting by Francois Murphy; Editing by Alex Richardson)',
    ].join('\n\n');
    const brief = briefArticle({ title: 'Austria to cut energy taxes for households', text });
    expectReadable(brief);
    const joined = brief.summary.join(' ');
    for (const junk of ['REUTERS', '(Reuters)', 'Reporting by', 'Foeger'])
      expect(joined).not.toContain(junk);
    expect(brief.summary[0]).toMatch(/^Austrian Chancellor Karl Nehammer/);
    const names = brief.actors.map((a) => a.name);
    for (const credit of ['Leonhard Foeger', 'Francois Murphy', 'Alex Richardson', 'Reuters'])
      expect(names).not.toContain(credit);
  });
});

describe('openings that point back', () => {
  it('are not shown without the sentence they point to', () => {
    const text = [
      "Le Premier ministre a présenté mardi un plan de 5 milliards d'euros pour rénover les écoles du pays d'ici 2030.",
      "Les syndicats d'enseignants ont salué une annonce attendue depuis longtemps, tout en réclamant des moyens humains.",
      'Il vise désormais une rénovation complète de tous les bâtiments scolaires construits avant 1975 dans les dix ans.',
      'Mais le gouvernement doit encore convaincre les collectivités locales, qui financeront une partie des travaux.',
      'Les premiers chantiers commenceront dès la rentrée de septembre dans une centaine de communes pilotes.',
    ].join('\n\n');
    const brief = briefArticle({
      title: 'Écoles : une rénovation complète des bâtiments scolaires construits avant 1975',
      text,
    });
    expectVerbatim(brief, text);
    for (const [k, bullet] of brief.summary.entries()) {
      if (!/^(?:Il|Mais)\b/.test(bullet)) continue;
      // Shown only right after the paragraph before it.
      const before = text.slice(0, text.indexOf(bullet)).trim().split('\n\n').at(-1);
      expect(brief.summary[k - 1]).toBe(before);
    }
  });
});

describe('bullets that add nothing', () => {
  it('a sentence the text repeats is shown once, and no bullet only echoes the ones shown', () => {
    const text = [
      'Die Stadtwerke Lindenau haben am Montag die Preise für Fernwärme um zwölf Prozent gesenkt.',
      'Der Aufsichtsrat stimmte der Senkung einstimmig zu.',
      'Der Aufsichtsrat stimmte der Senkung einstimmig zu.',
      'Die Preise für Fernwärme sinken.',
      'Der Aufsichtsrat stimmte der Senkung einstimmig zu.',
    ].join(' ');
    const brief = briefArticle({ title: 'Lindenau senkt die Fernwärmepreise', text });
    expect(new Set(brief.summary).size).toBe(brief.summary.length);
  });
});

describe('an opening demonstrative that names what it points to', () => {
  it('is shown once the reader has seen that word: «Questa riforma…», ha detto Schlein', () => {
    const file = readFileSync(
      new URL('../fixtures/articles/it/01-politics.txt', import.meta.url),
      'utf8',
    );
    const article = parsePlainText(file);
    const brief = briefArticle(article);
    const quote = brief.summary.findIndex((b) => b.startsWith('«Questa riforma indebolisce'));
    // The lede, which says "la riforma", is shown before it; the sentence before the quote
    // ("Di segno opposto il giudizio delle opposizioni.") is not.
    expect(quote).toBeGreaterThan(0);
    expect(brief.summary.slice(0, quote).join(' ')).toMatch(/\briforma\b/);
    expect(brief.summary).not.toContain('Di segno opposto il giudizio delle opposizioni.');
  });
});

describe('a hard lede', () => {
  it('that runs past the 60-word bar as one sentence ends at its last clause boundary within it', () => {
    // EFE's ledes run to 65 words as one sentence: they say what happened, so the brief
    // opens with one, ended before its last adjunct (a 65-word bullet reads as a run-on).
    const lede =
      'La Unión Europea y el Mercosur firmaron este sábado en la capital paraguaya el acuerdo de asociación que dará forma a una de las mayores zonas de libre comercio del mundo, con más de 700 millones de consumidores, tras más de un cuarto de siglo de negociaciones y pese a la oposición frontal de Francia y de buena parte del sector agrícola del Viejo Continente.';
    const text = [
      `Asunción, 17 ene (EFE).- ${lede}`,
      'La presidenta de la Comisión Europea, Ursula von der Leyen, y el presidente del Consejo Europeo, António Costa, rubricaron el texto en el Palacio de López junto a los jefes de Estado de Brasil, Argentina, Uruguay y Paraguay.',
      '«Hoy demostramos que el comercio abierto y basado en reglas sigue siendo posible en un mundo cada vez más fragmentado», afirmó Von der Leyen ante los cuatro mandatarios.',
      'En París, en cambio, el presidente francés, Emmanuel Macron, reiteró que su país «no puede aceptar» el acuerdo.',
    ].join('\n\n');
    const brief = briefArticle({
      title:
        'La UE y el Mercosur firman en Asunción su acuerdo comercial tras más de 25 años de negociaciones',
      text,
    });
    expect(words(lede)).toBe(65);
    const first = brief.summary[0] ?? '';
    expect(first).toMatch(/^La Unión Europea y el Mercosur firmaron .*…$/);
    const kept = first.slice(0, -1);
    // The lede's own words up to a comma: nothing added, no word cut.
    expect(lede.startsWith(kept) && lede[kept.length]).toBe(',');
    expect(words(first)).toBeLessThanOrEqual(60);
    expect(words(first)).toBeGreaterThanOrEqual(20);
    expect(words(brief.summary.join(' '))).toBeLessThanOrEqual(90);
  });

  it('is not ended inside a list of names or an open quotation: without such a boundary it is left out', () => {
    // Its commas are a list of names and an apposition, then a quotation that runs to the end.
    const lede =
      'Los ministros de Economía de Alemania, Francia, Italia, España, Portugal, Grecia, Austria, Bélgica, Irlanda, Finlandia, Eslovenia, Eslovaquia, Estonia, Letonia y Lituania aprobaron este lunes en Bruselas el nuevo presupuesto común y su presidente, Paschal Donohoe, dijo que «es un paso histórico, que llega tras años de trabajo y de discusiones, y que todos los gobiernos de la zona del euro deberán ahora aplicar sin demora»';
    const text = [
      `${lede}.`,
      'El presupuesto común financiará inversiones en energía y transporte en los países de la zona del euro a partir del próximo año.',
      'Los gobiernos deberán presentar sus planes de inversión a la Comisión Europea antes del mes de junio.',
    ].join('\n\n');
    const brief = briefArticle({
      title: 'La zona del euro aprueba su presupuesto común',
      text,
      language: 'es',
    });
    expect(words(lede)).toBeGreaterThan(60);
    expect(brief.summary.length).toBeGreaterThan(0);
    for (const bullet of brief.summary) {
      expect(words(bullet), bullet).toBeLessThanOrEqual(60);
      expectWholeQuotes(bullet);
      expect(bullet.startsWith('Los ministros'), bullet).toBe(false);
    }
  });

  it('is not two sentences glued together where the splitter saw one', () => {
    const glued =
      "C'est un record absolu : un thon rouge de 278 kilos s'est vendu samedi au prix de 2,7 millions d'euros à Tokyo, au Japon, un succès inattendu pour les premières enchères du Nouvel An au nouveau marché de Toyosu, encore en phase de rodage.A 5H10 du matin, les cloches ont retenti pour marquer l'ouverture de la vente aux enchères, selon les médias japonais.";
    const text = [
      glued,
      "L'acheteur, Kiyoshi Kimura, patron d'une chaîne de restaurants de sushis, détenait déjà le précédent record, établi en 2013 au marché de Tsukiji.",
      'Le marché de Toyosu a remplacé en octobre celui de Tsukiji, le plus grand marché aux poissons du monde, après des années de retard.',
    ].join('\n\n');
    const brief = briefArticle({
      title: 'Un thon rouge vendu 2,7 millions d’euros à Tokyo, au Japon',
      text,
      language: 'fr',
    });
    expect(words(glued)).toBeGreaterThan(60);
    for (const bullet of brief.summary) expect(words(bullet), bullet).toBeLessThanOrEqual(60);
  });
});

describe('a lede about what the headline says', () => {
  const text = [
    'Hundreds of elephants are walking home along the highways of the north.',
    'The camp owners, who can no longer feed the animals without the money from tourists, are sending them back to the villages of their keepers.',
    'A thousand animals have gone back in two months, and the keepers say the villages have neither the forests nor the food to keep them for long.',
    '"The keepers have no income and get no help," said the head of an animal charity.',
  ];
  // Scores that rank the lede last, as the learned weights do when later sentences hold
  // more of the story's words: the rule, not the score, keeps the lede.
  const ledeLast = [0, 0.3, 0.2, 0.1];

  it('opens the brief even when it names no one, if it says one of the headline words', () => {
    const { facts, headline } = summaryInputs({
      title: 'Elephants walk home as tourism collapses',
      text: text.join('\n\n'),
      language: 'en',
    });
    const summary = selectUnits(facts, ledeLast, headline).map((f) => f.text);
    expect(summary[0]).toBe(text[0]);
  });

  it('is not kept for a title that only repeats it: that title is no headline', () => {
    const { facts, headline } = summaryInputs({
      title: text[0] as string,
      text: text.join('\n\n'),
      language: 'en',
    });
    const summary = selectUnits(facts, ledeLast, headline).map((f) => f.text);
    expect(summary).not.toContain(text[0]);
  });
});

describe('bad input still gets a brief: what there is, never an exception or a junk bullet', () => {
  it('a page that is all navigation', () => {
    const html = `<html><head><title>Home | The Daily Ledger</title></head><body>
      <nav><a href="/">Home</a><a href="/world">World</a><a href="/sport">Sport</a></nav>
      <div class="menu"><a href="/a">Politics</a> <a href="/b">Business</a> <a href="/c">Culture</a></div>
      <p>Share this withEmailFacebookMessengerTwitter</p></body></html>`;
    let brief: Brief | undefined;
    try {
      brief = briefArticle(parseHtml(html, { url: 'https://ledger.example/' }));
    } catch (error) {
      // The input layer may refuse it outright, with a message a user can act on.
      expect((error as Error).message).toMatch(/no readable text/);
      return;
    }
    expect(brief.title).toBeTruthy();
    expect(brief.summary).toEqual([]);
  });

  it('an item with no body: the headline is the brief', async () => {
    const article = await parseFeedItem(
      '<item><title>Quake hits Japan coast</title><link>https://x.example/q</link></item>',
    );
    const brief = briefArticle(article);
    expect(brief.title).toBe('Quake hits Japan coast');
    expect(brief.summary).toEqual([]);
  });

  it('a body of one 5,000-word sentence: no bullet', () => {
    const text = Array.from({ length: 5000 }, (_, k) => `parola${k % 50}`).join(' ');
    const brief = briefArticle({ title: 'Un testo senza fine', text });
    expect(brief.summary).toEqual([]);
    expect(brief.title).toBe('Un testo senza fine');
  });

  it('text in a script the splitter has no rules for: no exception, no bullet longer than a sentence', () => {
    const text =
      '东京电力公司周二表示，福岛核电站的处理水将于下周开始排放入海。日本政府称排放符合国际安全标准。中国外交部对此表示强烈反对，并呼吁日本停止排放计划。韩国渔民团体在首尔举行抗议活动。';
    const brief = briefArticle({ title: '福岛核电站处理水将排海', text });
    expect(brief.title).toBe('福岛核电站处理水将排海');
    for (const bullet of brief.summary) expect(bullet.split('。').length).toBeLessThanOrEqual(2);
  });
});
