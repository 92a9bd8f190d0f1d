/**
 * `briefwire db migrate --to postgres://…`: an existing SQLite install moved into an empty
 * PostgreSQL database, as a user runs it (the built command), then read back through the
 * port: every brief, every pending delivery (in its order, with its retries), and the rest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_ENV_VARS } from '../../src/config/index.js';
import { openStore } from '../../src/store/open.js';
import type { Destination, Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { expectOneLineError, runCli } from '../support/cli.js';
import { tempFolder } from '../support/files.js';
import {
  freshSchema,
  POSTGRES_SKIPPED,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../support/postgres.js';
import { actor, addFeed, brief, DAY, MINUTE, START } from './helpers.js';

const { dir } = tempFolder('pg-move');
const dataDir = join(dir, 'data');
const file = join(dataDir, 'briefwire.db');

function env(): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...process.env, BRIEFWIRE_DATA_DIR: dataDir };
  for (const name of CONFIG_ENV_VARS) if (name !== 'BRIEFWIRE_DATA_DIR') delete clean[name];
  delete clean.DATABASE_URL;
  return clean;
}

const TG = 'telegram:-100123';
const DC = 'discord:987';

/** A store as a bot leaves it after some days: every kind of row, some of each state. */
async function fill(store: Store, clock: { now: number }): Promise<void> {
  const news = await addFeed(store, { url: 'https://news.example/rss', options: { maxNew: 5 } });
  const quiet = await addFeed(store, { url: 'https://quiet.example/rss', origin: 'chat' });
  await store.feeds.updatePollState(quiet.id, {
    etag: '"q1"',
    paused: true,
    pausedReason: '5 failures in a row',
    heldBackSince: new Date(START),
  });
  await store.subscriptions.add(news.id, TG, { template: 'compact', keywords: ['Seoul'] });
  await store.subscriptions.add(news.id, DC);
  const { subscription } = await store.subscriptions.add(quiet.id, TG);
  await store.subscriptions.pause(subscription.id, '/pause');
  for (let day = 0; day < 3; day++) {
    await store.ingest(news.id, [
      {
        keys: [`g:${day}`, `l:news.example/${day}`],
        brief: brief(`Day ${day}: Umerov in Seoul`, {
          publishedAt: new Date(clock.now).toISOString(),
          actors: [
            actor('rustem-umerov', 'Rustem Umerov', { role: 'defence minister' }),
            actor('seoul', 'Seoul', { kind: 'place' }),
          ],
        }),
        destinations: [TG, DC],
      },
    ]);
    clock.now += DAY;
  }
  await store.ingest(news.id, [
    { keys: ['g:failed'], brief: brief('Headline only'), destinations: [TG], briefError: 'boom' },
  ]);
  const [first, second] = await store.outbox.pending(DC, 10);
  await store.outbox.markSent(first?.id ?? -1);
  await store.outbox.fail(second?.id ?? -1, '403: missing access');
  const [head] = await store.outbox.pending(TG, 1);
  await store.outbox.retry(head?.id ?? -1, new Date(clock.now + 5 * MINUTE), '429 retry_after 300');
  await store.outbox.enqueue(TG, { type: 'notice', text: 'feed paused' });
  await store.seen.markSeen(quiet.id, ['g:q1', 'g:q2']);
  await store.digests.set(TG, '0 8 * * *', 'Europe/Rome');
  await store.digests.markSent(TG, new Date(START));
  await store.destinations.set(TG, { language: 'it' });
  await store.subscriptions.override(news.id, 'console', 'entry-1');
}

/** Everything a user could see of the store, through the port. */
async function view(store: Store) {
  const outbox = async (destination: Destination) => store.outbox.pending(destination, 100);
  const sentOrFailed = await Promise.all(
    [1, 2, 3, 4, 5, 6, 7, 8].map((id) => store.outbox.get(id)),
  );
  return {
    feeds: await store.feeds.list(),
    subscriptions: [
      ...(await store.subscriptions.listByDestination(TG)),
      ...(await store.subscriptions.listByDestination(DC)),
    ],
    destinations: await store.outbox.destinations(),
    due: await store.outbox.destinations(new Date(START + DAY)),
    pending: { tg: await outbox(TG), dc: await outbox(DC) },
    deliveries: sentOrFailed,
    stats: await store.outbox.stats(),
    latest: await store.briefs.latestFor(TG, 10),
    since: await store.briefs.sinceFor(DC, new Date(START)),
    actor: await store.actors.profile('rustem-umerov'),
    search: await store.actors.search('umerov'),
    digests: await store.digests.list(),
    options: await store.destinations.get(TG),
    retries: await store.briefs.retries(1, ['g:failed']),
    overrides: await store.subscriptions.listOverrides(),
    unseen: await store.seen.unseenKeys(2, ['g:q1', 'g:q2', 'g:q3']),
  };
}

describe.skipIf(TEST_DATABASE_URL === null)(`briefwire db migrate${POSTGRES_SKIPPED}`, () => {
  let schema: TestSchema;
  let before: Awaited<ReturnType<typeof view>>;
  beforeAll(async () => {
    schema = await freshSchema();
    const clock = { now: START };
    const store = openSqliteStore(file, { now: () => new Date(clock.now) });
    await fill(store, clock);
    before = await view(store);
    await store.close();
  });
  afterAll(async () => {
    await schema?.drop();
  });

  it('moves the SQLite store: every brief and pending delivery, in order, and the rest', async () => {
    const sqliteBytes = readFileSync(file);
    const run = await runCli(['db', 'migrate', '--to', schema.url], { env: env() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^moved 2 feeds, 4 briefs and 6 pending deliveries from .*briefwire\.db to PostgreSQL at \S+, database \S+\nset DATABASE_URL to that URL to run on it; .*briefwire\.db is unchanged\n$/,
    );
    expect(readFileSync(file).equals(sqliteBytes)).toBe(true);

    const moved = await openStore(schema.url);
    try {
      expect(before.pending.tg.length + before.pending.dc.length).toBe(6);
      expect(await view(moved)).toEqual(before);
      // New rows go on after the moved ones.
      const feed = await addFeed(moved, { url: 'https://new.example/rss' });
      expect(feed.id).toBe(3);
      const [outcome] = await moved.ingest(feed.id, [
        { keys: ['g:new'], brief: brief('New'), destinations: [DC] },
      ]);
      expect(outcome).toMatchObject({ status: 'stored', briefId: 5 });
    } finally {
      await moved.close();
    }
  });

  it('refuses a database that already holds a store, another kind of URL, a missing store', async () => {
    expectOneLineError(
      await runCli(['db', 'migrate', '--to', schema.url], { env: env() }),
      /^briefwire: PostgreSQL at \S+, database \S+ already holds a briefwire store: migrate into an empty database\n$/,
    );
    expectOneLineError(
      await runCli(['db', 'migrate', '--to', join(dir, 'other.db')], { env: env() }),
      /db migrate moves the SQLite store into PostgreSQL: --to postgres:\/\/…/,
    );
    expectOneLineError(
      await runCli(['db', 'migrate', '--to', schema.url], {
        env: { ...env(), BRIEFWIRE_DATA_DIR: join(dir, 'nothing-here') },
      }),
      /^briefwire: no store at .*nothing-here\/briefwire\.db: nothing to migrate\n$/,
    );
    expectOneLineError(await runCli(['db', 'migrate'], { env: env() }), /db migrate takes --to/);
  });
});
