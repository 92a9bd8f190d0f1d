import { describe, expect, it } from 'vitest';
import { briefArticle } from '../../src/core/brief.js';
import { hashtags } from '../../src/core/tags.js';
import type { Actor } from '../../src/core/types.js';

const person = (name: string, aliases: string[] = []): Actor => ({
  id: name.toLowerCase().replace(/\W+/g, '-'),
  name,
  kind: 'person',
  role: null,
  mentions: 2,
  salience: 0.9,
  aliases,
});

describe('hashtags of people', () => {
  it('use the name the article uses for them alone, else the surname', () => {
    expect(hashtags([person('Andrei Belousov', ['Belousov'])])).toEqual(['#Belousov']);
    expect(hashtags([person('Rustem Umerov')])).toEqual(['#Umerov']);
  });

  it('keep a monarch’s or a pope’s numeral with the name', () => {
    expect(hashtags([person('Mohammed VI'), person('Benedict XVI')])).toEqual([
      '#MohammedVI',
      '#BenedictXVI',
    ]);
  });

  it('keep the particles a surname opens with', () => {
    const particles = new Set(['von', 'der', 'van', 'le', 'de']);
    expect(
      hashtags(
        [person('Ursula von der Leyen'), person('Marine Le Pen'), person('Virgil van Dijk')],
        particles,
      ),
    ).toEqual(['#VonDerLeyen', '#LePen', '#VanDijk']);
    // Written with a capital or not.
    expect(hashtags([person('Robert De Niro')], particles)).toEqual(['#DeNiro']);
  });

  it("take the particles from the lexicon of the brief's language", () => {
    const b = briefArticle({
      title: 'Summit',
      text: 'In Brussels on Monday, Ursula von der Leyen met the leaders of the member states.',
    });
    expect(b.tags).toContain('#VonDerLeyen');
  });

  it('skip a generational suffix for the surname before it', () => {
    expect(hashtags([person('Martin Luther King Jr.')])).toEqual(['#King']);
  });
});
