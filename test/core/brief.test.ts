import { beforeAll, describe, expect, it } from 'vitest';
import { briefArticle, tagText } from '../../src/core/brief.js';
import { loadLanguageDetector } from '../../src/core/language.js';
import type { Actor, Brief } from '../../src/core/types.js';

beforeAll(() => loadLanguageDetector());

const actor = (brief: Brief, id: string): Actor | undefined =>
  brief.actors.find((a) => a.id === id);

/** A story with two parallel visits, written for this test (not the reference article). */
const parallelVisits = {
  title: 'Wadephul a Tokyo, Sybiha a Varsavia: giornata di diplomazia parallela',
  text: [
    "Ieri il ministro degli Esteri tedesco, Johann Wadephul, è atterrato a Tokyo per colloqui con il governo giapponese sulla sicurezza nel Pacifico. All'aeroporto è stato accolto dal suo omologo, Takeshi Iwaya, con cui ha discusso delle forniture di semiconduttori.",
    'Secondo fonti diplomatiche, Wadephul ha chiesto al Giappone di sostenere le sanzioni europee contro la Russia.',
    "Nelle stesse ore a Varsavia il ministro degli Esteri ucraino Andrii Sybiha ha incontrato il presidente polacco Karol Nawrocki per discutere della ricostruzione. Sybiha ha ringraziato la Polonia per l'accoglienza di oltre un milione di profughi ucraini.",
    'Gli analisti notano che la Nato segue con attenzione entrambe le visite.',
  ].join('\n\n'),
};

describe('briefArticle on a story with two parallel events', () => {
  const brief = () => briefArticle(parallelVisits);

  it('recognises the language', () => {
    expect(brief().language).toBe('it');
  });

  it('names the people with the roles the article gives them', () => {
    const b = brief();
    expect(actor(b, 'johann-wadephul')?.role).toBe('ministro degli Esteri tedesco');
    expect(actor(b, 'andrii-sybiha')?.role).toBe('ministro degli Esteri ucraino');
    expect(actor(b, 'karol-nawrocki')?.role).toBe('presidente polacco');
    expect(actor(b, 'takeshi-iwaya')?.kind).toBe('person');
  });

  it('joins a later bare surname to the full name', () => {
    const wadephul = actor(brief(), 'johann-wadephul');
    expect(wadephul?.mentions).toBeGreaterThanOrEqual(3);
    expect(wadephul?.aliases).toContain('Wadephul');
    expect(brief().actors.filter((a) => a.kind === 'person' && a.name === 'Wadephul')).toEqual([]);
  });

  it('counts demonyms for their country', () => {
    const b = brief();
    expect(actor(b, 'ukraine')?.aliases).toEqual(expect.arrayContaining(['ucraino']));
    expect(actor(b, 'poland')?.aliases).toEqual(expect.arrayContaining(['polacco']));
    expect(actor(b, 'germany')?.kind).toBe('country');
  });

  it('finds places and organisations, and no ordinary capitalised words', () => {
    const b = brief();
    expect(actor(b, 'tokyo')?.kind).toBe('place');
    expect(actor(b, 'warsaw')?.name).toBe('Varsavia');
    expect(actor(b, 'nato')?.kind).toBe('organization');
    const names = b.actors.map((a) => a.name);
    for (const word of ['Ieri', 'Secondo', 'Nelle', 'Gli', "All'aeroporto"])
      expect(names).not.toContain(word);
  });

  it('summarises both visits in verbatim sentences, in article order', () => {
    const b = brief();
    expect(b.summary.length).toBeGreaterThanOrEqual(2);
    expect(b.summary.length).toBeLessThanOrEqual(3);
    const joined = b.summary.join(' ');
    expect(joined).toContain('Tokyo');
    expect(joined).toContain('Varsavia');
    let from = 0;
    for (const sentence of b.summary) {
      const at = parallelVisits.text.indexOf(sentence, from);
      expect(at).toBeGreaterThanOrEqual(from);
      from = at + sentence.length;
    }
  });

  it('carries both events when each takes a long sentence and the first has a long sequel', () => {
    // Written for this test: the two events' sentences hold 85 words together, and the
    // first event's follow-up is as long and as central as the second event's sentence.
    const b = briefArticle({
      title: 'Kallas in Ottawa, Sikorski in Canberra: two foreign ministers court distant allies',
      text: [
        "Yesterday the European Union's foreign policy chief, Kaja Kallas, landed in Ottawa for two days of talks with the Canadian government on sanctions against Moscow, Arctic security and the supply of critical minerals to European battery factories.",
        'At the airport she was welcomed by the Canadian foreign minister, Anita Anand, barely a month after Brussels and Ottawa signed a defence procurement pact that lets Canadian firms bid for European military contracts worth billions of euros over the next decade.',
        'On the same day, in Canberra, the Polish foreign minister Radoslaw Sikorski met the Australian prime minister Anthony Albanese and his defence minister to discuss military cooperation in the Pacific, the training of Ukrainian pilots on Australian soil and new Polish orders for Australian armoured vehicles and drones.',
        'Kallas said the visit would be followed by a summit in the spring. Analysts say both trips show how Europe is widening its circle of partners.',
      ].join('\n\n'),
    });
    const joined = b.summary.join(' ');
    expect(joined).toContain('Ottawa');
    expect(joined).toContain('Sikorski');
    expect(b.summary.length).toBeGreaterThanOrEqual(2);
    expect(joined.split(/\s+/).length).toBeLessThanOrEqual(90);
  });

  it('opens with a lede that names the headline’s actor, and still carries the second event', () => {
    // Written for this test, in the shape of a story of two parallel visits: a long lede on
    // the first, context sentences on it, then a long sentence on the second. The lede is the
    // brief's opening; a context sentence in its place would leave the reader without who
    // went where.
    const lede =
      "Ieri il segretario del Consiglio di sicurezza russo, Sergei Shoigu, è atterrato a sorpresa a Teheran, nella capitale dell'Iran, per “consultazioni con la leadership politica e militare”, come riferisce l'agenzia di stampa ufficiale iraniana.";
    const b = briefArticle({
      title:
        "Shoigu in Iran per rafforzare la cooperazione militare con Mosca. Sybiha in Turchia per colloqui sul Mar Nero e nuove forniture di armi all'Ucraina. Visite parallele",
      text: [
        [
          lede,
          "All'aeroporto è stato accolto dal suo omologo, Ali Akbar Ahmadian, pochi giorni dopo che Mosca e Teheran hanno firmato un accordo di partenariato strategico e l'Iran ha iniziato a consegnare nuovi droni e missili alle truppe russe che combattono contro l'Ucraina.",
          "Fino a qualche mese fa, entrambi i governi negavano l'esistenza di forniture militari iraniane alla Russia, ma ora non possono più farlo.",
          "L'ultima volta che Shoigu è stato a Teheran era l'estate scorsa, quando guidava la delegazione russa all'insediamento del presidente Masoud Pezeshkian.",
          'Al di là degli effetti concreti di questa visita, secondo gli esperti si tratta soprattutto di mostrare una collaborazione sempre più profonda fra i due governi.',
        ].join(' '),
        [
          "Nelle stesse ore in cui Shoigu arrivava a Teheran, ad Ankara, nella capitale della Turchia, c'era il ministro degli Esteri ucraino Andrii Sybiha, che ha incontrato il presidente turco Recep Tayyip Erdoğan, ufficialmente per colloqui sulla sicurezza della navigazione nel Mar Nero.",
          "Secondo diversi media, però, l'Ucraina potrebbe essere andata a esplorare la possibilità di nuove forniture di droni da parte turca: una questione politica non di poco conto per Erdoğan.",
          'Sono le prove generali di una guerra sempre più globalizzata.',
        ].join(' '),
      ].join('\n\n'),
    });
    expect(b.summary[0]).toBe(lede);
    expect(b.summary.join(' ')).toContain('Sybiha');
    expect(b.summary.join(' ').split(/\s+/).length).toBeLessThanOrEqual(90);
  });

  it('ranks actors by salience in 0..1 and tags the top ones', () => {
    const b = brief();
    const saliences = b.actors.map((a) => a.salience);
    expect([...saliences].sort((x, y) => y - x)).toEqual(saliences);
    expect(saliences[0]).toBe(1);
    for (const s of saliences) expect(s).toBeGreaterThanOrEqual(0);
    expect(b.tags).toContain('#Wadephul');
    for (const tag of b.tags) expect(tag).toMatch(/^#[\p{L}\p{N}_]+$/u);
  });
});

describe('ids are the same in every language', () => {
  const ids = (text: string, lang?: string) => tagText(text, lang).map((m) => m.id);

  it('one place: Seul, Seoul, Séoul, Seúl', () => {
    expect(ids('Il ministro è arrivato a Seul ieri sera.', 'it')).toContain('seoul');
    expect(ids('The minister arrived in Seoul last night.', 'en')).toContain('seoul');
    expect(ids('Le ministre est arrivé à Séoul hier soir.', 'fr')).toContain('seoul');
    expect(ids('El ministro llegó a Seúl anoche.', 'es')).toContain('seoul');
  });

  it('one country: Corea del nord, North Korea, Corée du Nord, Nordkorea, DPRK', () => {
    for (const [text, lang] of [
      ['Le truppe della Corea del nord sono al fronte.', 'it'],
      ['Troops from North Korea are at the front.', 'en'],
      ['Les troupes de la Corée du Nord sont au front.', 'fr'],
      ['Truppen aus Nordkorea stehen an der Front.', 'de'],
      ['Analysts say the DPRK has sent troops.', 'en'],
    ] as const) {
      expect(ids(text, lang)).toContain('north-korea');
    }
  });

  it('one organisation: UE and EU, ONU and UN and UNO, NATO and OTAN', () => {
    expect(ids("L'UE e l'ONU hanno chiesto una tregua.", 'it')).toEqual([
      'european-union',
      'united-nations',
    ]);
    expect(ids('The EU and the UN called for a truce.', 'en')).toEqual([
      'european-union',
      'united-nations',
    ]);
    expect(ids('Die UNO und die NATO fordern eine Waffenruhe.', 'de')).toEqual([
      'united-nations',
      'nato',
    ]);
    expect(ids("L'OTAN et l'UE réclament une trêve.", 'fr')).toEqual(['nato', 'european-union']);
  });

  it('one person: Yoon Suk-yeol and Yoon Suk Yeol', () => {
    expect(ids('Il presidente Yoon Suk-yeol ha parlato.', 'it')).toContain('yoon-suk-yeol');
    expect(ids('President Yoon Suk Yeol spoke on Monday.', 'en')).toContain('yoon-suk-yeol');
  });

  it('a demonym names its country in a brief: nordcoreano, russe, ukrainischen, sudcoreana', () => {
    const actorIds = (title: string, text: string, language: string) =>
      briefArticle({ title, text, language }).actors.map((a) => a.id);
    expect(
      actorIds('Soldato catturato', 'Un soldato nordcoreano è stato catturato ieri.', 'it'),
    ).toContain('north-korea');
    expect(actorIds('Offensive', 'Les troupes russes avancent vers la ville.', 'fr')).toContain(
      'russia',
    );
    expect(
      actorIds('Front', 'Die ukrainischen Truppen halten die Stellung im Osten.', 'de'),
    ).toContain('ukraine');
    expect(
      actorIds('Delegazione', 'La delegazione sudcoreana è partita ieri sera.', 'it'),
    ).toContain('south-korea');
  });

  it('a demonym is an adjective, not a mention of a name, in the mention-level view', () => {
    // Annotated news (CoNLL, KIND, GermEval) tags "russo" and "Panamanian" as no entity.
    expect(tagText('Un soldato nordcoreano è stato catturato.', 'it')).toEqual([]);
    expect(tagText('The Panamanian boxer won on points.', 'en')).toEqual([]);
  });
});

describe('ordinary capitalised words are not actors', () => {
  it.each([
    ['Ieri il governo ha approvato la legge.', 'it'],
    ['Secondo gli esperti la crisi durerà.', 'it'],
    ['Officially, the talks ended on Friday.', 'en'],
    ['Analysts said the decision was expected.', 'en'],
    ['Lundi, le gouvernement a présenté son budget.', 'fr'],
    ['Laut Experten wird die Krise andauern.', 'de'],
    ['Ayer, el Gobierno aprobó la ley.', 'es'],
  ])('%s', (text, lang) => {
    expect(tagText(text, lang)).toEqual([]);
  });
});

describe('tagText', () => {
  it('gives every mention in order with offsets into the text', () => {
    const text =
      'Emmanuel Macron a reçu Olaf Scholz à Paris. Macron a salué « un partenaire fidèle ».';
    const mentions = tagText(text, 'fr');
    expect(mentions.map((m) => [m.text, m.kind, m.id])).toEqual([
      ['Emmanuel Macron', 'person', 'emmanuel-macron'],
      ['Olaf Scholz', 'person', 'olaf-scholz'],
      ['Paris', 'place', 'paris'],
      ['Macron', 'person', 'emmanuel-macron'],
    ]);
    for (const m of mentions) expect(text.slice(m.start, m.end)).toBe(m.text);
  });

  it('finds unknown people from their context', () => {
    const mentions = tagText(
      '«Non ci arrenderemo», ha detto Gianfranco Maltoni, sindaco di Cesenatico.',
      'it',
    );
    expect(mentions.map((m) => m.id)).toContain('gianfranco-maltoni');
  });
});

describe('languages beyond the five', () => {
  it('still get a brief, with their own language code', () => {
    const brief = briefArticle({
      title: 'Governo aprova orçamento',
      text: 'O governo português aprovou ontem o orçamento do Estado para o próximo ano, que será debatido no parlamento nas próximas semanas. O primeiro-ministro afirmou que as contas estão equilibradas e que não haverá aumento de impostos.',
    });
    expect(brief.language).toBe('pt');
    expect(brief.summary.length).toBeGreaterThan(0);
  });
});
