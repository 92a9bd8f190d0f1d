/**
 * The scheduler's own words to chats (notices, digest headings), in the chat's language;
 * the words are in the catalogue (src/core/i18n).
 */
import {
  CHAT_LANGUAGES,
  type ChatLanguage,
  type Config,
  type DestinationOptions,
  isChatLanguage,
  parentDestination,
} from '../config/index.js';
import { text } from '../core/i18n/catalogue.js';
import type { BriefLocale } from '../core/render/labels.js';
import type { Destination, Store } from '../store/port.js';
import { roughAge } from './quiet.js';

export interface SchedulerTexts {
  feedPaused(feed: string, failures: number, reason: string): string;
  /** A poll found more new items than the flood caps let through (see FloodNotice). */
  feedFlood(feed: string, flood: FloodNotice): string;
  /** The feed has listed no new item for `age` (ageText), longer than polling.quietAfter. */
  feedQuiet(feed: string, age: string): string;
  /** A quiet feed listed a new item again, after `age` without. */
  feedQuietOver(feed: string, age: string): string;
  /** The early warning: `failures` failed polls in a row; paused at `pauseAfter`. */
  feedFailing(feed: string, failures: number, reason: string, pauseAfter: number): string;
  /** A feed warned about polls fine again. */
  feedRecovered(feed: string, failures: number): string;
  /** An age in whole units: `3 d`, `5 h`, `20 min`. */
  age(ms: number): string;
  digestHeading(date: string, count: number): string;
  /** The group heading of briefs that name no actor. */
  otherStories: string;
}

/** What the chats of a flooding feed are told, once per episode. */
export interface FloodNotice {
  /** New items the poll found. */
  found: number;
  /** Of those, stored and posted (where the filters let them). */
  posted: number;
  /** Marked seen, never to be posted. */
  heldBack: number;
  maxPerPoll: number;
  maxPerHour: number;
}

/** `1 failure`, `3 failures` (logs and stored reasons are in English). */
export function failuresText(failures: number): string {
  return text('en', 'failures', { count: failures });
}

/** An age as chats show it, in the chat's language: `3 d` (en), `3 g` (it), `3 j` (fr). */
export function ageText(ms: number, language: ChatLanguage): string {
  const { count, unit } = roughAge(ms);
  return text(language, `age.${unit}`, { count });
}

/** The scheduler's texts in a language, from the catalogue (src/core/i18n). */
function textsIn(language: ChatLanguage): SchedulerTexts {
  const failures = (count: number) => text(language, 'failures', { count });
  return {
    feedPaused: (feed, count, reason) =>
      text(language, 'notice.feedPaused', { feed, failures: failures(count), reason }),
    feedFlood: (feed, f) =>
      text(language, 'notice.feedFlood', {
        feed,
        found: text(language, 'newItems', { count: f.found }),
        posted: f.posted,
        heldBack: f.heldBack,
        maxPerPoll: f.maxPerPoll,
        maxPerHour: f.maxPerHour,
      }),
    feedQuiet: (feed, age) => text(language, 'notice.feedQuiet', { feed, age }),
    feedQuietOver: (feed, age) => text(language, 'notice.feedQuietOver', { feed, age }),
    feedFailing: (feed, count, reason, pauseAfter) =>
      text(language, 'notice.feedFailing', { feed, failures: count, reason, pauseAfter }),
    feedRecovered: (feed, count) =>
      text(language, 'notice.feedRecovered', { feed, failures: failures(count) }),
    age: (ms) => ageText(ms, language),
    digestHeading: (date, count) =>
      text(language, 'digest.heading', { date, briefs: text(language, 'briefs', { count }) }),
    otherStories: text(language, 'digest.otherStories'),
  };
}

const TEXTS = Object.fromEntries(
  CHAT_LANGUAGES.map((language) => [language, textsIn(language)]),
) as Record<ChatLanguage, SchedulerTexts>;

/** The texts of a chat's language; English for any other (a stored value from an older version). */
export function textsFor(language: string | undefined): SchedulerTexts {
  return isChatLanguage(language) ? TEXTS[language] : TEXTS.en;
}

/**
 * The language of a destination — brief labels and dates, notices, digests, command
 * replies: what the chat chose with /lang, else the config's `destinations` setting (for a
 * forum topic or thread: its own, else its chat's), else `fallback` (the sender's platform
 * language when there is one), else English.
 */
export async function destinationLanguage(
  store: Pick<Store, 'destinations'>,
  config: Partial<Pick<Config, 'destinations'>>,
  destination: Destination,
  fallback?: ChatLanguage,
): Promise<ChatLanguage> {
  const options = config.destinations as Record<string, DestinationOptions | undefined> | undefined;
  // A forum topic or thread speaks its own language if given one, else its chat's.
  for (const where of withParent(destination)) {
    const chosen = (await store.destinations.get(where)).language;
    if (isChatLanguage(chosen)) return chosen;
    const configured = options?.[where]?.language;
    if (configured !== undefined) return configured;
  }
  return fallback ?? 'en';
}

/** The destination, then the chat it is a topic or thread of (if it is one). */
function withParent(destination: Destination): Destination[] {
  const parent = parentDestination(destination);
  return parent === null ? [destination] : [destination, parent];
}

/**
 * The time zone a destination's dates are shown in: the one the chat gave its digest
 * (`/digest 18:00 Europe/Rome`), else the config's `destinations` setting — for a forum
 * topic or thread its own, else its chat's — else UTC.
 */
export async function destinationTimeZone(
  store: Pick<Store, 'digests'>,
  config: Partial<Pick<Config, 'destinations'>>,
  destination: Destination,
): Promise<string> {
  const options = config.destinations as Record<string, DestinationOptions | undefined> | undefined;
  for (const where of withParent(destination)) {
    const zone = (await store.digests.get(where))?.timezone ?? options?.[where]?.timezone;
    if (zone !== undefined) return zone;
  }
  return 'UTC';
}

/** Whom a post in a destination is written for: its language and its time zone. */
export async function destinationLocale(
  store: Pick<Store, 'destinations' | 'digests'>,
  config: Partial<Pick<Config, 'destinations'>>,
  destination: Destination,
): Promise<BriefLocale> {
  return {
    language: await destinationLanguage(store, config, destination),
    timeZone: await destinationTimeZone(store, config, destination),
  };
}
