import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/render.js';
import { actor, briefArb, briefWith, referenceBrief } from './briefs.js';
import { FORBIDDEN_INVISIBLE, LONE_SURROGATE } from './inspect.js';

describe('plain text rendering', () => {
  it('reads as a briefing in a terminal', () => {
    expect(render(referenceBrief(), 'text')).toBe(
      [
        'Belousov in Corea del nord, Umerov a Seul: la guerra si allarga',
        'Esteri Oggi · 29 Nov 2024, 08:00 UTC',
        '',
        '  • Il ministro della Difesa russo Andrei Belousov è atterrato a Pyongyang, accolto da No Kwang Chol.',
        '  • Nelle stesse ore Rustem Umerov ha incontrato a Seul il presidente Yoon Suk-yeol.',
        '',
        'People:',
        '  - Andrei Belousov — capo della Difesa della Federazione russa',
        '  - Rustem Umerov — ministro della Difesa ucraino',
        '  - Yoon Suk-yeol — presidente sudcoreano',
        '  - No Kwang Chol',
        'Organisations: G7',
        'Countries: Corea del nord, Russia',
        'Places: Pyongyang, Seul',
        '',
        '#Belousov #Umerov #Pyongyang',
        'https://news.example/esteri/belousov-pyongyang?ref=rss&utm=1',
      ].join('\n'),
    );
  });

  it.each([
    ['2024-11', 'Nov 2024'],
    ['2024-11-29', '29 Nov 2024'],
    ['2024', '2024'],
    ['2024-11-29T08:00:00.000Z', '29 Nov 2024, 08:00 UTC'],
  ])('shows a date %s as precisely as the source gave it: %s', (publishedAt, shown) => {
    const text = render({ ...referenceBrief(), publishedAt }, 'text');
    expect(text.split('\n')[1]).toBe(`Esteri Oggi · ${shown}`);
  });

  it('omits what the brief does not have', () => {
    expect(
      render(
        {
          title: '',
          url: null,
          source: null,
          publishedAt: 'not a date',
          language: 'und',
          summary: [],
          actors: [],
          tags: [],
        },
        'text',
      ),
    ).toBe('Untitled');
  });

  it('cannot send terminal escapes, bidi overrides or line breaks from feed text', () => {
    const text = render(
      briefWith({
        title: '\u001b]0;pwned\u0007\u001b[2JHead\u202eline\nInjected: line',
        actors: [actor('x', 'Name\r\nFake: header', 'person', 'role\u0085more')],
        tags: ['#a b', '##c', '#', '#A'],
      }),
      'text',
    );
    expect(text.split('\n')[0]).toBe('Headline Injected: line');
    expect(text).toContain('  - Name Fake: header — role more');
    expect(text).toContain('\n#ab #c #A\n');
    expect(text).not.toMatch(FORBIDDEN_INVISIBLE);
  });

  it('truncates a 10 MB headline quickly', () => {
    const started = performance.now();
    const text = render(briefWith({ title: 'Breaking '.repeat(1_200_000) }), 'text');
    expect(performance.now() - started).toBeLessThan(5000);
    const headline = text.split('\n')[0] ?? '';
    expect(headline.length).toBeLessThanOrEqual(2000);
    expect(headline.endsWith('…')).toBe(true);
  });

  it('is well-formed and free of invisible characters for arbitrary briefs', () => {
    fc.assert(
      fc.property(briefArb, (brief) => {
        const text = render(brief, 'text');
        expect(text).not.toMatch(LONE_SURROGATE);
        expect(text).not.toMatch(FORBIDDEN_INVISIBLE);
        expect(text).not.toMatch(/\u200b/);
        expect(text.length).toBeLessThan(200_000);
      }),
    );
  });
});
