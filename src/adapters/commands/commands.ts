/**
 * What the bot's commands are, in one list: Telegram's command menu (setMyCommands, en and
 * it), Discord's slash commands (names, options, localised descriptions, Manage Server for
 * admin commands) and /help are all built from it.
 */
import type { BotLanguage } from './messages.js';

export type Localized = Readonly<Record<BotLanguage, string>>;

export type CommandName =
  | 'start'
  | 'help'
  | 'brief'
  | 'actor'
  | 'feeds'
  | 'subscribe'
  | 'unsubscribe'
  | 'filter'
  | 'media'
  | 'preview'
  | 'template'
  | 'digest'
  | 'pause'
  | 'resume'
  | 'export'
  | 'import'
  | 'lang';

/** One argument, as a Discord slash-command option (Telegram takes them as text). */
export interface CommandOption {
  /** Lower case, a-z and _ (Discord's rule). */
  name: string;
  type: 'string' | 'integer' | 'attachment';
  required: boolean;
  description: Localized;
  /** The values allowed, when they are few (/lang). */
  choices?: readonly string[];
  /** Suggestions come from the store as the user types (/actor: see actorSuggestions). */
  autocomplete?: boolean;
  /** For integers. */
  min?: number;
  max?: number;
}

export interface CommandInfo {
  name: CommandName;
  /** How the arguments are written after the command, for /help: `URL [filters]`. */
  args: Localized;
  /** Only chat admins may run it (Telegram: creator/administrator; Discord: Manage Server). */
  admin: boolean;
  /** One line, ≤ 100 characters (Discord's limit; Telegram allows 256). */
  description: Localized;
  /** In the order they are written after the command. */
  options: readonly CommandOption[];
  /** Shown in the command menus and /help; false for /start. */
  listed: boolean;
}

/** `/brief` answers at most this many briefs at once. */
export const MAX_BRIEFS = 20;
export const DEFAULT_BRIEFS = 5;

const feedOption = (required: boolean): CommandOption => ({
  name: 'feed',
  type: 'string',
  required,
  description: {
    en: 'The feed: its number in /feeds, its URL or its name',
    it: 'Il feed: il suo numero in /feeds, il suo URL o il suo nome',
  },
});

/** /media and /preview: a feed, then on or off (showing is for everyone, setting for admins). */
function switchCommand(name: 'media' | 'preview', description: Localized): CommandInfo {
  return {
    name,
    args: { en: 'URL | number [on | off]', it: 'URL | numero [on | off]' },
    admin: true,
    description,
    options: [
      feedOption(true),
      {
        name: 'setting',
        type: 'string',
        required: false,
        description: { en: 'on or off', it: 'on oppure off' },
        choices: ['on', 'off'],
      },
    ],
    listed: true,
  };
}

export const COMMANDS: readonly CommandInfo[] = [
  {
    name: 'start',
    args: { en: '', it: '' },
    admin: false,
    description: { en: 'What this bot does', it: 'Cosa fa questo bot' },
    options: [],
    listed: false,
  },
  {
    name: 'help',
    args: { en: '', it: '' },
    admin: false,
    description: { en: 'The commands you can use here', it: 'I comandi che puoi usare qui' },
    options: [],
    listed: true,
  },
  {
    name: 'brief',
    args: { en: '[N | URL]', it: '[N | URL]' },
    admin: false,
    description: {
      en: `The latest briefs of this chat's feeds (N up to ${MAX_BRIEFS}), or the brief of any article`,
      it: `Le ultime notizie dei feed di questa chat (N fino a ${MAX_BRIEFS}), o la sintesi di un articolo`,
    },
    options: [
      {
        name: 'count',
        type: 'integer',
        required: false,
        min: 1,
        max: MAX_BRIEFS,
        description: { en: 'How many briefs', it: 'Quante notizie' },
      },
      {
        name: 'url',
        type: 'string',
        required: false,
        description: { en: 'An article to brief', it: 'Un articolo da sintetizzare' },
      },
    ],
    listed: true,
  },
  {
    name: 'actor',
    args: { en: 'NAME', it: 'NOME' },
    admin: false,
    description: {
      en: 'Who someone is: roles, latest stories, who they appear with',
      it: 'Chi è qualcuno: ruoli, ultime notizie, con chi compare',
    },
    options: [
      {
        name: 'name',
        type: 'string',
        required: true,
        autocomplete: true,
        description: {
          en: 'A person, organisation, country or place',
          it: 'Una persona, organizzazione, paese o luogo',
        },
      },
    ],
    listed: true,
  },
  {
    name: 'feeds',
    args: { en: '', it: '' },
    admin: false,
    description: {
      en: 'The feeds this chat follows, with filters and pauses',
      it: 'I feed seguiti da questa chat, con filtri e pause',
    },
    options: [],
    listed: true,
  },
  {
    name: 'subscribe',
    args: { en: 'URL [filters]', it: 'URL [filtri]' },
    admin: true,
    description: {
      en: 'Follow an RSS/Atom feed here, optionally filtered',
      it: 'Segui qui un feed RSS/Atom, anche con filtri',
    },
    options: [
      {
        name: 'url',
        type: 'string',
        required: true,
        description: { en: 'The feed URL', it: "L'URL del feed" },
      },
      {
        name: 'filters',
        type: 'string',
        required: false,
        description: {
          en: 'e.g. ukraine -sport lang:it actor:umerov kind:person',
          it: 'es. ucraina -sport lang:it actor:umerov kind:person',
        },
      },
    ],
    listed: true,
  },
  {
    name: 'unsubscribe',
    args: { en: 'URL | number', it: 'URL | numero' },
    admin: true,
    description: { en: 'Stop following a feed here', it: 'Smetti di seguire un feed qui' },
    options: [feedOption(true)],
    listed: true,
  },
  {
    name: 'filter',
    args: { en: 'URL | number [filters | off]', it: 'URL | numero [filtri | off]' },
    admin: true,
    description: {
      en: 'Show or change the filters of a feed here',
      it: 'Mostra o cambia i filtri di un feed qui',
    },
    options: [
      feedOption(true),
      {
        name: 'filters',
        type: 'string',
        required: false,
        description: {
          en: 'New filters, or off to remove them',
          it: 'I nuovi filtri, oppure off per toglierli',
        },
      },
    ],
    listed: true,
  },
  switchCommand('media', {
    en: 'Show or set whether briefs of a feed come with their image',
    it: 'Mostra o decidi se le notizie di un feed arrivano con la loro immagine',
  }),
  switchCommand('preview', {
    en: 'Show or set the link preview under briefs of a feed (Telegram)',
    it: "Mostra o decidi l'anteprima del link sotto le notizie di un feed (Telegram)",
  }),
  {
    name: 'template',
    args: {
      en: 'URL | number [full | compact | text with {placeholders}]',
      it: 'URL | numero [full | compact | testo con {segnaposto}]',
    },
    admin: true,
    description: {
      en: 'Show or set how briefs of a feed are laid out here',
      it: 'Mostra o scegli come sono impaginate qui le notizie di un feed',
    },
    options: [
      feedOption(true),
      {
        name: 'template',
        type: 'string',
        required: false,
        description: {
          en: 'full, compact, or your text: {headline} {summary} {link} …',
          it: 'full, compact, o il tuo testo: {headline} {summary} {link} …',
        },
      },
    ],
    listed: true,
  },
  {
    name: 'digest',
    args: { en: 'HH:MM [time zone] | off', it: 'HH:MM [fuso orario] | off' },
    admin: true,
    description: {
      en: "A daily digest of the day's top briefs",
      it: 'Un riepilogo quotidiano delle notizie principali',
    },
    options: [
      {
        name: 'time',
        type: 'string',
        required: true,
        description: { en: 'HH:MM, or off', it: 'HH:MM, oppure off' },
      },
      {
        name: 'timezone',
        type: 'string',
        required: false,
        description: { en: 'e.g. Europe/Rome', it: 'es. Europe/Rome' },
      },
    ],
    listed: true,
  },
  {
    name: 'pause',
    args: { en: '[URL | number]', it: '[URL | numero]' },
    admin: true,
    description: {
      en: 'Stop posting here (one feed, or all)',
      it: 'Sospendi le notizie qui (un feed o tutti)',
    },
    options: [feedOption(false)],
    listed: true,
  },
  {
    name: 'resume',
    args: { en: '[URL | number]', it: '[URL | numero]' },
    admin: true,
    description: {
      en: 'Post again (also restarts a feed paused after failures)',
      it: 'Riprendi le notizie (riavvia anche un feed fermo per errori)',
    },
    options: [feedOption(false)],
    listed: true,
  },
  {
    name: 'export',
    args: { en: '', it: '' },
    admin: false,
    description: {
      en: "This chat's feeds as an OPML file",
      it: 'I feed di questa chat come file OPML',
    },
    options: [],
    listed: true,
  },
  {
    name: 'import',
    args: { en: 'OPML', it: 'OPML' },
    admin: true,
    description: {
      en: 'Follow every feed of an OPML list',
      it: 'Segui tutti i feed di un elenco OPML',
    },
    options: [
      {
        name: 'file',
        type: 'attachment',
        required: true,
        description: { en: 'An .opml file', it: 'Un file .opml' },
      },
    ],
    listed: true,
  },
  {
    name: 'lang',
    args: { en: 'it | en', it: 'it | en' },
    admin: true,
    description: {
      en: 'The language I speak in this chat',
      it: 'La lingua che parlo in questa chat',
    },
    options: [
      {
        name: 'language',
        type: 'string',
        required: false,
        choices: ['en', 'it'],
        description: { en: 'en or it', it: 'en oppure it' },
      },
    ],
    listed: true,
  },
];

const BY_NAME = new Map<string, CommandInfo>(COMMANDS.map((c) => [c.name, c]));

export function commandInfo(name: string): CommandInfo | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** `/subscribe URL [filters]`, for usage lines and /help. */
export function usageOf(info: CommandInfo, language: BotLanguage): string {
  const args = info.args[language];
  return args ? `/${info.name} ${args}` : `/${info.name}`;
}

/**
 * A slash command's options as the command text the handler reads, in the declared order:
 * `commandFromOptions('digest', { time: '07:30', timezone: 'Europe/Rome' })` →
 * `/digest 07:30 Europe/Rome`. An attachment's value is its text (the OPML of /import).
 */
export function commandFromOptions(
  name: CommandName,
  values: Readonly<Record<string, string | number | null | undefined>>,
): string {
  const info = BY_NAME.get(name);
  const parts = [`/${name}`];
  for (const option of info?.options ?? []) {
    const value = values[option.name];
    if (value === undefined || value === null || value === '') continue;
    parts.push(String(value));
  }
  // /import's OPML goes on the lines after the command; everything else on one line.
  return parts.join(name === 'import' ? '\n' : ' ');
}
