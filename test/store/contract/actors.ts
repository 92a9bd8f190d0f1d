import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/types.js';
import { ROLE_WINDOW } from '../../../src/store/search.js';
import { actor, addFeed, brief, DAY, ingestTitles } from '../helpers.js';

import type { StoreUnderTest } from './harness.js';

export function actorsContract(current: () => StoreUnderTest): void {
  let t: StoreUnderTest;
  beforeEach(() => {
    t = current();
  });

  const belousov = (role: string | null = null): Actor =>
    actor('andrei-belousov', 'Andrei Belousov', { role, aliases: ['Belousov'], salience: 0.9 });
  const kim = actor('kim-jong-un', 'Kim Jong Un', { role: 'leader' });
  const putin = actor('vladimir-putin', 'Vladimir Putin', { salience: 0.4 });
  const umerov = actor('rustem-umerov', 'Rustem Umerov', { salience: 0.3 });
  const seul = actor('seoul', 'Seul', { kind: 'place' });
  const seoul = actor('seoul', 'Seoul', { kind: 'place' });
  const pyongyang = actor('pyongyang', 'Pyongyang', { kind: 'place', salience: 0.2 });

  /** Ingests one brief per entry, a day apart, published on the day it is stored. */
  async function stories(entries: { title: string; actors: Actor[]; language?: string }[]) {
    const feed = await addFeed(t.store);
    await t.store.subscriptions.add(feed.id, 'console');
    for (const [index, entry] of entries.entries()) {
      const publishedAt = new Date(t.clock.now).toISOString();
      await t.store.ingest(feed.id, [
        {
          keys: [`guid:${index}`],
          brief: brief(entry.title, {
            actors: entry.actors,
            publishedAt,
            language: entry.language ?? 'en',
          }),
          destinations: ['console'],
        },
      ]);
      t.clock.advance(DAY);
    }
  }

  describe('/actor search', () => {
    beforeEach(async () => {
      await stories([
        {
          title: 'Belousov a Pyongyang',
          actors: [belousov('capo della Difesa'), kim, pyongyang, seul],
          language: 'it',
        },
        { title: 'Umerov in Seoul', actors: [umerov, seoul] },
        { title: 'Orbán in Brussels', actors: [actor('viktor-orban', 'Viktor Orbán')] },
      ]);
    });

    it('finds "belousov" whatever the case, by surname, full name or alias', async () => {
      for (const query of ['belousov', 'BELOUSOV', 'Andrei Belousov', 'andrei belousov']) {
        const [first] = await t.store.actors.search(query);
        expect(first, query).toMatchObject({
          id: 'andrei-belousov',
          name: 'Andrei Belousov',
          match: 'exact',
        });
      }
    });

    it('forgives a typo: "Belusov" finds Belousov', async () => {
      const [first] = await t.store.actors.search('Belusov');
      expect(first).toMatchObject({
        id: 'andrei-belousov',
        match: 'fuzzy',
        distance: 1,
        matched: 'belousov',
      });
      const [swapped] = await t.store.actors.search('Beluosov');
      expect(swapped).toMatchObject({ id: 'andrei-belousov', match: 'fuzzy' });
    });

    it('ignores accents both ways: "Séoul", "seoul" and "Seul" are one place; "orban" finds Orbán', async () => {
      for (const query of ['Séoul', 'seoul', 'SEOUL', 'Seul']) {
        const [first] = await t.store.actors.search(query);
        expect(first, query).toMatchObject({ id: 'seoul', kind: 'place', match: 'exact' });
      }
      expect((await t.store.actors.search('orban'))[0]).toMatchObject({ id: 'viktor-orban' });
    });

    it('finds a name by its beginning', async () => {
      const [first] = await t.store.actors.search('pyong');
      expect(first).toMatchObject({ id: 'pyongyang', match: 'prefix' });
    });

    it('finds nothing for nonsense or an empty query, and one-letter typos are not guessed', async () => {
      expect(await t.store.actors.search('zzzzzz')).toEqual([]);
      expect(await t.store.actors.search('  ')).toEqual([]);
      expect(await t.store.actors.search('Kix')).toEqual([]);
    });
  });

  describe('/actor ranking', () => {
    it('ranks exact > prefix > fuzzy, then by how often they appear', async () => {
      await stories([
        { title: 'One', actors: [actor('natalia-belousova', 'Natalia Belousova')] },
        { title: 'Two', actors: [actor('ivan-belousev', 'Ivan Belousev')] },
        { title: 'Three', actors: [belousov()] },
      ]);
      const hits = await t.store.actors.search('belousov');
      expect(hits.map((h) => [h.id, h.match])).toEqual([
        ['andrei-belousov', 'exact'],
        ['natalia-belousova', 'prefix'],
        ['ivan-belousev', 'fuzzy'],
      ]);
      expect(await t.store.actors.search('belousov', 1)).toHaveLength(1);
    });

    it('among equal matches, the actor in more briefs comes first', async () => {
      const rare = actor('kim-yo-jong', 'Kim Yo Jong');
      await stories([
        { title: 'A', actors: [kim] },
        { title: 'B', actors: [rare] },
        { title: 'C', actors: [kim] },
      ]);
      const hits = await t.store.actors.search('kim');
      expect(hits.map((h) => [h.id, h.briefCount])).toEqual([
        ['kim-jong-un', 2],
        ['kim-yo-jong', 1],
      ]);
    });
  });

  describe('/actor exact lookup', () => {
    beforeEach(async () => {
      const rare = actor('kim-yo-jong', 'Kim Yo Jong');
      await stories([
        { title: 'One', actors: [actor('natalia-belousova', 'Natalia Belousova')] },
        { title: 'Two', actors: [actor('ivan-belousev', 'Ivan Belousev')] },
        { title: 'Three', actors: [belousov(), kim] },
        { title: 'Four', actors: [rare, kim] },
      ]);
    });

    it('lists the exact matches search lists first, in its order, and no prefix or typo', async () => {
      for (const query of ['belousov', 'Andrei BELOUSOV', 'kim', 'Kim Yo Jong', 'Séoul', 'x']) {
        const exact = (await t.store.actors.search(query, 12)).filter((m) => m.match === 'exact');
        expect(await t.store.actors.exact(query, 12), query).toEqual(exact);
      }
      expect((await t.store.actors.exact('kim')).map((m) => [m.id, m.briefCount])).toEqual([
        ['kim-jong-un', 2],
        ['kim-yo-jong', 1],
      ]);
      // A whole name ranks above a word of another's name.
      expect((await t.store.actors.exact('kim yo jong')).map((m) => m.matched)).toEqual([
        'kim yo jong',
      ]);
    });

    it('finds nothing for a typo, a beginning or an empty query, and keeps to the limit', async () => {
      expect(await t.store.actors.exact('belusov')).toEqual([]);
      expect(await t.store.actors.exact('belou')).toEqual([]);
      expect(await t.store.actors.exact('  ')).toEqual([]);
      expect(await t.store.actors.exact('kim', 1)).toHaveLength(1);
    });

    it('reads a profile along only for the hit /actor shows: the only one, or the only whole name', async () => {
      // Two actors with the word "kim" in their names: a "did you mean", no profile.
      expect(await t.store.actors.exactWithProfile('kim', 12)).toEqual({
        matches: await t.store.actors.exact('kim', 12),
        profile: null,
      });
      for (const query of ['Kim Yo Jong', 'belousov']) {
        const { matches, profile } = await t.store.actors.exactWithProfile(query, 12);
        expect(matches, query).toEqual(await t.store.actors.exact(query, 12));
        expect(profile, query).toEqual(await t.store.actors.profile(matches[0]?.id ?? ''));
        expect(profile?.id, query).toBe(matches[0]?.id);
      }
      expect(await t.store.actors.exactWithProfile('belusov', 12)).toEqual({
        matches: [],
        profile: null,
      });
      expect(await t.store.actors.exactWithProfile('  ', 12)).toEqual({
        matches: [],
        profile: null,
      });
    });
  });

  describe('/actor profile', () => {
    beforeEach(async () => {
      await stories([
        {
          title: 'Belousov a Pyongyang',
          actors: [belousov('capo della Difesa'), kim, putin, pyongyang],
          language: 'it',
        },
        { title: 'Belousov meets Kim', actors: [belousov('Russian defence minister'), kim, putin] },
        { title: 'Belousov e Kim', actors: [belousov('Capo della difesa'), kim], language: 'it' },
        { title: 'Belousov and Umerov', actors: [belousov(), umerov] },
        { title: 'Putin alone', actors: [putin] },
      ]);
    });

    /** One story more of Belousov's, with two co-actors tied in stories and salience. */
    async function storyOfATie() {
      const feed = await addFeed(t.store);
      await t.store.ingest(feed.id, [
        {
          keys: ['guid:tie'],
          brief: brief('Belousov, Zeta and Alpha', {
            actors: [
              belousov(),
              actor('zeta', 'Zeta', { salience: 0.5 }),
              actor('alpha', 'Alpha', { salience: 0.5 }),
            ],
          }),
          destinations: [],
        },
      ]);
    }

    it('says who it is, the roles seen with their dates, and the latest stories', async () => {
      const profile = await t.store.actors.profile('andrei-belousov', { briefs: 2 });
      const day = (n: number) => new Date(Date.parse('2025-03-14T08:00:00.000Z') + n * DAY);
      expect(profile).toMatchObject({
        id: 'andrei-belousov',
        name: 'Andrei Belousov',
        kind: 'person',
        briefCount: 4,
        firstSeenAt: day(0),
        lastSeenAt: day(3),
      });
      // The same words in another case are one role, under its latest wording.
      expect(profile?.roles).toEqual([
        { role: 'Capo della difesa', firstSeenAt: day(0), lastSeenAt: day(2), briefCount: 2 },
        {
          role: 'Russian defence minister',
          firstSeenAt: day(1),
          lastSeenAt: day(1),
          briefCount: 1,
        },
      ]);
      expect(profile?.latestBriefs.map((b) => b.brief.title)).toEqual([
        'Belousov and Umerov',
        'Belousov e Kim',
      ]);
    });

    it('ranks the actors most often in the same stories', async () => {
      const profile = await t.store.actors.profile('andrei-belousov', { coActors: 3 });
      expect(profile?.coActors).toEqual([
        { id: 'kim-jong-un', name: 'Kim Jong Un', kind: 'person', together: 3 },
        { id: 'vladimir-putin', name: 'Vladimir Putin', kind: 'person', together: 2 },
        // Umerov and Pyongyang both share one story; the more salient one first.
        { id: 'rustem-umerov', name: 'Rustem Umerov', kind: 'person', together: 1 },
      ]);
    });

    it('orders co-actors tied in stories and salience by name, at the last place too', async () => {
      await storyOfATie();
      const ranked = async (coActors: number) =>
        (await t.store.actors.profile('andrei-belousov', { coActors }))?.coActors.map((c) => [
          c.id,
          c.together,
        ]);
      expect(await ranked(4)).toEqual([
        ['kim-jong-un', 3],
        ['vladimir-putin', 2],
        ['alpha', 1],
        ['zeta', 1],
      ]);
      expect(await ranked(3)).toEqual([
        ['kim-jong-un', 3],
        ['vladimir-putin', 2],
        ['alpha', 1],
      ]);
      expect(await ranked(0)).toEqual([]);
    });

    it('reads the same profile with an exact hit as on its own, for every page and co-actor count', async () => {
      await storyOfATie();
      for (const options of [
        {},
        { briefs: 2 },
        { briefs: 50, coActors: 4 },
        { coActors: 3 },
        { coActors: 0 },
      ]) {
        const found = await t.store.actors.exactWithProfile('Andrei Belousov', 12, options);
        expect(found.profile, JSON.stringify(options)).toEqual(
          await t.store.actors.profile('andrei-belousov', options),
        );
      }
      const { profile } = await t.store.actors.exactWithProfile('belousov', 12, { coActors: 4 });
      expect(profile?.coActors.map((c) => c.id)).toEqual([
        'kim-jong-un',
        'vladimir-putin',
        'alpha',
        'zeta',
      ]);
      expect(profile?.roles.map((r) => r.role)).toEqual([
        'Capo della difesa',
        'Russian defence minister',
      ]);
    });

    it('is null for an actor never seen', async () => {
      expect(await t.store.actors.profile('nobody')).toBeNull();
    });

    it('is still there after a restart', async () => {
      const store = await t.reopen();
      expect((await store.actors.profile('andrei-belousov'))?.briefCount).toBe(4);
      expect((await store.actors.search('belusov'))[0]?.id).toBe('andrei-belousov');
    });
  });

  describe('/actor costs that do not grow with history', () => {
    /** One ingest of `count` briefs naming Belousov in `role`, a minute apart in publication. */
    async function briefsWithRole(feedId: number, from: number, count: number, role: string) {
      await t.store.ingest(
        feedId,
        Array.from({ length: count }, (_, i) => ({
          keys: [`guid:${from + i}`],
          brief: brief(`Story ${from + i}`, {
            actors: [belousov(role)],
            publishedAt: new Date(t.clock.now + (from + i) * 60_000).toISOString(),
          }),
          destinations: [],
        })),
      );
    }

    it("lists the roles of the actor's latest briefs, and counts every brief", async () => {
      const feed = await addFeed(t.store);
      await briefsWithRole(feed.id, 0, 1, 'First deputy prime minister');
      await briefsWithRole(feed.id, 1, ROLE_WINDOW, 'Defence minister');

      const profile = await t.store.actors.profile('andrei-belousov');
      expect(profile?.briefCount).toBe(ROLE_WINDOW + 1);
      // The old role is past the latest ROLE_WINDOW briefs: not what he is called now.
      expect(profile?.roles.map((r) => [r.role, r.briefCount])).toEqual([
        ['Defence minister', ROLE_WINDOW],
      ]);
      expect((await t.store.actors.search('belousov'))[0]?.briefCount).toBe(ROLE_WINDOW + 1);
    }, 60_000);

    it('keeps the brief count as briefs are pruned, completed and ingested again', async () => {
      const feed = await addFeed(t.store);
      await briefsWithRole(feed.id, 0, 3, 'Defence minister');
      t.clock.advance(40 * DAY);
      const [retried] = await t.store.ingest(feed.id, [
        {
          keys: ['guid:retry'],
          brief: brief('Headline only'),
          briefError: 'the engine failed',
          destinations: [],
        },
      ]);
      await ingestTitles(t.store, feed.id, ['Nobody named']);
      await briefsWithRole(feed.id, 10, 2, 'Defence minister');
      expect((await t.store.actors.profile('andrei-belousov'))?.briefCount).toBe(5);

      await t.store.prune(30);
      expect((await t.store.actors.profile('andrei-belousov'))?.briefCount).toBe(2);
      const id = retried?.status === 'stored' ? retried.briefId : -1;
      expect(await t.store.briefs.complete(id, brief('Full', { actors: [belousov()] }))).toBe(true);
      const store = await t.reopen();
      expect((await store.actors.profile('andrei-belousov'))?.briefCount).toBe(3);
      expect((await store.actors.search('Belousov'))[0]?.briefCount).toBe(3);
    });
  });

  describe('/actor at scale', () => {
    it('answers fuzzy searches over 10,000 actors quickly', async () => {
      const feed = await addFeed(t.store);
      const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 've', 'zi', 'po'];
      const name = (n: number) =>
        [...String(n).padStart(4, '0')].map((digit) => syllables[Number(digit)]).join('');
      const items = Array.from({ length: 100 }, (_, i) => ({
        keys: [`guid:${i}`],
        brief: brief(`Story ${i}`, {
          actors: Array.from({ length: 100 }, (_, j) => {
            const surname = name(i * 100 + j);
            return actor(`p-${surname}`, `Ivan ${surname[0]?.toUpperCase()}${surname.slice(1)}`);
          }),
        }),
        destinations: [],
      }));
      await t.store.ingest(feed.id, items);

      const started = performance.now();
      const rounds = 20;
      for (let i = 0; i < rounds; i++) {
        const [hit] = await t.store.actors.search('Kalominne');
        expect(hit).toMatchObject({ id: 'p-kalomine', match: 'fuzzy' });
      }
      const perSearch = (performance.now() - started) / rounds;
      expect((await t.store.actors.search('Kalomine'))[0]).toMatchObject({
        id: 'p-kalomine',
        match: 'exact',
      });
      expect((await t.store.actors.search('Kalomne'))[0]).toMatchObject({
        id: 'p-kalomine',
        match: 'fuzzy',
      });
      expect(perSearch).toBeLessThan(50);
    });
  });
}
