/**
 * Events in from Discord's gateway: a slash command (its options, an attached file read up
 * to a cap), an /actor button or /actor's autocomplete goes to the one command handler as
 * the channel it came from sees it, and its answer goes out through replies.ts. A channel,
 * thread or server that goes away pauses its subscriptions (adapters/shared/removal.ts),
 * kept for /resume. Only while `accepting()`: interactions count from READY on.
 */
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  Events,
  GatewayDispatchEvents,
  type Interaction,
  PermissionFlagsBits,
} from 'discord.js';
import {
  actorSuggestions,
  type Chat,
  type CommandInput,
  commandFromOptions,
  messages,
  type Reply,
} from '../../app/commands/index.js';
import { errorLine, type Log } from '../../app/jobs/index.js';
import type { BotLanguage, Destination } from '../../config/index.js';
import type { Store } from '../../store/port.js';
import { downloadAttachment } from '../shared/attachment.js';
import { pauseOnRemoval } from '../shared/removal.js';
import { destinationOf, discordDestination, discordTarget, platformLanguage } from './channel.js';
import { type AttachmentValue, optionValues } from './commands.js';
import { type DiscordOutput, EPHEMERAL_COMMANDS, renderReply } from './render/index.js';
import { type DiscordReplies, UserFacingError } from './replies.js';

export interface DiscordUpdatesOptions {
  client: Client;
  handle: (input: CommandInput) => Promise<Reply>;
  /** Subscriptions (paused when a channel or server goes away) and actors (autocomplete). */
  store: Store;
  replies: DiscordReplies;
  log: Log;
  /** `/import`'s attachment is read up to this size. */
  importMaxBytes: number;
  /** Whether interactions are taken now (started, and not stopping). */
  accepting: () => boolean;
  /** Work an event started, for stop() to wait for. */
  track: (work: Promise<void>) => void;
}

/** Registers the client's event handlers: from then on, interactions reach the command handler. */
export function listenForUpdates(options: DiscordUpdatesOptions): void {
  const { client, replies, log, importMaxBytes, track } = options;

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
    topicName: async (destination) => {
      const threadId = discordTarget(destination)?.threadId;
      const thread = threadId ? await client.channels.fetch(threadId) : null;
      return thread !== null && 'name' in thread ? thread.name : null;
    },
  });

  /** The text of an attachment (the OPML of /import), read up to `importMaxBytes`. */
  const download = async (file: AttachmentValue, language: BotLanguage): Promise<string> => {
    const texts = messages(language);
    const max = `${Math.round(importMaxBytes / 1024)} KiB`;
    if (file.size > importMaxBytes) throw new UserFacingError(texts.fileTooLarge(max));
    const got = await downloadAttachment(file.url, {
      maxBytes: importMaxBytes,
      label: `discord: attachment ${file.name}`,
      log,
    });
    if (got.ok) return got.text;
    throw new UserFacingError(
      got.problem === 'too-large' ? texts.fileTooLarge(max) : texts.fileUnreadable,
    );
  };

  const onCommand = async (interaction: ChatInputCommandInteraction): Promise<void> => {
    const chat = chatOf(interaction);
    const language = chat.language ?? 'en';
    if (!interaction.channelId) {
      // Commands are registered for servers only; a channel is what the bot posts to.
      await replies.notice(interaction, messages(language).internalError);
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
    await replies.answer(
      interaction,
      work,
      EPHEMERAL_COMMANDS.has(interaction.commandName),
      language,
    );
  };

  /** /actor's paging and "did you mean" buttons: the custom_id is the command. */
  const onButton = async (interaction: ButtonInteraction): Promise<void> => {
    const command = interaction.customId;
    const language = platformLanguage(interaction.locale) ?? 'en';
    if (!command.startsWith('/actor ')) {
      await replies.notice(interaction, messages(language).buttonExpired);
      return;
    }
    const output = renderReply(
      await options.handle({
        text: command,
        chat: chatOf(interaction),
        user: `discord:${interaction.user.id}`,
      }),
    );
    await replies.update(interaction, output);
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
    if (options.accepting()) track(onInteraction(interaction));
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
}
