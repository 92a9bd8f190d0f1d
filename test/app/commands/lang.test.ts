import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COMMANDS,
  createCommandDeps,
  createCommandHandler,
  type Reply,
} from '../../../src/app/commands/index.js';
import { openSqliteStore } from '../../../src/store/sqlite.js';
import { type Bot, chat, openBot, storedFeed, testConfig, textOf } from './helpers.js';

let bot: Bot;
beforeEach(() => {
  bot = openBot();
});
afterEach(async () => {
  await bot.cleanup();
});

const tg = 'telegram:-100123';

describe('/lang', () => {
  it('switches this chat to Italian, stored in the store as a destination option', async () => {
    expect(textOf(await bot.send(chat(tg), '/lang'))).toBe(
      'I speak English in this chat. To change it: /lang en (English), it (italiano), fr (français), de (Deutsch) or es (español).',
    );
    const reply = await bot.send(chat(tg), '/LANG it');
    expect(reply).toMatchObject({ kind: 'text', language: 'it' });
    expect(reply.text).toBe('Da ora in questa chat parlo italiano.');
    expect(await bot.store.destinations.get(tg)).toEqual({ language: 'it' });
    // Other chats keep theirs.
    expect((await bot.send(chat('console'), '/help')).language).toBe('en');
  });

  it('then every reply is in Italian: help, usage, refusals, errors, feeds, digest', async () => {
    await bot.send(chat(tg), '/lang it');
    const member = chat(tg, false);
    const help = await bot.send(member, '/help');
    if (help.kind !== 'help') throw new Error(help.text);
    expect(help.language).toBe('it');
    expect(help.text.split('\n').slice(0, 3)).toEqual([
      'Comandi:',
      '/help — I comandi che puoi usare qui',
      `/brief [N | URL] — ${COMMANDS.find((c) => c.name === 'brief')?.description.it}`,
    ]);
    expect(help.text).toContain('Gli amministratori della chat possono anche aggiungere');

    const cases: [string, string][] = [
      [
        '/subscribe https://news.example/rss',
        'Solo gli amministratori della chat possono usare /subscribe.',
      ],
      ['/actor', 'Uso: /actor NOME'],
      [
        '/brief',
        'Questa chat non segue ancora nessun feed. Un amministratore può aggiungerne uno con /subscribe URL.',
      ],
      ['/brief tanti', "Indica un numero da 1 a 20, oppure l'URL di un articolo."],
      ['/sottoscrivi', 'Comando sconosciuto: /sottoscrivi. Prova /help.'],
      ['/subscrib', 'Comando sconosciuto: /subscrib. Forse intendevi /subscribe? Prova /help.'],
      ['ciao', 'I comandi iniziano con / — prova /help.'],
      ['/actor Nessuno Qui', 'Nessuno di nome "Nessuno Qui" nelle notizie finora.'],
      ['/digest', 'Nessun riepilogo quotidiano (/digest HH:MM Area/Città lo attiva).'],
      [
        '/lang',
        'In questa chat parlo italiano. Per cambiarla: /lang en (English), it (italiano), fr (français), de (Deutsch) o es (español).',
      ],
    ];
    for (const [text, expected] of cases) {
      const reply = await bot.send(member, text);
      expect(reply.text, text).toBe(expected);
      expect(reply.language).toBe('it');
    }

    const admin = chat(tg);
    expect((await bot.send(admin, '/digest 7:00 Europe/Rome')).text).toBe(
      'Ogni giorno alle 07:00 (Europe/Rome) arriverà un riepilogo delle notizie principali.',
    );
    expect((await bot.send(admin, '/digest 7:00 Europa/Roma')).text).toBe(
      '"Europa/Roma" non è un fuso orario come Europe/Rome. Forse intendevi Europe/Rome?',
    );
    await storedFeed(bot.store, 'https://news.example/rss', 'News', [tg]);
    expect((await bot.send(admin, '/pause')).text).toBe('In pausa: News. /resume per riprendere.');
    expect((await bot.send(admin, '/feeds')).text).toBe(
      [
        'Feed di questa chat:',
        '1. News — https://news.example/rss',
        '   in pausa qui: messo in pausa da un amministratore',
        '',
        'Riepilogo quotidiano alle 07:00 (Europe/Rome).',
        'In un file di configurazione questa chat è telegram:-100123.',
      ].join('\n'),
    );
    expect((await bot.send(admin, '/unsubscribe 4')).text).toBe(
      'Nessun feed "4" qui: indica il suo numero in /feeds (1–1) o il suo URL.',
    );
    expect((await bot.send(admin, '/filter 1 kind:animale')).text).toMatch(
      /^Non riesco a leggere questi filtri: kind:animale: /,
    );
  });

  it('/lang en goes back; an unknown language is explained', async () => {
    await bot.send(chat(tg), '/lang italiano');
    expect((await bot.send(chat(tg), '/lang klingon')).text).toBe(
      '"klingon" non è una lingua che parlo: /lang it, en, fr, de oppure es.',
    );
    expect((await bot.send(chat(tg), '/lang en')).text).toBe(
      'From now on I speak English in this chat.',
    );
    expect((await bot.send(chat(tg, false), '/help')).language).toBe('en');
  });

  it('takes French, German and Spanish, and answers in the language chosen', async () => {
    const set = await bot.send(chat(tg), '/lang français');
    expect(set).toMatchObject({ kind: 'text', language: 'fr' });
    expect(set.text).toBe('Désormais, je parle français dans ce chat.');
    expect(await bot.store.destinations.get(tg)).toEqual({ language: 'fr' });
    expect((await bot.send(chat(tg, false), '/help')).language).toBe('fr');
    expect(textOf(await bot.send(chat(tg), '/lang'))).toBe(
      'Dans ce chat, je parle français. Pour changer : /lang en (English), it (italiano), fr (français), de (Deutsch) ou es (español).',
    );
    expect((await bot.send(chat(tg), '/lang deutsch')).text).toBe(
      'Ab jetzt spreche ich in diesem Chat Deutsch.',
    );
    expect((await bot.send(chat(tg), '/lang espagnol')).text).toBe(
      'A partir de ahora hablo español en este chat.',
    );
    expect((await bot.send(chat(tg), '/lang klingon')).text).toBe(
      '"klingon" no es un idioma que hable: /lang es, en, it, fr o de.',
    );
  });

  it('answers a French chat in French: help, usage, refusals, errors, feeds', async () => {
    await bot.send(chat(tg), '/lang fr');
    const member = chat(tg, false);
    const help = await bot.send(member, '/help');
    expect(help).toMatchObject({ kind: 'help', language: 'fr' });
    expect(help.text.split('\n').slice(0, 3)).toEqual([
      'Commandes :',
      '/help — Les commandes que vous pouvez utiliser ici',
      '/brief [N | URL] — Les dernières brèves des flux de ce chat (N jusqu’à 20), ou la brève d’un article',
    ]);
    expect(help.text).toContain(
      'Les administrateurs du chat peuvent aussi ajouter et gérer des flux',
    );
    const cases: [string, string][] = [
      [
        '/subscribe https://news.example/rss',
        'Seuls les administrateurs du chat peuvent utiliser /subscribe.',
      ],
      ['/actor', 'Utilisation : /actor NOM'],
      ['/brief beaucoup', 'Donnez un nombre de 1 à 20, ou l’URL d’un article.'],
      ['/subscrib', 'Commande inconnue : /subscrib. Vouliez-vous dire /subscribe ? Essayez /help.'],
      ['/actor Personne Ici', 'Personne du nom de "Personne Ici" dans les brèves jusqu’ici.'],
      ['/digest', 'Pas de résumé quotidien (/digest HH:MM Zone/Ville en crée un).'],
    ];
    for (const [text, expected] of cases) {
      const reply = await bot.send(member, text);
      expect(reply.text, text).toBe(expected);
      expect(reply.language).toBe('fr');
    }
    await storedFeed(bot.store, 'https://news.example/rss', 'News', [tg]);
    expect((await bot.send(chat(tg), '/pause')).text).toBe(
      'En pause : News. /resume pour reprendre.',
    );
    expect((await bot.send(chat(tg), '/feeds')).text).toBe(
      [
        'Flux de ce chat :',
        '1. News — https://news.example/rss',
        '   en pause ici : mis en pause par un administrateur',
        '',
        'Pas de résumé quotidien (/digest HH:MM Zone/Ville en crée un).',
        'Dans un fichier de configuration, ce chat est telegram:-100123.',
      ].join('\n'),
    );
  });

  it('answers a German chat in German: help, usage, refusals, errors', async () => {
    await bot.send(chat(tg), '/lang de');
    const member = chat(tg, false);
    const help = await bot.send(member, '/help');
    expect(help).toMatchObject({ kind: 'help', language: 'de' });
    expect(help.text.split('\n').slice(0, 2)).toEqual([
      'Befehle:',
      '/help — Die Befehle, die du hier nutzen kannst',
    ]);
    expect(help.text).toContain('/filter URL | Nummer [Filter | off] — ');
    const cases: [string, string][] = [
      ['/subscribe https://news.example/rss', 'Nur Admins des Chats können /subscribe verwenden.'],
      ['/actor', 'Aufruf: /actor NAME'],
      ['hallo', 'Befehle beginnen mit / — versuch es mit /help.'],
      ['/sottoscrivi', 'Unbekannter Befehl /sottoscrivi. Versuch es mit /help.'],
      [
        '/brief',
        'Dieser Chat folgt noch keinem Feed. Ein Admin kann einen mit /subscribe URL hinzufügen.',
      ],
    ];
    for (const [text, expected] of cases) {
      const reply = await bot.send(member, text);
      expect(reply.text, text).toBe(expected);
      expect(reply.language).toBe('de');
    }
    expect((await bot.send(chat(tg), '/digest 25:00')).text).toBe(
      '"25:00" ist keine Uhrzeit wie 07:30 (24-Stunden-Format).',
    );
  });

  it('is kept across restarts (it lives in the store)', async () => {
    await bot.send(chat(tg), '/lang it');
    await bot.store.close();
    const store = openSqliteStore(bot.file);
    try {
      const handle = createCommandHandler(createCommandDeps({ store, config: bot.config }));
      expect((await handle({ text: '/help', chat: chat(tg, false) })).language).toBe('it');
    } finally {
      await store.close();
    }
  });

  it('without /lang: the config’s language for the destination, else the sender’s, else English', async () => {
    const configured = openBot({ yaml: 'destinations:\n  "telegram:-100123": {language: it}\n' });
    try {
      expect((await configured.send(chat(tg, false), '/help')).language).toBe('it');
      expect((await configured.send(chat('telegram:-5', false, 'it'), '/help')).language).toBe(
        'it',
      );
      expect((await configured.send(chat('telegram:-5', false), '/help')).language).toBe('en');
      await configured.send(chat(tg), '/lang en');
      expect((await configured.send(chat(tg, false, 'it'), '/help')).language).toBe('en');
    } finally {
      await configured.cleanup();
    }
    expect(testConfig().destinations).toEqual({});
  });
});

describe('the replies', () => {
  it('replies carry plain text: no markup to escape wrongly', async () => {
    const replies: Reply[] = [];
    for (const language of ['en', 'it', 'fr', 'de', 'es']) {
      await bot.send(chat(tg), `/lang ${language}`);
      for (const text of ['/help', '/start', '/feeds', '/brief', '/digest']) {
        replies.push(await bot.send(chat(tg), text));
      }
    }
    for (const reply of replies) expect(reply.text).not.toMatch(/<\/?[a-z]+>|\*\*|__/);
  });
});
