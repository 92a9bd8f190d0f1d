import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommandDeps, createCommandHandler } from '../../../src/app/commands/index.js';
import { type Bot, chat, ingestArticles, openBot, serve, storedFeed, textOf } from './helpers.js';

const ARTICLE = `<!doctype html><html lang="en"><head><title>Umerov meets Yoon in Seoul</title></head>
<body><article><h1>Umerov meets Yoon in Seoul</h1>
<p>Ukraine's Defence Minister Rustem Umerov met South Korean President Yoon Suk Yeol in Seoul on Friday to discuss North Korean troops fighting for Russia.</p>
<p>Umerov said Kyiv needed air defence systems and asked Seoul to share intelligence on the troops sent by Pyongyang.</p>
<p>Yoon said South Korea would respond in stages to the deepening military ties between Moscow and Pyongyang.</p>
</article></body></html>`;

const NOTE = `Umerov meets Yoon in Seoul

Ukraine's Defence Minister Rustem Umerov met South Korean President Yoon Suk Yeol in Seoul.`;

let bot: Bot;
let server: Awaited<ReturnType<typeof serve>>;
beforeEach(async () => {
  bot = openBot({ allowPrivate: true });
  server = await serve({
    '/article.html': [200, 'text/html; charset=utf-8', ARTICLE],
    '/scan.pdf': [200, 'application/pdf', '%PDF-1.7\n\u0000\u0001binary'],
    '/note.txt': [200, 'text/plain; charset=utf-8', NOTE],
  });
});
afterEach(async () => {
  await server.close();
  await bot.cleanup();
});

const tg = 'telegram:-100123';

function articles(n: number) {
  return Array.from({ length: n }, (_, k) => ({
    title: `Story number ${k + 1} from Brussels`,
    text: `European Union leaders met in Brussels on day ${k + 1} to discuss support for Ukraine.`,
    url: `https://news.example/${k + 1}`,
    source: 'Example News',
    language: 'en',
  }));
}

describe('/brief', () => {
  it('says how to start when the chat follows no feed, and when nothing came yet', async () => {
    expect(textOf(await bot.send(chat(tg), '/brief'))).toBe(
      'This chat follows no feeds yet. An admin can add one with /subscribe URL.',
    );
    await storedFeed(bot.store, 'https://news.example/rss', 'Example', [tg]);
    expect(textOf(await bot.send(chat(tg), '/brief'))).toBe(
      'No briefs yet from the feeds of this chat; they come as new articles are published.',
    );
  });

  it('answers the latest 5 briefs of this chat’s feeds, newest first; N up to 20', async () => {
    const feed = await storedFeed(bot.store, 'https://news.example/rss', 'Example', [tg]);
    const other = await storedFeed(bot.store, 'https://other.example/rss', 'Other', ['console']);
    await ingestArticles(bot, feed, articles(25), [tg]);
    await ingestArticles(
      bot,
      other,
      [{ title: 'Not for this chat', text: 'Elsewhere.' }],
      ['console'],
    );

    const five = await bot.send(chat(tg, false), '/brief');
    if (five.kind !== 'briefs') throw new Error(five.text);
    expect(five.briefs.map((b) => b.title)).toEqual([
      'Story number 25 from Brussels',
      'Story number 24 from Brussels',
      'Story number 23 from Brussels',
      'Story number 22 from Brussels',
      'Story number 21 from Brussels',
    ]);
    expect(five.briefs[0]?.actors.map((a) => a.id)).toContain('brussels');
    expect(five.text).toMatch(/^The latest 5 briefs:\n\nStory number 25 from Brussels\n/);

    const two = await bot.send(chat(tg), '/brief 2');
    expect(two.kind === 'briefs' && two.briefs.length).toBe(2);
    const most = await bot.send(chat(tg), '/brief 20');
    expect(most.kind === 'briefs' && most.briefs.length).toBe(20);
    const one = await bot.send(chat(tg), '/brief 1');
    expect(one.text).toMatch(/^The latest brief:/);
  });

  it.each(['0', '21', '50', 'many', '3 4'])('explains what /brief %s should be', async (arg) => {
    const reply = await bot.send(chat(tg), `/brief ${arg}`);
    expect(reply).toMatchObject({
      kind: 'error',
      code: 'usage',
      text: 'Give a number from 1 to 20, or an article URL.',
    });
  });

  it('/brief URL briefs any article, fetched once', async () => {
    const reply = await bot.send(chat(tg, false), `/brief ${server.url('/article.html')}`);
    if (reply.kind !== 'brief') throw new Error(reply.text);
    expect(reply.brief.title).toBe('Umerov meets Yoon in Seoul');
    expect(reply.brief.url).toBe(server.url('/article.html'));
    expect(reply.brief.language).toBe('en');
    expect(reply.brief.actors.find((a) => a.id === 'rustem-umerov')).toMatchObject({
      kind: 'person',
      role: "Ukraine's Defence Minister",
    });
    expect(reply.brief.actors.map((a) => a.id)).toEqual(
      expect.arrayContaining(['yoon-suk-yeol', 'seoul', 'south-korea', 'ukraine']),
    );
    expect(reply.text).toMatch(/^Umerov meets Yoon in Seoul\n/);
    expect(server.hits('/article.html')).toBe(1);
  });

  it('/brief URL refuses private addresses with the guard every chat gets', async () => {
    const guarded = createCommandHandler(
      createCommandDeps({ store: bot.store, config: bot.config }),
    );
    const reply = await guarded({ text: `/brief ${server.url('/article.html')}`, chat: chat(tg) });
    expect(reply).toMatchObject({ kind: 'error', code: 'bad-url' });
    expect(reply.text).toBe(
      `Could not brief that article: ${server.url('/article.html')}: refused: resolves to a loopback address (127.0.0.1)`,
    );
    expect(server.hits('/article.html')).toBe(0);
  });

  it('/brief URL refuses a name that resolves to a private address when connecting (DNS rebinding)', async () => {
    // The check sees a public address, the connection would get loopback.
    let lookups = 0;
    const lookup = async () => {
      lookups++;
      return [{ address: lookups === 1 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
    };
    const guarded = createCommandHandler(
      createCommandDeps({ store: bot.store, config: bot.config, guard: { lookup } }),
    );
    const url = server.url('/article.html').replace('127.0.0.1', 'rebind.test');
    const reply = await guarded({ text: `/brief ${url}`, chat: chat(tg) });
    expect(reply).toMatchObject({ kind: 'error' });
    expect(reply.text).toMatch(
      /rebind\.test.*: refused: resolves to a loopback address \(127\.0\.0\.1\)$/,
    );
    expect(server.hits('/article.html')).toBe(0);
  });

  it('/brief URL: one person may ask 3 times a minute, in any chat; the reply says when to try again', async () => {
    const url = server.url('/note.txt');
    const ann = 'telegram:1001';
    for (let k = 0; k < 3; k++) {
      expect((await bot.send(chat(tg), `/brief ${url}`, ann)).kind).toBe('brief');
    }
    bot.clock.now += 18_000;
    const fourth = await bot.send(chat('telegram:-100999'), `/brief ${url}`, ann);
    expect(fourth).toMatchObject({
      kind: 'error',
      code: 'rate-limited',
      text: 'You asked for 3 articles within a minute, the limit for one person; try again in 42 s.',
    });
    expect(server.hits('/note.txt')).toBe(3);
    // Someone else in the same chat is not held up; Ann is, until her minute is over.
    expect((await bot.send(chat(tg), `/brief ${url}`, 'telegram:1002')).kind).toBe('brief');
    bot.clock.now += 41_000;
    expect((await bot.send(chat(tg), `/brief ${url}`, ann)).kind).toBe('error');
    bot.clock.now += 1_000;
    expect((await bot.send(chat(tg), `/brief ${url}`, ann)).kind).toBe('brief');
    expect(bot.errors).toEqual([]);
  });

  it('/brief URL: one chat may ask 10 times a minute, all its people together', async () => {
    const url = server.url('/note.txt');
    for (let k = 0; k < 10; k++) {
      bot.clock.now += 1_000;
      expect((await bot.send(chat(tg), `/brief ${url}`, `telegram:${2000 + k}`)).kind).toBe(
        'brief',
      );
    }
    const italian = await bot.send(chat(tg, false, 'it'), `/brief ${url}`, 'telegram:3000');
    expect(italian).toMatchObject({
      kind: 'error',
      code: 'rate-limited',
      text: 'In questa chat sono stati chiesti 10 articoli in un minuto, il limite per una chat; riprova tra 51 s.',
    });
    // Another chat is not held up, nor is /brief without a URL.
    expect((await bot.send(chat('telegram:-100999'), `/brief ${url}`)).kind).toBe('brief');
    expect((await bot.send(chat(tg), '/brief')).kind).toBe('text');
    expect(server.hits('/note.txt')).toBe(11);
  });

  it('/brief URL errors are one line', async () => {
    const missing = await bot.send(chat(tg), `/brief ${server.url('/gone.html')}`);
    expect(missing).toMatchObject({
      kind: 'error',
      code: 'failed',
      text: `Could not brief that article: ${server.url('/gone.html')}: HTTP 404 Not Found`,
    });
    const pdf = await bot.send(chat(tg), `/brief ${server.url('/scan.pdf')}`);
    expect(pdf.text).toBe(
      `Could not brief that article: ${server.url('/scan.pdf')}: looks like binary data (PDF), not an article`,
    );
    const ftp = await bot.send(chat(tg), '/brief ftp://news.example/a.txt');
    expect(ftp).toMatchObject({ kind: 'error', code: 'bad-url' });
    expect(ftp.text).toBe('"ftp://news.example/a.txt" is not an http:// or https:// URL.');
    expect(bot.errors).toEqual([]);
  });
});
