/**
 * The Discord adapter on discord.js: a gateway connection with the Guilds intent only (no
 * privileged intent), slash commands registered from the one command list, interactions
 * to the one command handler, replies as embeds or inert text; deliveries go through the
 * outbox with the sender of send.ts.
 *
 *     const discord = createDiscordAdapter({ token, apiRoot, guildId, handle, store, log });
 *     await discord.start();      // login, READY, slash commands registered
 *     scheduler senders: [discord.sender]
 *     await discord.stop();
 *
 * Interactions are answered within Discord's 3 s: a reply the handler has not produced
 * within `deferAfterMs` is deferred ("thinking…") and the answer edited in when it comes.
 * Errors go to the user who ran the command only (ephemeral).
 */
import {
  ActionRowBuilder,
  AttachmentBuilder,
  type AutocompleteInteraction,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  Client,
  type ClientOptions,
  DefaultRestOptions,
  DiscordjsErrorCodes,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  type Interaction,
  type InteractionReplyOptions,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  Status,
} from 'discord.js';
import {
  actorSuggestions,
  type Chat,
  type CommandInput,
  commandFromOptions,
  messages,
  type Reply,
} from '../../app/commands/index.js';
import { errorLine, type Log, type RateLimit, silentLog } from '../../app/jobs/index.js';
import type { BotLanguage, Destination } from '../../config/index.js';
import type { Store } from '../../store/port.js';
import { downloadAttachment } from '../shared/attachment.js';
import { pauseOnRemoval } from '../shared/removal.js';
import { destinationOf, discordDestination, platformLanguage } from './channel.js';
import { type AttachmentValue, optionValues, slashCommands } from './commands.js';
import {
  type DiscordMessage,
  type DiscordOutput,
  EPHEMERAL_COMMANDS,
  renderReply,
  textMessages,
} from './render/index.js';
import { createDiscordSender, type DiscordSender } from './send.js';

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

/** The adapter's own words (the handler's are in its messages). */
const TEXTS: Readonly<
  Record<BotLanguage, { fileTooLarge: (max: string) => string; fileUnreadable: string }>
> = {
  en: {
    fileTooLarge: (max) => `That file is too large: attach an OPML file of at most ${max}.`,
    fileUnreadable: 'The attached file could not be downloaded; try again.',
  },
  it: {
    fileTooLarge: (max) => `Il file è troppo grande: allega un file OPML di al massimo ${max}.`,
    fileUnreadable: 'Non è stato possibile scaricare il file allegato; riprova.',
  },
};

/** A failure to read an attachment, told to the user. */
class AttachmentError extends Error {}

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
  const deferAfterMs = options.deferAfterMs ?? 1500;
  const importMaxBytes = options.importMaxBytes ?? 1024 * 1024;
  const rateLimitWaitMs = options.rateLimitWaitMs ?? 10_000;
  const apiRoot = options.apiRoot ? options.apiRoot.replace(/\/+$/, '') : null;
  const guildId = options.guildId ?? null;

  let tooManyRequests = 0;
  const makeRequest = DefaultRestOptions.makeRequest;
  const clientOptions: ClientOptions = {
    intents: [GatewayIntentBits.Guilds],
    // The default for every message; each payload also says it (send.ts, replies below).
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

  // ── Replies ──────────────────────────────────────────────────────────────────────────
  const SUPPRESS = MessageFlags.SuppressEmbeds;

  const components = (message: DiscordMessage) =>
    (message.buttons ?? []).map((row) =>
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        row.map((button) =>
          new ButtonBuilder()
            .setCustomId(button.command)
            .setLabel(button.label)
            .setStyle(ButtonStyle.Secondary),
        ),
      ),
    );

  /** A rendered message as discord.js reply options; mentions always off. */
  const payload = (message: DiscordMessage, ephemeral: boolean): InteractionReplyOptions => {
    let flags = 0;
    if (message.suppressEmbeds) flags |= SUPPRESS;
    if (ephemeral) flags |= MessageFlags.Ephemeral;
    return {
      ...(message.content ? { content: message.content } : {}),
      ...(message.embeds?.length ? { embeds: message.embeds } : {}),
      ...(message.files?.length
        ? {
            files: message.files.map(
              (file) =>
                new AttachmentBuilder(Buffer.from(file.content, 'utf8'), { name: file.name }),
            ),
          }
        : {}),
      ...(message.buttons?.length ? { components: components(message) } : {}),
      allowedMentions: { parse: [] },
      ...(flags ? { flags } : {}),
    };
  };

  /**
   * Answers an interaction with the output `work` produces: at once when it is ready
   * within `deferAfterMs`, else after a deferral (ephemeral when `ephemeralHint`). An
   * ephemeral output after a public deferral replaces the "thinking…" with a follow-up
   * only its user sees.
   */
  const answer = async (
    interaction: ChatInputCommandInteraction,
    work: Promise<DiscordOutput>,
    ephemeralHint: boolean,
    language: BotLanguage,
  ): Promise<void> => {
    const settled = work.then(
      (output) => output,
      (error: unknown) => failureOutput(error, language),
    );
    let timer: NodeJS.Timeout | undefined;
    const early = await Promise.race([
      settled,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), deferAfterMs);
      }),
    ]);
    clearTimeout(timer);
    let deferred: { ephemeral: boolean } | null = null;
    if (early === null) {
      await interaction.deferReply(ephemeralHint ? { flags: MessageFlags.Ephemeral } : {});
      deferred = { ephemeral: ephemeralHint };
    }
    const output = early ?? (await settled);
    const [first, ...rest] = output.messages;
    if (!first) return;
    if (deferred === null) {
      await interaction.reply(payload(first, output.ephemeral));
    } else if (deferred.ephemeral || !output.ephemeral) {
      const { flags: _flags, ...edit } = payload(first, false);
      await interaction.editReply({
        ...edit,
        ...(first.suppressEmbeds ? { flags: SUPPRESS } : {}),
      });
    } else {
      await interaction.deleteReply();
      await interaction.followUp(payload(first, true));
    }
    const ephemeral = deferred?.ephemeral ?? output.ephemeral;
    for (const message of rest) {
      await interaction.followUp(payload(message, ephemeral || output.ephemeral));
    }
  };

  const failureOutput = (error: unknown, language: BotLanguage): DiscordOutput => {
    const text =
      error instanceof AttachmentError ? error.message : messages(language).internalError;
    if (!(error instanceof AttachmentError)) log.error(`discord: command: ${errorLine(error)}`);
    return { messages: textMessages(text), ephemeral: true };
  };

  // ── Commands ─────────────────────────────────────────────────────────────────────────
  const chatOf = (interaction: ChatInputCommandInteraction | ButtonInteraction): Chat => ({
    destination: destinationOf(interaction.channel, interaction.channelId ?? ''),
    // Manage Server, as Discord computed it for this member in this channel (Administrator
    // implies it). Checked on every admin command, whatever the command's default permissions.
    isAdmin: async () =>
      interaction.inGuild() &&
      (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false),
    language: platformLanguage(interaction.locale),
    fileInput: 'attachment',
  });

  /** The text of an attachment (the OPML of /import), read up to `importMaxBytes`. */
  const download = async (file: AttachmentValue, language: BotLanguage): Promise<string> => {
    const texts = TEXTS[language];
    const max = `${Math.round(importMaxBytes / 1024)} KiB`;
    if (file.size > importMaxBytes) throw new AttachmentError(texts.fileTooLarge(max));
    const got = await downloadAttachment(file.url, {
      maxBytes: importMaxBytes,
      label: `discord: attachment ${file.name}`,
      log,
    });
    if (got.ok) return got.text;
    throw new AttachmentError(
      got.problem === 'too-large' ? texts.fileTooLarge(max) : texts.fileUnreadable,
    );
  };

  const onCommand = async (interaction: ChatInputCommandInteraction): Promise<void> => {
    const chat = chatOf(interaction);
    const language = chat.language ?? 'en';
    if (!interaction.channelId) {
      // Commands are registered for servers only; a channel is what the bot posts to.
      await interaction.reply(
        payload({ content: messages(language).internalError, suppressEmbeds: true }, true),
      );
      return;
    }
    const parsed = optionValues(interaction);
    const work = (async (): Promise<DiscordOutput> => {
      let text = `/${interaction.commandName}`;
      if (parsed) {
        const values: Record<string, string | number> = { ...parsed.values };
        for (const [name, file] of Object.entries(parsed.attachments)) {
          values[name] = await download(file, language);
        }
        text = commandFromOptions(parsed.name, values);
      }
      return renderReply(
        await options.handle({ text, chat, user: `discord:${interaction.user.id}` }),
      );
    })();
    await answer(interaction, work, EPHEMERAL_COMMANDS.has(interaction.commandName), language);
  };

  /** /actor's paging and "did you mean" buttons: the custom_id is the command. */
  const onButton = async (interaction: ButtonInteraction): Promise<void> => {
    const command = interaction.customId;
    const language = platformLanguage(interaction.locale) ?? 'en';
    if (!command.startsWith('/actor ')) {
      await interaction.reply(
        payload({ content: messages(language).buttonExpired, suppressEmbeds: true }, true),
      );
      return;
    }
    const output = renderReply(
      await options.handle({
        text: command,
        chat: chatOf(interaction),
        user: `discord:${interaction.user.id}`,
      }),
    );
    const [first] = output.messages;
    if (!first) return;
    if (output.ephemeral) {
      await interaction.reply(payload(first, true));
      return;
    }
    const { flags: _flags, ...edit } = payload(first, false);
    await interaction.update({
      ...edit,
      content: first.content ?? '',
      embeds: first.embeds ?? [],
      components: components(first),
    });
  };

  /** /actor's name, as it is typed: the store's actors, accent- and typo-tolerant. */
  const onAutocomplete = async (interaction: AutocompleteInteraction): Promise<void> => {
    const focused = interaction.options.getFocused(true);
    let choices: { name: string; value: string }[] = [];
    if (interaction.commandName === 'actor' && focused.name === 'name') {
      try {
        const language = platformLanguage(interaction.locale) ?? 'en';
        choices = await actorSuggestions(options.store, String(focused.value), {
          language,
          limit: 25,
        });
      } catch (error) {
        log.warn(`discord: autocomplete: ${errorLine(error)}`);
      }
    }
    await interaction.respond(choices.slice(0, 25));
  };

  const onInteraction = async (interaction: Interaction): Promise<void> => {
    try {
      if (interaction.isAutocomplete()) await onAutocomplete(interaction);
      else if (interaction.isChatInputCommand()) await onCommand(interaction);
      else if (interaction.isButton()) await onButton(interaction);
    } catch (error) {
      const what =
        interaction.isCommand() || interaction.isAutocomplete()
          ? `/${interaction.commandName}`
          : `interaction ${interaction.type}`;
      log.error(`discord: ${what}: ${errorLine(error)}`);
    }
  };

  client.on(Events.InteractionCreate, (interaction) => {
    if (started) track(onInteraction(interaction));
  });

  // ── Channels and servers that go away: their subscriptions pause, kept for /resume ──
  const pause = (destination: Destination, reason: string): Promise<void> =>
    pauseOnRemoval(options.store, log, destination, reason);
  // The threads of a deleted channel pause at their next post (10003 Unknown Channel).
  client.on(Events.ChannelDelete, (channel) => {
    track(pause(discordDestination(channel.id), 'the channel was deleted'));
  });
  client.on(Events.ThreadDelete, (thread) => {
    track(pause(destinationOf(thread, thread.id), 'the thread was deleted'));
  });
  // An archived thread takes posts again (a post unarchives it); a locked one does not, and
  // only someone with Manage Threads can unlock it: its subscription pauses until /resume.
  client.on(Events.ThreadUpdate, (before, thread) => {
    if (thread.archived && thread.locked && !(before.archived && before.locked)) {
      track(pause(destinationOf(thread, thread.id), 'the thread was archived and locked'));
    }
  });
  // The raw GUILD_DELETE comes before discord.js empties the server's channels from its
  // cache; `unavailable` marks an outage, and only a removal pauses the server's channels.
  client.ws.on(GatewayDispatchEvents.GuildDelete, (data: { id: string; unavailable?: boolean }) => {
    if (data.unavailable) return;
    const guild = client.guilds.cache.get(data.id);
    // Its channels and the threads discord.js knows of (they are in the same cache).
    for (const channel of guild?.channels.cache.values() ?? []) {
      track(pause(destinationOf(channel, channel.id), 'the bot was removed from the server'));
    }
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
