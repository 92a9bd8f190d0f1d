/**
 * The words of the bot's replies in a chat's language. The words themselves are in the
 * catalogue (src/core/i18n/<language>.json, keys `help.*`, `reply.*`, `brief.*`, `feeds.*` …);
 * this module only says which key each reply uses and what goes into its placeholders, so a
 * translator edits a JSON file and never this one. The Telegram and Discord renderers take
 * theirs from here too, with the reply's `language`.
 *
 * Texts are plain: no markup. Feed text and user input inside them are escaped by the
 * adapter, like every other text; what a user typed is quoted back short and clean (typed).
 */
import { CHAT_LANGUAGES, type ChatLanguage } from '../../config/index.js';
import { type TextKey, type TextValues, text } from '../../core/i18n/catalogue.js';
import { feedText } from '../../core/render/index.js';
import type { ActorKind } from '../../core/types.js';
import { ageText } from '../texts.js';
import type { FileInput } from './types.js';

export {
  type BotLanguage,
  isBotLanguage,
} from '../../config/index.js';

/** Every language a chat can choose has every reply (the catalogue's test checks the keys). */
export const LANGUAGES: readonly ChatLanguage[] = CHAT_LANGUAGES;

/** At most this much of what someone typed is quoted back. */
export const QUOTE_MAX = 64;

/**
 * What someone typed, as a reply quotes it back: one short clean line, the way feed text is
 * shown (feedText) — no bidi override turns the reply around, no control character, no
 * @username pinged, and a 5,000-character argument comes back as its first words.
 */
function typed(value: string): string {
  return feedText(value, QUOTE_MAX);
}

function quote(value: string): string {
  return `"${typed(value)}"`;
}

/** A template as typed, shown back: each line as feed text is (it pings no one). */
function shown(template: string): string {
  return template
    .split('\n')
    .map((line) => feedText(line, 1000))
    .join('\n');
}

/** A reason that may quote what was typed or what a server said: one line, bounded. */
function said(detail: string): string {
  return feedText(detail);
}

/** `3 Mar` or `3 Mar – 9 Apr`: a span of dates, one date when both ends are the same. */
function span(first: string, last: string): string {
  return first === last ? first : `${first} – ${last}`;
}

export interface Messages {
  kind: Record<ActorKind, string>;
  /** `n` briefs, in the language's plural form. */
  briefs: (n: number) => string;

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
  /** An attachment over the adapter's cap (`max`: "1 MB"), or one that could not be fetched. */
  fileTooLarge: (max: string) => string;
  fileUnreadable: string;

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
  /** The heading of a forum topic's or thread's feeds (`name`: its name, else its id) in /feeds of its chat. */
  feedsOfTopic: (where: 'topic' | 'thread', name: string, destination: string) => string;
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

/** The replies of one language, each a catalogue text with its values filled in. */
function messagesIn(language: ChatLanguage): Messages {
  const say = (key: TextKey, values?: TextValues) => text(language, key, values);
  const briefs = (count: number) => say('briefs', { count });
  const names = (list: string[]) => list.join(', ');
  return {
    kind: {
      person: say('actor.kind.person'),
      organization: say('actor.kind.organization'),
      country: say('actor.kind.country'),
      place: say('actor.kind.place'),
    },
    briefs,

    welcome: say('help.welcome'),
    helpTitle: say('help.title'),
    helpAdminNote: say('help.adminNote'),
    notACommand: say('reply.notACommand'),
    unknownCommand: (command, suggestion) =>
      suggestion
        ? say('reply.unknownCommandSuggest', { command: typed(command), suggestion })
        : say('reply.unknownCommand', { command: typed(command) }),
    usage: (usage) => say('reply.usage', { usage }),
    adminOnly: (command) => say('reply.adminOnly', { command }),
    adminCheckFailed: (detail) => say('reply.adminCheckFailed', { detail: said(detail) }),
    internalError: say('reply.internalError'),
    fileTooLarge: (max) => say('reply.fileTooLarge', { max }),
    fileUnreadable: say('reply.fileUnreadable'),

    briefCount: (max) => say('brief.count', { max }),
    noFeeds: say('brief.noFeeds'),
    noBriefs: say('brief.noBriefs'),
    latestBriefs: (count) => say('brief.latest', { count }),
    briefFailed: (detail) => say('brief.failed', { detail: said(detail) }),
    badUrl: (value) => say('brief.badUrl', { text: quote(value) }),
    briefTooOften: (who, count, seconds) =>
      say(who === 'user' ? 'brief.tooOftenUser' : 'brief.tooOftenChat', { count, seconds }),

    actorNotFound: (query) => say('actor.notFound', { query: quote(query) }),
    actorKnownNoStories: (name, kind) => say('actor.knownNoStories', { name, kind }),
    actorDidYouMean: (query) => say('actor.didYouMean', { query: quote(query) }),
    actorSeen: (kind, count, first, last) =>
      say('actor.seen', { kind, briefs: briefs(count), dates: span(first, last) }),
    actorRoles: say('actor.roles'),
    actorRole: (role, first, last, count) =>
      say('actor.role', { role, dates: span(first, last), briefs: briefs(count) }),
    actorStories: (page, pages) =>
      pages > 1 ? say('actor.storiesPage', { page, pages }) : say('actor.stories'),
    actorNoStories: say('actor.noStories'),
    actorCompany: say('actor.company'),
    actorMorePages: (command) => say('actor.morePages', { command }),
    buttonExpired: say('reply.buttonExpired'),

    feedsTitle: say('feeds.title'),
    feedsOfTopic: (where, name, destination) => say(`feeds.${where}`, { name, destination }),
    chatDestination: (destination, where) => say(`feeds.destination.${where}`, { destination }),
    feedFilters: (filters) => say('feeds.filters', { filters }),
    pausedHere: (reason) => say('feeds.pausedHere', { reason }),
    pausedFeed: (reason, resumable) =>
      say(resumable ? 'feeds.pausedFeedResumable' : 'feeds.pausedFeed', { reason }),
    failing: (count, error) => say('feeds.failing', { count, error }),
    lastNewItem: (ageMs) => say('feeds.lastNewItem', { age: ageText(ageMs, language) }),
    digestLine: (time, timezone) => say('feeds.digest', { time, timezone }),
    noDigest: say('feeds.noDigest'),
    pausedByAdmin: say('feeds.pausedByAdmin'),

    subscribed: (name, url, count) =>
      say('subscribe.done', { name, url, items: say('items', { count }) }),
    subscribedExisting: (name, url) => say('subscribe.existing', { name, url }),
    alreadySubscribed: (name) => say('subscribe.already', { name }),
    filtersUpdated: (name, filters) =>
      filters ? say('filter.updated', { name, filters }) : say('filter.updatedNone', { name }),
    withFilters: (filters) => say('subscribe.withFilters', { filters }),
    subscribeFailed: (detail) => say('subscribe.failed', { detail: said(detail) }),
    badFilters: (detail) => say('filter.bad', { detail: said(detail) }),
    unsubscribed: (name) => say('unsubscribe.done', { name }),
    noSuchFeed: (ref, count) =>
      count === 0 ? say('feeds.none') : say('feeds.noSuch', { ref: quote(ref), count }),
    filtersShown: (name, filters) => say('filter.shown', { name, filters }),
    noFilters: say('filter.none'),
    filtersCleared: (name) => say('filter.cleared', { name }),
    configSubscriptionChanged: say('subscribe.fromConfig'),

    switchShown: (what, name, on) => say(`${what}.shown.${on ? 'on' : 'off'}`, { name }),
    switchSet: (what, name, on) => say(`${what}.set.${on ? 'on' : 'off'}`, { name }),
    badSwitch: (value) => say('switch.bad', { text: quote(value) }),

    templateBuiltIn: (name, template) =>
      say(template === 'full' ? 'template.full' : 'template.compact', { name }),
    templateCustom: (name, template) => say('template.custom', { name, template: shown(template) }),
    templateSet: (name, template) =>
      template.includes('{')
        ? say('template.setCustom', { name })
        : say('template.setBuiltIn', { name, template }),
    templateHelp: (placeholders) => say('template.help', { placeholders }),
    badTemplate: (detail) => say('template.bad', { detail: said(detail) }),

    digestSet: (time, timezone) => say('digest.set', { time, timezone }),
    digestOff: say('digest.off'),
    digestWasOff: say('digest.wasOff'),
    badTime: (value) => say('digest.badTime', { text: quote(value) }),
    badTimezone: (value, suggestion) =>
      suggestion
        ? say('digest.badTimezoneSuggest', { text: quote(value), suggestion })
        : say('digest.badTimezone', { text: quote(value) }),

    paused: (list) => say('pause.done', { names: names(list) }),
    nothingToPause: say('pause.nothing'),
    resumed: (list) => say('resume.done', { names: names(list) }),
    resumedFeed: (name, count) =>
      count > 0
        ? say('resume.feedAfterFailures', { name, failures: say('failures', { count }) })
        : say('resume.feed', { name }),
    nothingPaused: say('resume.nothing'),

    exportEmpty: say('export.empty'),
    exported: (count, filename) => say('export.done', { count, filename }),
    importNeedsOpml: (how) => say(`import.needsOpml.${how}`),
    notOpml: (detail) => say('import.notOpml', { detail: said(detail) }),
    importTooMany: (count, max) => say('import.tooMany', { count, max }),
    imported: (added, skipped, failed) =>
      say('import.done', {
        added: say('import.added', { count: added }),
        skipped: say('import.skipped', { count: skipped }),
        failed: say('import.failed', { count: failed }),
      }),
    importAlready: say('import.already'),
    importDuplicate: say('import.duplicate'),
  };
}

const MESSAGES = Object.fromEntries(
  CHAT_LANGUAGES.map((language) => [language, messagesIn(language)]),
) as Record<ChatLanguage, Messages>;

export function messages(language: ChatLanguage): Messages {
  return MESSAGES[language];
}
