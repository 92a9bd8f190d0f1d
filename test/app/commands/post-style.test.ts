import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Bot, chat, openBot, rss, serve, storedFeed, textOf } from './helpers.js';

const FEED = rss('Notizie &amp; Mondo', [
  { title: 'Primo', link: 'https://news.example/1', text: 'Uno.' },
]);

let bot: Bot;
let server: Awaited<ReturnType<typeof serve>>;
beforeEach(async () => {
  bot = openBot({ allowPrivate: true });
  server = await serve({ '/feed.xml': [200, 'application/rss+xml; charset=utf-8', FEED] });
});
afterEach(async () => {
  await server.close();
  await bot.cleanup();
});

const tg = 'telegram:-100123';

describe('/media and /preview', () => {
  it('show for anyone, and admins turn them off and on; the brief is posted so', async () => {
    await bot.send(chat(tg), `/subscribe ${server.url('/feed.xml')} ukraine`);
    expect(textOf(await bot.send(chat(tg, false), '/media 1'))).toBe(
      'Images of Notizie & Mondo: on (a brief with a picture comes as a photo).',
    );
    expect(textOf(await bot.send(chat(tg), '/media 1 off'))).toBe(
      'Images of Notizie & Mondo are off now.',
    );
    expect(textOf(await bot.send(chat(tg), '/preview Notizie & Mondo off'))).toBe(
      'Link previews of Notizie & Mondo are off now.',
    );
    expect(textOf(await bot.send(chat(tg, false), '/preview 1'))).toBe(
      'Link previews of Notizie & Mondo: off.',
    );
    const [sub] = await bot.store.subscriptions.listByDestination(tg);
    // The filters stay; the switches sit beside them, where the outbox reads them.
    expect(sub?.filters).toEqual({
      origin: 'chat',
      filters: 'ukraine',
      media: false,
      preview: false,
    });
    await bot.store.ingest(sub?.feedId ?? -1, [
      {
        keys: ['guid:1'],
        brief: {
          title: 'Primo',
          url: 'https://news.example/1',
          source: null,
          publishedAt: null,
          language: 'it',
          summary: [],
          actors: [],
          tags: [],
          image: 'https://img.example/1.jpg',
        },
        destinations: [tg],
      },
    ]);
    expect((await bot.store.outbox.pending(tg, 1))[0]).toMatchObject({
      media: false,
      preview: false,
    });
    expect(textOf(await bot.send(chat(tg), '/media 1 on'))).toBe(
      'Images of Notizie & Mondo are on now.',
    );
    const [after] = await bot.store.subscriptions.listByDestination(tg);
    expect(after?.filters).toEqual({ origin: 'chat', filters: 'ukraine', preview: false });
  });

  it('refuses a plain member who sets them, and a word that is not on or off', async () => {
    await bot.send(chat(tg), `/subscribe ${server.url('/feed.xml')}`);
    expect(await bot.send(chat(tg, false), '/media 1 off')).toMatchObject({ code: 'not-admin' });
    expect(await bot.send(chat(tg), '/media 1 maybe @everyone')).toMatchObject({
      kind: 'error',
      code: 'usage',
      text: 'Say on or off, not "maybe @\u200beveryone".',
    });
    expect(await bot.send(chat(tg), '/preview 7 off')).toMatchObject({ kind: 'error' });
    expect(await bot.send(chat(tg), '/media')).toMatchObject({
      code: 'usage',
      text: 'Usage: /media URL | number [on | off]',
    });
  });

  it('speak Italian in an Italian chat', async () => {
    await bot.send(chat(tg), `/subscribe ${server.url('/feed.xml')}`);
    await bot.send(chat(tg), '/lang it');
    expect(textOf(await bot.send(chat(tg), '/media 1 off'))).toBe(
      'Da ora le immagini di Notizie & Mondo sono disattivate.',
    );
  });

  it('on a subscription from the config file: the change holds until the config changes', async () => {
    const feed = await storedFeed(bot.store, 'https://config.example/rss', 'Config', []);
    await bot.store.subscriptions.add(feed.id, tg, {
      filters: 'ukraine',
      origin: 'config',
      template: 'compact',
      entry: 'abc123',
    });
    expect(textOf(await bot.send(chat(tg), '/media 1 off'))).toBe(
      "Images of Config are off now.\nThis feed comes from the config file: your change holds until the config's entry for it changes.",
    );
    const [sub] = await bot.store.subscriptions.listByDestination(tg);
    expect(sub?.filters).toEqual({
      filters: 'ukraine',
      origin: 'config',
      template: 'compact',
      entry: 'abc123',
      media: false,
    });
    expect(await bot.store.subscriptions.overrideOf(feed.id, tg)).toMatchObject({
      configEntry: 'abc123',
    });
  });
});
