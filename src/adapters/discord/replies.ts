/**
 * Answers to interactions, out to Discord: a rendered reply as discord.js payloads (embeds,
 * files, buttons; mentions always off), sent within Discord's 3 s — a reply the handler has
 * not produced within `deferAfterMs` is deferred ("thinking…") and the answer edited in
 * when it comes — and an /actor page updated in place when its button is pressed. Errors
 * go to the user who ran the command only (ephemeral). discord.js's REST queue waits out a
 * 429 (lifecycle.ts sets how long it may).
 */
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  type InteractionReplyOptions,
  MessageFlags,
} from 'discord.js';
import { messages } from '../../app/commands/index.js';
import { errorLine, type Log } from '../../app/jobs/index.js';
import type { BotLanguage } from '../../config/index.js';
import { type DiscordMessage, type DiscordOutput, textMessages } from './render/index.js';

/** A failure the user can act on (an attachment too large or unreadable): its message is told. */
export class UserFacingError extends Error {}

export interface DiscordReplies {
  /**
   * Answers an interaction with the output `work` produces: at once when it is ready
   * within `deferAfterMs`, else after a deferral (ephemeral when `ephemeralHint`). An
   * ephemeral output after a public deferral replaces the "thinking…" with a follow-up
   * only its user sees. A failure of `work` is answered, ephemeral, in `language`.
   */
  answer(
    interaction: ChatInputCommandInteraction,
    work: Promise<DiscordOutput>,
    ephemeralHint: boolean,
    language: BotLanguage,
  ): Promise<void>;
  /** One short text only the user sees (a command outside a channel, an expired button). */
  notice(interaction: ChatInputCommandInteraction | ButtonInteraction, text: string): Promise<void>;
  /** A button's answer: the message it is under shows the new page (or, ephemeral, a reply). */
  update(interaction: ButtonInteraction, output: DiscordOutput): Promise<void>;
}

const SUPPRESS = MessageFlags.SuppressEmbeds;

function components(message: DiscordMessage) {
  return (message.buttons ?? []).map((row) =>
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      row.map((button) =>
        new ButtonBuilder()
          .setCustomId(button.command)
          .setLabel(button.label)
          .setStyle(ButtonStyle.Secondary),
      ),
    ),
  );
}

/** A rendered message as discord.js reply options; mentions always off. */
function payload(message: DiscordMessage, ephemeral: boolean): InteractionReplyOptions {
  let flags = 0;
  if (message.suppressEmbeds) flags |= SUPPRESS;
  if (ephemeral) flags |= MessageFlags.Ephemeral;
  return {
    ...(message.content ? { content: message.content } : {}),
    ...(message.embeds?.length ? { embeds: message.embeds } : {}),
    ...(message.files?.length
      ? {
          files: message.files.map(
            (file) => new AttachmentBuilder(Buffer.from(file.content, 'utf8'), { name: file.name }),
          ),
        }
      : {}),
    ...(message.buttons?.length ? { components: components(message) } : {}),
    allowedMentions: { parse: [] },
    ...(flags ? { flags } : {}),
  };
}

export function createDiscordReplies(options: { deferAfterMs: number; log: Log }): DiscordReplies {
  const { deferAfterMs, log } = options;

  const failureOutput = (error: unknown, language: BotLanguage): DiscordOutput => {
    const text =
      error instanceof UserFacingError ? error.message : messages(language).internalError;
    if (!(error instanceof UserFacingError)) log.error(`discord: command: ${errorLine(error)}`);
    return { messages: textMessages(text), ephemeral: true };
  };

  const answer: DiscordReplies['answer'] = async (interaction, work, ephemeralHint, language) => {
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

  return {
    answer,
    notice: async (interaction, text) => {
      await interaction.reply(payload({ content: text, suppressEmbeds: true }, true));
    },
    update: async (interaction, output) => {
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
    },
  };
}
