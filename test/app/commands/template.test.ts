import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveryText } from '../../../src/app/jobs/console-sender.js';
import { type Bot, chat, openBot, rss, serve, textOf } from './helpers.js';

const FEED = rss('Wire', [{ title: 'Primo', link: 'https://news.example/1', text: 'Uno.' }]);

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
const HELP =
  'Set one with /template N full, /template N compact, or your own text with {headline} {link} {source} {date} {summary} {people} {organisations} {places} {hashtags} {image}';

describe('/template', () => {
  it('shows the built-in one, and admins set their own, compact or full', async () => {
    await bot.send(chat(tg), `/subscribe ${server.url('/feed.xml')} ukraine`);
    expect(textOf(await bot.send(chat(tg, false), '/template 1'))).toBe(
      `Wire is posted with the built-in template full (headline, summary, actors, tags).\n${HELP}`,
    );
    expect(
      textOf(await bot.send(chat(tg), '/template 1 {headline}\n{summary}\n— {source} · @everyone')),
    ).toBe('Wire is posted with your template from now on.');
    expect(textOf(await bot.send(chat(tg, false), '/template Wire'))).toBe(
      `Wire is posted with this template:\n{headline}\n{summary}\n— {source} · @\u200beveryone\n${HELP}`,
    );
    const [sub] = await bot.store.subscriptions.listByDestination(tg);
    // The filters stay; the template sits beside them, where the outbox reads it.
    expect(sub?.filters).toEqual({
      origin: 'chat',
      filters: 'ukraine',
      template: '{headline}\n{summary}\n— {source} · @everyone',
    });
    expect(textOf(await bot.send(chat(tg), '/template 1 COMPACT'))).toBe(
      'Wire is posted with the built-in template compact from now on.',
    );
    expect((await bot.store.subscriptions.listByDestination(tg))[0]?.filters).toMatchObject({
      template: 'compact',
    });
  });

  it('refuses a template it cannot read, with the reason, and a plain member who sets one', async () => {
    await bot.send(chat(tg), `/subscribe ${server.url('/feed.xml')}`);
    expect(await bot.send(chat(tg), '/template 1 {headline} {autor}')).toMatchObject({
      kind: 'error',
      code: 'usage',
      text: expect.stringMatching(
        /^That template cannot be used: \{autor\} is no placeholder; there are \{headline\}/,
      ),
    });
    expect(await bot.send(chat(tg), '/template 1 just words')).toMatchObject({
      text: 'That template cannot be used: a template needs at least one placeholder, such as {headline} or {link}',
    });
    expect(await bot.send(chat(tg, false), '/template 1 compact')).toMatchObject({
      code: 'not-admin',
    });
  });

  it('lays out the chat’s posts from then on (the console shows them so)', async () => {
    await bot.send(chat('console'), `/subscribe ${server.url('/feed.xml')}`);
    await bot.send(chat('console'), '/template 1 >> {headline} | {link} | via {source}');
    const [sub] = await bot.store.subscriptions.listByDestination('console');
    await bot.store.ingest(sub?.feedId ?? -1, [
      {
        keys: ['guid:1'],
        brief: {
          title: 'Primo \u001b[31mred',
          url: 'https://news.example/1',
          source: 'Wire',
          publishedAt: null,
          language: 'it',
          summary: ['Uno.'],
          actors: [],
          tags: [],
        },
        destinations: ['console'],
      },
    ]);
    const [delivery] = await bot.store.outbox.pending('console', 1);
    expect(delivery && deliveryText(delivery)).toBe(
      '>> Primo red | https://news.example/1 | via Wire',
    );
  });
});
