import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COMMANDS,
  commandFromOptions,
  createCommandHandler,
  parseCommandLine,
  type Reply,
} from '../../../src/app/commands/index.js';
import { type Bot, chat, openBot, textOf } from './helpers.js';

let bot: Bot;
beforeEach(() => {
  bot = openBot();
});
afterEach(async () => {
  await bot.cleanup();
});

describe('COMMANDS', () => {
  it('describes every command once, in English and Italian, within the platforms’ limits', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      'start',
      'help',
      'brief',
      'actor',
      'feeds',
      'subscribe',
      'unsubscribe',
      'filter',
      'media',
      'preview',
      'template',
      'digest',
      'pause',
      'resume',
      'export',
      'import',
      'lang',
    ]);
    for (const c of COMMANDS) {
      expect(c.name).toMatch(/^[a-z][a-z0-9_]{0,31}$/);
      for (const language of ['en', 'it'] as const) {
        expect(c.description[language].length, `${c.name} ${language}`).toBeGreaterThan(3);
        expect(c.description[language].length, `${c.name} ${language}`).toBeLessThanOrEqual(100);
        for (const option of c.options) {
          expect(option.name).toMatch(/^[a-z_]{1,32}$/);
          expect(option.description[language].length).toBeLessThanOrEqual(100);
        }
      }
    }
  });

  it('marks the commands that change the chat’s feeds as admin-only', () => {
    const admin = COMMANDS.filter((c) => c.admin).map((c) => c.name);
    expect(admin).toEqual(['subscribe', 'unsubscribe', 'pause', 'resume', 'import']);
  });

  it('lets anyone read a setting that only admins may change: /filter, /media, /preview, /template, /digest, /lang', () => {
    const policy = (name: string) => COMMANDS.find((c) => c.name === name)?.policy.who;
    expect(['filter', 'media', 'preview', 'template', 'digest', 'lang'].map(policy)).toEqual([
      'admins-to-change',
      'admins-to-change',
      'admins-to-change',
      'admins-to-change',
      'admins-to-change',
      'admins-to-change',
    ]);
    expect(['brief', 'actor', 'feeds', 'export', 'help', 'start'].map(policy)).toEqual(
      Array(6).fill('anyone'),
    );
  });

  it('turns slash-command options into the text the handler reads', () => {
    expect(commandFromOptions('digest', { time: '07:30', timezone: 'Europe/Rome' })).toBe(
      '/digest 07:30 Europe/Rome',
    );
    expect(commandFromOptions('brief', { count: 3 })).toBe('/brief 3');
    expect(commandFromOptions('subscribe', { url: 'https://x/feed', filters: 'lang:it' })).toBe(
      '/subscribe https://x/feed lang:it',
    );
    expect(commandFromOptions('import', { file: '<opml/>' })).toBe('/import\n<opml/>');
  });
});

describe('reading a command', () => {
  it('takes any case, /cmd@botname, and keeps the arguments', () => {
    expect(parseCommandLine('/Brief@Briefwire_bot  3 ')).toEqual({
      name: 'brief',
      bot: 'Briefwire_bot',
      args: '3',
    });
    expect(parseCommandLine('  /SUBSCRIBE https://x/feed.xml lang:it')).toEqual({
      name: 'subscribe',
      bot: null,
      args: 'https://x/feed.xml lang:it',
    });
    expect(parseCommandLine('/import\n<opml>\n</opml>')?.args).toBe('<opml>\n</opml>');
    expect(parseCommandLine('hello')).toBeNull();
    expect(parseCommandLine('/')).toBeNull();
  });

  it('answers /HELP and /help@thisbot, ignores /help@otherbot', async () => {
    const c = chat('telegram:-100123', false);
    expect((await bot.send(c, '/HELP')).kind).toBe('help');
    expect((await bot.send(c, '/help@briefwire_bot')).kind).toBe('help');
    const named = createCommandHandler(bot.deps);
    expect(
      (await named({ text: '/help@Briefwire_Bot', chat: c, botName: '@briefwire_bot' })).kind,
    ).toBe('help');
    expect((await named({ text: '/help@other_bot', chat: c, botName: 'briefwire_bot' })).kind).toBe(
      'ignored',
    );
  });

  it('never stays silent: unknown commands, plain text and empty text get a useful line', async () => {
    const c = chat('console');
    const unknown = await bot.send(c, '/subscrbe https://x');
    expect(unknown).toMatchObject({ kind: 'error', code: 'unknown-command' });
    expect(unknown.text).toBe('Unknown command /subscrbe. Did you mean /subscribe? Try /help.');
    expect((await bot.send(c, '/xyzzy')).text).toBe('Unknown command /xyzzy. Try /help.');
    for (const text of ['hello', '', '   ']) {
      const reply = await bot.send(c, text);
      expect(reply).toMatchObject({ kind: 'error', code: 'unknown-command' });
      expect(reply.text).toBe('Commands start with / — try /help.');
    }
  });

  it('quotes back what was typed short and clean: no bidi override, control or 5,000 characters', async () => {
    const c = chat('console');
    const long = `https://${'a'.repeat(5400)}`;
    const url = await bot.send(c, `/brief ftp://${'x'.repeat(5400)}`);
    expect(url.text).toMatch(/^"ftp:\/\/x+…" is not an http:\/\/ or https:\/\/ URL\.$/);
    expect(url.text.length).toBeLessThan(120);
    const command = await bot.send(c, `/${'z'.repeat(5400)}`);
    expect(command.text).toMatch(/^Unknown command \/z+…\. Try \/help\.$/);
    expect(command.text.length).toBeLessThan(120);
    // U+202E would show the rest of the reply right to left: "...sefeirb eht ni".
    const actor = await bot.send(c, '/actor \u202eBelousov\u0007 @jack_smith');
    expect(actor.text).toBe('No one called "Belousov @\u200bjack_smith" in the briefs so far.');
    const language = await bot.send(c, `/lang ${long}`);
    expect(language.text).toMatch(/^"https:\/\/a+…" is not a language I speak/);
    expect(language.text.length).toBeLessThan(140);
  });

  it('gives the usage when an argument is missing', async () => {
    const c = chat('console');
    const cases: [string, string][] = [
      ['/actor', 'Usage: /actor NAME'],
      ['/subscribe', 'Usage: /subscribe URL [filters]'],
      ['/unsubscribe', 'Usage: /unsubscribe URL | number'],
      ['/filter', 'Usage: /filter URL | number [filters | off]'],
      ['/digest 7:30 Europe/Rome extra', 'Usage: /digest HH:MM [time zone] | off'],
    ];
    for (const [text, expected] of cases) {
      const reply = await bot.send(c, text);
      expect(reply, text).toMatchObject({ kind: 'error', code: 'usage', text: expected });
    }
  });

  it('apologises, without a stack trace, when something breaks inside', async () => {
    const broken = bot.with({
      store: {
        ...bot.store,
        briefs: {
          ...bot.store.briefs,
          latestFor: async () => {
            throw new Error('disk on fire\n    at somewhere (file.js:1:1)');
          },
        },
      },
    });
    await bot.store.feeds
      .add({
        url: 'https://a.example/rss',
        name: 'a',
        intervalSeconds: 60,
        languageHint: null,
        origin: 'config',
      })
      .then(({ feed }) => bot.store.subscriptions.add(feed.id, 'console'));
    const reply = await broken(chat('console'), '/brief');
    expect(reply).toMatchObject({ kind: 'error', code: 'internal' });
    expect(reply.text).toBe('Something went wrong on my side; please try again.');
    expect(reply.text).not.toMatch(/at |disk/);
    expect(bot.errors).toHaveLength(1);
  });
});

describe('/start and /help', () => {
  it('lists only what this user may do', async () => {
    const member = chat('telegram:-100123', false);
    const help = await bot.send(member, '/help');
    if (help.kind !== 'help') throw new Error(help.text);
    // What a member may read is listed too: /filter, /media, /preview, /template, /digest and
    // /lang show the current setting.
    expect(help.commands.map((c) => c.name)).toEqual([
      'help',
      'brief',
      'actor',
      'feeds',
      'filter',
      'media',
      'preview',
      'template',
      'digest',
      'export',
      'lang',
    ]);
    expect(help.text).toContain('/brief [N | URL] — ');
    expect(help.text).toContain('/lang en | it | fr | de | es — ');
    expect(help.text).not.toContain('/subscribe URL');
    expect(help.text).toContain('Chat admins can also add and manage feeds');

    const admin = chat('telegram:-100123', true);
    const all = (await bot.send(admin, '/help')) as Extract<Reply, { kind: 'help' }>;
    expect(all.commands.map((c) => c.name)).toContain('subscribe');
    expect(all.commands.filter((c) => c.admin)).toHaveLength(5);
    expect(all.commands).toHaveLength(16);
    expect(all.text).toContain('/subscribe URL [filters] — Follow an RSS/Atom feed here');
    expect(all.text).not.toContain('/start');
  });

  it('/start says what the bot does, then the commands', async () => {
    const reply = await bot.send(chat('console'), '/start');
    expect(textOf(reply, 'help')).toMatch(/^Hi! I turn news feeds into short briefs/);
    expect(reply.text).toContain('Commands:');
  });

  it('a failing admin check lists what anyone may do', async () => {
    const c = chat('telegram:-1');
    c.isAdmin = async () => {
      throw new Error('getChatMember: 400');
    };
    const help = await bot.send(c, '/help');
    expect(help.kind === 'help' && help.commands.some((x) => x.admin)).toBe(false);
  });
});

describe('admin commands', () => {
  const adminCommands = [
    '/subscribe https://news.example/rss',
    '/unsubscribe 1',
    '/filter 1 ukraine',
    '/digest 07:30 Europe/Rome',
    '/digest off',
    '/pause',
    '/resume 1',
    '/import <opml version="2.0"><body><outline xmlUrl="https://a.example/rss"/></body></opml>',
    '/lang it',
  ];

  it.each(adminCommands)('refuses %s from a non-admin, saying who may', async (text) => {
    const member = chat('telegram:-100123', false);
    const reply = await bot.send(member, text);
    const name = /^\/(\w+)/.exec(text)?.[1];
    expect(reply).toMatchObject({ kind: 'error', code: 'not-admin' });
    expect(reply.text).toBe(`Only chat admins can use /${name}.`);
    expect(member.asked).toBe(1);
  });

  it('leaves the store untouched when it refuses', async () => {
    const member = chat('telegram:-100123', false);
    for (const text of adminCommands) await bot.send(member, text);
    expect(await bot.store.feeds.list()).toEqual([]);
    expect(await bot.store.digests.list()).toEqual([]);
    expect(await bot.store.destinations.get('telegram:-100123')).toEqual({});
  });

  it('asks nothing for commands anyone may run', async () => {
    const member = chat('telegram:-100123', false);
    for (const text of [
      '/brief',
      '/feeds',
      '/export',
      '/actor kim',
      '/lang',
      '/digest',
      '/filter 1',
    ]) {
      await bot.send(member, text);
    }
    expect(member.asked).toBe(0);
  });

  it('says so when the admin check itself fails', async () => {
    const c = chat('telegram:-100123');
    c.isAdmin = async () => {
      throw new Error('Bad Request: chat not found');
    };
    const reply = await bot.send(c, '/pause');
    expect(reply).toMatchObject({ kind: 'error', code: 'not-admin' });
    expect(reply.text).toBe(
      'Could not check whether you are an admin of this chat (Bad Request: chat not found); try again.',
    );
  });
});
