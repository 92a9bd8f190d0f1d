/**
 * The bot's own texts, in English and Italian. Every reply the command handler builds takes
 * its words from here; adapters that render a reply value themselves (Telegram buttons,
 * Discord embeds) take theirs from here too, with the reply's `language`.
 *
 * Texts are plain: no markup. Feed text and user input inside them are escaped by the
 * adapter, like every other text; what a user typed is quoted back short and clean (typed).
 */
import { BOT_LANGUAGES, type BotLanguage } from '../../config/index.js';
import { feedText } from '../../core/render/index.js';
import type { ActorKind } from '../../core/types.js';
import { ageText } from '../texts.js';
import type { FileInput } from './types.js';

export { type BotLanguage, isBotLanguage } from '../../config/index.js';

export const LANGUAGES: readonly BotLanguage[] = BOT_LANGUAGES;

/** At most this much of what someone typed is quoted back. */
export const QUOTE_MAX = 64;

/**
 * What someone typed, as a reply quotes it back: one short clean line, the way feed text is
 * shown (feedText) — no bidi override turns the reply around, no control character, no
 * @username pinged, and a 5,000-character argument comes back as its first words.
 */
function typed(text: string): string {
  return feedText(text, QUOTE_MAX);
}

function quote(text: string): string {
  return `"${typed(text)}"`;
}

/** A reason that may quote what was typed or what a server said: one line, bounded. */
/** A template as typed, shown back: each line as feed text is (it pings no one). */
function shown(template: string): string {
  return template
    .split('\n')
    .map((line) => feedText(line, 1000))
    .join('\n');
}

function said(detail: string): string {
  return feedText(detail);
}

export interface Messages {
  kind: Record<ActorKind, string>;
  /** `n` things, singular or plural: count(1, 'brief', 'briefs'). */
  briefs: (n: number) => string;
  feeds: (n: number) => string;

  // General
  welcome: string;
  helpTitle: string;
  helpAdminNote: string;
  notACommand: string;
  unknownCommand: (command: string, suggestion: string | null) => string;
  usage: (usage: string) => string;
  adminOnly: (command: string) => string;
  adminCheckFailed: (detail: string) => string;
  internalError: string;

  // /brief
  briefCount: (max: number) => string;
  noFeeds: string;
  noBriefs: string;
  latestBriefs: (n: number) => string;
  briefFailed: (detail: string) => string;
  badUrl: (text: string) => string;
  /** `/brief URL` asked `count` times within a minute by one user / in one chat. */
  briefTooOften: (who: 'user' | 'chat', count: number, retryInSeconds: number) => string;

  // /actor
  actorNotFound: (query: string) => string;
  /** An actor the lexicon knows that no stored brief names yet. */
  actorKnownNoStories: (name: string, kind: string) => string;
  actorDidYouMean: (query: string) => string;
  actorSeen: (kind: string, briefs: number, first: string, last: string) => string;
  actorRoles: string;
  actorRole: (role: string, first: string, last: string, briefs: number) => string;
  actorStories: (page: number, pages: number) => string;
  actorNoStories: string;
  actorCompany: string;
  actorMorePages: (command: string) => string;
  /** A button whose command the bot no longer remembers (it restarted). */
  buttonExpired: string;

  // /feeds
  feedsTitle: string;
  /** The chat's destination, for the config file; `where`: a forum topic or thread of it. */
  chatDestination: (destination: string, where: 'chat' | 'topic' | 'thread') => string;
  feedFilters: (filters: string) => string;
  pausedHere: (reason: string) => string;
  /** The feed is paused for every chat; `resumable`: /resume can start it (not disabled in the config). */
  pausedFeed: (reason: string, resumable: boolean) => string;
  failing: (failures: number, error: string) => string;
  /** How long ago a poll last found a new item in the feed. */
  lastNewItem: (ageMs: number) => string;
  digestLine: (time: string, timezone: string) => string;
  noDigest: string;
  pausedByAdmin: string;

  // /subscribe, /unsubscribe, /filter
  subscribed: (name: string, url: string, items: number) => string;
  subscribedExisting: (name: string, url: string) => string;
  alreadySubscribed: (name: string) => string;
  filtersUpdated: (name: string, filters: string) => string;
  withFilters: (filters: string) => string;
  subscribeFailed: (detail: string) => string;
  badFilters: (detail: string) => string;
  unsubscribed: (name: string) => string;
  noSuchFeed: (ref: string, count: number) => string;
  filtersShown: (name: string, filters: string) => string;
  noFilters: string;
  filtersCleared: (name: string) => string;
  /** After a change to a subscription the config file made: how long it holds. */
  configSubscriptionChanged: string;

  // /media, /preview (post-style.ts)
  switchShown: (what: 'media' | 'preview', name: string, on: boolean) => string;
  switchSet: (what: 'media' | 'preview', name: string, on: boolean) => string;
  badSwitch: (text: string) => string;

  // /template (template.ts)
  templateBuiltIn: (name: string, template: string) => string;
  templateCustom: (name: string, template: string) => string;
  templateSet: (name: string, template: string) => string;
  templateHelp: (placeholders: string) => string;
  badTemplate: (detail: string) => string;

  // /digest
  digestSet: (time: string, timezone: string) => string;
  digestOff: string;
  digestWasOff: string;
  badTime: (text: string) => string;
  badTimezone: (text: string, suggestion: string | null) => string;

  // /pause, /resume
  paused: (names: string[]) => string;
  nothingToPause: string;
  resumed: (names: string[]) => string;
  resumedFeed: (name: string, failures: number) => string;
  nothingPaused: string;

  // /export, /import
  exportEmpty: string;
  exported: (n: number, filename: string) => string;
  /** /import with nothing after it: how to give the list in this chat. */
  importNeedsOpml: (how: FileInput) => string;
  notOpml: (detail: string) => string;
  importTooMany: (n: number, max: number) => string;
  imported: (added: number, skipped: number, failed: number) => string;
  importAlready: string;
  importDuplicate: string;
}

const en: Messages = {
  kind: { person: 'person', organization: 'organization', country: 'country', place: 'place' },
  briefs: (n) => `${n} brief${n === 1 ? '' : 's'}`,
  feeds: (n) => `${n} feed${n === 1 ? '' : 's'}`,

  welcome:
    'Hi! I turn news feeds into short briefs: the headline, the sentences that carry the story and the people, places and organisations in it.',
  helpTitle: 'Commands:',
  helpAdminNote: 'Chat admins can also add and manage feeds (/subscribe and more).',
  notACommand: 'Commands start with / — try /help.',
  unknownCommand: (command, suggestion) =>
    `Unknown command /${typed(command)}.${suggestion ? ` Did you mean /${suggestion}?` : ''} Try /help.`,
  usage: (usage) => `Usage: ${usage}`,
  adminOnly: (command) => `Only chat admins can use /${command}.`,
  adminCheckFailed: (detail) =>
    `Could not check whether you are an admin of this chat (${said(detail)}); try again.`,
  internalError: 'Something went wrong on my side; please try again.',

  briefCount: (max) => `Give a number from 1 to ${max}, or an article URL.`,
  noFeeds: 'This chat follows no feeds yet. An admin can add one with /subscribe URL.',
  noBriefs: 'No briefs yet from the feeds of this chat; they come as new articles are published.',
  latestBriefs: (n) => `The latest ${n === 1 ? 'brief' : `${n} briefs`}:`,
  briefFailed: (detail) => `Could not brief that article: ${said(detail)}`,
  badUrl: (text) => `${quote(text)} is not an http:// or https:// URL.`,
  briefTooOften: (who, count, seconds) =>
    who === 'user'
      ? `You asked for ${count} articles within a minute, the limit for one person; try again in ${seconds} s.`
      : `This chat asked for ${count} articles within a minute, the limit for one chat; try again in ${seconds} s.`,

  actorNotFound: (query) => `No one called ${quote(query)} in the briefs so far.`,
  actorKnownNoStories: (name, kind) => `${name} (${kind}): known, no stories yet.`,
  actorDidYouMean: (query) => `Several match ${quote(query)}. Did you mean:`,
  actorSeen: (kind, briefs, first, last) =>
    `${kind} · in ${en.briefs(briefs)}, ${first === last ? first : `${first} – ${last}`}`,
  actorRoles: 'Roles:',
  actorRole: (role, first, last, briefs) =>
    `${role} (${first === last ? first : `${first} – ${last}`}, ${en.briefs(briefs)})`,
  actorStories: (page, pages) => `Latest stories${pages > 1 ? ` (page ${page} of ${pages})` : ''}:`,
  actorNoStories: 'No stories kept any more.',
  actorCompany: 'Most often with:',
  actorMorePages: (command) => `More: ${command}`,
  buttonExpired: 'This button has expired: send the command again.',

  feedsTitle: 'Feeds of this chat:',
  chatDestination: (destination, where) => `In a config file this ${where} is ${destination}.`,
  feedFilters: (filters) => `filters: ${filters}`,
  pausedHere: (reason) => `paused here: ${reason}`,
  pausedFeed: (reason, resumable) =>
    `feed paused: ${reason}${resumable ? ' — /resume starts it again' : ''}`,
  failing: (failures, error) =>
    `last ${failures === 1 ? 'poll' : `${failures} polls`} failed: ${error}`,
  lastNewItem: (ageMs) => `last new item ${ageText(ageMs, 'en')} ago`,
  digestLine: (time, timezone) => `Daily digest at ${time} (${timezone}).`,
  noDigest: 'No daily digest (/digest HH:MM Area/City sets one).',
  pausedByAdmin: 'paused by an admin',

  subscribed: (name, url, items) =>
    `Subscribed to ${name} (${url}), a feed of ${items} item${items === 1 ? '' : 's'} now. New articles will be posted here.`,
  subscribedExisting: (name, url) =>
    `Subscribed to ${name} (${url}). New articles will be posted here.`,
  alreadySubscribed: (name) => `This chat already follows ${name}.`,
  filtersUpdated: (name, filters) =>
    filters ? `Filters of ${name} are now: ${filters}` : `${name} has no filters now.`,
  withFilters: (filters) => `Only briefs matching: ${filters}`,
  subscribeFailed: (detail) => `Could not subscribe: ${said(detail)}`,
  badFilters: (detail) => `Those filters cannot be read: ${said(detail)}`,
  unsubscribed: (name) => `Unsubscribed from ${name}.`,
  noSuchFeed: (ref, count) =>
    count === 0
      ? 'This chat follows no feeds.'
      : `No feed ${quote(ref)} here: give its number from /feeds (1–${count}) or its URL.`,
  filtersShown: (name, filters) => `Filters of ${name}: ${filters}`,
  noFilters: 'none (everything is posted)',
  filtersCleared: (name) => `Filters of ${name} removed: everything is posted.`,
  configSubscriptionChanged:
    "This feed comes from the config file: your change holds until the config's entry for it changes.",
  switchShown: (what, name, on) =>
    what === 'media'
      ? `Images of ${name}: ${on ? 'on (a brief with a picture comes as a photo)' : 'off'}.`
      : `Link previews of ${name}: ${on ? 'on' : 'off'}.`,
  switchSet: (what, name, on) =>
    `${what === 'media' ? 'Images' : 'Link previews'} of ${name} are ${on ? 'on' : 'off'} now.`,
  badSwitch: (text) => `Say on or off, not ${quote(text)}.`,
  templateBuiltIn: (name, template) =>
    `${name} is posted with the built-in template ${template}${template === 'full' ? ' (headline, summary, actors, tags)' : ' (headline, link and tags)'}.`,
  templateCustom: (name, template) => `${name} is posted with this template:\n${shown(template)}`,
  templateSet: (name, template) =>
    template.includes('{')
      ? `${name} is posted with your template from now on.`
      : `${name} is posted with the built-in template ${template} from now on.`,
  templateHelp: (placeholders) =>
    `Set one with /template N full, /template N compact, or your own text with ${placeholders}`,
  badTemplate: (detail) => `That template cannot be used: ${said(detail)}`,

  digestSet: (time, timezone) =>
    `A digest of the day's top briefs will come every day at ${time} (${timezone}).`,
  digestOff: 'Daily digest turned off.',
  digestWasOff: 'There was no daily digest to turn off.',
  badTime: (text) => `${quote(text)} is not a time like 07:30 (24-hour clock).`,
  badTimezone: (text, suggestion) =>
    `${quote(text)} is not a time zone like Europe/Rome.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,

  paused: (names) => `Paused: ${names.join(', ')}. /resume to post again.`,
  nothingToPause: 'Nothing to pause: this chat follows no feeds.',
  resumed: (names) => `Resumed: ${names.join(', ')}.`,
  resumedFeed: (name, failures) =>
    `${name} is polled again${failures > 0 ? ` (it had been paused after ${failures} ${failures === 1 ? 'failure' : 'failures'})` : ''}.`,
  nothingPaused: 'Nothing was paused.',

  exportEmpty: 'This chat follows no feeds, so there is nothing to export.',
  exported: (n, filename) => `${en.feeds(n)} exported as ${filename} (OPML).`,
  importNeedsOpml: (how) =>
    ({
      caption:
        'Paste the OPML text after /import, or send the .opml file with /import as its caption.',
      attachment: 'Attach the .opml file to /import.',
      path: 'Paste the OPML text after /import, or give the file: /import feeds.opml',
    })[how],
  notOpml: (detail) => `That is not an OPML subscription list: ${said(detail)}`,
  importTooMany: (n, max) => `The list has ${n} feeds; import at most ${max} at a time.`,
  imported: (added, skipped, failed) =>
    `Import: ${added} added, ${skipped} skipped, ${failed} failed.`,
  importAlready: 'already followed here',
  importDuplicate: 'listed twice',
};

const it: Messages = {
  kind: {
    person: 'persona',
    organization: 'organizzazione',
    country: 'paese',
    place: 'luogo',
  },
  briefs: (n) => `${n} ${n === 1 ? 'notizia' : 'notizie'}`,
  feeds: (n) => `${n} feed`,

  welcome:
    'Ciao! Trasformo i feed di notizie in sintesi brevi: il titolo, le frasi che contano e le persone, i luoghi e le organizzazioni di cui si parla.',
  helpTitle: 'Comandi:',
  helpAdminNote:
    'Gli amministratori della chat possono anche aggiungere e gestire i feed (/subscribe e altri).',
  notACommand: 'I comandi iniziano con / — prova /help.',
  unknownCommand: (command, suggestion) =>
    `Comando sconosciuto: /${typed(command)}.${suggestion ? ` Forse intendevi /${suggestion}?` : ''} Prova /help.`,
  usage: (usage) => `Uso: ${usage}`,
  adminOnly: (command) => `Solo gli amministratori della chat possono usare /${command}.`,
  adminCheckFailed: (detail) =>
    `Non riesco a verificare se sei amministratore di questa chat (${said(detail)}); riprova.`,
  internalError: 'Qualcosa è andato storto da parte mia; riprova.',

  briefCount: (max) => `Indica un numero da 1 a ${max}, oppure l'URL di un articolo.`,
  noFeeds:
    'Questa chat non segue ancora nessun feed. Un amministratore può aggiungerne uno con /subscribe URL.',
  noBriefs: 'Ancora nessuna notizia dai feed di questa chat: arriveranno con i nuovi articoli.',
  latestBriefs: (n) => (n === 1 ? "L'ultima notizia:" : `Le ultime ${n} notizie:`),
  briefFailed: (detail) => `Non riesco a sintetizzare quell'articolo: ${said(detail)}`,
  badUrl: (text) => `${quote(text)} non è un URL http:// o https://.`,
  briefTooOften: (who, count, seconds) =>
    who === 'user'
      ? `Hai chiesto ${count} articoli in un minuto, il limite per una persona; riprova tra ${seconds} s.`
      : `In questa chat sono stati chiesti ${count} articoli in un minuto, il limite per una chat; riprova tra ${seconds} s.`,

  actorNotFound: (query) => `Nessuno di nome ${quote(query)} nelle notizie finora.`,
  actorKnownNoStories: (name, kind) => `${name} (${kind}): conosciuto, ancora nessuna notizia.`,
  actorDidYouMean: (query) => `Più risultati per ${quote(query)}. Forse cercavi:`,
  actorSeen: (kind, briefs, first, last) =>
    `${kind} · in ${it.briefs(briefs)}, ${first === last ? first : `${first} – ${last}`}`,
  actorRoles: 'Ruoli:',
  actorRole: (role, first, last, briefs) =>
    `${role} (${first === last ? first : `${first} – ${last}`}, ${it.briefs(briefs)})`,
  actorStories: (page, pages) =>
    `Ultime notizie${pages > 1 ? ` (pagina ${page} di ${pages})` : ''}:`,
  actorNoStories: 'Nessuna notizia conservata.',
  actorCompany: 'Compare più spesso con:',
  actorMorePages: (command) => `Altre: ${command}`,
  buttonExpired: 'Questo pulsante è scaduto: ripeti il comando.',

  feedsTitle: 'Feed di questa chat:',
  chatDestination: (destination, where) =>
    `In un file di configurazione ${{ chat: 'questa chat', topic: 'questo argomento', thread: 'questo thread' }[where]} è ${destination}.`,
  feedFilters: (filters) => `filtri: ${filters}`,
  pausedHere: (reason) => `in pausa qui: ${reason}`,
  pausedFeed: (reason, resumable) =>
    `feed in pausa: ${reason}${resumable ? ' — /resume lo riavvia' : ''}`,
  failing: (failures, error) =>
    `${failures === 1 ? "l'ultimo controllo è fallito" : `gli ultimi ${failures} controlli sono falliti`}: ${error}`,
  lastNewItem: (ageMs) => `ultima notizia nuova ${ageText(ageMs, 'it')} fa`,
  digestLine: (time, timezone) => `Riepilogo quotidiano alle ${time} (${timezone}).`,
  noDigest: 'Nessun riepilogo quotidiano (/digest HH:MM Area/Città lo attiva).',
  pausedByAdmin: 'messo in pausa da un amministratore',

  subscribed: (name, url, items) =>
    `Iscrizione a ${name} (${url}) fatta: il feed ha ora ${items} ${items === 1 ? 'articolo' : 'articoli'}. I nuovi articoli arriveranno qui.`,
  subscribedExisting: (name, url) =>
    `Iscrizione a ${name} (${url}) fatta. I nuovi articoli arriveranno qui.`,
  alreadySubscribed: (name) => `Questa chat segue già ${name}.`,
  filtersUpdated: (name, filters) =>
    filters ? `I filtri di ${name} ora sono: ${filters}` : `${name} ora non ha filtri.`,
  withFilters: (filters) => `Solo le notizie che corrispondono a: ${filters}`,
  subscribeFailed: (detail) => `Iscrizione non riuscita: ${said(detail)}`,
  badFilters: (detail) => `Non riesco a leggere questi filtri: ${said(detail)}`,
  unsubscribed: (name) => `Iscrizione a ${name} annullata.`,
  noSuchFeed: (ref, count) =>
    count === 0
      ? 'Questa chat non segue nessun feed.'
      : `Nessun feed ${quote(ref)} qui: indica il suo numero in /feeds (1–${count}) o il suo URL.`,
  filtersShown: (name, filters) => `Filtri di ${name}: ${filters}`,
  noFilters: 'nessuno (arriva tutto)',
  filtersCleared: (name) => `Filtri di ${name} rimossi: arriva tutto.`,
  configSubscriptionChanged:
    'Questo feed viene dal file di configurazione: la modifica resta finché non cambia la sua voce nella configurazione.',
  switchShown: (what, name, on) =>
    what === 'media'
      ? `Immagini di ${name}: ${on ? 'attive (una notizia con foto arriva come foto)' : 'disattivate'}.`
      : `Anteprime dei link di ${name}: ${on ? 'attive' : 'disattivate'}.`,
  switchSet: (what, name, on) =>
    `Da ora ${what === 'media' ? 'le immagini' : 'le anteprime dei link'} di ${name} sono ${on ? 'attive' : 'disattivate'}.`,
  badSwitch: (text) => `Scrivi on oppure off, non ${quote(text)}.`,
  templateBuiltIn: (name, template) =>
    `${name} usa il modello predefinito ${template}${template === 'full' ? ' (titolo, riassunto, protagonisti, tag)' : ' (titolo, link e tag)'}.`,
  templateCustom: (name, template) => `${name} usa questo modello:\n${shown(template)}`,
  templateSet: (name, template) =>
    template.includes('{')
      ? `Da ora ${name} usa il tuo modello.`
      : `Da ora ${name} usa il modello predefinito ${template}.`,
  templateHelp: (placeholders) =>
    `Sceglilo con /template N full, /template N compact, o scrivi il tuo testo con ${placeholders}`,
  badTemplate: (detail) => `Questo modello non si può usare: ${said(detail)}`,

  digestSet: (time, timezone) =>
    `Ogni giorno alle ${time} (${timezone}) arriverà un riepilogo delle notizie principali.`,
  digestOff: 'Riepilogo quotidiano disattivato.',
  digestWasOff: 'Non c’era nessun riepilogo quotidiano da disattivare.',
  badTime: (text) => `${quote(text)} non è un orario come 07:30 (24 ore).`,
  badTimezone: (text, suggestion) =>
    `${quote(text)} non è un fuso orario come Europe/Rome.${suggestion ? ` Forse intendevi ${suggestion}?` : ''}`,

  paused: (names) => `In pausa: ${names.join(', ')}. /resume per riprendere.`,
  nothingToPause: 'Niente da mettere in pausa: questa chat non segue nessun feed.',
  resumed: (names) => `Ripresi: ${names.join(', ')}.`,
  resumedFeed: (name, failures) =>
    `${name} viene di nuovo controllato${failures > 0 ? ` (era in pausa dopo ${failures} ${failures === 1 ? 'errore' : 'errori'})` : ''}.`,
  nothingPaused: 'Non c’era niente in pausa.',

  exportEmpty: 'Questa chat non segue nessun feed: non c’è niente da esportare.',
  exported: (n, filename) => `${it.feeds(n)} esportati in ${filename} (OPML).`,
  importNeedsOpml: (how) =>
    ({
      caption:
        'Incolla il testo OPML dopo /import, o invia il file .opml con /import come didascalia.',
      attachment: 'Allega il file .opml a /import.',
      path: 'Incolla il testo OPML dopo /import, o indica il file: /import feed.opml',
    })[how],
  notOpml: (detail) => `Non è un elenco di iscrizioni OPML: ${said(detail)}`,
  importTooMany: (n, max) =>
    `L'elenco ha ${n} feed; se ne possono importare al massimo ${max} alla volta.`,
  imported: (added, skipped, failed) =>
    `Importazione: ${added} ${added === 1 ? 'aggiunto' : 'aggiunti'}, ${skipped} ${skipped === 1 ? 'saltato' : 'saltati'}, ${failed} ${failed === 1 ? 'fallito' : 'falliti'}.`,
  importAlready: 'già seguito qui',
  importDuplicate: 'presente due volte',
};

export const MESSAGES: Readonly<Record<BotLanguage, Messages>> = { en, it };

export function messages(language: BotLanguage): Messages {
  return MESSAGES[language];
}
