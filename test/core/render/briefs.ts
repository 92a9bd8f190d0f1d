import fc from 'fast-check';
import type { Actor, ActorKind, Brief } from '../../../src/core/types.js';
import { ACTOR_KINDS } from '../../../src/core/types.js';

/** The reference story's brief, written out by hand so the renderers can be read in full. */
export function referenceBrief(): Brief {
  return {
    title: 'Belousov in Corea del nord, Umerov a Seul: la guerra si allarga',
    url: 'https://news.example/esteri/belousov-pyongyang?ref=rss&utm=1',
    source: 'Esteri Oggi',
    publishedAt: '2024-11-29T08:00:00.000Z',
    language: 'it',
    summary: [
      'Il ministro della Difesa russo Andrei Belousov è atterrato a Pyongyang, accolto da No Kwang Chol.',
      'Nelle stesse ore Rustem Umerov ha incontrato a Seul il presidente Yoon Suk-yeol.',
    ],
    actors: [
      actor(
        'andrei-belousov',
        'Andrei Belousov',
        'person',
        'capo della Difesa della Federazione russa',
      ),
      actor('rustem-umerov', 'Rustem Umerov', 'person', 'ministro della Difesa ucraino'),
      actor('yoon-suk-yeol', 'Yoon Suk-yeol', 'person', 'presidente sudcoreano'),
      actor('no-kwang-chol', 'No Kwang Chol', 'person', null),
      actor('g7', 'G7', 'organization', null),
      actor('north-korea', 'Corea del nord', 'country', null),
      actor('russia', 'Russia', 'country', null),
      actor('pyongyang', 'Pyongyang', 'place', null),
      actor('seoul', 'Seul', 'place', null),
    ],
    tags: ['#Belousov', '#Umerov', '#Pyongyang'],
  };
}

export function actor(id: string, name: string, kind: ActorKind, role: string | null): Actor {
  return { id, name, kind, role, mentions: 1, salience: 0.5, aliases: [] };
}

export function briefWith(overrides: Partial<Brief>): Brief {
  return { ...referenceBrief(), ...overrides };
}

/** Fragments feed text has been known to carry, to be mixed into arbitrary strings. */
const HOSTILE_FRAGMENTS = [
  '<',
  '>',
  '&',
  '"',
  "'",
  '&amp;',
  '&lt;',
  '<b>',
  '</a>',
  '<a href="javascript:x">',
  '@everyone',
  '@here',
  '@\u200beveryone',
  '<@123>',
  '<@!123>',
  '<@&123>',
  '<#123>',
  '</cmd:1>',
  '*',
  '**',
  '_',
  '~~',
  '`',
  '```',
  '||',
  '>',
  '>>> ',
  '# ',
  '-# ',
  '1. ',
  '- ',
  '[x](https://e.x)',
  '\\',
  '\\*',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u001b[31m',
  '\u0085',
  '\u2028',
  '\u200b',
  '\u200d',
  '\u200e',
  '\u202e',
  '\u2066',
  '\u2069',
  '\ufeff',
  '\ud83d\ude00',
  '\ud800',
  '\udc00',
  '👨‍👩‍👧',
  'é',
  'Ж',
  '中文',
  '   ',
];

/** Arbitrary unicode (lone surrogates included) laced with hostile fragments. */
export function hostileText(maxLength = 40): fc.Arbitrary<string> {
  return fc.string({
    unit: fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS) },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      },
    ),
    maxLength,
  });
}

/** Occasionally enormous: long enough to force truncation on every platform. */
function maybeHuge(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: base },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('&', '<@1>', '*', '\ud83d\ude00', 'a b. ', '\\'),
          fc.integer({ min: 1000, max: 20_000 }),
        )
        .map(([unit, n]) => unit.repeat(n)),
    },
  );
}

const urlArb: fc.Arbitrary<string | null> = fc.oneof(
  fc.constant(null),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom(
    'javascript:alert(1)',
    'data:text/html,<b>x</b>',
    'tg://resolve?domain=x',
    'https://bank.example@evil.example/',
    'https://e.x/"><b>x</b>',
    'https://e.x/@everyone',
    'not a url',
    '',
  ),
  hostileText(20),
  fc
    .tuple(fc.constantFrom('&', '@here', '"', '%'), fc.integer({ min: 100, max: 3000 }))
    .map(([unit, n]) => `https://e.x/?q=${unit.repeat(n)}`),
);

export const actorArb: fc.Arbitrary<Actor> = fc.record({
  id: fc.string({ maxLength: 10 }),
  name: maybeHuge(hostileText(30)),
  kind: fc.constantFrom(...ACTOR_KINDS),
  role: fc.option(maybeHuge(hostileText(60)), { nil: null }),
  mentions: fc.nat(20),
  salience: fc.double({ min: 0, max: 1, noNaN: true }),
  aliases: fc.array(hostileText(10), { maxLength: 2 }),
});

export const briefArb: fc.Arbitrary<Brief> = fc.record({
  title: maybeHuge(hostileText(80)),
  url: urlArb,
  source: fc.option(maybeHuge(hostileText(20)), { nil: null }),
  publishedAt: fc.option(
    fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      hostileText(20),
    ),
    { nil: null },
  ),
  language: fc.constantFrom('it', 'en', 'und'),
  summary: fc.array(maybeHuge(hostileText(200)), { maxLength: 5 }),
  actors: fc.array(actorArb, { maxLength: 60 }),
  tags: fc.array(maybeHuge(hostileText(15)), { maxLength: 12 }),
});
