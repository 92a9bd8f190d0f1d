// One brief fanned out to 1,000 Telegram chats through the real outbox, the real grammY
// client and the project's Bot API server on 127.0.0.1, which enforces Telegram's limits
// (30 messages/s per bot, 1/s per chat, 20/min per group) by answering 429. Prints the
// messages/s as a share of the 30/s allowance and the 429s received, then one JSON line.
//
// With `instances` > 1 and a PostgreSQL server (BENCH_DATABASE_URL, else TEST_DATABASE_URL),
// that many outbox drains share one store in a schema of its own, each with its own store
// connection, grammY client and instance name, as several `briefwire run` would: the 30/s
// is theirs together. They run in this one process (the figure is the allowance they keep
// between them; the fault tests run real processes).
//
// The loopback Bot API runs in a worker thread of its own (bench/server-worker.ts).
//
//     node --import tsx bench/telegram.ts [chats] [round trip ms, default 100] [instances]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isMainThread, workerData } from 'node:worker_threads';
import { Bot } from 'grammy';
import { createTelegramSender, TELEGRAM_LIMITS } from '../src/adapters/telegram/index.js';
import type { Store } from '../src/store/port.js';
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

export const TELEGRAM_TARGET = { share: 0.95, tooManyRequests: 0 };

/** Half private chats, half groups: both limits are in play. */
const chatIds = (chats: number): number[] =>
  Array.from({ length: chats }, (_, k) => (k % 2 === 0 ? 10_000 + k : -20_000 - k));

interface ServerReport {
  tooManyRequests: number;
  messages: { chatId: number }[];
  /** The message sends as they arrived: when (epoch ms) and the status answered. */
  sends: { at: number; status: number }[];
}

/** The worker's side: the loopback Bot API. */
async function serveTelegram(chats: number, latencyMs: number): Promise<void> {
  const { startTelegramApi } = await import('../test/support/telegram-api.js');
  const api = await startTelegramApi({ latencyMs });
  for (const id of chatIds(chats)) {
    api.addChat({ id, type: id > 0 ? 'private' : 'group', title: `chat ${id}` });
  }
  serveFromWorker(
    { apiRoot: api.apiRoot, token: api.token },
    (): ServerReport => ({
      tooManyRequests: api.stats.tooManyRequests,
      messages: api.messages().map((m) => ({ chatId: m.chatId })),
      sends: api.calls
        .filter((c) => c.method === 'sendMessage')
        .map((c) => ({ at: c.at, status: c.status })),
    }),
    () => api.close(),
  );
}

export async function telegramBench(chats = 1000, latencyMs = 100, instances = 1) {
  const server = await startServerWorker<{ apiRoot: string; token: string }, ServerReport>(
    import.meta.url,
    { chats, latencyMs },
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'briefwire-bench-telegram-'));
  const { stores, drop } = await openStores(instances, dir);
  try {
    await queueOneBrief(
      stores[0] as Store,
      chatIds(chats).map((id) => `telegram:${id}` as const),
    );
    const drains = stores.map((store, n) => {
      const bot = new Bot(server.token, { client: { apiRoot: server.apiRoot } });
      const sender = createTelegramSender({ api: bot.api });
      return drainTimed(store, sender, { owner: `bench-${n}`, leaseMs: 60_000 });
    });
    const startedAt = performance.timeOrigin + performance.now();
    const seconds = Math.max(...(await Promise.all(drains)));
    const endedAt = performance.timeOrigin + performance.now();
    const report = await server.report();
    if (process.env.BENCH_TRACE) {
      const accepted = report.sends.filter((s) => s.status === 200).map((s) => s.at);
      const refused = report.sends
        .filter((s) => s.status === 429)
        .map((s) => round(s.at - startedAt));
      console.error(
        JSON.stringify({
          profile: arrivalProfile(accepted, TELEGRAM_LIMITS.global, startedAt, endedAt),
          refusedAtMs: refused,
        }),
      );
    }
    const delivered = new Set(report.messages.map((m) => m.chatId)).size;
    const messages = report.messages.length;
    return {
      chats,
      latencyMs,
      instances,
      delivered,
      messages,
      seconds: round(seconds),
      messagesPerSecond: round(messages / seconds),
      shareOfAllowance: round(shareOfAllowance(messages, seconds, TELEGRAM_LIMITS.global), 3),
      shareOfRate: round(shareOfRate(messages, seconds, TELEGRAM_LIMITS.global), 3),
      tooManyRequests: report.tooManyRequests,
    };
  } finally {
    for (const store of stores) await store.close();
    await drop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!isMainThread && (workerData as { chats?: number } | null)?.chats !== undefined) {
  const { chats, latencyMs } = workerData as { chats: number; latencyMs: number };
  await serveTelegram(chats, latencyMs);
} else if (isMainThread && import.meta.url === `file://${process.argv[1]}`) {
  const args = fanoutArgs('telegram', 1000);
  if (args) {
    const result = await telegramBench(args.destinations, args.latencyMs, args.instances);
    const pass =
      result.shareOfRate >= TELEGRAM_TARGET.share &&
      result.tooManyRequests <= TELEGRAM_TARGET.tooManyRequests &&
      result.delivered === result.chats;
    console.log(
      `telegram fan-out${args.who}: ${result.delivered}/${result.chats} chats, ${result.messages} messages in ${result.seconds} s = ${result.messagesPerSecond}/s, ${Math.round(result.shareOfRate * 100)} % of 30/s (target ≥ 95 %; ${Math.round(result.shareOfAllowance * 100)} % if a full first second's burst is counted), ${result.tooManyRequests} × 429 (target 0): ${pass ? 'PASS' : 'MISS'}`,
    );
    console.log(JSON.stringify({ [args.key]: { ...result, pass } }));
  }
}
