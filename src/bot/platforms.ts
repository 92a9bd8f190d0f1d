/**
 * The chat platforms a run turns on, each from its own settings: Telegram when
 * TELEGRAM_BOT_TOKEN is set, Discord when DISCORD_TOKEN is. Each gives the outbox a sender
 * and takes commands to the one handler. Their libraries (grammY, discord.js: tens of MB
 * resident) are imported only when their token is set.
 */

import type { CommandInput, Reply } from '../app/commands/index.js';
import type { Log, Sender } from '../app/jobs/index.js';
import type { Config } from '../config/index.js';
import type { Store } from '../store/index.js';
import type { Route } from './http.js';
import { runElected } from './leader.js';

export interface Platform {
  name: 'telegram' | 'discord';
  sender: Sender;
  /**
   * Connects; rejects with a one-line reason the operator can act on. `signal` (a stop
   * during start) makes it give up.
   */
  start(signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
  connected(): boolean;
  /** 429 answers the platform gave so far. */
  tooManyRequests(): number;
  /** HTTP routes it needs on the bot's server (the Telegram webhook). */
  routes: ReadonlyMap<string, Route>;
}

export interface PlatformDeps {
  config: Config;
  store: Store;
  handle: (input: CommandInput) => Promise<Reply>;
  log: Log;
}

export async function createPlatforms({
  config,
  store,
  handle,
  log,
}: PlatformDeps): Promise<Platform[]> {
  const platforms: Platform[] = [];
  const token = config.secrets.telegramBotToken;
  if (token !== null) {
    const { createTelegramAdapter } = await import('../adapters/telegram/index.js');
    const webhookUrl = config.telegram.webhookUrl ?? null;
    const telegram = createTelegramAdapter({
      token,
      apiRoot: config.telegram.apiRoot,
      handle,
      store,
      log,
      webhook: webhookUrl
        ? { url: webhookUrl, secret: config.secrets.telegramWebhookSecret }
        : null,
    });
    const routes = new Map<string, Route>();
    if (telegram.webhookHandler && telegram.webhookPath) {
      routes.set(telegram.webhookPath, telegram.webhookHandler);
    }
    // Instances sharing a store: each sends, one elected at a time takes the updates by
    // long polling (a webhook is answered by whichever instance Telegram's request reaches).
    const elect = store.cluster !== null && webhookUrl === null ? store.cluster : null;
    let campaign: (() => Promise<void>) | null = null;
    platforms.push({
      name: 'telegram',
      sender: telegram.sender,
      start: async (signal) => {
        await telegram.start(signal, { updates: elect === null });
        if (elect === null) return;
        campaign = runElected({
          cluster: elect,
          name: 'telegram:updates',
          what: 'takes the Telegram updates',
          retryMs: config.instances.electionRetryMs,
          log,
          begin: () => telegram.takeUpdates(),
          end: () => telegram.stopUpdates(),
        });
      },
      stop: async () => {
        await campaign?.();
        await telegram.stop();
      },
      connected: () => telegram.connected(),
      tooManyRequests: () => telegram.tooManyRequests(),
      routes,
    });
  }
  const discordToken = config.secrets.discordToken;
  if (discordToken !== null) {
    const { createDiscordAdapter } = await import('../adapters/discord/index.js');
    const discord = createDiscordAdapter({
      token: discordToken,
      apiRoot: config.discord.apiRoot,
      guildId: config.discord.guildId,
      handle,
      store,
      log,
    });
    // Instances sharing a store: each sends over REST, one elected at a time holds the
    // gateway (two would each get every interaction, and answer it twice).
    const elect = store.cluster;
    let campaign: (() => Promise<void>) | null = null;
    platforms.push({
      name: 'discord',
      sender: discord.sender,
      start: async () => {
        await discord.start({ gateway: elect === null });
        if (elect === null) return;
        campaign = runElected({
          cluster: elect,
          name: 'discord:gateway',
          what: 'holds the Discord gateway',
          retryMs: config.instances.electionRetryMs,
          log,
          begin: () => discord.takeGateway(),
          end: () => discord.leaveGateway(),
        });
      },
      stop: async () => {
        await campaign?.();
        await discord.stop();
      },
      connected: () => discord.connected(),
      tooManyRequests: () => discord.tooManyRequests(),
      routes: new Map(),
    });
  }
  return platforms;
}
