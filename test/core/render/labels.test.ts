import { describe, expect, it } from 'vitest';
import { BRIEF_LABELS, BRIEF_LANGUAGES } from '../../../src/core/render/index.js';
import { ACTOR_KINDS } from '../../../src/core/types.js';
import { render } from '../../../src/render.js';
import { actor, briefWith, referenceBrief } from './briefs.js';

const ROME = 'Europe/Rome';

describe('a brief in the chat’s language and time zone', () => {
  it.each([
    ['it', 'Esteri Oggi · 29 nov 2024, 09:00 CET', 'Persone:', 'Organizzazioni: G7'],
    ['fr', 'Esteri Oggi · 29 nov. 2024, 09:00 UTC+1', 'Personnes:', 'Organisations: G7'],
    ['de', 'Esteri Oggi · 29. Nov. 2024, 09:00 MEZ', 'Personen:', 'Organisationen: G7'],
    ['es', 'Esteri Oggi · 29 nov 2024, 09:00 CET', 'Personas:', 'Organizaciones: G7'],
  ] as const)('writes %s labels and dates', (language, meta, people, organisations) => {
    const lines = render(referenceBrief(), 'text', { language, timeZone: ROME }).split('\n');
    expect(lines[1]).toBe(meta);
    expect(lines).toContain(people);
    expect(lines).toContain(organisations);
    expect(lines.join('\n')).not.toMatch(/People|Countries|Nov 2024/);
  });

  it.each([
    ['2024-11', 'nov 2024'],
    ['2024-11-29', '29 nov 2024'],
    ['2024', '2024'],
  ])(
    'keeps a date given as %s no more precise, and on its day in any zone: %s',
    (publishedAt, shown) => {
      // A calendar date is the same day in Tokyo: it is never moved by the zone.
      const brief = { ...referenceBrief(), publishedAt };
      const text = render(brief, 'text', { language: 'it', timeZone: 'Asia/Tokyo' });
      expect(text.split('\n')[1]).toBe(`Esteri Oggi · ${shown}`);
    },
  );

  it('puts a time on the chat’s clock, past midnight included', () => {
    const brief = { ...referenceBrief(), publishedAt: '2024-11-29T20:30:00Z' };
    const text = render(brief, 'telegram', { language: 'en', timeZone: 'Asia/Tokyo' }).join('\n');
    expect(text).toContain('30 Nov 2024, 05:30 GMT+9');
  });

  it('counts the actors left out in the chat’s language', () => {
    const people = Array.from({ length: 12 }, (_, i) =>
      actor(`p${i}`, `Persona ${i}`, 'person', null),
    );
    const text = render(briefWith({ actors: people }), 'telegram', {
      language: 'de',
      timeZone: 'UTC',
    }).join('\n');
    expect(text).toContain('und 2 weitere');
  });

  it('has every label in every language of the catalogue', () => {
    for (const language of BRIEF_LANGUAGES) {
      const labels = BRIEF_LABELS[language];
      for (const kind of ACTOR_KINDS) expect(labels.kinds[kind]).not.toBe('');
      expect(labels.more).toContain('{count}');
      expect(() => new Intl.DateTimeFormat(labels.locale)).not.toThrow();
    }
  });
});
