import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, runCli } from './support/cli.js';
import { tempFolder } from './support/files.js';

// Drives the built command (`npm test` builds it first) as a user would, from the repo root.
const run = (args: string[], stdin: string | Uint8Array = '') => runCli(args, { stdin });

const { dir, file } = tempFolder('cli');

const TITLE = 'Belousov in Corea del nord, Umerov a Seul';
const BODY = [
  'Il ministro della Difesa russo Andrei Belousov è atterrato venerdì a Pyongyang, dove è stato accolto dal ministro nordcoreano No Kwang Chol. Nelle stesse ore il ministro della Difesa ucraino Rustem Umerov incontrava a Seul il presidente sudcoreano Yoon Suk-yeol.',
  'Belousov ha portato a Kim Jong Un un messaggio di Vladimir Putin. «La cooperazione tra Mosca e Pyongyang continuerà», ha detto il ministro russo.',
  "Umerov ha chiesto alla Corea del Sud di fornire armi all'Ucraina. Il G7 segue con attenzione gli sviluppi.",
].join('\n\n');
const ARTICLE = `${TITLE}\n\n${BODY}\n`;

const BRIEF_FIELDS = [
  'title',
  'url',
  'source',
  'publishedAt',
  'language',
  'summary',
  'actors',
  'tags',
].sort();
const ACTOR_FIELDS = ['id', 'name', 'kind', 'role', 'mentions', 'salience', 'aliases'].sort();

function expectBrief(json: unknown): void {
  const brief = json as Record<string, unknown>;
  expect(Object.keys(brief).sort()).toEqual(BRIEF_FIELDS);
  expect(brief.title).toBe(TITLE);
  for (const key of ['url', 'source', 'publishedAt'])
    expect(brief[key] === null || typeof brief[key] === 'string', key).toBe(true);
  expect(brief.language).toBe('it');

  const summary = brief.summary as unknown[];
  expect(Array.isArray(summary)).toBe(true);
  expect(summary.length).toBeGreaterThanOrEqual(1);
  expect(summary.length).toBeLessThanOrEqual(3);
  for (const sentence of summary) {
    expect(typeof sentence).toBe('string');
    expect(BODY).toContain(sentence as string);
  }

  const actors = brief.actors as Record<string, unknown>[];
  expect(actors.length).toBeGreaterThan(0);
  for (const actor of actors) {
    expect(Object.keys(actor).sort()).toEqual(ACTOR_FIELDS);
    expect(actor.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(typeof actor.name).toBe('string');
    expect(['person', 'organization', 'country', 'place']).toContain(actor.kind);
    expect(actor.role === null || typeof actor.role === 'string').toBe(true);
    expect(Number.isInteger(actor.mentions)).toBe(true);
    expect(actor.mentions).toBeGreaterThanOrEqual(1);
    expect(typeof actor.salience).toBe('number');
    expect(actor.salience).toBeGreaterThanOrEqual(0);
    expect(actor.salience).toBeLessThanOrEqual(1);
    expect(Array.isArray(actor.aliases)).toBe(true);
    for (const alias of actor.aliases as unknown[]) expect(typeof alias).toBe('string');
  }
  const saliences = actors.map((a) => a.salience as number);
  expect(saliences).toEqual([...saliences].sort((a, b) => b - a));
  expect(new Set(actors.map((a) => a.id)).size).toBe(actors.length);

  const tags = brief.tags as unknown[];
  expect(Array.isArray(tags)).toBe(true);
  for (const tag of tags) expect(tag).toMatch(/^#\S+$/);
}

describe('briefwire brief --json FILE', () => {
  it("prints exactly the design's Brief fields, with the right types", async () => {
    const result = await run(['brief', '--json', file('story.txt', ARTICLE)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expectBrief(JSON.parse(result.stdout));
  });

  it('names the people of the story, with the roles the article gives them', async () => {
    const result = await run(['brief', '--json', file('story-people.txt', ARTICLE)]);
    const brief = JSON.parse(result.stdout) as {
      actors: { id: string; kind: string; role: string | null }[];
    };
    const people = new Map(
      brief.actors.filter((a) => a.kind === 'person').map((a) => [a.id, a.role]),
    );
    expect(people.get('andrei-belousov')).toMatch(/ministro della Difesa/);
    expect(people.get('rustem-umerov')).toMatch(/ministro della Difesa/);
    expect(people.get('yoon-suk-yeol')).toMatch(/presidente/);
    expect(brief.actors[0]?.id).toBe('andrei-belousov');
  });
});

describe('briefwire brief FILE', () => {
  it('prints a readable brief: title, summary sentences and hashtags, not JSON', async () => {
    const path = file('story-text.txt', ARTICLE);
    const [text, json] = await Promise.all([run(['brief', path]), run(['brief', '--json', path])]);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout.trimStart().startsWith('{')).toBe(false);
    expect(text.stdout.split('\n')[0]).toBe(TITLE);
    const brief = JSON.parse(json.stdout) as { summary: string[]; tags: string[] };
    for (const sentence of brief.summary) expect(text.stdout).toContain(sentence);
    for (const tag of brief.tags) expect(text.stdout).toContain(tag);
    expect(text.stdout).toContain('Andrei Belousov');
  });

  it('shows the date as the article gave it: on the title line or the line after, a month as a month', async () => {
    const month = await run(['brief', file('month.txt', `date 2024-11 ${TITLE}\n\n${BODY}\n`)]);
    expect(month.stdout.split('\n').slice(0, 2)).toEqual([TITLE, 'Nov 2024']);
    const after = await run(['brief', file('after.txt', `${TITLE}\ndate 2024-11-29\n\n${BODY}\n`)]);
    expect(after.stdout.split('\n').slice(0, 2)).toEqual([TITLE, '29 Nov 2024']);
  });
});

describe('briefwire brief -', () => {
  it('reads the article from stdin', async () => {
    const result = await run(['brief', '--json', '-'], ARTICLE);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expectBrief(JSON.parse(result.stdout));
  });

  it('refuses stdin over 5 MB with one line', async () => {
    const big = `${TITLE}\n\n${`${BODY}\n\n`.repeat(Math.ceil((5.5 * 2 ** 20) / BODY.length))}`;
    expectOneLineError(await run(['brief', '-'], big), /stdin: .*limit/);
  });
});

describe('briefwire errors: exit 1, one line on stderr, no stack trace', () => {
  it('a missing file', async () => {
    expectOneLineError(
      await run(['brief', join(dir, 'no-such-article.txt')]),
      /no-such-article\.txt: no such file/,
    );
  });

  it('a directory', async () => {
    const sub = join(dir, 'a-directory');
    mkdirSync(sub, { recursive: true });
    expectOneLineError(await run(['brief', sub]), /a-directory: is a directory/);
  });

  it('an empty file, and one with only blank lines', async () => {
    expectOneLineError(await run(['brief', file('empty.txt', '')]), /empty\.txt: is empty/);
    expectOneLineError(await run(['brief', file('blank.txt', ' \n\n\t\n')]), /blank\.txt: .*empty/);
  });

  it('a binary file with NUL bytes', async () => {
    const bytes = Uint8Array.from([0x42, 0x57, 0x00, 0x00, 0x01, 0x02, 0x00, 0xff, 0x10, 0x00]);
    expectOneLineError(await run(['brief', file('data.bin', bytes)]), /data\.bin: .*binary/);
  });

  it('a PNG image', async () => {
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
      0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00,
    ]);
    expectOneLineError(await run(['brief', file('photo.png', png)]), /photo\.png: .*binary.*PNG/);
  });

  it('a file over 5 MB', async () => {
    const path = file('huge.txt', `${TITLE}\n\n${'Il ministro è arrivato. '.repeat(230_000)}`);
    expectOneLineError(await run(['brief', path]), /huge\.txt: .*MiB, over the 5 MiB limit/);
  });

  it('a URL nobody answers on 127.0.0.1', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/story`;
    const result = await run(['brief', url]);
    expectOneLineError(result, /connection refused/);
    expect(result.stderr).toContain(url);
  });

  it('an unsupported URL scheme', async () => {
    expectOneLineError(await run(['brief', 'ftp://example.org/story.txt']), /ftp:\/\/ .*supported/);
  });

  it('an unknown command, and a misspelt one with what was meant', async () => {
    expectOneLineError(await run(['summarise', 'story.txt']), /unknown command "summarise"/);
    const typo = await run(['brif', 'story.txt']);
    expectOneLineError(typo, /^briefwire: unknown command "brif": did you mean brief\?/);
  });

  it('brief with no argument, or with two', async () => {
    expectOneLineError(await run(['brief']), /brief takes one FILE, URL or -/);
    expectOneLineError(await run(['brief', '--json']), /brief takes one FILE, URL or -/);
    expectOneLineError(await run(['brief', 'a.txt', 'b.txt']), /brief takes one FILE, URL or -/);
  });

  it('an unknown option: which, and what was meant or what the command takes', async () => {
    // Node's own words were "Unknown option '--jsn'. To specify a positional argument …
    // as in '-- "--jsn"", a quote left open.
    const typo = await run(['brief', '--jsn', 'story.txt']);
    expectOneLineError(
      typo,
      /^briefwire: brief: unknown option --jsn \(did you mean --json\?\)\n$/,
    );
    const bogus = await run(['brief', '--bogus', 'story.txt']);
    expectOneLineError(bogus, /^briefwire: brief: unknown option --bogus \(it takes --json\)\n$/);
    const value = await run(['brief', '--json=yes', 'story.txt']);
    expectOneLineError(value, /^briefwire: brief: --json takes no value\n$/);
    const missing = await run(['run', '--config']);
    expectOneLineError(missing, /^briefwire: run: --config needs a value: --config FILE\n$/);
  });
});

describe('briefwire help', () => {
  it('prints the usage and exits 0', async () => {
    const result = await run(['help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/briefwire brief/);
    expect(result.stdout).toMatch(/briefwire tag/);
  });
});

interface Entity {
  start: number;
  end: number;
  text: string;
  kind: string;
  id: string;
}

function expectEntities(text: string, entities: Entity[]): void {
  let previous = -1;
  for (const e of entities) {
    expect(Object.keys(e).sort()).toEqual(['end', 'id', 'kind', 'start', 'text']);
    expect(text.slice(e.start, e.end)).toBe(e.text);
    expect(['person', 'organization', 'country', 'place']).toContain(e.kind);
    expect(e.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(e.start).toBeGreaterThan(previous);
    previous = e.start;
  }
}

describe('briefwire tag', () => {
  const italian =
    'Il ministro Andrei Belousov è atterrato a Pyongyang, dove ha incontrato Kim Jong Un.';
  const english = "Ukraine's defence minister Rustem Umerov met Yoon Suk-yeol in Seoul.";
  const french =
    'Emmanuel Macron a reçu Olaf Scholz. « Nous soutenons l’Ukraine », a-t-il dit. 🇺🇦 Kyiv';

  it('prints one JSON line per input line, with mentions in text order and exact offsets', async () => {
    const input = [
      JSON.stringify({ text: italian, lang: 'it' }),
      JSON.stringify({ text: english }),
      JSON.stringify({ text: french, lang: 'fr' }),
    ].join('\n');
    const result = await run(['tag'], `${input}\n`);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const outputs = lines.map((l) => JSON.parse(l) as { entities: Entity[] });
    [italian, english, french].forEach((text, i) => {
      expect(Object.keys(outputs[i] ?? {})).toEqual(['entities']);
      expectEntities(text, outputs[i]?.entities ?? []);
    });
    expect(outputs[0]?.entities.map((e) => [e.text, e.kind, e.id])).toEqual([
      ['Andrei Belousov', 'person', 'andrei-belousov'],
      ['Pyongyang', 'place', 'pyongyang'],
      ['Kim Jong Un', 'person', 'kim-jong-un'],
    ]);
    expect(outputs[1]?.entities.map((e) => e.id)).toEqual([
      'ukraine',
      'rustem-umerov',
      'yoon-suk-yeol',
      'seoul',
    ]);
    expect(outputs[2]?.entities.map((e) => e.id)).toContain('kyiv');
  });

  it('gives the same mentions with and without "lang"', async () => {
    const input = `${JSON.stringify({ text: italian, lang: 'it' })}\n${JSON.stringify({ text: italian })}\n`;
    const result = await run(['tag'], input);
    const [withLang, withoutLang] = result.stdout.trimEnd().split('\n');
    expect(withoutLang).toBe(withLang);
  });

  it('answers a malformed line with an error line, answers the lines after it, and exits 1', async () => {
    const input = [
      JSON.stringify({ text: italian }),
      '{"text": "Belousov a Pyongyang"',
      JSON.stringify({ lang: 'it' }),
      JSON.stringify({ text: english }),
    ].join('\n');
    const result = await run(['tag'], `${input}\n`);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    const outputs = lines.map((l) => JSON.parse(l) as { entities: Entity[]; error?: string });
    expect(outputs[0]?.entities.length).toBeGreaterThan(0);
    expect(outputs[0]?.error).toBeUndefined();
    expect(outputs[1]?.entities).toEqual([]);
    expect(typeof outputs[1]?.error).toBe('string');
    expect(outputs[2]).toEqual({ entities: [], error: '"text" must be a string' });
    expect(outputs[3]?.entities.map((e) => e.id)).toContain('rustem-umerov');
    const problems = result.stderr.trimEnd().split('\n');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^briefwire tag: line 2: /);
    expect(problems[1]).toMatch(/^briefwire tag: line 3: "text" must be a string$/);
  });

  it('reports a JSON line that is not an object in the terms of the input format', async () => {
    const result = await run(['tag'], 'null\n[]\n');
    expect(result.code).toBe(1);
    const outputs = result.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { entities: Entity[]; error: string });
    expect(outputs).toHaveLength(2);
    for (const output of outputs) {
      expect(output.entities).toEqual([]);
      expect(output.error).toMatch(/"text"/);
      expect(output.error).not.toMatch(/Cannot read properties/);
    }
  });

  it('answers a blank line with an empty entity list, keeping output aligned with input', async () => {
    const result = await run(
      ['tag'],
      '{"text":"Emmanuel Macron a parlé."}\n\n{"text":"Olaf Scholz sprach."}\n',
    );
    const outputs = result.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { entities: Entity[] });
    expect(outputs).toHaveLength(3);
    expect(outputs[1]).toEqual({ entities: [] });
    expect(outputs[2]?.entities.map((e) => e.id)).toContain('olaf-scholz');
  });

  it('prints nothing and exits 0 for empty input', async () => {
    const result = await run(['tag'], '');
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

/** A port on 127.0.0.1 that was free a moment ago and has no listener now. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
