// Feed ingestion for `npm run bench` (called from bench/run.mjs):
//  (a) polling N feeds served on loopback (one node:http server in this process, N distinct
//      RSS feeds of 20 items; each round one new item per feed) through the real
//      pollDueFeeds, a real SQLite file and briefs made: feeds/hour per core (CPU time of the
//      process, the loopback server included) and per wall-clock hour, first poll apart;
//  (a') the same on PostgreSQL (BENCH_DATABASE_URL, else TEST_DATABASE_URL; skipped with a
//      line without), by 1 and by 3 pollers sharing one store in a schema of their own, each
//      its own connection and instance name (claims taken with FOR UPDATE SKIP LOCKED): each
//      round checks that the loopback server served every feed exactly once, and counts
//      the CPU time of this process and, apart, of the pollers' PostgreSQL backends;
//  (b) the ingestion overhead over rss-parser's raw parse of the same feed texts: parseFeed +
//      dedupe keys, and a whole pollFeed with the network left out;
//  (c) resident memory of a bot with 1,000 feeds configured (config file → store → one poll),
//      measured in a child `node --expose-gc` so that nothing else here counts, with the
//      service's heap settings (SERVICE_HEAP_FLAGS: `briefwire run` sets them as it starts),
//      so the figure is comparable with the target; bench/run-memory.ts measures the real
//      `briefwire run` process itself.
// Run as `node bench/feeds.mjs --memory-child CONFIG` it is that child.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Parser from 'rss-parser';
import { pollDueFeeds, pollFeed, syncConfig } from '../dist/app/jobs/index.js';
import { SERVICE_HEAP_FLAGS } from '../dist/bot/heap.js';
import { loadConfig } from '../dist/config/index.js';
import { domHtmlToText, htmlToText } from '../dist/core/input/html-text.js';
import { keyItems } from '../dist/feeds/dedupe.js';
import { parseFeed } from '../dist/feeds/parse.js';
import { openSqliteStore } from '../dist/store/index.js';
import { openStore } from '../dist/store/open.js';

export const FEED_TARGET = { feedsPerHourPerCore: 10_000, overhead: 1.5, rssMB: 150 };

const POLL = { feeds: 200, items: 20, laterRounds: 3 };
const OVERHEAD = { feeds: 25, rounds: 8, ms: 1500, bigItems: 50 };
const MEMORY = { feeds: 1000 };
const HOUR_MS = 3_600_000;

// --- the feeds -------------------------------------------------------------------------

const PEOPLE = [
  'Ingrid Halvorsen',
  'Daniel Otieno',
  'Amina Diallo',
  'Marco Bellini',
  'Sofia Marquez',
  'Kenji Watanabe',
  'Elena Petrova',
  'Rustem Umerov',
];
const PLACES = ['Oslo', 'Nairobi', 'Rome', 'Madrid', 'Tokyo', 'Seoul', 'Lisbon', 'Warsaw'];
const ORGS = [
  'the European Union',
  'the African Development Bank',
  'the United Nations',
  'NATO',
  'the World Bank',
];
const TOPICS = ['grain exports', 'port fees', 'a fishing quota', 'power lines', 'rail freight'];

const pick = (list, n) => list[n % list.length];
const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Item j of feed k: a news story with ~1 KB of HTML, the usual markup and entities. */
function item(k, j) {
  const who = pick(PEOPLE, k + j);
  const other = pick(PEOPLE, k + 3 * j + 1);
  const where = pick(PLACES, k * 7 + j);
  const org = pick(ORGS, j + k * 3);
  const topic = pick(TOPICS, k + 2 * j);
  const site = `https://news${k}.example`;
  const title = `${where} talks on ${topic}: ${who} backs a deal &amp; asks for time (${k}.${j})`;
  const html = [
    `<img src="${site}/img/${j}.jpg" alt="${where}" width="600" height="400" />`,
    `<p><strong>${where.toUpperCase()}</strong> &mdash; ${who} said on Friday that the talks on ${topic} with ${org} had &ldquo;moved further in a week than in a year&rdquo;, after a meeting that ran past midnight in ${where}.</p>`,
    `<p>The draft, seen by <a href="${site}/about">our reporters</a>, gives each side until the spring to sign. ${other} called it &ldquo;a fair start&rdquo; but warned that ${org} would want guarantees &amp; checks.</p>`,
    `<p>Officials in ${pick(PLACES, j + 3)} said the next round&#8217;s agenda was still open. <em>Nobody got everything</em>, one of them said, &ldquo;but the people who depend on ${topic} will be better off&rdquo;.</p>`,
    `<p>Story ${j} of feed ${k}. Prices rose by 3&nbsp;% in the week; traders in ${pick(PLACES, k + 5)} expect the figures on Monday.<br/>More: <a href="${site}/${j}/live?utm_source=rss&amp;utm_medium=feed">live updates</a></p>`,
  ].join('\n');
  const description = j % 2 === 0 ? `<![CDATA[${html}]]>` : escapeXml(html);
  const date = new Date(Date.UTC(2025, 2, 1) + j * 3_600_000 + k * 1000).toUTCString();
  return `    <item>
      <title>${title}</title>
      <link>${site}/${j}/story?utm_source=rss&amp;utm_campaign=feed</link>
      <guid isPermaLink="false">bench-${k}-${j}</guid>
      <pubDate>${date}</pubDate>
      <description>${description}</description>
    </item>`;
}

/** Feed k at a round: its `count` newest items, one more (and one fewer) each round. */
function feedText(k, round, count = POLL.items) {
  const items = [];
  for (let j = round + count - 1; j >= round; j--) items.push(item(k, j));
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Bench feed ${k}</title>
    <link>https://news${k}.example/</link>
    <description>Feed ${k} of the briefwire benchmark</description>
    <language>en</language>
${items.join('\n')}
  </channel>
</rss>
`;
}

/**
 * One loopback HTTP server for every feed: /feed/K.xml is feed K at the current round
 * (ETag and If-None-Match honoured). `prepare(round, feeds)` renders a round in advance, so
 * that a timed round spends next to nothing on serving; other feeds are rendered on demand.
 */
export async function startFeedServer() {
  const cache = new Map();
  /** Feed k → 200 answers since the round was set: how often each feed was fetched. */
  const served = new Map();
  let round = 0;
  const body = (k) => cache.get(k) ?? Buffer.from(feedText(k, round));
  const server = createServer((req, res) => {
    const k = Number(/^\/feed\/(\d+)\.xml$/.exec(req.url ?? '')?.[1] ?? Number.NaN);
    if (!Number.isInteger(k)) {
      res.writeHead(404).end();
      return;
    }
    const etag = `"${k}-${round}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    const bytes = body(k);
    served.set(k, (served.get(k) ?? 0) + 1);
    res.writeHead(200, {
      'content-type': 'application/rss+xml; charset=utf-8',
      'content-length': bytes.length,
      etag,
    });
    res.end(bytes);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: (k) => `http://127.0.0.1:${port}/feed/${k}.xml`,
    served,
    prepare(next, feeds) {
      round = next;
      cache.clear();
      served.clear();
      for (let k = 0; k < feeds; k++) cache.set(k, Buffer.from(feedText(k, next)));
    },
    onDemand(next) {
      round = next;
      cache.clear();
      served.clear();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
      }),
  };
}

/** A config file with `feeds` loopback feeds, each subscribed to the console. */
export function writeConfig(dir, server, feeds) {
  const lines = [`dataDir: ${JSON.stringify(dir)}`, 'logLevel: silent', 'feeds:'];
  for (let k = 0; k < feeds; k++) {
    lines.push(`  - url: ${server.url(k)}`, '    interval: 15m', '    allowPrivate: true');
  }
  lines.push('subscriptions:');
  for (let k = 0; k < feeds; k++) {
    lines.push(`  - feed: ${server.url(k)}`, '    destination: console');
  }
  const file = join(dir, 'bench.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** A clock the store and the poller share; each round moves it past every feed's interval. */
function benchClock() {
  let now = Date.now();
  return {
    now: () => new Date(now),
    advance: () => {
      now += HOUR_MS;
    },
  };
}

// --- (a) polling -------------------------------------------------------------------------

async function pollingBench(server, dir) {
  const config = loadConfig({ file: writeConfig(dir, server, POLL.feeds), env: {} });
  const clock = benchClock();
  const store = openSqliteStore(join(dir, 'poll.db'), { now: clock.now });
  await syncConfig(store, config);
  const deps = { store, config, now: clock.now };
  const rounds = [];
  for (let r = 0; r <= POLL.laterRounds; r++) {
    server.prepare(r, POLL.feeds);
    if (r > 0) clock.advance();
    global.gc?.();
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const summary = await pollDueFeeds(deps);
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    if (summary.ok !== POLL.feeds) {
      const failed = summary.results.find((x) => x.status === 'failed');
      throw new Error(`round ${r}: ${summary.ok}/${POLL.feeds} feeds polled ok (${failed?.error})`);
    }
    rounds.push({ polls: summary.ok, briefs: summary.stored, cpuS, wallS });
  }
  await store.close();
  return {
    feeds: POLL.feeds,
    items: POLL.items,
    concurrency: config.polling.concurrency,
    first: figures(rounds.slice(0, 1)),
    later: figures(rounds.slice(1)),
  };
}

/** Totals of a list of rounds, and feeds per hour per CPU-second and per wall second. */
function figures(list) {
  const polls = list.reduce((s, x) => s + x.polls, 0);
  const cpuS = list.reduce((s, x) => s + x.cpuS, 0);
  const wallS = list.reduce((s, x) => s + x.wallS, 0);
  return {
    rounds: list.length,
    polls,
    briefs: list.reduce((s, x) => s + x.briefs, 0),
    cpuS: round(cpuS, 3),
    wallS: round(wallS, 3),
    msPerFeedCpu: round((1000 * cpuS) / polls, 3),
    perHourPerCore: Math.round((polls / cpuS) * 3600),
    perHourWall: Math.round((polls / wallS) * 3600),
  };
}

// --- (a') polling on PostgreSQL, 1 and 3 pollers --------------------------------------------

/** The PostgreSQL server of the bench; null when none is set. */
export function benchDatabaseUrl() {
  return process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || null;
}

/** CPU seconds (user + system) of the server backends named `name`, from /proc. */
async function backendsCpuS(admin, name) {
  const { rows } = await admin.query(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [name],
  );
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      // Fields 14 and 15 (utime, stime), counted after the command's closing parenthesis.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The backend ended, or the server is on another machine: not counted.
    }
  }
  return ticks / 100; // USER_HZ
}

/**
 * `instances` pollers on one PostgreSQL store (a schema of their own), polling the same
 * feeds round after round, concurrently, each under its own instance name.
 */
async function postgresPollingBench(server, dir, url, instances) {
  const schema = `bw_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const inSchema = new URL(url);
  inSchema.searchParams.set('options', `-c search_path=${schema}`);
  // Names the pollers' backends in pg_stat_activity, for their CPU time.
  inSchema.searchParams.set('application_name', schema);
  const clock = benchClock();
  const stores = [];
  try {
    for (let n = 0; n < instances; n++) {
      stores.push(await openStore(inSchema.toString(), { now: clock.now }));
    }
    const config = loadConfig({ file: writeConfig(dir, server, POLL.feeds), env: {} });
    await syncConfig(stores[0], config);
    const rounds = [];
    for (let r = 0; r <= POLL.laterRounds; r++) {
      server.prepare(r, POLL.feeds);
      if (r > 0) clock.advance();
      global.gc?.();
      if (process.env.BENCH_PROGRESS) process.stderr.write(`pg ${instances} round ${r} start\n`);
      const server0 = await backendsCpuS(admin, schema);
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const summaries = await Promise.all(
        stores.map((store, n) =>
          pollDueFeeds({
            store,
            config,
            now: clock.now,
            instance: { owner: `bench-${n}`, leaseMs: 60_000 },
          }),
        ),
      );
      const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu = process.cpuUsage(cpu0);
      const serverS = (await backendsCpuS(admin, schema)) - server0;
      if (process.env.BENCH_PROGRESS)
        process.stderr.write(
          `pg ${instances} round ${r}: ${wallS.toFixed(1)} s wall, ${summaries.map((x) => `${x.ok}ok/${x.failed}f`).join(' ')}\n`,
        );
      // Each feed polled by exactly one poller: the server saw one fetch of each, no more.
      const twice = [...server.served].filter(([, times]) => times > 1).length;
      const failures = summaries.flatMap((x) => x.results).filter((x) => x.status === 'failed');
      rounds.push({
        polls: summaries.reduce((s, x) => s + x.ok, 0),
        failed: failures.length,
        errors: [...new Set(failures.map((x) => x.error))],
        onceEach: server.served.size === POLL.feeds && twice === 0,
        briefs: summaries.reduce((s, x) => s + x.stored, 0),
        cpuS: (cpu.user + cpu.system) / 1e6,
        serverS,
        wallS,
        byInstance: summaries.map((x) => x.ok),
      });
    }
    const withServer = (list) => {
      const f = figures(list);
      const serverS = list.reduce((s, x) => s + x.serverS, 0);
      const cpuS = list.reduce((s, x) => s + x.cpuS, 0);
      return {
        ...f,
        serverCpuS: round(serverS, 3),
        perHourPerCoreWithServer: Math.round((f.polls / (cpuS + serverS)) * 3600),
        failed: list.reduce((s, x) => s + x.failed, 0),
        errors: [...new Set(list.flatMap((x) => x.errors))],
        onceEach: list.every((x) => x.onceEach),
        byInstance: list.map((x) => x.byInstance),
      };
    };
    return {
      instances,
      feeds: POLL.feeds,
      items: POLL.items,
      concurrency: config.polling.concurrency,
      first: withServer(rounds.slice(0, 1)),
      later: withServer(rounds.slice(1)),
    };
  } finally {
    for (const store of stores) await store.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

/** (a') for 1 and 3 pollers; null (and one line) without a PostgreSQL server. */
export async function postgresPolling(server, dir, { printTable, mark }, counts = [1, 3]) {
  const url = benchDatabaseUrl();
  if (url === null) {
    console.log(
      '\nPolling on PostgreSQL (1 and 3 pollers): skipped, set BENCH_DATABASE_URL or TEST_DATABASE_URL',
    );
    return null;
  }
  const runs = [];
  for (const instances of counts)
    runs.push(await postgresPollingBench(server, dir, url, instances));
  const T = FEED_TARGET;
  printTable(
    `Polling ${POLL.feeds} loopback feeds of ${POLL.items} items on PostgreSQL, pollers sharing one store (pollDueFeeds, claims FOR UPDATE SKIP LOCKED; every feed fetched exactly once a round; CPU: this process, server apart)`,
    runs.flatMap((run) =>
      [
        ['first poll', run.first],
        [`later (${run.later.rounds} rounds)`, run.later],
      ].map(([label, f]) => ({
        pollers: run.instances,
        round: label,
        'polled ok': f.polls,
        failed: f.failed,
        'once each': f.onceEach ? 'yes' : 'NO',
        'ok by poller': f.byInstance.map((x) => x.join('/')).join(' '),
        'CPU s': f.cpuS,
        'server CPU s': f.serverCpuS,
        'wall s': f.wallS,
        'feeds/h/core': f.perHourPerCore,
        [`≥${T.feedsPerHourPerCore}`]: mark(f.perHourPerCore >= T.feedsPerHourPerCore),
        'with server': f.perHourPerCoreWithServer,
        'feeds/h wall': f.perHourWall,
      })),
    ),
  );
  for (const run of runs) {
    for (const error of new Set([...run.first.errors, ...run.later.errors])) {
      console.log(`  ${run.instances} poller(s): polls failed with: ${error}`);
    }
  }
  return Object.fromEntries(runs.map((run) => [`pollers${run.instances}`, run]));
}

// --- (b) overhead over the raw parse -------------------------------------------------------

/** Seconds per call of each fn over `inputs`, blocks alternated so that drift hits all. */
async function timeEach(fns, inputs, ms) {
  const spent = fns.map(() => 0);
  const calls = fns.map(() => 0);
  for (const fn of fns) for (const input of inputs) await fn(input); // warm-up
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (const [f, fn] of fns.entries()) {
      const t0 = process.hrtime.bigint();
      for (const input of inputs) await fn(input);
      spent[f] += Number(process.hrtime.bigint() - t0) / 1e9;
      calls[f] += inputs.length;
    }
  }
  return spent.map((s, f) => s / calls[f]);
}

async function overheadBench(server, dir) {
  const raw = new Parser();
  const rawParse = (text) => raw.parseString(text);
  const parse = (bytes) => parseFeed(bytes, { contentType: 'application/rss+xml; charset=utf-8' });
  const rows = [];

  // The texts of (a): feeds of 20 items; and one feed of 50 items.
  const texts = [];
  for (let k = 0; k < OVERHEAD.feeds; k++) texts.push(feedText(k, 1));
  const big = [feedText(0, 1, OVERHEAD.bigItems)];
  const prepare = (list) =>
    Promise.all(
      list.map(async (text) => {
        const bytes = Buffer.from(text);
        return { text, bytes, items: (await parse(bytes)).items };
      }),
    );
  for (const [label, set] of [
    [`parseFeed + keys, ${POLL.items} items`, await prepare(texts)],
    [`parseFeed + keys, ${OVERHEAD.bigItems} items`, await prepare(big)],
  ]) {
    const [rawS, parseS, keysS] = await timeEach(
      [(x) => rawParse(x.text), (x) => parse(x.bytes), (x) => keyItems(x.items)],
      set,
      OVERHEAD.ms,
    );
    rows.push({
      what: label,
      rawMs: round(rawS * 1000, 3),
      parseMs: round(parseS * 1000, 3),
      keysMs: round(keysS * 1000, 3),
      oursMs: round((parseS + keysS) * 1000, 3),
    });
  }

  // pollFeed with the network left out: a fetcher that hands over the feed's next round.
  const config = loadConfig({ file: writeConfig(dir, server, OVERHEAD.feeds), env: {} });
  const clock = benchClock();
  const store = openSqliteStore(join(dir, 'overhead.db'), { now: clock.now });
  await syncConfig(store, config);
  const records = await store.feeds.list();
  const kOf = (record) => Number(/\/feed\/(\d+)\.xml$/.exec(record.url)[1]);
  const bytesOf = new Map();
  const deps = (record, r) => ({
    store,
    config,
    now: clock.now,
    fetch: async () => ({
      status: 'ok',
      bytes: bytesOf.get(`${kOf(record)}/${r}`),
      contentType: 'application/rss+xml; charset=utf-8',
      finalUrl: record.url,
      etag: null,
      lastModified: null,
    }),
  });
  const rawTexts = [];
  for (let r = 0; r <= OVERHEAD.rounds; r++) {
    for (const record of records) {
      const text = feedText(kOf(record), r);
      bytesOf.set(`${kOf(record)}/${r}`, Buffer.from(text));
      if (r > 0) rawTexts.push(text);
    }
  }
  for (const record of records) await pollFeed(record, deps(record, 0)); // first polls
  let pollS = 0;
  let polls = 0;
  let briefs = 0;
  for (let r = 1; r <= OVERHEAD.rounds; r++) {
    clock.advance();
    for (const stale of records) {
      const record = await store.feeds.getByUrl(stale.url);
      const t0 = process.hrtime.bigint();
      const result = await pollFeed(record, deps(record, r));
      pollS += Number(process.hrtime.bigint() - t0) / 1e9;
      polls++;
      if (result.status !== 'ok') throw new Error(`pollFeed: ${result.status} ${result.error}`);
      briefs += result.stored;
    }
  }
  await store.close();
  const [rawS] = await timeEach([rawParse], rawTexts, OVERHEAD.ms / 2);
  rows.push({
    what: `pollFeed − network, ${POLL.items} items (${briefs / polls} brief/poll)`,
    rawMs: round(rawS * 1000, 3),
    oursMs: round((pollS / polls) * 1000, 3),
  });
  for (const row of rows) row.ratio = round(row.oursMs / row.rawMs, 2);

  // htmlToText per item description: the fast path against the DOM path it stands in for.
  const descriptions = (await raw.parseString(texts[0])).items.map((x) => x.content);
  const [fastS, domS] = await timeEach(
    [(html) => htmlToText(html), (html) => domHtmlToText(html)],
    descriptions,
    OVERHEAD.ms / 2,
  );
  return {
    parseKeys: rows[0],
    parseKeysBig: rows[1],
    pollFeed: rows[2],
    htmlToText: {
      bytes: Math.round(descriptions.reduce((s, d) => s + d.length, 0) / descriptions.length),
      fastUs: round(fastS * 1e6, 1),
      domUs: round(domS * 1e6, 1),
    },
  };
}

// --- (c) memory ----------------------------------------------------------------------------

async function memoryBench(server, dir) {
  server.onDemand(0);
  const configFile = writeConfig(dir, server, MEMORY.feeds);
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      ...SERVICE_HEAP_FLAGS,
      fileURLToPath(import.meta.url),
      '--memory-child',
      configFile,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`memory child exited ${code}: ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

/** The child: load the config, sync it to a fresh store, poll every feed once, measure. */
async function memoryChild(configFile) {
  const mb = () => {
    global.gc?.();
    global.gc?.();
    const m = process.memoryUsage();
    const MB = (x) => round(x / 2 ** 20, 1);
    return {
      rss: MB(m.rss),
      heap: MB(m.heapUsed),
      heapTotal: MB(m.heapTotal),
      external: MB(m.external),
    };
  };
  const start = mb();
  const config = loadConfig({ file: configFile, env: {} });
  const store = openSqliteStore(join(config.dataDir, 'memory.db'));
  await syncConfig(store, config);
  const synced = mb();
  const summary = await pollDueFeeds({ store, config, now: () => new Date() });
  const polled = mb();
  const peakMB = round(process.resourceUsage().maxRSS / 1024, 1);
  await store.close();
  console.log(
    JSON.stringify({
      feeds: config.feeds.length,
      ok: summary.ok,
      briefs: summary.stored,
      startMB: start.rss,
      syncedMB: synced.rss,
      rssMB: polled.rss,
      heapMB: polled.heap,
      heapTotalMB: polled.heapTotal,
      externalMB: polled.external,
      peakMB,
    }),
  );
}

function round(x, digits = 2) {
  return Number(x.toFixed(digits));
}

// --- all of it ------------------------------------------------------------------------------

export async function feedsBench({ printTable, mark }) {
  const dir = mkdtempSync(join(tmpdir(), 'briefwire-bench-'));
  const server = await startFeedServer();
  try {
    const polling = await pollingBench(server, dir);
    const postgres = await postgresPolling(server, dir, { printTable, mark });
    const overhead = await overheadBench(server, dir);
    const memory = await memoryBench(server, dir);

    const T = FEED_TARGET;
    printTable(
      `Polling ${polling.feeds} loopback feeds of ${polling.items} items (pollDueFeeds, SQLite file, concurrency ${polling.concurrency}; CPU includes the in-process server)`,
      [
        ['first poll', polling.first],
        [`later polls (${polling.later.rounds} rounds, 1 new item/feed)`, polling.later],
      ].map(([label, f]) => ({
        round: label,
        polls: f.polls,
        briefs: f.briefs,
        'CPU s': f.cpuS,
        'wall s': f.wallS,
        'CPU ms/feed': f.msPerFeedCpu,
        'feeds/h/core': f.perHourPerCore,
        [`≥${T.feedsPerHourPerCore}`]: mark(f.perHourPerCore >= T.feedsPerHourPerCore),
        'feeds/h wall': f.perHourWall,
      })),
    );
    printTable(
      'Ingestion against rss-parser’s raw parseString of the same feed texts (ms per feed)',
      [overhead.parseKeys, overhead.parseKeysBig, overhead.pollFeed].map((row, i) => ({
        what: row.what,
        'raw ms': row.rawMs,
        'parseFeed ms': row.parseMs ?? '',
        'keys ms': row.keysMs ?? '',
        'ours ms': row.oursMs,
        'ours/raw': `${row.ratio}×`,
        [`≤${T.overhead}×`]: i < 2 ? mark(row.ratio <= T.overhead) : '',
      })),
    );
    console.log(
      `htmlToText per item (${overhead.htmlToText.bytes} bytes of HTML): fast path ${overhead.htmlToText.fastUs} µs, DOM path ${overhead.htmlToText.domUs} µs`,
    );
    printTable(
      `Memory: ${memory.feeds} feeds configured, synced and polled once (child node --expose-gc with the service's heap flags)`,
      [
        {
          stage: 'after the poll, after gc',
          feeds: memory.feeds,
          'polled ok': memory.ok,
          briefs: memory.briefs,
          'RSS MB': memory.rssMB,
          [`<${T.rssMB}`]: mark(memory.rssMB < T.rssMB),
          'heap MB': memory.heapMB,
          'peak RSS MB': memory.peakMB,
          'RSS at start MB': memory.startMB,
          'after sync MB': memory.syncedMB,
        },
      ],
    );
    return {
      polling,
      postgres,
      overhead,
      memory,
      pass: {
        feedsPerHour:
          polling.first.perHourPerCore >= T.feedsPerHourPerCore &&
          polling.later.perHourPerCore >= T.feedsPerHourPerCore,
        ...(postgres === null
          ? {}
          : {
              feedsPerHourPostgres: Object.values(postgres).every(
                (run) =>
                  run.first.perHourPerCore >= T.feedsPerHourPerCore &&
                  run.later.perHourPerCore >= T.feedsPerHourPerCore &&
                  [run.first, run.later].every((f) => f.failed === 0 && f.onceEach),
              ),
            }),
        overhead:
          overhead.parseKeys.ratio <= T.overhead && overhead.parseKeysBig.ratio <= T.overhead,
        memory: memory.rssMB < T.rssMB,
      },
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--memory-child' && process.argv[1] === fileURLToPath(import.meta.url)) {
  await memoryChild(process.argv[3]);
}

// `node bench/feeds.mjs --postgres [pollers …]`: (a') alone, e.g. `--postgres 1 3`;
// BENCH_PROGRESS=1 prints a line a round on stderr (a round can take a minute).
if (process.argv[2] === '--postgres' && process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = mkdtempSync(join(tmpdir(), 'briefwire-bench-'));
  const server = await startFeedServer();
  const counts = process.argv.slice(3).map(Number);
  const table = (title, rows) => {
    console.log(`\n${title}`);
    console.table(rows);
  };
  try {
    const postgres = await postgresPolling(
      server,
      dir,
      { printTable: table, mark: (ok) => (ok ? 'PASS' : 'MISS') },
      counts.length > 0 ? counts : [1, 3],
    );
    console.log(JSON.stringify({ postgres }));
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
