/** The scheduler's own words to chats (notices, digest headings), in the bot's languages. */
import {
  type BotLanguage,
  type Config,
  type DestinationOptions,
  isBotLanguage,
} from '../config/index.js';
import type { BriefLocale } from '../core/render/labels.js';
import type { Destination, Store } from '../store/port.js';
import { type AgeUnit, roughAge } from './quiet.js';

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
  return `${failures} ${failures === 1 ? 'failure' : 'failures'}`;
}

const AGE_UNITS: Record<BotLanguage, Record<AgeUnit, string>> = {
  en: { d: 'd', h: 'h', min: 'min' },
  it: { d: 'g', h: 'h', min: 'min' },
};

/** An age as chats show it, in the chat's language: `3 d` (en), `3 g` (it). */
export function ageText(ms: number, language: BotLanguage): string {
  const { count, unit } = roughAge(ms);
  return `${count} ${AGE_UNITS[language][unit]}`;
}

const TEXTS: Record<BotLanguage, SchedulerTexts> = {
  en: {
    feedPaused: (feed, failures, reason) =>
      `Feed ${feed} paused after ${failuresText(failures)}: ${reason}. Use /resume.`,
    feedFlood: (feed, f) =>
      `Feed ${feed} listed ${f.found} new ${f.found === 1 ? 'item' : 'items'} at once ` +
      `(it may have changed the ids of all its items): ${f.posted} posted, ${f.heldBack} ` +
      `held back, which will not be posted. At most ${f.maxPerPoll} new items a poll and ` +
      `${f.maxPerHour} an hour are posted per feed. This notice comes once until the feed ` +
      'calms down; /unsubscribe stops the feed here.',
    feedQuiet: (feed, age) =>
      `Feed ${feed} has listed no new item for ${age}. It is still polled, and you will be ` +
      'told when it posts again; /unsubscribe stops the feed here.',
    feedQuietOver: (feed, age) => `Feed ${feed} is posting again, after ${age} without new items.`,
    feedFailing: (feed, failures, reason, pauseAfter) =>
      `Feed ${feed} failed ${failures} polls in a row: ${reason}. It is still polled; after ` +
      `${pauseAfter} failures in a row it will be paused. You will be told when it works again.`,
    feedRecovered: (feed, failures) =>
      `Feed ${feed} works again, after ${failuresText(failures)} in a row.`,
    age: (ms) => ageText(ms, 'en'),
    digestHeading: (date, count) =>
      `Digest — ${date} (${count} ${count === 1 ? 'brief' : 'briefs'})`,
    otherStories: 'Other stories',
  },
  it: {
    feedPaused: (feed, failures, reason) =>
      `Il feed ${feed} è in pausa dopo ${failures} ${failures === 1 ? 'errore' : 'errori'}: ${reason}. Usa /resume.`,
    feedFlood: (feed, f) =>
      `Il feed ${feed} ha elencato ${f.found} ${f.found === 1 ? 'nuova notizia' : 'nuove notizie'} ` +
      `in una volta (forse ha cambiato gli identificativi di tutte): ${f.posted} pubblicate, ` +
      `${f.heldBack} trattenute, che non verranno pubblicate. Per ogni feed si pubblicano al massimo ` +
      `${f.maxPerPoll} nuove notizie a controllo e ${f.maxPerHour} all'ora. Questo avviso arriva ` +
      'una volta sola finché il feed non torna normale; /unsubscribe interrompe il feed qui.',
    feedQuiet: (feed, age) =>
      `Il feed ${feed} non ha nuove notizie da ${age}. Continua a essere controllato e verrà ` +
      'segnalato quando pubblicherà di nuovo; /unsubscribe interrompe il feed qui.',
    feedQuietOver: (feed, age) =>
      `Il feed ${feed} pubblica di nuovo, dopo ${age} senza nuove notizie.`,
    feedFailing: (feed, failures, reason, pauseAfter) =>
      `Il feed ${feed} ha fallito ${failures} controlli di fila: ${reason}. Continua a essere ` +
      `controllato; dopo ${pauseAfter} errori di fila verrà messo in pausa. Verrà segnalato ` +
      'quando funzionerà di nuovo.',
    feedRecovered: (feed, failures) =>
      `Il feed ${feed} funziona di nuovo, dopo ${failures} ${failures === 1 ? 'errore' : 'errori'} di fila.`,
    age: (ms) => ageText(ms, 'it'),
    digestHeading: (date, count) =>
      `Riepilogo — ${date} (${count} ${count === 1 ? 'notizia' : 'notizie'})`,
    otherStories: 'Altre notizie',
  },
};

export function textsFor(language: string | undefined): SchedulerTexts {
  return language === 'it' ? TEXTS.it : TEXTS.en;
}

/**
 * The language of the bot's words in a destination — command replies, notices, digests
 * alike: what the chat chose with /lang, else the config's `destinations` setting, else
 * `fallback` (the sender's platform language when there is one), else English.
 */
export async function destinationLanguage(
  store: Pick<Store, 'destinations'>,
  config: Partial<Pick<Config, 'destinations'>>,
  destination: Destination,
  fallback?: BotLanguage,
): Promise<BotLanguage> {
  const chosen = (await store.destinations.get(destination)).language;
  if (isBotLanguage(chosen)) return chosen;
  const options = config.destinations as Record<string, DestinationOptions | undefined> | undefined;
  return options?.[destination]?.language ?? fallback ?? 'en';
}

/**
 * The time zone a destination's dates are shown in: the one the chat gave its digest
 * (`/digest 18:00 Europe/Rome`), else the config's `destinations` setting, else UTC.
 */
export async function destinationTimeZone(
  store: Pick<Store, 'digests'>,
  config: Partial<Pick<Config, 'destinations'>>,
  destination: Destination,
): Promise<string> {
  const digest = await store.digests.get(destination);
  const options = config.destinations as Record<string, DestinationOptions | undefined> | undefined;
  return digest?.timezone ?? options?.[destination]?.timezone ?? 'UTC';
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
