import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ACTOR_PAGE_SIZE,
  actorCommand,
  actorSuggestions,
  type Reply,
} from '../../../src/app/commands/index.js';
import type { Article } from '../../../src/core/types.js';
import type { FeedRecord } from '../../../src/store/port.js';
import { type Bot, chat, ingestArticles, openBot, storedFeed, textOf } from './helpers.js';

/** Short articles the project wrote: one story told in Italian, then in English. */
const ITALIAN: Article = {
  title: 'Belousov a Pyongyang, incontro con Kim Jong Un',
  text: 'Il ministro della Difesa russo Andrei Belousov è arrivato venerdì a Pyongyang, dove ha incontrato il leader nordcoreano Kim Jong Un. Belousov ha parlato di cooperazione militare tra Mosca e la Corea del Nord.\n\nIntanto a Seul il ministro della Difesa ucraino Rustem Umerov ha visto il presidente Yoon Suk-yeol.',
  url: 'https://notizie.example/belousov-pyongyang',
  source: 'Notizie',
  language: 'it',
};
const ENGLISH: Article = {
  title: 'Belousov meets Kim Jong Un in Pyongyang',
  text: "Russian Defence Minister Andrei Belousov met North Korean leader Kim Jong Un in Pyongyang on Saturday. Belousov said the two countries would deepen military ties.\n\nKim Yo Jong, the leader's sister, attended the talks.",
  url: 'https://news.example/belousov-kim',
  source: 'Example News',
  language: 'en',
};
const SISTER: Article = {
  title: 'Kim Yo Jong warns Seoul',
  text: 'Kim Yo Jong, the influential sister of North Korean leader Kim Jong Un, warned Seoul on Sunday against new leaflet campaigns. South Korea said it would respond calmly.',
  url: 'https://news.example/kim-yo-jong',
  source: 'Example News',
  language: 'en',
};

type ActorReply = Extract<Reply, { kind: 'actor' }>;

function asActor(reply: Reply): ActorReply {
  if (reply.kind !== 'actor') throw new Error(`expected an actor reply: ${reply.text}`);
  return reply;
}

let bot: Bot;
let feed: FeedRecord;
const tg = 'telegram:-100123';
beforeEach(async () => {
  bot = openBot();
  feed = await storedFeed(bot.store, 'https://news.example/rss', 'News', [tg]);
  await ingestArticles(bot, feed, [ITALIAN, ENGLISH, SISTER], [tg]);
});
afterEach(async () => {
  await bot.cleanup();
});

describe('/actor', () => {
  it('finds a person across briefs in two languages: kind, roles with dates, stories, company', async () => {
    const reply = asActor(await bot.send(chat(tg, false), '/actor belousov'));
    expect(reply.profile).toMatchObject({
      id: 'andrei-belousov',
      name: 'Andrei Belousov',
      kind: 'person',
      briefCount: 2,
    });
    expect(reply.profile.roles.map((r) => r.role)).toEqual([
      'Russian Defence Minister',
      'ministro della Difesa russo',
    ]);
    expect(reply.stories.map((s) => s.brief.title)).toEqual([ENGLISH.title, ITALIAN.title]);
    expect(reply.profile.coActors.slice(0, 2).map((c) => [c.id, c.together])).toEqual([
      ['kim-jong-un', 2],
      ['pyongyang', 2],
    ]);
    expect(reply).toMatchObject({ page: 1, pages: 1 });
    expect(reply.text).toBe(
      [
        'Andrei Belousov',
        'person · in 2 briefs, 2025-03-14 – 2025-03-15',
        '',
        'Roles:',
        '  • Russian Defence Minister (2025-03-15, 1 brief)',
        '  • ministro della Difesa russo (2025-03-14, 1 brief)',
        '',
        'Latest stories:',
        '  • 2025-03-15 · Belousov meets Kim Jong Un in Pyongyang — Example News',
        '    https://news.example/belousov-kim',
        '  • 2025-03-14 · Belousov a Pyongyang, incontro con Kim Jong Un — Notizie',
        '    https://notizie.example/belousov-pyongyang',
        '',
        `Most often with: ${reply.profile.coActors.map((c) => `${c.name} (${c.together})`).join(', ')}`,
      ].join('\n'),
    );
  });

  it.each(['Belusov', 'BELOUSOV', 'andrei belousov', 'Andrej Belousov', 'Bélousov'])(
    'is forgiving: "%s" finds Andrei Belousov',
    async (query) => {
      const reply = asActor(await bot.send(chat(tg), `/actor ${query}`));
      expect(reply.profile.id).toBe('andrei-belousov');
    },
  );

  it('is accent-insensitive across languages: "Séoul" is the Seul and Seoul of both briefs', async () => {
    const reply = asActor(await bot.send(chat(tg), '/actor Séoul'));
    expect(reply.profile).toMatchObject({ id: 'seoul', kind: 'place', briefCount: 2 });
    expect(reply.text).toMatch(/^Seoul\nplace · in 2 briefs/);
  });

  it('lists close matches as "did you mean" when several fit', async () => {
    const reply = await bot.send(chat(tg), '/actor kim');
    if (reply.kind !== 'actor-choices') throw new Error(reply.text);
    expect(reply.choices.map((c) => c.id).sort()).toEqual(['kim-jong-un', 'kim-yo-jong']);
    expect(reply.choices.find((c) => c.id === 'kim-yo-jong')?.command).toBe(
      '/actor id:kim-yo-jong',
    );
    expect(reply.text).toContain('Several match "kim". Did you mean:');
    expect(reply.text).toContain('  • Kim Jong Un (person, 3 briefs) — /actor id:kim-jong-un');
    // The choice's command shows that actor.
    const chosen = asActor(await bot.send(chat(tg), '/actor id:kim-yo-jong'));
    expect(chosen.profile.name).toBe('Kim Yo Jong');
    // The whole name typed needs no choice.
    expect(asActor(await bot.send(chat(tg), '/actor kim jong un')).profile.id).toBe('kim-jong-un');
  });

  it('shows a name it finds exactly as it shows the id: the same profile, text and page', async () => {
    for (const [query, id] of [
      ['belousov', 'andrei-belousov'],
      ['Andrei Belousov', 'andrei-belousov'],
      ['kim jong un', 'kim-jong-un'],
      ['Kim Yo Jong', 'kim-yo-jong'],
      ['Séoul', 'seoul'],
    ]) {
      const byName = asActor(await bot.send(chat(tg), `/actor ${query}`));
      expect(byName, query).toEqual(asActor(await bot.send(chat(tg), `/actor id:${id}`)));
    }
  });

  it('says so when nobody matches', async () => {
    const reply = await bot.send(chat(tg), '/actor Zzyzx Quorbl');
    expect(reply).toMatchObject({
      kind: 'error',
      code: 'not-found',
      text: 'No one called "Zzyzx Quorbl" in the briefs so far.',
    });
    expect((await bot.send(chat(tg), '/actor id:nobody-at-all')).kind).toBe('error');
  });

  it('pages through stories: the reply says which page of how many, and how to get the next', async () => {
    const more = Array.from({ length: 2 * ACTOR_PAGE_SIZE }, (_, k) => ({
      title: `Belousov visit, day ${k + 1}`,
      text: `Andrei Belousov spoke in Moscow on day ${k + 1} of the talks.`,
      url: `https://news.example/day-${k + 1}`,
      language: 'en',
    }));
    await ingestArticles(bot, feed, more, [tg]);
    const first = asActor(await bot.send(chat(tg), '/actor belousov'));
    expect(first).toMatchObject({ page: 1, pages: 3 });
    expect(first.stories).toHaveLength(ACTOR_PAGE_SIZE);
    expect(first.stories[0]?.brief.title).toBe('Belousov visit, day 10');
    expect(first.text).toContain('Latest stories (page 1 of 3):');
    expect(first.text).toMatch(/More: \/actor id:andrei-belousov 2$/);
    expect(actorCommand('andrei-belousov', 2)).toBe('/actor id:andrei-belousov 2');

    const second = asActor(await bot.send(chat(tg), actorCommand('andrei-belousov', 2)));
    expect(second).toMatchObject({ page: 2, pages: 3 });
    expect(second.stories[0]?.brief.title).toBe('Belousov visit, day 5');
    const last = asActor(await bot.send(chat(tg), actorCommand('andrei-belousov', 3)));
    expect(last.stories.map((s) => s.brief.title)).toEqual([ENGLISH.title, ITALIAN.title]);
    expect(last.text).not.toContain('More:');
    // Past the end: the last page.
    expect(asActor(await bot.send(chat(tg), '/actor id:andrei-belousov 99')).page).toBe(3);
  });

  it('answers in Italian in an Italian chat', async () => {
    await bot.store.destinations.set(tg, { language: 'it' });
    const reply = asActor(await bot.send(chat(tg), '/actor belusov'));
    expect(textOf(reply, 'actor')).toContain('persona · in 2 notizie, 2025-03-14 – 2025-03-15');
    expect(reply.text).toContain('Ruoli:');
    expect(reply.text).toContain('Ultime notizie:');
    expect(reply.text).toContain('Compare più spesso con:');
  });
});

/** Written for these tests: a Spanish feed names Spain and Morocco in its own words. */
const SPANISH: Article = {
  title: 'España y Marruecos firman un acuerdo migratorio',
  text: 'España y Marruecos firmaron el jueves en Rabat un acuerdo sobre migración y pesca. Noruega y Volodymyr Zelensky saludaron el pacto.',
  url: 'https://noticias.example/espana-marruecos',
  source: 'Noticias',
  language: 'es',
};

describe('/actor by any of the lexicon’s names, in any language', () => {
  beforeEach(async () => {
    await ingestArticles(bot, feed, [SPANISH], [tg]);
  });

  it('finds the España of a Spanish feed as "Spain" in English and "Spagna" in Italian', async () => {
    const english = asActor(await bot.send(chat(tg), '/actor Spain'));
    expect(english.profile).toMatchObject({ id: 'spain', name: 'Spain', kind: 'country' });
    expect(english.text.split('\n')[0]).toBe('Spain');
    expect(english.stories.map((s) => s.brief.title)).toEqual([SPANISH.title]);
    const lower = asActor(await bot.send(chat(tg), '/actor spain'));
    expect(lower.profile.name).toBe('Spain');

    await bot.store.destinations.set(tg, { language: 'it' });
    const italian = asActor(await bot.send(chat(tg), '/actor Spagna'));
    expect(italian.profile).toMatchObject({ id: 'spain', name: 'Spagna' });
    expect(asActor(await bot.send(chat(tg), '/actor España')).profile.id).toBe('spain');
    expect(asActor(await bot.send(chat(tg), '/actor Marocco')).profile.name).toBe('Marocco');
  });

  it('finds Morocco and Norway by their names in other languages, and Zelensky by any spelling', async () => {
    expect(asActor(await bot.send(chat(tg), '/actor Morocco')).profile.id).toBe('morocco');
    expect(asActor(await bot.send(chat(tg), '/actor Norvegia')).profile).toMatchObject({
      id: 'norway',
      name: 'Norway',
    });
    for (const spelling of ['Selenskyj', 'Zelensky', 'Zelenskyy']) {
      const reply = asActor(await bot.send(chat(tg), `/actor ${spelling}`));
      expect(reply.profile.id).toBe('volodymyr-zelensky');
    }
  });

  it('keeps fuzzy matching across languages: "Spagnia" is still Spain', async () => {
    const reply = asActor(await bot.send(chat(tg), '/actor Spagnia'));
    expect(reply.profile.id).toBe('spain');
  });

  it('says an actor the lexicon knows but no brief has named yet is known, with its kind', async () => {
    expect(await bot.send(chat(tg), '/actor Portugal')).toMatchObject({
      kind: 'text',
      text: 'Portugal (country): known, no stories yet.',
    });
    await bot.store.destinations.set(tg, { language: 'it' });
    expect((await bot.send(chat(tg), '/actor Portugal')).text).toBe(
      'Portogallo (paese): conosciuto, ancora nessuna notizia.',
    );
    // The same by id, as a "did you mean" choice or a button sends it.
    expect((await bot.send(chat(tg), '/actor id:portugal')).text).toBe(
      'Portogallo (paese): conosciuto, ancora nessuna notizia.',
    );
  });
});

describe('actorSuggestions (Discord autocomplete)', () => {
  it('suggests actors from the store as the user types, accents and typos aside', async () => {
    expect(await actorSuggestions(bot.store, 'belou')).toEqual([
      { name: 'Andrei Belousov (person)', value: 'id:andrei-belousov' },
    ]);
    const seoul = await actorSuggestions(bot.store, 'séoul', { language: 'it' });
    // Named as an Italian chat names it, whichever feed's name was stored last.
    expect(seoul[0]).toEqual({ name: 'Seul (luogo)', value: 'id:seoul' });
    expect(await actorSuggestions(bot.store, '  ')).toEqual([]);
    // The value is what /actor reads.
    const value = (await actorSuggestions(bot.store, 'yoon'))[0]?.value;
    expect(asActor(await bot.send(chat(tg), `/actor ${value}`)).profile.id).toBe('yoon-suk-yeol');
  });
});
