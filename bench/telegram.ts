// One brief fanned out to 1,000 Telegram chats through the real outbox, the real grammY
// client and the project's Bot API server on 127.0.0.1, which enforces Telegram's limits
// (30 messages/s per bot, 1/s per chat, 20/min per group) by answering 429. Prints the
// messages/s as a share of the 30/s allowance and the 429s received, then one JSON line.
//
//     node --import tsx bench/telegram.ts [chats] [round trip ms, default 100]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Bot } from 'grammy';
import { createTelegramSender, TELEGRAM_LIMITS } from '../src/adapters/telegram/index.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { startTelegramApi } from '../test/support/telegram-api.js';
import { drainTimed, queueOneBrief, round, shareOfAllowance } from './fanout.js';

export const TELEGRAM_TARGET = { share: 0.95, tooManyRequests: 0 };

export async function telegramBench(chats = 1000, latencyMs = 100) {
  const api = await startTelegramApi({ latencyMs });
  const dir = mkdtempSync(path.join(tmpdir(), 'briefwire-bench-telegram-'));
  const store = openSqliteStore(path.join(dir, 'briefwire.db'));
  try {
    // Half private chats, half groups: both limits are in play.
    const ids = Array.from({ length: chats }, (_, k) => (k % 2 === 0 ? 10_000 + k : -20_000 - k));
    for (const id of ids)
      api.addChat({ id, type: id > 0 ? 'private' : 'group', title: `chat ${id}` });
    await queueOneBrief(
      store,
      ids.map((id) => `telegram:${id}` as const),
    );

    const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
    const sender = createTelegramSender({ api: bot.api });
    const seconds = await drainTimed(store, sender);
    const delivered = new Set(api.messages().map((m) => m.chatId)).size;
    const messages = api.messages().length;
    const perSecond = messages / seconds;
    return {
      chats,
      latencyMs,
      delivered,
      messages,
      seconds: round(seconds),
      messagesPerSecond: round(perSecond),
      shareOfAllowance: round(shareOfAllowance(messages, seconds, TELEGRAM_LIMITS.global), 3),
      tooManyRequests: api.stats.tooManyRequests,
    };
  } finally {
    await store.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await telegramBench(
    Number(process.argv[2] ?? 1000),
    Number(process.argv[3] ?? 100),
  );
  const pass =
    result.shareOfAllowance >= TELEGRAM_TARGET.share &&
    result.tooManyRequests <= TELEGRAM_TARGET.tooManyRequests &&
    result.delivered === result.chats;
  console.log(
    `telegram fan-out: ${result.delivered}/${result.chats} chats, ${result.messages} messages in ${result.seconds} s = ${result.messagesPerSecond}/s, ${Math.round(result.shareOfAllowance * 100)} % of 30/s (target ≥ 95 %), ${result.tooManyRequests} × 429 (target 0): ${pass ? 'PASS' : 'MISS'}`,
  );
  console.log(JSON.stringify({ telegram: { ...result, pass } }));
}
