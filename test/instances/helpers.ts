/**
 * Several `briefwire run` on one PostgreSQL store, for the fault tests: the built command as
 * real processes, Telegram on the loopback Bot API, feeds on a loopback HTTP server.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { rss, serve } from '../app/commands/helpers.js';
import { type RunningCli, spawnCli } from '../support/cli.js';
import type { TelegramApi } from '../support/telegram-api.js';

export type FeedServer = Awaited<ReturnType<typeof serve>>;

/** `feeds` loopback feeds of one item each, titled 'Story N'. */
export async function storyFeeds(feeds: number): Promise<FeedServer> {
  const pages: Record<string, [number, string, string]> = {};
  for (let n = 0; n < feeds; n++) {
    pages[`/feed-${n}.xml`] = [
      200,
      'application/rss+xml',
      rss(`Wire ${n}`, [
        {
          title: `Story ${n}`,
          link: `https://news.example/story-${n}`,
          text: `The council of town ${n} met on Monday and voted the budget for next year.`,
        },
      ]),
    ];
  }
  return serve(pages);
}

/**
 * A config: every channel subscribes to every feed (feeds × channels deliveries), polled
 * hourly, claims lasting `lease` so that a killed instance's work is taken over quickly.
 */
export function writeConfig(
  dir: string,
  server: FeedServer,
  feeds: number,
  channels: readonly number[],
  lease = '3s',
): string {
  const lines = ['feeds:'];
  for (let n = 0; n < feeds; n++) {
    lines.push(
      `  - url: ${server.url(`/feed-${n}.xml`)}`,
      `    name: Wire ${n}`,
      '    interval: 1h',
      '    firstPollPosts: 1',
      '    allowPrivate: true',
    );
  }
  lines.push('subscriptions:');
  for (let n = 0; n < feeds; n++) {
    for (const channel of channels) {
      lines.push(`  - feed: Wire ${n}`, `    destination: "telegram:${channel}"`);
    }
  }
  lines.push(
    'polling:',
    '  jitter: 0',
    'instances:',
    `  lease: ${lease}`,
    '  electionRetry: 300ms',
  );
  const file = path.join(dir, 'briefwire.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** `briefwire run` on the store at `url`, talking to the loopback Telegram. */
export function startInstance(
  config: string,
  url: string,
  api: TelegramApi,
  dataDir: string,
): RunningCli {
  return spawnCli(['run', '--config', config], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      BRIEFWIRE_DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      LOG_LEVEL: 'info',
    },
  });
}

/** How many times each (chat, text) pair arrived beyond the first. */
export function repeats(api: TelegramApi): number {
  const seen = new Map<string, number>();
  for (const message of api.messages()) {
    const key = `${message.chatId}\n${message.text}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  let extra = 0;
  for (const n of seen.values()) extra += n - 1;
  return extra;
}
