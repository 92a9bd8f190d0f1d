/**
 * The bot's slash commands, built from the one command list (COMMANDS) with discord.js's
 * builders: typed options, descriptions in the bot's five languages, admin commands hidden from
 * members without Manage Server (`default_member_permissions`; the handler checks again
 * when they run), all of them for servers only (a subscription is a server channel's).
 */
import {
  type ApplicationCommandOptionBase,
  ApplicationIntegrationType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  Locale,
  type LocalizationMap,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
} from 'discord.js';
import {
  type BotLanguage,
  COMMANDS,
  type CommandInfo,
  type CommandName,
  type CommandOption,
  commandInfo,
  type Localized,
} from '../../app/commands/index.js';

/** Commands that make no sense as slash commands (Telegram's /start greets a new chat). */
const NOT_ON_DISCORD: ReadonlySet<CommandName> = new Set(['start']);

/** The commands registered on Discord. */
export const SLASH_COMMANDS: readonly CommandInfo[] = COMMANDS.filter(
  (c) => !NOT_ON_DISCORD.has(c.name),
);

/** The Discord locales the bot speaks, each with the language of its texts. */
const LOCALES: readonly (readonly [Locale, BotLanguage])[] = [
  [Locale.EnglishUS, 'en'],
  [Locale.EnglishGB, 'en'],
  [Locale.Italian, 'it'],
  [Locale.French, 'fr'],
  [Locale.German, 'de'],
  [Locale.SpanishES, 'es'],
  [Locale.SpanishLATAM, 'es'],
];

/**
 * A text in every locale the bot speaks. Discord shows the locale's text, else the default
 * (English).
 */
function localized(text: Localized): LocalizationMap {
  return Object.fromEntries(LOCALES.map(([locale, language]) => [locale, text[language]]));
}

/**
 * Names stay the same in every locale: the handler's replies, /help and usage lines name
 * the commands (/subscribe, /feeds …) in every language, so an Italian name would disagree
 * with every answer. They are registered per locale all the same, so the names shown are
 * an explicit choice, not Discord's fallback.
 */
function sameName(name: string): LocalizationMap {
  return Object.fromEntries(LOCALES.map(([locale]) => [locale, name]));
}

function describe<T extends ApplicationCommandOptionBase>(builder: T, option: CommandOption): T {
  return builder
    .setName(option.name)
    .setNameLocalizations(sameName(option.name))
    .setDescription(option.description.en)
    .setDescriptionLocalizations(localized(option.description))
    .setRequired(option.required);
}

function slashCommand(info: CommandInfo): SlashCommandBuilder {
  const builder = new SlashCommandBuilder()
    .setName(info.name)
    .setNameLocalizations(sameName(info.name))
    .setDescription(info.description.en)
    .setDescriptionLocalizations(localized(info.description))
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  if (info.admin) builder.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);
  for (const option of info.options) {
    switch (option.type) {
      case 'string':
        builder.addStringOption((o) => {
          describe(o, option);
          if (option.autocomplete) o.setAutocomplete(true);
          if (option.choices) o.addChoices(...option.choices.map((c) => ({ name: c, value: c })));
          return o;
        });
        break;
      case 'integer':
        builder.addIntegerOption((o) => {
          describe(o, option);
          if (option.min !== undefined) o.setMinValue(option.min);
          if (option.max !== undefined) o.setMaxValue(option.max);
          return o;
        });
        break;
      case 'attachment':
        builder.addAttachmentOption((o) => describe(o, option));
        break;
    }
  }
  return builder;
}

/** The JSON bodies to register (a bulk overwrite: commands no longer listed disappear). */
export function slashCommands(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return SLASH_COMMANDS.map((info) => slashCommand(info).toJSON());
}

/** An attachment option as the adapter reads it. */
export interface AttachmentValue {
  url: string;
  name: string;
  size: number;
}

/**
 * A slash command's option values by name, as typed: strings, integers, attachments.
 * Null for a command the bot does not know.
 */
export function optionValues(
  interaction: Pick<ChatInputCommandInteraction, 'commandName' | 'options'>,
): {
  name: CommandName;
  values: Record<string, string | number>;
  attachments: Record<string, AttachmentValue>;
} | null {
  const info = commandInfo(interaction.commandName);
  if (!info || NOT_ON_DISCORD.has(info.name)) return null;
  const values: Record<string, string | number> = {};
  const attachments: Record<string, AttachmentValue> = {};
  for (const option of info.options) {
    if (option.type === 'string') {
      const value = interaction.options.getString(option.name);
      if (value !== null) values[option.name] = value;
    } else if (option.type === 'integer') {
      const value = interaction.options.getInteger(option.name);
      if (value !== null) values[option.name] = value;
    } else {
      const file = interaction.options.getAttachment(option.name);
      if (file !== null)
        attachments[option.name] = { url: file.url, name: file.name, size: file.size };
    }
  }
  return { name: info.name, values, attachments };
}
