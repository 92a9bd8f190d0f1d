import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseOpml, type Reply, toOpml } from '../../../src/app/commands/index.js';
import { syncConfig } from '../../../src/app/jobs/sync.js';
import { checkFeedUrl } from '../../../src/net/guard.js';
import { ROOT } from '../../support/cli.js';
import { type Bot, chat, openBot, rss, serve, storedFeed, textOf } from './helpers.js';

let bot: Bot;
let server: Awaited<ReturnType<typeof serve>>;
beforeEach(async () => {
  bot = openBot({ allowPrivate: true });
  server = await serve({
    '/a.xml': [200, 'application/rss+xml', rss('Tom &amp; Jerry\'s "daily" &lt;3', [])],
    '/b.xml': [
      200,
      'application/atom+xml',
      '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>B feed</title></feed>',
    ],
    '/c.xml': [200, 'application/rss+xml', rss('C', [])],
    '/page.html': [200, 'text/html', '<html><body><p>Just a page.</p></body></html>'],
  });
});
afterEach(async () => {
  await server.close();
  await bot.cleanup();
});

const tg = 'telegram:-100123';
const dc = 'discord:123456789012345678';

function asExport(reply: Reply): Extract<Reply, { kind: 'export' }> {
  if (reply.kind !== 'export') throw new Error(`expected an export: ${reply.text}`);
  return reply;
}

function asImport(reply: Reply): Extract<Reply, { kind: 'import' }> {
  if (reply.kind !== 'import') throw new Error(`expected an import: ${reply.text}`);
  return reply;
}

describe('/export', () => {
  it('writes OPML 2.0 of this chat’s subscriptions, XML-escaped, filters included', async () => {
    await bot.send(chat(tg), `/subscribe ${server.url('/a.xml')} "north korea" -sport`);
    await bot.send(chat(tg), `/subscribe ${server.url('/b.xml')}`);
    const reply = asExport(await bot.send(chat(tg, false), '/export'));
    expect(reply.filename).toBe('briefwire-telegram-100123.opml');
    expect(reply.opml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0" xmlns:briefwire="https://github.com/briefwire/briefwire/opml">',
        '  <head>',
        '    <title>briefwire: telegram:-100123</title>',
        '    <dateCreated>Fri, 14 Mar 2025 08:00:00 GMT</dateCreated>',
        '  </head>',
        '  <body>',
        `    <outline type="rss" text="Tom &amp; Jerry&apos;s &quot;daily&quot; &lt;3" title="Tom &amp; Jerry&apos;s &quot;daily&quot; &lt;3" xmlUrl="${server.url('/a.xml')}" briefwire:filters="&quot;north korea&quot; -sport"/>`,
        `    <outline type="rss" text="B feed" title="B feed" xmlUrl="${server.url('/b.xml')}"/>`,
        '  </body>',
        '</opml>',
        '',
      ].join('\n'),
    );
    expect(reply.text).toMatch(
      /^2 feeds exported as briefwire-telegram-100123\.opml \(OPML\)\.\n\n<\?xml/,
    );
  });

  it('says when there is nothing to export', async () => {
    expect(textOf(await bot.send(chat(tg), '/export'))).toBe(
      'This chat follows no feeds, so there is nothing to export.',
    );
  });

  it('escapes what XML cannot hold as it is, and drops what it cannot hold at all', () => {
    const opml = toOpml(
      [{ xmlUrl: 'https://x.example/?a=1&b=2', title: "O'Brien\u0001 <b>\nnews", filters: '' }],
      { title: 'T & <t>', created: new Date(0) },
    );
    expect(opml).toContain('<title>T &amp; &lt;t&gt;</title>');
    expect(opml).toContain('text="O&apos;Brien &lt;b&gt;&#10;news"');
    expect(opml).toContain('xmlUrl="https://x.example/?a=1&amp;b=2"');
    expect(parseOpml(opml)).toEqual([
      { xmlUrl: 'https://x.example/?a=1&b=2', title: "O'Brien <b>\nnews", filters: '' },
    ]);
  });
});

describe('/import', () => {
  it('round trip: what one chat exports, another imports, filters and all', async () => {
    await bot.send(chat(tg), `/subscribe ${server.url('/a.xml')} "north korea" -sport`);
    await bot.send(chat(tg), `/subscribe ${server.url('/b.xml')} lang:it`);
    const { opml } = asExport(await bot.send(chat(tg), '/export'));

    const reply = asImport(await bot.send(chat(dc), `/import\n${opml}`));
    expect(reply.text).toBe(
      `Import: 2 added, 0 skipped, 0 failed.\n+ ${server.url('/a.xml')}\n+ ${server.url('/b.xml')}`,
    );
    const theirs = await bot.store.subscriptions.listByDestination(dc);
    expect(theirs.map((s) => s.filters)).toEqual([
      { origin: 'chat', filters: '"north korea" -sport' },
      { origin: 'chat', filters: 'lang:it' },
    ]);
    const again = asExport(await bot.send(chat(dc), '/export'));
    expect(parseOpml(again.opml)).toEqual(parseOpml(opml));
    // The feeds were stored once, by the first chat: the import fetched nothing.
    expect(server.hits('/a.xml')).toBe(1);
    expect(server.hits('/b.xml')).toBe(1);
  });

  it('counts added, skipped and failed feeds, with the reason for each', async () => {
    await bot.send(chat(dc), `/subscribe ${server.url('/c.xml')}`);
    const opml = `<?xml version="1.0"?>
<opml version="1.0"><head><title>Mine</title></head><body>
  <outline text="News">
    <outline text="A" xmlUrl="${server.url('/a.xml')}"/>
    <outline text="A again" xmlUrl="${server.url('/a.xml')}"/>
  </outline>
  <!-- <outline xmlUrl="http://commented.example/out"/> -->
  <outline text='C' xmlurl='${server.url('/c.xml')}'/>
  <outline text="Page" xmlUrl="${server.url('/page.html')}"/>
  <outline text="Gone" xmlUrl="${server.url('/gone.xml')}"/>
  <outline text="FTP" xmlUrl="ftp://files.example/feed.xml"/>
  <outline text="Bad filter" xmlUrl="${server.url('/b.xml')}" briefwire:filters="kind:animal"/>
  <outline text="No feed here"/>
</body></opml>`;
    const reply = asImport(await bot.send(chat(dc), `/import ${opml}`));
    expect(reply.added.map((r) => r.url)).toEqual([server.url('/a.xml')]);
    expect(reply.skipped).toEqual([
      { url: server.url('/a.xml'), reason: 'listed twice' },
      { url: server.url('/c.xml'), reason: 'already followed here' },
    ]);
    // Each line names the URL once: the reason says what went wrong with it.
    expect(reply.failed).toEqual([
      { url: server.url('/page.html'), reason: 'is an HTML page, not a feed' },
      { url: server.url('/gone.xml'), reason: 'HTTP 404 Not Found' },
      {
        url: 'ftp://files.example/feed.xml',
        reason: 'only http:// and https:// feeds are supported, not ftp://',
      },
      {
        url: server.url('/b.xml'),
        reason:
          'Those filters cannot be read: kind:animal: expected one of person, organization, country, place',
      },
    ]);
    expect(reply.text).toBe(
      [
        'Import: 1 added, 2 skipped, 4 failed.',
        `+ ${server.url('/a.xml')}`,
        `= ${server.url('/a.xml')}: listed twice`,
        `= ${server.url('/c.xml')}: already followed here`,
        `! ${server.url('/page.html')}: is an HTML page, not a feed`,
        `! ${server.url('/gone.xml')}: HTTP 404 Not Found`,
        '! ftp://files.example/feed.xml: only http:// and https:// feeds are supported, not ftp://',
        `! ${server.url('/b.xml')}: Those filters cannot be read: kind:animal: expected one of person, organization, country, place`,
      ].join('\n'),
    );
    expect((await bot.store.subscriptions.listByDestination(dc)).length).toBe(2);
  });

  it('imports with the guard every chat gets: private addresses fail, the rest go on', async () => {
    const guarded = bot.with({ checkFeedUrl: (url) => checkFeedUrl(url) });
    await storedFeed(bot.store, 'https://93.184.215.14/rss', 'Config', []);
    const opml = `<opml version="2.0"><body><outline xmlUrl="${server.url('/a.xml')}"/><outline xmlUrl="https://93.184.215.14/rss"/></body></opml>`;
    const reply = asImport(await guarded(chat(dc), `/import ${opml}`));
    expect(reply.added.map((r) => r.url)).toEqual(['https://93.184.215.14/rss']);
    expect(reply.failed).toEqual([
      { url: server.url('/a.xml'), reason: 'refused: resolves to a loopback address (127.0.0.1)' },
    ]);
    expect(server.hits('/a.xml')).toBe(0);
  });

  it('a chat imports its own export: a config feed it follows (file:, as the demo) is skipped, not failed', async () => {
    const demo = pathToFileURL(`${ROOT}config/demo/feed.xml`).href;
    // The guard every chat gets: no file:, no private address.
    const shipped = openBot({
      yaml: `feeds:\n  - {url: "${demo}", name: demo}\nsubscriptions:\n  - {feed: demo, destination: console}\n`,
    });
    try {
      await syncConfig(shipped.store, shipped.config);
      const { opml } = asExport(await shipped.send(chat('console'), '/export'));
      const reply = asImport(await shipped.send(chat('console'), `/import\n${opml}`));
      expect(reply.text).toBe(
        `Import: 0 added, 1 skipped, 0 failed.\n= ${demo}: already followed here`,
      );
      // Another chat may not bring a file: feed in, config or not.
      const other = asImport(await shipped.send(chat(tg), `/import\n${opml}`));
      expect(other.failed).toEqual([
        {
          url: demo,
          reason: 'file: feeds can only be set in the config file; give an http:// or https:// URL',
        },
      ]);
    } finally {
      await shipped.cleanup();
    }
  });

  it('explains what it needs when given no OPML, as the chat can give it', async () => {
    expect((await bot.send(chat(tg), '/import')).text).toBe(
      'Paste the OPML text after /import, or send the .opml file with /import as its caption.',
    );
    expect((await bot.send(chat(dc), '/import')).text).toBe('Attach the .opml file to /import.');
    expect((await bot.send(chat('console'), '/import')).text).toBe(
      'Paste the OPML text after /import, or give the file: /import feeds.opml',
    );
    expect((await bot.send(chat('console', true, 'it'), '/import')).text).toBe(
      'Incolla il testo OPML dopo /import, o indica il file: /import feed.opml',
    );
    expect(await bot.send(chat(dc), '/import just some words')).toMatchObject({
      kind: 'error',
      code: 'usage',
      text: 'That is not an OPML subscription list: no <opml> element',
    });
    expect((await bot.send(chat(dc), `/import ${server.url('/a.xml')}`)).text).toBe(
      'That is not an OPML subscription list: this is a URL; use /subscribe URL for one feed',
    );
    expect((await bot.send(chat(dc), '/import <opml><body></body></opml>')).text).toBe(
      'That is not an OPML subscription list: no <outline> with an xmlUrl',
    );
  });

  it('takes at most 50 feeds at once', async () => {
    const outlines = Array.from(
      { length: 51 },
      (_, k) => `<outline xmlUrl="https://feeds.example/${k}.xml"/>`,
    ).join('');
    const reply = await bot.send(
      chat(dc),
      `/import <opml version="2.0"><body>${outlines}</body></opml>`,
    );
    expect(reply.text).toBe('The list has 51 feeds; import at most 50 at a time.');
  });
});
