/**
 * What only the PostgreSQL store has: a server to reach (a wrong DATABASE_URL, a restart
 * mid-run), its own migrations (in step with SQLite's), several instances opening one
 * database at once. Against the real server of TEST_DATABASE_URL.
 */
import { createServer } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openStore, openStoreMaintenance } from '../../src/store/open.js';
import { PROFILE_STATEMENTS, SEARCH_STATEMENTS } from '../../src/store/postgres/actors.js';
import type { Prepared } from '../../src/store/postgres/db.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import {
  CO_ACTOR_WINDOW,
  FUZZY_ROWS,
  PREFIX_ROWS,
  ROLE_WINDOW,
  TOP,
} from '../../src/store/search.js';
import { until } from '../app/jobs/helpers.js';
import {
  freshSchema,
  POSTGRES_SKIPPED,
  TEST_DATABASE_URL,
  type TestSchema,
} from '../support/postgres.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { actor, addFeed, brief, ingestTitles } from './helpers.js';

const LATEST = MIGRATIONS.at(-1)?.version ?? 0;

describe('the two schemas stay in step', () => {
  it('PostgreSQL has the same migrations as SQLite: the same versions, the same names', () => {
    expect(PG_MIGRATIONS.map((m) => [m.version, m.name])).toEqual(
      MIGRATIONS.map((m) => [m.version, m.name]),
    );
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The message a failed open gives. */
async function refusal(url: string): Promise<string> {
  let error: unknown = null;
  try {
    await (await openStore(url)).close();
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(StoreError);
  const message = (error as Error).message;
  expect(message).not.toMatch(/\n/);
  return message;
}

describe('a DATABASE_URL that does not lead to a store: one line, never the password', () => {
  it('nothing listening on that port', async () => {
    const port = await closedPort();
    expect(await refusal(`postgres://bot:hunter2@127.0.0.1:${port}/news`)).toBe(
      `cannot connect to PostgreSQL at 127.0.0.1:${port}, database news: connection refused (is PostgreSQL running on that port?); check DATABASE_URL`,
    );
  });

  describe.skipIf(TEST_DATABASE_URL === null)(`the test server${POSTGRES_SKIPPED}`, () => {
    const server = new URL(TEST_DATABASE_URL ?? 'postgres://x@localhost/x');
    const at = `${server.hostname}:${server.port || 5432}`;

    it('a wrong password', async () => {
      const wrong = new URL(server);
      wrong.password = 'not-the-password-4821';
      const message = await refusal(wrong.toString());
      expect(message).toMatch(
        new RegExp(
          `^cannot connect to PostgreSQL at ${at}, database \\S+: .*authentication failed`,
        ),
      );
      expect(message).not.toContain('not-the-password-4821');
    });

    it('a database that does not exist', async () => {
      const missing = new URL(server);
      missing.pathname = '/no_such_database_briefwire';
      expect(await refusal(missing.toString())).toBe(
        `cannot connect to PostgreSQL at ${at}, database no_such_database_briefwire: database "no_such_database_briefwire" does not exist; check DATABASE_URL`,
      );
    });
  });
});

describe.skipIf(TEST_DATABASE_URL === null)(`the PostgreSQL store${POSTGRES_SKIPPED}`, () => {
  let schema: TestSchema;
  let proxy: TcpProxy | null = null;
  afterEach(async () => {
    await proxy?.close();
    proxy = null;
    await schema?.drop();
  });

  it('several instances opening one empty database at once: one migrates, all work', async () => {
    schema = await freshSchema();
    const stores = await Promise.all([1, 2, 3].map(() => openStore(schema.url)));
    const rows = await schema.sql<{ version: number }>(
      `SELECT version FROM ${schema.schema}.briefwire_schema ORDER BY version`,
    );
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    const feed = await addFeed(stores[0] ?? (await openStore(schema.url)));
    expect((await stores[2]?.feeds.get(feed.id))?.url).toBe(feed.url);
    await Promise.all(stores.map((store) => store.close()));
  });

  it('two instances storing the same new item at once: one brief, one delivery', async () => {
    schema = await freshSchema();
    const [a, b] = await Promise.all([openStore(schema.url), openStore(schema.url)]);
    if (!a || !b) throw new Error('not opened');
    try {
      const feed = await addFeed(a);
      for (let round = 0; round < 10; round++) {
        const item = (who: string) => ({
          keys: [`g:${round}`, `l:news.example/${round}`],
          brief: brief(`Round ${round} by ${who}`),
          destinations: ['console' as const],
        });
        const outcomes = await Promise.all([
          a.ingest(feed.id, [item('a')]),
          b.ingest(feed.id, [item('b')]),
        ]);
        expect(
          outcomes
            .flat()
            .map((o) => o.status)
            .sort(),
          `round ${round}`,
        ).toEqual(['duplicate', 'stored']);
      }
      expect(await a.outbox.stats()).toMatchObject({ pending: 10 });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('upgrades a database stopped at an earlier version and keeps its rows', async () => {
    schema = await freshSchema();
    const first = PG_MIGRATIONS[0];
    if (!first) throw new Error('no migrations');
    await schema.sql(`CREATE TABLE briefwire_schema (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    await schema.sql(first.sql);
    await schema.sql("INSERT INTO briefwire_schema (version, name) VALUES (1, 'v1')");
    await schema.sql(
      "INSERT INTO feeds (url, name, interval_seconds, origin, next_poll_at, created_at) VALUES ('https://a.example/rss', 'a', 60, 'config', now(), now())",
    );
    const maintenance = await openStoreMaintenance(schema.url);
    expect(await maintenance.health()).toMatchObject({
      state: 'usable',
      schemaVersion: 1,
      latestVersion: LATEST,
      contents: null,
    });
    await maintenance.close();

    const store = await openStore(schema.url);
    expect((await store.feeds.list()).map((f) => [f.url, f.heldBackSince])).toEqual([
      ['https://a.example/rss', null],
    ]);
    expect(await store.destinations.get('console')).toEqual({});
    expect(await store.briefs.retries(1, ['g:1'])).toEqual([]);
    await store.close();
  });

  it('version 8 keeps what a digest shows of each brief stored before it', async () => {
    schema = await freshSchema();
    await schema.sql(`CREATE TABLE briefwire_schema (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    for (const step of PG_MIGRATIONS.filter((m) => m.version < 8)) {
      await schema.sql(step.sql);
      await schema.sql('INSERT INTO briefwire_schema (version, name) VALUES ($1, $2)', [
        step.version,
        step.name,
      ]);
    }
    await schema.sql(
      "INSERT INTO feeds (id, url, name, interval_seconds, origin, next_poll_at, created_at) VALUES (1, 'https://a.example/rss', 'a', 60, 'config', now(), now())",
    );
    await schema.sql(
      "INSERT INTO subscriptions (feed_id, destination, created_at) VALUES (1, 'console', now())",
    );
    const named = brief('Kim meets Moon', {
      source: 'Yonhap',
      actors: [
        actor('kim', 'Kim', { role: 'leader', aliases: ['Kim J.'] }),
        actor('seoul', 'Seoul'),
      ],
    });
    const bare = brief('No one named', { url: null, source: null, publishedAt: null });
    for (const [at, b] of [named, bare].entries()) {
      await schema.sql(
        `INSERT INTO briefs (feed_id, title, language, created_at, json)
         VALUES (1, $1, 'en', to_timestamp($2), $3)`,
        [b.title, at + 1, JSON.stringify(b)],
      );
    }

    const store = await openStore(schema.url);
    const digest = await store.briefs.sinceFor('console', new Date(0));
    await store.close();
    expect(digest.map((r) => r.brief)).toEqual([
      {
        title: 'Kim meets Moon',
        url: named.url,
        source: 'Yonhap',
        publishedAt: named.publishedAt,
        actors: [{ id: 'kim', name: 'Kim', kind: 'person' }],
      },
      { title: 'No one named', url: null, source: null, publishedAt: null, actors: [] },
    ]);
  });

  it("refuses a newer schema, and another program's tables, changing nothing", async () => {
    schema = await freshSchema();
    await (await openStore(schema.url)).close();
    await schema.sql(
      `INSERT INTO briefwire_schema (version, name) VALUES (${LATEST + 1}, 'future')`,
    );
    expect(await refusal(schema.url)).toMatch(
      new RegExp(
        `: schema version ${LATEST + 1} is newer than this briefwire knows \\(${LATEST}\\); upgrade briefwire or point DATABASE_URL at another database$`,
      ),
    );
    await schema.drop();

    schema = await freshSchema();
    await schema.sql('CREATE TABLE notes (body TEXT)');
    expect(await refusal(schema.url)).toMatch(
      /has 1 table of its own and no briefwire schema version: point DATABASE_URL at an empty database$/,
    );
    const tables = await schema.sql<{ tablename: string }>(
      'SELECT tablename FROM pg_tables WHERE schemaname = current_schema()',
    );
    expect(tables.map((t) => t.tablename)).toEqual(['notes']);
  });

  it('the server gone mid-run: calls wait, one line per failed attempt, then go on with nothing lost', async () => {
    schema = await freshSchema();
    const server = new URL(schema.url);
    proxy = await startTcpProxy(server.hostname, Number(server.port || 5432));
    const through = new URL(schema.url);
    through.hostname = '127.0.0.1';
    through.port = String(proxy.port);
    const lines: string[] = [];
    const store = await openStore(through.toString(), {
      log: (line) => lines.push(line),
      retryDelayMs: 100,
    });
    try {
      const feed = await addFeed(store);
      await ingestTitles(store, feed.id, ['Before'], ['console']);

      await proxy.down();
      let done = false;
      const during = ingestTitles(store, feed.id, ['During'], ['console']).then((ids) => {
        done = true;
        return ids;
      });
      const queue = store.outbox.pending('console', 10);
      await until(() => lines.length >= 3, 15_000);
      expect(done).toBe(false);

      await proxy.up();
      expect((await during)[0]).toBeGreaterThan(0);
      expect((await queue).length).toBeGreaterThanOrEqual(1);
      const titles = (await store.outbox.pending('console', 10)).map((d) =>
        d.kind === 'brief' ? d.brief.title : '',
      );
      expect(titles).toEqual(['Before', 'During']);
    } finally {
      await store.close();
    }
    // One line per failed attempt, numbered, naming the server (never the password); then one
    // when it answers again.
    const failed = lines.slice(0, -1);
    expect(failed.length).toBeGreaterThanOrEqual(3);
    failed.forEach((line, index) => {
      expect(line).toMatch(
        new RegExp(
          `^store: PostgreSQL at 127\\.0\\.0\\.1:${proxy?.port}, database \\S+ unreachable: [^\\n]+; attempt ${index + 1} failed, trying again in \\d+\\.\\d s$`,
        ),
      );
    });
    expect(lines.at(-1)).toBe(
      `store: PostgreSQL at 127.0.0.1:${proxy.port}, database ${server.pathname.slice(1)} reachable again after ${failed.length} failed attempts`,
    );
    if (server.password) {
      for (const line of lines) expect(line).not.toContain(decodeURIComponent(server.password));
    }
  });
});

describe('/actor on PostgreSQL reads an actor’s latest mentions, however many it has', () => {
  it('from the first run on a connection, no step reads more than the window of an actor in 20,000 briefs', async () => {
    const schema = await freshSchema();
    try {
      await fillMentions(schema);
      for (const [name, statement, key] of [
        ['exactWithProfile', PROFILE_STATEMENTS.exactWithProfile, 'person 0'],
        ['profile', PROFILE_STATEMENTS.profile, 'person-0'],
      ] as const) {
        // An unnamed statement is planned for its values, as a prepared one's first five runs.
        const [row] = await schema.sql<{ 'QUERY PLAN': PlanNode[] }>(
          `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`,
          [key, 12, 5, ROLE_WINDOW, CO_ACTOR_WINDOW, 5],
        );
        const reads = mentionReads(row?.['QUERY PLAN'][0]?.Plan);
        expect(reads.length, name).toBeGreaterThan(0);
        expect(Math.max(...reads), name).toBeLessThanOrEqual(2 * ROLE_WINDOW);
        // One step looks mentions up once per brief of a window (the co-actors' briefs'
        // other actors); every other step reads one range of them.
        expect(
          mentionLoops(row?.['QUERY PLAN'][0]?.Plan).filter((loops) => loops > 1),
          name,
        ).toEqual([CO_ACTOR_WINDOW]);
      }
    } finally {
      await schema.drop();
    }
  });

  it('plans each statement once per connection: from its sixth run on, its generic plan', async () => {
    const schema = await freshSchema();
    const client = new pg.Client({ connectionString: schema.url });
    try {
      await fillMentions(schema);
      await client.connect();
      const key = 'person 1';
      const runs: [Prepared, unknown[]][] = [
        [PROFILE_STATEMENTS.exactWithProfile, ['person 0', 12, 5, ROLE_WINDOW, CO_ACTOR_WINDOW, 5]],
        [PROFILE_STATEMENTS.profile, ['person-0', 1, 5, ROLE_WINDOW, CO_ACTOR_WINDOW, 5]],
        [
          SEARCH_STATEMENTS.candidates,
          [key, TOP, PREFIX_ROWS, 'pe', '1 ', key.length - 2, key.length + 2, FUZZY_ROWS],
        ],
        [SEARCH_STATEMENTS.candidateRows, [['person 0'], []]],
      ];
      for (const [statement, values] of runs) {
        for (let run = 0; run < 8; run++) {
          await client.query({ name: statement.name, text: statement.text, values });
        }
      }
      const plans = await client.query<{ name: string; generic: number }>(
        'SELECT name, generic_plans::integer AS generic FROM pg_prepared_statements ORDER BY name',
      );
      expect(plans.rows).toEqual(
        runs
          .map(([statement]) => ({ name: statement.name, generic: 3 }))
          .sort((a, b) => (a.name < b.name ? -1 : 1)),
      );
    } finally {
      await client.end();
      await schema.drop();
    }
  });
});

/**
 * A store of 20,000 briefs and 10,000 actors, each found by its name: person-0 in every
 * brief, with a role in some; 200 others in a hundred each. The average actor has ~200
 * mentions, person-0 a hundred times as many.
 */
async function fillMentions(schema: TestSchema): Promise<void> {
  await (await openStore(schema.url)).close();
  await schema.sql(`INSERT INTO feeds (id, url, name, interval_seconds, origin, next_poll_at,
    created_at) VALUES (1, 'https://feed.example/rss', 'Feed', 900, 'config', now(), now())`);
  await schema.sql(`INSERT INTO actors (id, kind, name, first_seen_at, last_seen_at)
    SELECT 'person-' || a, 'person', 'Person ' || a, now(), now() FROM generate_series(0, 9999) a`);
  await schema.sql(`INSERT INTO actor_terms (term, actor_id, whole, reversed)
    SELECT 'person ' || a, 'person-' || a, true, reverse('person ' || a)
    FROM generate_series(0, 9999) a`);
  await schema.sql(
    `INSERT INTO briefs (id, feed_id, url, title, language, created_at, json, digest)
     SELECT i, 1, 'https://news.example/' || i, 'Brief ' || i, 'en', now(), $1, $2
     FROM generate_series(1, 20000) i`,
    [JSON.stringify(brief('A story')), '{}'],
  );
  await schema.sql(`INSERT INTO brief_actors (actor_id, brief_id, role, mentions, salience)
    SELECT 'person-0', i, CASE WHEN i % 7 = 0 THEN 'role ' || i % 40 END, 1, 0.5
    FROM generate_series(1, 20000) i
    UNION ALL SELECT 'person-' || 1 + i % 200, i, NULL, 1, 0.5 FROM generate_series(1, 20000) i`);
  // What autovacuum does after a bulk load: statistics, and the visibility map.
  await schema.sql('VACUUM ANALYZE');
}

interface PlanNode {
  Plan?: PlanNode;
  Plans?: PlanNode[];
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
}

/** The rows each step of a plan read from brief_actors, over all its loops. */
function mentionReads(node: PlanNode | undefined): number[] {
  if (node === undefined) return [];
  const own =
    node['Relation Name'] === 'brief_actors'
      ? [(node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1)]
      : [];
  return [...own, ...(node.Plans ?? []).flatMap(mentionReads)];
}

/** How many times each step of a plan that reads brief_actors runs. */
function mentionLoops(node: PlanNode | undefined): number[] {
  if (node === undefined) return [];
  const own = node['Relation Name'] === 'brief_actors' ? [node['Actual Loops'] ?? 1] : [];
  return [...own, ...(node.Plans ?? []).flatMap(mentionLoops)];
}
