/**
 * The Discord adapter on discord.js, put together and run: a gateway connection with the
 * Guilds intent only (no privileged intent), slash commands registered from the one
 * command list, a standby that only sends over REST while another instance holds the
 * gateway, and a stop that waits for the interactions being answered. What it does with an
 * interaction or a removal is updates.ts; how it answers, replies.ts; deliveries go
 * through the outbox with the sender of send.ts.
 *
 *     const discord = createDiscordAdapter({ token, apiRoot, guildId, handle, store, log });
 *     await discord.start();      // login, READY, slash commands registered
 *     scheduler senders: [discord.sender]
 *     await discord.stop();
 */
import {
  Client,
  type ClientOptions,
  DefaultRestOptions,
  DiscordjsErrorCodes,
  Events,
  GatewayIntentBits,
  PermissionFlagsBits,
  Routes,
  Status,
} from 'discord.js';
import type { CommandInput, Reply } from '../../app/commands/index.js';
import { errorLine, type Log, type RateLimit, silentLog } from '../../app/jobs/index.js';
import type { Store } from '../../store/port.js';
import { slashCommands } from './commands.js';
import { createDiscordReplies } from './replies.js';
import { createDiscordSender, type DiscordSender } from './send.js';
import { listenForUpdates } from './updates.js';

export interface DiscordAdapterOptions {
  token: string;
  /** DISCORD_API_ROOT: REST through a proxy (`https://proxy.example/api`); default Discord's. */
  apiRoot?: string | null;
  /** DISCORD_GUILD_ID: register the commands on this server only (instant); else globally. */
  guildId?: string | null;
  handle: (input: CommandInput) => Promise<Reply>;
  /** Subscriptions (paused when a channel or server goes away) and actors (autocomplete). */
  store: Store;
  log?: Log;
  /** The outbox's limits for the sender; default Discord's (channel.ts). */
  limit?: RateLimit;
  /** A reply not ready after this long is deferred; default 1500 ms (Discord allows 3 s). */
  deferAfterMs?: number;
  /** `/import`'s attachment is read up to this size; default 1 MiB. */
  importMaxBytes?: number;
  /**
   * A 429 asking to wait longer than this is not waited out inside a send: the delivery
   * goes back to the outbox with the wait as its retry delay. Default 10 s.
   */
  rateLimitWaitMs?: number;
  /** How long start() waits for the gateway's READY; default 30 s. */
  readyTimeoutMs?: number;
}

export interface DiscordAdapter {
  /** For the outbox. */
  readonly sender: DiscordSender;
  /** The discord.js client (tests and diagnostics). */
  readonly client: Client;
  /** The bot's user name, once started. */
  readonly username: string | null;
  /**
   * Logs in, waits for READY, registers the slash commands. With `gateway: false` (a
   * standby among several instances) it only checks the token over REST and sends: the
   * elected instance holds the gateway.
   */
  start(options?: { gateway?: boolean }): Promise<void>;
  /** A standby elected: connects to the gateway and takes the interactions from now on. */
  takeGateway(): Promise<void>;
  /** The lead was lost: closes the gateway; sending over REST goes on. */
  leaveGateway(): Promise<void>;
  /** Waits for the interactions being answered, then closes the gateway. */
  stop(): Promise<void>;
  /** Started, and the gateway connection is up. */
  connected(): boolean;
  /** 429 answers received so far (each waited out by the REST queue, or by the outbox). */
  tooManyRequests(): number;
}

/** A token refused by Discord, or a start that cannot go on: one line for the operator. */
export class DiscordStartError extends Error {
  override name = 'DiscordStartError';
}

const INTERACTION_STOP_WAIT_MS = 5000;

/** The REST root for a log line: a proxy URL's user and password left out. */
function shownRoot(apiRoot: string | null): string {
  if (!apiRoot) return 'https://discord.com/api';
  try {
    const url = new URL(apiRoot);
    url.username = '';
    url.password = '';
    return url.href.replace(/\/+$/, '');
  } catch {
    return 'DISCORD_API_ROOT';
  }
}

export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const log = options.log ?? silentLog;
  const rateLimitWaitMs = options.rateLimitWaitMs ?? 10_000;
  const apiRoot = options.apiRoot ? options.apiRoot.replace(/\/+$/, '') : null;
  const guildId = options.guildId ?? null;

  let tooManyRequests = 0;
  const makeRequest = DefaultRestOptions.makeRequest;
  const clientOptions: ClientOptions = {
    intents: [GatewayIntentBits.Guilds],
    // The default for every message; each payload also says it (send.ts, replies.ts).
    allowedMentions: { parse: [] },
    rest: {
      ...(apiRoot ? { api: apiRoot } : {}),
      rejectOnRateLimit: (data) => data.retryAfter > rateLimitWaitMs,
      makeRequest: async (url, init) => {
        const response = await makeRequest(url, init as Parameters<typeof makeRequest>[1]);
        if (response.status === 429) tooManyRequests++;
        return response;
      },
    },
  };
  const client = new Client(clientOptions);

  const sender = createDiscordSender({
    rest: client.rest,
    embedLinks: (channelId) => {
      const channel = client.channels.cache.get(channelId);
      const me = client.user;
      if (!channel || !me || channel.isDMBased() || !('permissionsFor' in channel)) return null;
      const permissions = channel.permissionsFor(me);
      return permissions ? permissions.has(PermissionFlagsBits.EmbedLinks) : null;
    },
    ...(options.limit ? { limit: options.limit } : {}),
    log,
  });

  let started = false;
  /** Started to send only: another instance holds the gateway. */
  let standby = false;
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  listenForUpdates({
    client,
    handle: options.handle,
    store: options.store,
    replies: createDiscordReplies({ deferAfterMs: options.deferAfterMs ?? 1500, log }),
    log,
    importMaxBytes: options.importMaxBytes ?? 1024 * 1024,
    accepting: () => started,
    track,
  });

  client.on(Events.Error, (error) => log.error(`discord: ${errorLine(error)}`));
  client.on(Events.Warn, (message) => log.warn(`discord: ${message}`));
  client.on(Events.ShardDisconnect, (event) => {
    if (started) log.warn(`discord: gateway closed (${event.code}); reconnecting`);
  });
  client.on(Events.ShardResume, () => {
    if (started) log.info('discord: gateway resumed');
  });

  // ── Start and stop ───────────────────────────────────────────────────────────────────
  const register = async (): Promise<void> => {
    const body = slashCommands();
    const application = client.application;
    if (!application) throw new Error('no application after READY');
    if (guildId) {
      await application.commands.set(body, guildId);
      log.info(`discord: ${body.length} slash commands registered on server ${guildId}`);
    } else {
      await application.commands.set(body);
      log.info(`discord: ${body.length} slash commands registered globally`);
    }
  };

  const login = async (): Promise<void> => {
    const abort = new AbortController();
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new DiscordStartError('Discord: no READY from the gateway in time')),
        options.readyTimeoutMs ?? 30_000,
      );
      abort.signal.addEventListener('abort', () => clearTimeout(timer));
      client.once(Events.ClientReady, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    ready.catch(() => undefined);
    try {
      await client.login(options.token);
      await ready;
    } catch (error) {
      abort.abort();
      await client.destroy().catch(() => undefined);
      if (error instanceof DiscordStartError) throw error;
      const code = (error as { code?: unknown }).code;
      if (code === DiscordjsErrorCodes.TokenInvalid) {
        throw new DiscordStartError(
          'Discord refused DISCORD_TOKEN (invalid token): copy the bot token again from the Developer Portal',
        );
      }
      if (code === DiscordjsErrorCodes.DisallowedIntents) {
        throw new DiscordStartError(`Discord refused the bot's intents: ${errorLine(error)}`);
      }
      throw new DiscordStartError(
        `cannot reach Discord at ${shownRoot(apiRoot)}: ${errorLine(error)}`,
      );
    }
  };

  /** Standby: the REST token only, checked once (a refused token is one line, as at login). */
  const restOnly = async (): Promise<void> => {
    client.rest.setToken(options.token);
    try {
      await client.rest.get(Routes.user());
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 401) {
        throw new DiscordStartError(
          'Discord refused DISCORD_TOKEN (invalid token): copy the bot token again from the Developer Portal',
        );
      }
      throw new DiscordStartError(
        `cannot reach Discord at ${shownRoot(apiRoot)}: ${errorLine(error)}`,
      );
    }
  };

  const connectGateway = async (): Promise<void> => {
    await login();
    // Interactions count from READY on, while the commands are registered.
    started = true;
    try {
      await register();
    } catch (error) {
      log.warn(
        `discord: the slash commands were not registered${guildId ? ` on server ${guildId}` : ''}: ${errorLine(error)}`,
      );
    }
    log.info(`discord: ${client.user?.tag ?? 'the bot'} is connected`);
  };

  return {
    sender,
    client,
    get username() {
      return started ? (client.user?.username ?? null) : null;
    },
    connected: () => started && (standby || client.ws.status === Status.Ready),
    tooManyRequests: () => tooManyRequests,
    start: async (startOptions) => {
      if (startOptions?.gateway === false) {
        await restOnly();
        standby = true;
        started = true;
        log.info('discord: sends; another instance holds the gateway');
        return;
      }
      await connectGateway();
      started = true;
    },
    takeGateway: async () => {
      if (!standby) return;
      await connectGateway();
      standby = false;
    },
    leaveGateway: async () => {
      if (standby || !started) return;
      standby = true;
      await client.destroy();
      // destroy() forgets the token: REST (the outbox's sends) needs it back.
      client.rest.setToken(options.token);
    },
    stop: async () => {
      if (!started) return;
      started = false;
      const pending = Promise.allSettled([...inFlight]);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        pending,
        new Promise((resolve) => {
          timer = setTimeout(resolve, INTERACTION_STOP_WAIT_MS);
        }),
      ]);
      clearTimeout(timer);
      await client.destroy();
    },
  };
}
