/**
 * `briefwire run` driven through stdin, as a script would: the built command (`npm test`
 * builds it first) in a child process, a data dir of its own, a feed served on 127.0.0.1
 * (and the shipped default config with its demo file feed). Each spawn takes about a second.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { type FeedServer, type Item, rss, startFeedServer } from '../app/jobs/helpers.js';
import { addFeed, damagePage } from '../store/helpers.js';
import { CLI, expectOneLineError, type Run, runCli } from '../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'briefwire-console-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `briefwire run ARGS` with `stdin` piped in and the data dir given by BRIEFWIRE_DATA_DIR. */
function run(args: string[], stdin: string, dataDir: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, BRIEFWIRE_DATA_DIR: dataDir };
  // No tokens and no outside settings: console mode, as on a fresh machine.
  for (const name of [
    'BRIEFWIRE_CONFIG',
    'LOG_LEVEL',
    'TELEGRAM_BOT_TOKEN',
    'DISCORD_TOKEN',
    'HTTP_PORT',
  ]) {
    delete env[name];
  }
  return runCli(['run', ...args], { stdin, env });
}

/** How many times `text` occurs in `output`. */
function count(output: string, text: string): number {
  return output.split(text).length - 1;
}

/** Output of a run that went well: exit 0, no stack trace anywhere. */
function expectClean(result: Run): void {
  if (result.code !== 0) console.error(result.stderr);
  expect(result.code).toBe(0);
  expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+|node:internal|\[error\]/);
}

function configFile(name: string, yaml: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
});

const CAMILLERI: Item = {
  guid: 'loopback-1',
  link: 'https://news.example/malta-ferry-terminal',
  date: '2025-03-18T09:00:00Z',
  title: 'Malta approves a new ferry terminal in Valletta harbour',
  text: "VALLETTA — Malta's government approved on Tuesday a new ferry terminal in the Grand Harbour, to be built by 2027. Transport minister Joseph Camilleri said the terminal would halve waiting times for travellers to Gozo. The European Investment Bank will lend half of the 90 million euros the project costs. Camilleri told reporters that work would start in the autumn.",
};
const FIGUEIRA: Item = {
  guid: 'loopback-2',
  link: 'https://news.example/lisbon-floating-solar',
  date: '2025-03-19T10:30:00Z',
  title: 'Lisbon opens its first floating solar park on the Tagus',
  text: 'LISBON — Portugal switched on its first floating solar park on Wednesday, on a reservoir upstream of Lisbon on the Tagus. The park was built by the utility EDP and will supply power to 12,000 homes, said Marta Figueira, the company\'s head of renewables. Environment minister Rui Carvalho called it "a first step" and promised three more parks by 2028.',
};
const RIQUELME: Item = {
  guid: 'loopback-3',
  link: 'https://news.example/andean-glaciers',
  date: '2025-03-20T12:00:00Z',
  title: 'Chile and Argentina agree to share data on Andean glaciers',
  text: "SANTIAGO — Chile and Argentina signed an agreement on Thursday to share satellite data on the glaciers of the Andes. Chile's science minister Tomás Riquelme said both countries lose ice faster than expected. The University of Chile will host a joint laboratory from next year.",
};

describe('briefwire run, a feed on 127.0.0.1', () => {
  let server: FeedServer;
  let config: string;
  const dataDir = path.join(dir, 'http-data');
  const feedRequests = (): number =>
    server.requests.filter((r) => r.url === '/news/feed.xml').length;

  beforeAll(async () => {
    server = await startFeedServer({ body: rss([FIGUEIRA, CAMILLERI], 'Loopback News') });
    config = configFile(
      'http.yaml',
      `# A real HTTP feed on loopback, which only a config may allow.
dataDir: ignored-the-environment-wins
logLevel: warn
feeds:
  - url: ${server.url('/news/feed.xml')}
    name: loopback
    interval: 1s
    firstPollPosts: 10
    allowPrivate: true
subscriptions:
  - feed: loopback
    destination: console
polling:
  jitter: 0
`,
    );
  });
  afterAll(() => server.close());

  it('prints the briefs of the feed, answers the commands and exits 0 at the end of input', async () => {
    const result = await run(
      ['--config', config],
      ['/brief', '/actor camilleri', '/feeds', '/frobnicate', '/brif', 'hello there', ''].join(
        '\n',
      ),
      dataDir,
    );
    expectClean(result);
    expect(feedRequests()).toBe(1);
    expect(existsSync(path.join(dataDir, 'briefwire.db'))).toBe(true);
    const out = result.stdout;

    // The outbox printed each new brief once (oldest first), before the first reply.
    const latest = out.indexOf('The latest 2 briefs:');
    expect(latest).toBeGreaterThan(0);
    const delivered = out.slice(0, latest);
    expect(delivered.indexOf(CAMILLERI.title)).toBeGreaterThanOrEqual(0);
    expect(delivered.indexOf(CAMILLERI.title)).toBeLessThan(delivered.indexOf(FIGUEIRA.title));
    expect(count(delivered, CAMILLERI.title)).toBe(1);
    expect(count(delivered, FIGUEIRA.title)).toBe(1);
    // Briefs, not bare items: the actors with their roles, the tags, the link.
    expect(delivered).toContain('Joseph Camilleri — Transport minister');
    expect(delivered).toContain("Marta Figueira — company's head of renewables");
    expect(delivered).toContain('#Camilleri');
    expect(delivered).toContain(CAMILLERI.link);

    // /brief: the same two, newest first.
    const replies = out.slice(latest);
    expect(replies.indexOf(FIGUEIRA.title)).toBeLessThan(replies.indexOf(CAMILLERI.title));
    expect(count(replies, FIGUEIRA.title)).toBeGreaterThanOrEqual(1);

    // /actor (lower case, as typed): who, the role the article gives, the story.
    expect(replies).toMatch(/^Joseph Camilleri\nperson · in 1 brief/m);
    expect(replies).toMatch(/• Transport minister \(2025-03-18, 1 brief\)/);
    expect(replies).toMatch(/2025-03-18 · Malta approves a new ferry terminal/);

    // /feeds: the feed by name and URL.
    expect(replies).toContain(`Feeds of this chat:\n1. loopback — ${server.url('/news/feed.xml')}`);

    // Unknown commands and plain text get a short useful reply, never silence.
    expect(replies).toContain('Unknown command /frobnicate. Try /help.');
    expect(replies).toContain('Unknown command /brif. Did you mean /brief? Try /help.');
    expect(replies).toContain('Commands start with / — try /help.');
    expect(out.endsWith('Commands start with / — try /help.\n\n')).toBe(true);
  });

  it('run again on the same data dir: the feed is polled again, and no brief is printed twice', async () => {
    // The feed is due again (interval 1s), now reordered with one new item.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    server.state.reply.body = rss([CAMILLERI, RIQUELME, FIGUEIRA], 'Loopback News');
    const result = await run(['--config', config], '', dataDir);
    expectClean(result);
    expect(feedRequests()).toBe(2);
    expect(result.stdout).toContain(RIQUELME.title);
    expect(result.stdout).toMatch(/Tomás Riquelme — .*minister/);
    expect(count(result.stdout, RIQUELME.title)).toBe(1);
    expect(result.stdout).not.toContain(CAMILLERI.title);
    expect(result.stdout).not.toContain(FIGUEIRA.title);

    // And once more: nothing new, nothing printed; /brief still has all three.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = await run(['--config', config], '/brief 10\n', dataDir);
    expectClean(again);
    expect(feedRequests()).toBe(3);
    expect(again.stdout.startsWith('The latest 3 briefs:\n')).toBe(true);
    for (const item of [CAMILLERI, FIGUEIRA, RIQUELME]) {
      expect(count(again.stdout, item.title)).toBe(1);
    }
  });
});

describe('briefwire run, a feed whose text is written for the terminal', () => {
  // A JSON Feed can carry any control character: a bell, an OSC that retitles the terminal
  // window, a colour, a clear-screen, a bidi override.
  const HOSTILE = 'Wire\u0007 \u001b]0;owned\u0007\u001b[31mred\u001b[2J \u202egnp.exe\u202c';

  it('/feeds and the briefs show its title without a single control character', async () => {
    const server = await startFeedServer({
      body: JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: HOSTILE,
        items: [
          {
            id: 'hostile-1',
            url: 'https://news.example/hostile',
            title: `${HOSTILE} strikes`,
            content_text:
              'Transport minister Joseph Camilleri said the terminal would open in May.',
            date_published: '2025-03-18T09:00:00Z',
          },
        ],
      }),
      headers: { 'content-type': 'application/feed+json' },
    });
    try {
      const config = configFile(
        'hostile.yaml',
        `logLevel: warn
feeds:
  - url: ${server.url('/feed.json')}
    allowPrivate: true
subscriptions:
  - feed: ${server.url('/feed.json')}
    destination: console
`,
      );
      const result = await run(['--config', config], '/feeds\n', path.join(dir, 'hostile-data'));
      expectClean(result);
      expect(result.stdout).toContain('Wire red gnp.exe strikes');
      expect(result.stdout).toMatch(/^1\. Wire red gnp\.exe — http/m);
      // No escape, bell or override reached the terminal; line breaks are the bot's own.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
      expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    } finally {
      await server.close();
    }
  });
});

describe('briefwire run, the shipped default config (demo feed)', () => {
  const dataDir = path.join(dir, 'demo-data');
  const TITLES = [
    'Norway and Iceland end mackerel dispute with a five-year quota deal',
    'Kenya opens a data centre powered by the steam of the Rift Valley',
    "Marseille : le tramway ira jusqu'à l'Estaque d'ici 2028",
    'Hamburg testet fahrerlose Fähren auf der Elbe',
    'Valencia acoge una cumbre mediterránea sobre la sequía',
  ];

  it('prints the five demo briefs, then answers /brief, /actor, /feeds and an unknown command', async () => {
    const result = await run([], '/brief 2\n/actor Otieno\n/feeds\n/actors\n', dataDir);
    expectClean(result);
    expect(result.stderr).toContain('telegram, discord: not configured');
    const out = result.stdout;
    const latest = out.indexOf('The latest 2 briefs:');
    expect(latest).toBeGreaterThan(0);
    const delivered = out.slice(0, latest);
    for (const title of TITLES) expect(count(delivered, title)).toBe(1);
    expect(delivered).toContain('Lucía Ortega — ministra española de Transición Ecológica');
    expect(delivered).toContain('Katrin Albers — Verkehrssenatorin');

    const replies = out.slice(latest);
    expect(replies.indexOf(TITLES[0] as string)).toBeLessThan(replies.indexOf(TITLES[1] as string));
    expect(replies).toMatch(/^Daniel Otieno\nperson · in 1 brief/m);
    expect(replies).toContain('• Energy minister (2025-03-13, 1 brief)');
    expect(replies).toMatch(/^1\. demo — file:\/\/\/.*\/config\/demo\/feed\.xml$/m);
    expect(replies).toContain('Unknown command /actors. Did you mean /actor? Try /help.');
  });

  it('run again: the demo briefs are not printed again', async () => {
    const result = await run([], '/brief 1\n', dataDir);
    expectClean(result);
    expect(result.stdout.startsWith('The latest brief:\n')).toBe(true);
    expect(count(result.stdout, TITLES[0] as string)).toBe(1);
    for (const title of TITLES.slice(1)) expect(result.stdout).not.toContain(title);
  });
});

describe('briefwire run, the shipped default config: the console changes its demo subscription', () => {
  const dataDir = path.join(dir, 'own-data');
  const exported = path.join(dir, 'console.opml');
  const CONFIG_NOTE =
    "This feed comes from the config file: your change holds until the config's entry for it changes.";

  it('/import of its own /export skips the demo feed it follows; /import alone says how to give a file here', async () => {
    const first = await run([], '/export\n', dataDir);
    expectClean(first);
    const opml = /<\?xml[\s\S]*<\/opml>\n/.exec(first.stdout)?.[0];
    if (!opml) throw new Error(`no OPML in: ${first.stdout}`);
    writeFileSync(exported, opml);
    const demo = /xmlUrl="([^"]+)"/.exec(opml)?.[1];

    const result = await run([], `/import ${exported}\n/import\n`, dataDir);
    expectClean(result);
    expect(result.stdout).toContain(
      `Import: 0 added, 1 skipped, 0 failed.\n= ${demo}: already followed here\n`,
    );
    expect(result.stdout).toContain(
      'Paste the OPML text after /import, or give the file: /import feeds.opml\n',
    );
    expect(result.stdout).not.toContain('caption');
  });

  it('/unsubscribe from the demo says it comes from the config, and holds across a restart; /import brings it back', async () => {
    const left = await run([], '/unsubscribe 1\n', dataDir);
    expectClean(left);
    expect(left.stdout).toContain(`Unsubscribed from demo.\n${CONFIG_NOTE}\n`);

    const again = await run([], `/feeds\n/import ${exported}\n`, dataDir);
    expectClean(again);
    expect(again.stdout).toMatch(/^This chat follows no feeds yet\./m);
    // The config gave the console this feed: it may take it back, file: or not.
    expect(again.stdout).toMatch(
      /Import: 1 added, 0 skipped, 0 failed\.\n\+ file:\/\/\/.*\/config\/demo\/feed\.xml\n/,
    );

    const third = await run([], '/feeds\n', dataDir);
    expectClean(third);
    expect(third.stdout).toMatch(/^1\. demo — file:\/\/\/.*\/config\/demo\/feed\.xml$/m);
  });
});

describe('briefwire run, a config that cannot be used', () => {
  /** Exit 1, nothing on stdout, one line on stderr, no stack trace. */
  function expectOneLine(result: Run, pattern: RegExp): void {
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^briefwire: [^\n]+\n$/);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+|Error:|node:internal/);
  }

  it('a wrong value: the file, the key and what is expected', async () => {
    const file = configFile(
      'wrong.yaml',
      'feeds:\n  - url: https://news.example/feed.xml\n    interval: 5 minuts\n',
    );
    const result = await run(['--config', file], '/help\n', path.join(dir, 'wrong-data'));
    expectOneLine(result, /wrong\.yaml: feeds\[0\]\.interval: "5 minuts" is not a duration/);
    // It stopped before touching the data dir.
    expect(existsSync(path.join(dir, 'wrong-data'))).toBe(false);
  });

  it('a missing file, an unknown option', async () => {
    const missing = await run(['--config', path.join(dir, 'nope.yaml')], '', path.join(dir, 'x'));
    expectOneLine(missing, /nope\.yaml: cannot read the config file/);
    const option = await run(['--confg', 'x.yaml'], '', path.join(dir, 'x'));
    expectOneLine(option, /^briefwire: run: unknown option --confg \(did you mean --config\?\)\n$/);
  });

  it("a models folder without a language's model, or with a corrupt one: the file and `npm run train`", async () => {
    const models = path.join(dir, 'own-models');
    mkdirSync(models, { recursive: true });
    for (const lang of ['de', 'en', 'es', 'fr'])
      copyFileSync(
        path.join(CLI, '../../models/ner', `${lang}.bwnr`),
        path.join(models, `${lang}.bwnr`),
      );
    const file = configFile('own-models.yaml', `models: ${models}\n`);
    const missing = await run(['--config', file], '/help\n', path.join(dir, 'models-data'));
    expectOneLine(missing, /own-models\/it\.bwnr: model file missing; run `npm run train`/);
    writeFileSync(path.join(models, 'it.bwnr'), 'not a model');
    const corrupt = await run(['--config', file], '/help\n', path.join(dir, 'models-data'));
    expectOneLine(corrupt, /own-models\/it\.bwnr: corrupt model file .*`npm run train`/);
    // The operator's own folder, whole, is used.
    copyFileSync(path.join(CLI, '../../models/ner/it.bwnr'), path.join(models, 'it.bwnr'));
    const whole = await run(['--config', file], '/help\n', path.join(dir, 'models-data'));
    expectClean(whole);
  });

  it('a data dir that is a file', async () => {
    const file = configFile('a-file', '');
    const result = await run([], '', file);
    expectOneLine(result, /cannot create the data folder .*a-file: a file is in the way/);
  });
});

describe('briefwire run, a store it must not use', () => {
  const config = (): string => configFile('no-feeds.yaml', 'logLevel: warn\nfeeds: []\n');

  it('a page of the subscriptions zeroed: one line naming the file and the fix, exit 1, the file as it was', async () => {
    const dataDir = path.join(dir, 'damaged-data');
    const file = path.join(dataDir, 'briefwire.db');
    const store = openSqliteStore(file);
    const feed = await addFeed(store, { origin: 'chat' });
    await store.subscriptions.add(feed.id, 'telegram:-100123');
    await store.close();
    damagePage(file, 'subscriptions');
    const before = readFileSync(file);

    const result = await run(['--config', config()], '/feeds\n', dataDir);
    expectOneLineError(
      result,
      /^briefwire: the store .*damaged-data\/briefwire\.db is damaged \(.+\): restore a backup made by briefwire db backup \(README: Backups\), or move .*damaged-data\/briefwire\.db away to start a new, empty store/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dataDir)).toEqual(['briefwire.db']);
  });

  it('an empty store file is not replaced by a new store: one line saying so, and how to start afresh', async () => {
    const dataDir = path.join(dir, 'empty-data');
    mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, 'briefwire.db'), '');

    const result = await run(['--config', config()], '/feeds\n', dataDir);
    expectOneLineError(
      result,
      /^briefwire: the store .*empty-data\/briefwire\.db is empty \(0 bytes\): restore a backup made by briefwire db backup \(README: Backups\), or delete .*empty-data\/briefwire\.db to start a new, empty store\n$/,
    );
    expect(readFileSync(path.join(dataDir, 'briefwire.db')).length).toBe(0);
    expect(readdirSync(dataDir)).toEqual(['briefwire.db']);
  });
});
