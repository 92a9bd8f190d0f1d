import { describe, expect, it } from 'vitest';
import {
  actorMatches,
  FilterError,
  matches,
  parseFilters,
} from '../../../src/core/filters/filters.js';
import type { Actor, Brief } from '../../../src/core/types.js';

function actor(parts: Partial<Actor> & Pick<Actor, 'id' | 'name' | 'kind'>): Actor {
  return { role: null, mentions: 1, salience: 0.5, aliases: [], ...parts };
}

const SEOUL: Brief = {
  title: 'Umerov a Seul, Belousov in Corea del nord',
  url: 'https://wire.example/a',
  source: 'Wire',
  publishedAt: '2024-11-29T08:00:00.000Z',
  language: 'it',
  summary: [
    'Il ministro della Difesa ucraino Rustem Umerov ha incontrato a Seul il presidente Yoon Suk-yeol.',
    "Andrei Belousov è atterrato a Pyongyang, dov'è stato accolto da No Kwang Chol.",
  ],
  actors: [
    actor({ id: 'rustem-umerov', name: 'Rustem Umerov', kind: 'person', aliases: ['Umerov'] }),
    actor({
      id: 'andrei-belousov',
      name: 'Andrei Belousov',
      kind: 'person',
      aliases: ['Belousov'],
    }),
    actor({ id: 'seoul', name: 'Seul', kind: 'place' }),
    actor({ id: 'north-korea', name: 'Corea del nord', kind: 'country', aliases: ['nordcoreano'] }),
  ],
  tags: ['#Umerov', '#Belousov'],
};

const MARKETS: Brief = {
  title: 'Les marchés européens reculent',
  url: null,
  source: null,
  publishedAt: null,
  language: 'fr',
  summary: ['La Bourse de Paris a perdu 2 % après les annonces de la BCE.'],
  actors: [
    actor({ id: 'paris', name: 'Paris', kind: 'place' }),
    actor({ id: 'european-central-bank', name: 'BCE', kind: 'organization' }),
  ],
  tags: ['#BCE'],
};

function passes(filter: string, brief: Brief): boolean {
  return matches(brief, parseFilters(filter));
}

function parseError(text: string): string {
  try {
    parseFilters(text);
  } catch (error) {
    expect(error).toBeInstanceOf(FilterError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe('parseFilters', () => {
  it('reads every kind of term and gives the normalised text back', () => {
    const filters = parseFilters(
      'ukraine  "north korea" +nato -sport lang:IT,en actor:"rustem umerov" kind:people /kyiv|kiev/i ukrain*',
    );
    expect(filters.filters.map((f) => [f.mode, f.term.type])).toEqual([
      ['any', 'keyword'],
      ['any', 'keyword'],
      ['all', 'keyword'],
      ['not', 'keyword'],
      ['any', 'lang'],
      ['any', 'actor'],
      ['any', 'kind'],
      ['any', 'regex'],
      ['any', 'keyword'],
    ]);
    expect(filters.text).toBe(
      'ukraine "north korea" +nato -sport lang:it,en actor:"rustem umerov" kind:person /kyiv|kiev/ ukrain*',
    );
    expect(parseFilters(filters.text).text).toBe(filters.text);
  });

  it('gives no filters for empty text: everything passes', () => {
    expect(parseFilters('  ').filters).toEqual([]);
    expect(passes('', SEOUL)).toBe(true);
  });

  it.each([
    [
      'lang:italian',
      'lang:italian: expected two-letter language codes such as lang:it or lang:it,en',
    ],
    ['kind:animal', 'kind:animal: expected one of person, organization, country, place'],
    [
      'topic:war',
      'unknown filter "topic:" (use words, "phrases", -word, /pattern/, lang:it, actor:name, kind:person)',
    ],
    ['"north korea', '"north korea: missing closing "'],
    ['/(a+)+$/', '/(a+)+$/: has nested quantifiers such as (a+)+, which are not allowed'],
    ['/(\\w+)\\s\\1/', '/(\\w+)\\s\\1/: uses a backreference, which is not allowed'],
    ['/(?<=a)b/', '/(?<=a)b/: uses a lookaround like (?=…), which is not allowed'],
    ['/abc', '/abc: a pattern needs a closing /'],
    ['/abc/g', '/abc/g: g is not a flag a filter takes (i, m, s, u; matching ignores case anyway)'],
    ['/abc/ii', '/abc/ii: the i flag is given twice'],
    ['/[a-/', '/[a-/: a pattern needs a closing /'],
    ['/a[b/ x', '/a[b/ x: a pattern needs a closing /'],
    ['/a(b/', '/a(b/: has a ( without its )'],
    ['- war', 'a lone - must be followed by a word: -word'],
    ['actor:!!!', 'actor:!!!: give a name, e.g. actor:umerov'],
    ['"..."', '"...": a keyword needs letters or digits'],
  ])('refuses %j in one line', (text, message) => {
    expect(parseError(text)).toBe(message);
  });
});

describe('matches: keywords', () => {
  it('finds whole words in the title and summary, any of them by default', () => {
    expect(passes('umerov', SEOUL)).toBe(true);
    expect(passes('zelensky macron', SEOUL)).toBe(false);
    expect(passes('zelensky pyongyang', SEOUL)).toBe(true);
    expect(passes('umer', SEOUL)).toBe(false); // not a whole word
    expect(passes('umer*', SEOUL)).toBe(true); // a prefix
  });

  it('ignores case and accents both ways', () => {
    expect(passes('ATTERRATO', SEOUL)).toBe(true);
    expect(passes('è', SEOUL)).toBe(true);
    expect(passes('marches europeens', MARKETS)).toBe(true);
    expect(passes('"MARCHÉS européens"', MARKETS)).toBe(true);
  });

  it('matches phrases word for word', () => {
    expect(passes('"corea del nord"', SEOUL)).toBe(true);
    expect(passes('"corea nord"', SEOUL)).toBe(false);
  });

  it('sees words after an elided article', () => {
    expect(passes("dov'è", SEOUL)).toBe(true);
    expect(passes('accolto', SEOUL)).toBe(true);
  });

  it('requires every +term and refuses any -term', () => {
    expect(passes('+umerov +belousov', SEOUL)).toBe(true);
    expect(passes('+umerov +zelensky', SEOUL)).toBe(false);
    expect(passes('-pyongyang', SEOUL)).toBe(false);
    expect(passes('-sport', SEOUL)).toBe(true);
    expect(passes('umerov -"corea del nord"', SEOUL)).toBe(false);
  });
});

describe('matches: patterns', () => {
  it('runs a pattern over title and summary, ignoring case and accents', () => {
    expect(passes('/kim jong|yoon suk-?yeol/', SEOUL)).toBe(true);
    expect(passes('/^umerov/', SEOUL)).toBe(true);
    expect(passes('/^il ministro/', SEOUL)).toBe(true); // ^ at every line
    expect(passes('/\\bbcé\\b/', MARKETS)).toBe(true);
    expect(passes('/\\d+ %/', MARKETS)).toBe(true);
    expect(passes('-/bourse|borsa/', MARKETS)).toBe(false);
  });

  it('takes the flags config/default.yaml names: i, m, u as it always matches; s lets . cross lines', () => {
    for (const flags of ['i', 'm', 'u', 'imu', 'mi']) {
      expect(passes(`/^il ministro/${flags}`, SEOUL), flags).toBe(true);
    }
    // The title and the first summary line: "…Corea del nord" then "Il ministro…".
    expect(passes('/nord.il ministro/', SEOUL)).toBe(false);
    expect(passes('/nord.il ministro/s', SEOUL)).toBe(true);
    expect(passes('/nord.il ministro/su', SEOUL)).toBe(true);
    // The filter as stored keeps the one flag that changes anything.
    expect(parseFilters('/nord.il/si ukraine /kyiv/imu').text).toBe('/nord.il/s ukraine /kyiv/');
  });
});

describe('matches: language, actors, kinds', () => {
  it('filters by language', () => {
    expect(passes('lang:it', SEOUL)).toBe(true);
    expect(passes('lang:en,fr', SEOUL)).toBe(false);
    expect(passes('lang:en,fr', MARKETS)).toBe(true);
    expect(passes('-lang:fr', MARKETS)).toBe(false);
  });

  it('finds an actor by id, name, alias, with typos and accents forgiven', () => {
    for (const query of [
      'umerov',
      'Umerov',
      'rustem-umerov',
      '"Rustem Umerov"',
      'belusov',
      'séoul',
      'seoul',
      'nordcoreano',
    ]) {
      expect(passes(`actor:${query}`, SEOUL), query).toBe(true);
    }
    for (const query of ['zelensky', 'umarova', 'kim', 'yoon']) {
      expect(passes(`actor:${query}`, SEOUL), query).toBe(false);
    }
  });

  it('filters by kind of actor', () => {
    expect(passes('kind:person', SEOUL)).toBe(true);
    expect(passes('kind:person', MARKETS)).toBe(false);
    expect(passes('kind:org', MARKETS)).toBe(true);
    expect(passes('-kind:country', SEOUL)).toBe(false);
  });

  it('combines families with AND, alternatives within a family with OR', () => {
    expect(passes('ukraine umerov lang:it', SEOUL)).toBe(true);
    expect(passes('ukraine umerov lang:fr', SEOUL)).toBe(false);
    expect(passes('zelensky lang:it', SEOUL)).toBe(false);
    expect(passes('actor:zelensky actor:umerov kind:place', SEOUL)).toBe(true);
    expect(passes('bourse /pyongyang/', SEOUL)).toBe(true); // keywords and patterns are one family
  });
});

describe('actorMatches', () => {
  const belousov = { id: 'andrei-belousov', name: 'Andrei Belousov', aliases: ['Belousov'] };
  it('allows one typo from 5 letters, two from 9, none below', () => {
    expect(actorMatches(belousov, 'Belusov')).toBe(true);
    expect(actorMatches(belousov, 'Andrej Belousov')).toBe(true);
    expect(actorMatches(belousov, 'Blusov')).toBe(false);
    expect(actorMatches({ id: 'iran', name: 'Iran', aliases: [] }, 'iraq')).toBe(false);
    expect(
      actorMatches(
        { id: 'volodymyr-zelensky', name: 'Volodymyr Zelensky', aliases: [] },
        'Volodimir',
      ),
    ).toBe(true);
  });
});
