/**
 * `briefwire run`, `doctor` and `db backup` with DATABASE_URL=postgres://…, as a user runs
 * them (the built command), against the real server of TEST_DATABASE_URL in a fresh schema.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_ENV_VARS } from '../../src/config/index.js';
import { type FeedServer, type Item, rss, startFeedServer } from '../app/jobs/helpers.js';
import { expectOneLineError, runCli } from '../support/cli.js';
import { tempFolder } from '../support/files.js';
import {
  freshSchema,
  POSTGRES_SKIPPED,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../support/postgres.js';

const { dir, file } = tempFolder('pg-cli');

/** The environment of a fresh machine: no config variables, no tokens; DATABASE_URL as given. */
function env(databaseUrl: string): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...process.env, BRIEFWIRE_DATA_DIR: join(dir, 'data') };
  for (const name of CONFIG_ENV_VARS) if (name !== 'BRIEFWIRE_DATA_DIR') delete clean[name];
  return { ...clean, DATABASE_URL: databaseUrl };
}

it('a DATABASE_URL whose server does not answer: one line (host, port, database), exit 1', async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const run = await runCli(['run'], {
    env: env(`postgres://bot:hunter2@127.0.0.1:${port}/news`),
    stdin: '/brief\n',
  });
  expectOneLineError(
    run,
    new RegExp(
      `^briefwire: cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}, database news: connection refused`,
    ),
  );
  expect(run.stderr).not.toContain('hunter2');

  // doctor says the same in its store row, with what to do, and goes on with the other checks.
  const doctor = await runCli(['doctor'], {
    env: env(`postgres://bot:hunter2@127.0.0.1:${port}/news`),
  });
  expect(doctor.code).toBe(1);
  const line = doctor.stdout.split('\n').find((l) => l.startsWith('store '));
  expect(line).toMatch(
    new RegExp(
      `^store +fail +cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}, database news: connection refused .*start PostgreSQL there, or correct DATABASE_URL`,
    ),
  );
  expect(doctor.stdout).toMatch(/^config /m);
  expect(doctor.stdout).not.toContain('hunter2');
});

const STORY: Item = {
  guid: 'pg-1',
  link: 'https://news.example/malta-ferry-terminal',
  date: '2025-03-18T09:00:00Z',
  title: 'Malta approves a new ferry terminal in Valletta harbour',
  text: "VALLETTA — Malta's government approved on Tuesday a new ferry terminal in the Grand Harbour, to be built by 2027. Transport minister Joseph Camilleri said the terminal would halve waiting times for travellers to Gozo. The European Investment Bank will lend half of the 90 million euros the project costs.",
};

describe.skipIf(TEST_DATABASE_URL === null)(`briefwire on PostgreSQL${POSTGRES_SKIPPED}`, () => {
  let schema: TestSchema;
  let server: FeedServer;
  let config: string;
  beforeAll(async () => {
    schema = await freshSchema();
    server = await startFeedServer({ body: rss([STORY], 'Loopback News') });
    config = file(
      'pg.yaml',
      `logLevel: warn
feeds:
  - url: ${server.url('/feed.xml')}
    name: loopback
    interval: 1h
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
  afterAll(async () => {
    await server?.close();
    await schema?.drop();
  });

  it('run: the briefs are kept in PostgreSQL; a second run posts nothing twice; doctor reads it', async () => {
    const first = await runCli(['run', '--config', config], {
      env: env(schema.url),
      stdin: '/actor camilleri\n',
    });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    // Delivered once, then named again by /actor's latest stories.
    const reply = first.stdout.search(/^Joseph Camilleri\nperson · in 1 brief/m);
    expect(reply).toBeGreaterThan(0);
    expect(first.stdout.slice(0, reply).split(STORY.title).length - 1).toBe(1);
    const rows = await schema.sql<{ title: string }>('SELECT title FROM briefs');
    expect(rows).toEqual([{ title: STORY.title }]);

    const second = await runCli(['run', '--config', config], {
      env: env(schema.url),
      stdin: '/brief\n',
    });
    expect(second.code).toBe(0);
    // Only /brief's answer names it: nothing was delivered again.
    expect(second.stdout.startsWith('The latest brief')).toBe(true);
    expect(second.stdout.split(STORY.title).length - 1).toBe(1);

    const doctor = await runCli(['doctor', '--config', config], { env: env(schema.url) });
    const line = doctor.stdout.split('\n').find((l) => l.startsWith('store '));
    expect(line).toMatch(
      /^store +ok +PostgreSQL at \S+, database \S+: schema \d+ \(current\), tables ok, 1 feed, 1 brief, 0 pending deliveries/,
    );
    const password = new URL(schema.url).password;
    if (password) expect(doctor.stdout).not.toContain(password);
  });

  it('db backup says how a PostgreSQL store is backed up, in one line', async () => {
    expectOneLineError(
      await runCli(['db', 'backup', join(dir, 'copy.db'), '--config', config], {
        env: env(schema.url),
      }),
      /^briefwire: PostgreSQL at \S+, database \S+: briefwire db backup copies SQLite stores; back PostgreSQL up with pg_dump/,
    );
  });
});
