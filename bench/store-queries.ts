// `/actor`, `/brief`, a digest and `/feeds` against a store of 10k, 100k and 1M briefs, on
// SQLite and (with BENCH_DATABASE_URL or TEST_DATABASE_URL) PostgreSQL: p50/p99 of the
// store calls each command makes, one chat subscribed to 1,000 feeds, the most frequent
// person named in a third of all briefs. The rows go in by bulk SQL (minutes at 1M), not
// through ingest; the store's own triggers keep what they keep. Run it on its own:
//   node --import tsx bench/store-queries.ts [10000,100000,1000000]   (BENCH_STORES=sqlite|postgres: one)
// BENCH_KEEP=DIR keeps each filled store (SQLite in DIR, PostgreSQL in the schema
// bw_store_bench_N) and a later run with it reuses them: fill 1M once, measure many times.
// Prints a table, then one JSON line (bench/run.mjs reads it).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { briefArticle } from '../src/core/brief.js';
import { digestJson } from '../src/store/digest-brief.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/port.js';

const SIZES = (process.argv[2] ?? '10000,100000,1000000').split(',').map(Number);
const FEEDS = 1000;
const ACTORS = 5000;
const CHAT = 'telegram:-100123';
/** A chat of 10 of the feeds: a hundredth of the store's briefs. */
const SMALL_CHAT = 'telegram:-100456';
const SMALL_FEEDS = 10;
const TOP_ACTOR = 'person-0';
/**
 * An alias only the top person has: its made-up name is also that of person-1728 and
 * person-3456, and /actor answers a name several actors share with a "did you mean".
 */
const TOP_ALIAS = 'top person';
const SYLLABLES = ['ka', 'lo', 'mi', 'ser', 'tan', 'vo', 'rin', 'de', 'bu', 'gal', 'os', 'ne'];

/** A made-up name per actor, varied like real ones (the search reads similar names). */
function nameOf(kind: 'person' | 'org', n: number): string {
  const part = (x: number) =>
    `${SYLLABLES[x % 12]}${SYLLABLES[Math.floor(x / 12) % 12]}${SYLLABLES[Math.floor(x / 144) % 12]}`;
  const name = `${part(n * 7 + 3)} ${part(n * 13 + (kind === 'org' ? 5 : 1))}`;
  return name.replace(/^./, (c) => c.toUpperCase());
}
// Calls per figure: RUNS, or fewer when they take longer than BUDGET_MS (slow old code).
const RUNS = 200;
const BUDGET_MS = 4000;
const TARGET_MS = 10;
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null;
/** BENCH_STORES=postgres (or sqlite) measures one store: a 1M fill takes minutes. */
const ONLY = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
const KEEP = process.env.BENCH_KEEP ?? null;
const START = Date.parse('2026-01-01T00:00:00Z');
/** One brief a minute: 1M briefs span about two years. */
const STEP_MS = 60_000;

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/** A real brief's JSON (the bench's Italian article): what each stored row carries. */
function sampleJson(): string {
  const path = fileURLToPath(new URL('articles/it.txt', import.meta.url));
  const [title = '', ...text] = readFileSync(path, 'utf8').split('\n');
  return JSON.stringify(
    briefArticle({ title, text: text.join('\n'), url: 'https://news.example/a' }),
  );
}

/** The actors of brief i: the top person in every third, two others spread over the rest. */
function actorsOf(i: number): string[] {
  const ids = [`org-${i % 97}`, `person-${1 + (i % (ACTORS - 1))}`];
  if (i % 3 === 0) ids.push(TOP_ACTOR);
  return ids;
}

/**
 * p50/p99 of a call in wall ms, and the mean ms of this process's CPU time per call (the
 * kernel counts CPU time in ticks of a few ms, so only a mean over many calls means
 * anything): on a loaded machine the wall figures measure the queue for a core; for SQLite
 * (in this process) the CPU figure is the query's own cost. For PostgreSQL it is only the
 * client's share.
 */
async function time(fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  const stop = performance.now() + BUDGET_MS;
  const c0 = process.cpuUsage();
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    if (times.length >= 20 && performance.now() > stop) break;
  }
  const c = process.cpuUsage(c0);
  return {
    p50: round(quantile(times, 0.5), 3),
    p99: round(quantile(times, 0.99), 3),
    cpuMean: round((c.user + c.system) / 1000 / times.length, 3),
  };
}

interface Timing {
  p50: number;
  p99: number;
  cpuMean: number;
}

/** What each command asks of the store. */
async function measure(store: Store, briefs: number) {
  for (let f = 1; f <= SMALL_FEEDS; f++) await store.subscriptions.add(f, SMALL_CHAT);
  const since = new Date(START + (briefs - 1440) * STEP_MS);
  // As /feeds (and the commands that take one of the chat's feeds) reads them.
  const feedsOfChat = () => store.subscriptions.listWithFeeds(CHAT);
  return {
    // As /actor asks: the exact hit with its profile, the prefix and typo search only on a miss.
    actor: await time(async () => {
      const { matches, profile } = await store.actors.exactWithProfile(TOP_ALIAS, 12, {
        briefs: 5,
        coActors: 5,
      });
      if (matches[0]?.id !== TOP_ACTOR || profile?.id !== TOP_ACTOR) {
        throw new Error(`exact found ${matches[0]?.id}`);
      }
    }),
    // A typo, as /actor asks: the exact lookup misses, the search finds the actor, then its
    // profile.
    actorTypo: await time(async () => {
      const name = nameOf('person', 0);
      const typo = `${name.slice(0, 9)}x${name.slice(10)}`;
      const exact = await store.actors.exactWithProfile(typo, 12, { briefs: 5, coActors: 5 });
      if (exact.matches.length > 0) throw new Error('typo found exactly');
      const [hit] = await store.actors.search(typo, 12);
      if (hit?.id !== TOP_ACTOR) throw new Error(`search found ${hit?.id}`);
      await store.actors.profile(hit.id, { briefs: 5, coActors: 5 });
    }),
    brief: await time(async () => {
      if ((await store.briefs.latestFor(CHAT, 5)).length !== 5) throw new Error('no briefs');
    }),
    briefSmall: await time(async () => {
      if ((await store.briefs.latestFor(SMALL_CHAT, 5)).length !== 5) throw new Error('no briefs');
    }),
    digest: await time(() => store.briefs.sinceFor(CHAT, since, 200)),
    feeds: await time(async () => {
      if ((await feedsOfChat()).length !== FEEDS) throw new Error('feeds missing');
    }),
  };
}

function fillSqlite(file: string, briefs: number, json: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    const feed = db.prepare(`INSERT INTO feeds (id, url, name, interval_seconds, origin,
      next_poll_at, created_at) VALUES (?, ?, ?, 900, 'config', ?, ?)`);
    const sub = db.prepare(
      'INSERT INTO subscriptions (feed_id, destination, created_at) VALUES (?, ?, ?)',
    );
    for (let f = 1; f <= FEEDS; f++) {
      feed.run(f, `https://feeds.example/${f}.xml`, `Feed ${f}`, START, START);
      sub.run(f, CHAT, START);
    }
    const actor = db.prepare(`INSERT INTO actors (id, kind, name, first_seen_at, last_seen_at)
      VALUES (?, ?, ?, ?, ?)`);
    const term = db.prepare(
      'INSERT OR IGNORE INTO actor_terms (term, actor_id, whole, reversed) VALUES (?, ?, ?, ?)',
    );
    for (let a = 0; a < ACTORS; a++) {
      for (const [kind, id, name] of [
        ['person', `person-${a}`, nameOf('person', a)],
        ['organization', `org-${a}`, nameOf('org', a)],
      ] as const) {
        actor.run(id, kind, name, START, START + briefs * STEP_MS);
        const key = name.toLowerCase();
        term.run(key, id, 1, [...key].reverse().join(''));
      }
    }
    term.run(TOP_ALIAS, TOP_ACTOR, 1, [...TOP_ALIAS].reverse().join(''));
    const brief = db.prepare(`INSERT INTO briefs (id, feed_id, url, title, published_at,
      language, created_at, json, digest) VALUES (?, ?, ?, ?, ?, 'it', ?, ?, ?)`);
    const digest = digestJson(JSON.parse(json));
    const mention = db.prepare(`INSERT INTO brief_actors (actor_id, brief_id, role, mentions,
      salience) VALUES (?, ?, ?, 2, 0.5)`);
    for (let i = 1; i <= briefs; i++) {
      const at = START + i * STEP_MS;
      brief.run(
        i,
        1 + (i % FEEDS),
        `https://news.example/${i}`,
        `Brief ${i}`,
        at,
        at,
        json,
        digest,
      );
      for (const id of actorsOf(i)) mention.run(id, i, i % 7 === 0 ? `role ${i % 40}` : null);
    }
  })();
  db.close();
}

async function fillPostgres(url: string, briefs: number, json: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const at = (i: string) => `to_timestamp((${START} + ${i}::bigint * ${STEP_MS}) / 1000.0)`;
    await client.query(`INSERT INTO feeds (id, url, name, interval_seconds, origin, next_poll_at,
      created_at) SELECT f, 'https://feeds.example/' || f || '.xml', 'Feed ' || f, 900,
      'config', ${at('0')}, ${at('0')} FROM generate_series(1, ${FEEDS}) f`);
    await client.query(
      `INSERT INTO subscriptions (feed_id, destination, created_at)
       SELECT f, $1, now() FROM generate_series(1, ${FEEDS}) f`,
      [CHAT],
    );
    const people = Array.from({ length: ACTORS }, (_, a) => a);
    await client.query(
      `INSERT INTO actors (id, kind, name, first_seen_at, last_seen_at)
       SELECT id, kind, name, ${at('0')}, ${at(String(briefs))}
       FROM unnest($1::text[], $2::text[], $3::text[]) AS a (id, kind, name)`,
      [
        [...people.map((a) => `person-${a}`), ...people.map((a) => `org-${a}`)],
        [...people.map(() => 'person'), ...people.map(() => 'organization')],
        [...people.map((a) => nameOf('person', a)), ...people.map((a) => nameOf('org', a))],
      ],
    );
    await client.query(`INSERT INTO actor_terms (term, actor_id, whole, reversed)
      SELECT lower(name), id, true, reverse(lower(name)) FROM actors`);
    await client.query(
      'INSERT INTO actor_terms (term, actor_id, whole, reversed) VALUES ($1, $2, true, reverse($1))',
      [TOP_ALIAS, TOP_ACTOR],
    );
    await client.query(
      `INSERT INTO briefs (id, feed_id, url, title, published_at, language, created_at, json,
         digest)
       SELECT i, 1 + i % ${FEEDS}, 'https://news.example/' || i, 'Brief ' || i, ${at('i')},
         'it', ${at('i')}, $1, $2 FROM generate_series(1, ${briefs}) i`,
      [json, digestJson(JSON.parse(json))],
    );
    await client.query(`INSERT INTO brief_actors (actor_id, brief_id, role, mentions, salience)
      SELECT m.actor_id, i, CASE WHEN i % 7 = 0 THEN 'role ' || i % 40 END, 2, 0.5
      FROM generate_series(1, ${briefs}) i, LATERAL (
        SELECT 'org-' || i % 97 AS actor_id
        UNION ALL SELECT 'person-' || 1 + i % ${ACTORS - 1}
        UNION ALL SELECT '${TOP_ACTOR}' WHERE i % 3 = 0) m`);
    await client.query(
      `SELECT setval(pg_get_serial_sequence('briefs', 'id'), ${briefs + 1}, false)`,
    );
    // What autovacuum does after a bulk load: statistics, and the visibility map that lets
    // index-only scans skip the table.
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

/** A schema of its own; a kept one that exists is reused (`filled`) and never dropped. */
async function pgSchema(
  base: string,
  name: string,
  keep: boolean,
): Promise<{ url: string; filled: boolean; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name]);
  const filled = keep && exists.rowCount === 1;
  if (!filled) {
    await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    await admin.query(`CREATE SCHEMA ${name}`);
  }
  const parsed = new URL(base);
  parsed.searchParams.set('options', `-c search_path=${name}`);
  return {
    url: parsed.toString(),
    filled,
    drop: async () => {
      if (!keep) await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await admin.end();
    },
  };
}

const json = sampleJson();
const results: Record<string, Record<string, unknown>> = {};
const rows: Record<string, string | number>[] = [];
for (const briefs of SIZES) {
  const stores: [string, () => Promise<{ store: Store; done(): Promise<void> }>][] = [
    [
      'sqlite',
      async () => {
        const dir = KEEP ?? mkdtempSync(join(tmpdir(), 'bw-store-bench-'));
        const file = join(dir, `store-${briefs}.db`);
        if (KEEP === null || !existsSync(file)) {
          (await openStore(file)).close();
          fillSqlite(file, briefs, json);
        }
        const store = await openStore(file);
        return {
          store,
          done: async () => {
            await store.close();
            if (KEEP === null) rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    ],
  ];
  if (PG_URL !== null) {
    stores.push([
      'postgres',
      async () => {
        const name = KEEP === null ? `bw_store_bench_${process.pid}` : `bw_store_bench_${briefs}`;
        const schema = await pgSchema(PG_URL, name, KEEP !== null);
        if (!schema.filled) {
          await (await openStore(schema.url)).close();
          await fillPostgres(schema.url, briefs, json);
        }
        const store = await openStore(schema.url);
        return {
          store,
          done: async () => {
            await store.close();
            await schema.drop();
          },
        };
      },
    ]);
  }
  for (const [name, open] of stores) {
    if (!ONLY.includes(name)) continue;
    const t0 = performance.now();
    const { store, done } = await open();
    const fillSeconds = round((performance.now() - t0) / 1000, 1);
    try {
      const figures = await measure(store, briefs);
      results[`${name}-${briefs}`] = { fillSeconds, ...figures };
      rows.push({
        store: name,
        briefs,
        'fill s': fillSeconds,
        ...Object.fromEntries(
          Object.entries(figures).flatMap(([command, t]) => [
            [`${command} p50`, t.p50],
            [`${command} p99`, t.p99],
            [`${command} cpu`, t.cpuMean],
          ]),
        ),
      });
    } finally {
      await done();
    }
  }
}

const headers = Object.keys(rows[0] ?? {});
const cells = [headers, ...rows.map((r) => headers.map((h) => String(r[h])))];
const widths = headers.map((_, i) => Math.max(...cells.map((c) => c[i]?.length ?? 0)));
console.log(
  `\nStore queries, ms (target: p99 < ${TARGET_MS} ms; ${FEEDS} feeds in the chat; cpu: mean CPU ms per call)`,
);
for (const c of cells) console.log(c.map((v, i) => v.padStart(widths[i] ?? 0)).join('  '));
const pass = Object.values(results).every((r) =>
  ['actor', 'brief', 'briefSmall', 'digest', 'feeds'].every(
    (k) => (r[k] as { p99: number }).p99 < TARGET_MS,
  ),
);
console.log(JSON.stringify({ storeQueries: { ...results, pass } }));
