// One brief fanned out to 500 Discord channels through the real store, the real outbox, the
// Discord adapter's sender and discord.js (logged in over the gateway, REST queue and all),
// against the project's Discord on 127.0.0.1, which enforces Discord's limits (50 requests/s
// per bot, 5 messages per 5 s per channel) by answering 429. Prints the requests/s as a
// share of the 50/s allowance and the 429s received, then one JSON line.
//
// With `instances` > 1 and a PostgreSQL server (BENCH_DATABASE_URL, else TEST_DATABASE_URL),
// that many outbox drains share one store in a schema of its own, each with its own store
// connection, Discord adapter and instance name, as several `briefwire run` would: the
// first holds the gateway (the elected one), the others start as standbys that only send
// over REST (`start({ gateway: false })`), and the 50/s is theirs together. They run in this
// one process (the figure is the allowance they keep between them). Without a server that
// run is skipped with one line.
//
// The loopback Discord runs in a worker thread of its own: the real one does not share the
// bot's CPU, and on one thread its request handling would slow the bot's sends down.
//
//     node --import tsx bench/discord.ts [channels] [round trip ms, default 100] [instances]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isMainThread, workerData } from 'node:worker_threads';
import { createDiscordAdapter, DISCORD_RATE_LIMITS } from '../src/adapters/discord/index.js';
import { createCommandDeps, createCommandHandler } from '../src/app/commands/index.js';
import { parseConfig } from '../src/config/index.js';
import type { Store } from '../src/store/port.js';
import { startDiscordApi } from '../test/support/discord-api.js';
import {
  arrivalProfile,
  drainTimed,
  fanoutArgs,
  openStores,
  queueOneBrief,
  round,
  shareOfAllowance,
  shareOfRate,
} from './fanout.js';
import { serveFromWorker, startServerWorker } from './server-worker.js';

export const DISCORD_TARGET = { share: 0.95, tooManyRequests: 0 };

/** Discord allows 500 channels in a server: 100 a server keeps the guilds ordinary. */
const CHANNELS_PER_GUILD = 100;

const snowflake = (n: number) => String(1_200_000_000_000_000_000n + BigInt(n));

/** The channel ids of the bench, and their servers. */
function layout(channels: number): { guild: string; owner: string; channels: string[] }[] {
  const guilds = [];
  for (let g = 0; g * CHANNELS_PER_GUILD < channels; g++) {
    const ids = [];
    for (let c = g * CHANNELS_PER_GUILD; c < Math.min(channels, (g + 1) * CHANNELS_PER_GUILD); c++)
      ids.push(snowflake(10_000 + c));
    guilds.push({ guild: snowflake(g + 1), owner: snowflake(900_000 + g), channels: ids });
  }
  return guilds;
}

interface ServerReport {
  requests: number;
  tooManyRequests: number;
  messages: { channelId: string; embeds: number; at: number }[];
  /** Every request as it arrived: when (epoch ms) and the status answered. */
  sends: { at: number; status: number }[];
}

/** The worker's side: the loopback Discord. */
async function serveDiscord(channels: number, latencyMs: number): Promise<void> {
  const api = await startDiscordApi({
    latencyMs,
    globalLimit: DISCORD_RATE_LIMITS.global,
    messageLimit: DISCORD_RATE_LIMITS.perChannel,
  });
  for (const [g, guild] of layout(channels).entries()) {
    api.addGuild({
      id: guild.guild,
      name: `Server ${g + 1}`,
      ownerId: guild.owner,
      channels: guild.channels.map((id, k) => ({ id, name: `news-${k + 1}` })),
    });
  }
  serveFromWorker(
    { root: api.root, token: api.token },
    (): ServerReport => ({
      requests: api.stats.requests,
      tooManyRequests: api.stats.tooManyRequests,
      messages: api
        .messages()
        .map((m) => ({ channelId: m.channelId, embeds: m.embeds.length, at: m.at })),
      sends: api.requests.map((r) => ({ at: r.at, status: r.status })),
    }),
    () => api.close(),
  );
}

export async function discordBench(channels = 500, latencyMs = 100, instances = 1) {
  const server = await startServerWorker<{ root: string; token: string }, ServerReport>(
    import.meta.url,
    { channels, latencyMs },
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'briefwire-bench-discord-'));
  const { stores, drop } = await openStores(instances, dir);
  const config = parseConfig({ text: '', file: path.join(dir, 'config.yaml'), env: {} });
  const adapters = stores.map((store) =>
    createDiscordAdapter({
      token: server.token,
      apiRoot: `${server.root}/api`,
      handle: createCommandHandler(createCommandDeps({ store, config })),
      store,
    }),
  );
  try {
    const ids = layout(channels).flatMap((guild) => guild.channels);
    await queueOneBrief(
      stores[0] as Store,
      ids.map((id) => `discord:${id}` as const),
    );
    // One gateway, as the election leaves it: the others send over REST only.
    for (const [n, adapter] of adapters.entries()) await adapter.start({ gateway: n === 0 });
    // What start() sent (gateway, command registration) has left the global window.
    await new Promise((resolve) => setTimeout(resolve, DISCORD_RATE_LIMITS.global.perMs));
    const before = await server.report();

    const drains = stores.map((store, n) =>
      drainTimed(
        store,
        (adapters[n] as (typeof adapters)[number]).sender,
        instances === 1 ? undefined : { owner: `bench-${n}`, leaseMs: 60_000 },
      ),
    );
    const startedAt = Date.now();
    const seconds = Math.max(...(await Promise.all(drains)));
    const endedAt = Date.now();
    const after = await server.report();
    if (process.env.BENCH_TRACE) {
      const during = after.sends.slice(before.sends.length);
      const accepted = during.filter((s) => s.status !== 429).map((s) => s.at);
      const refused = during.filter((s) => s.status === 429).map((s) => round(s.at - startedAt));
      console.error(
        JSON.stringify({
          profile: arrivalProfile(accepted, DISCORD_RATE_LIMITS.global, startedAt, endedAt),
          refusedAtMs: refused,
        }),
      );
    }
    const posted = after.messages;
    const delivered = new Set(posted.map((m) => m.channelId)).size;
    const requests = after.requests - before.requests;
    const perSecond = requests / seconds;
    return {
      channels,
      latencyMs,
      instances,
      delivered,
      messages: posted.length,
      embeds: posted.filter((m) => m.embeds === 1).length,
      requests,
      seconds: round(seconds),
      requestsPerSecond: round(perSecond),
      shareOfAllowance: round(shareOfAllowance(requests, seconds, DISCORD_RATE_LIMITS.global), 3),
      shareOfRate: round(shareOfRate(requests, seconds, DISCORD_RATE_LIMITS.global), 3),
      tooManyRequests: after.tooManyRequests - before.tooManyRequests,
    };
  } finally {
    for (const adapter of adapters) await adapter.stop();
    for (const store of stores) await store.close();
    await drop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!isMainThread && (workerData as { channels?: number } | null)?.channels !== undefined) {
  const { channels, latencyMs } = workerData as { channels: number; latencyMs: number };
  await serveDiscord(channels, latencyMs);
} else if (isMainThread && import.meta.url === `file://${process.argv[1]}`) {
  const args = fanoutArgs('discord', 500);
  if (args) {
    const result = await discordBench(args.destinations, args.latencyMs, args.instances);
    const pass =
      result.shareOfRate >= DISCORD_TARGET.share &&
      result.tooManyRequests <= DISCORD_TARGET.tooManyRequests &&
      result.delivered === result.channels &&
      result.messages === result.channels;
    console.log(
      `discord fan-out${args.who}: ${result.delivered}/${result.channels} channels, ${result.requests} requests in ${result.seconds} s = ${result.requestsPerSecond}/s, ${Math.round(result.shareOfRate * 100)} % of 50/s (target ≥ 95 %; ${Math.round(result.shareOfAllowance * 100)} % if a full first second's burst is counted), ${result.tooManyRequests} × 429 (target 0): ${pass ? 'PASS' : 'MISS'}`,
    );
    console.log(JSON.stringify({ [args.key]: { ...result, pass } }));
  }
}
