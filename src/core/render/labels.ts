/**
 * The words a brief shows besides its feed text — the actor groups' labels, "+3 more" —
 * and how its date is written, per language. The words themselves are in the catalogue
 * (src/core/i18n/<language>.json, keys `brief.*`: to add a language, add its file there);
 * this module gives them to the renderers as one value per language.
 */
import { CATALOGUE_LANGUAGES, type CatalogueLanguage, text } from '../i18n/catalogue.js';
import type { ActorKind } from '../types.js';

export interface BriefLabels {
  /** The locale Intl.DateTimeFormat writes this language's dates in. */
  locale: string;
  /** The heading of each actor group. */
  kinds: Readonly<Record<ActorKind, string>>;
  /** After the actors shown, how many more there are; `{count}` is replaced by the number. */
  more: string;
  /** The headline of a brief whose feed gave none. */
  untitled: string;
}

function labelsOf(language: CatalogueLanguage): BriefLabels {
  return {
    locale: text(language, 'brief.locale'),
    kinds: {
      person: text(language, 'brief.kind.person'),
      organization: text(language, 'brief.kind.organization'),
      country: text(language, 'brief.kind.country'),
      place: text(language, 'brief.kind.place'),
    },
    // Kept with its placeholder: moreText fills it.
    more: text(language, 'brief.more'),
    untitled: text(language, 'brief.untitled'),
  };
}

export const BRIEF_LABELS: Readonly<Record<CatalogueLanguage, BriefLabels>> = Object.fromEntries(
  CATALOGUE_LANGUAGES.map((language) => [language, labelsOf(language)]),
) as Record<CatalogueLanguage, BriefLabels>;

/** A language the brief's labels and dates are written in. */
export type BriefLanguage = CatalogueLanguage;
export const BRIEF_LANGUAGES = Object.keys(BRIEF_LABELS) as readonly BriefLanguage[];

export function isBriefLanguage(value: unknown): value is BriefLanguage {
  return typeof value === 'string' && Object.hasOwn(BRIEF_LABELS, value);
}

/** Who a brief is rendered for: the chat's language and time zone. */
export interface BriefLocale {
  language: BriefLanguage;
  /** IANA time zone dates with a time are shown in. */
  timeZone: string;
}

export const DEFAULT_LOCALE: BriefLocale = { language: 'en', timeZone: 'UTC' };

/** The labels of a language; English for any other (a stored value from an older version). */
export function briefLabels(language: string | undefined): BriefLabels {
  return isBriefLanguage(language) ? BRIEF_LABELS[language] : BRIEF_LABELS.en;
}

/** "+3 more" in the language. */
export function moreText(labels: BriefLabels, count: number): string {
  return labels.more.replace('{count}', String(count));
}

/** How precisely the source dated the item (a date without a time is not given one). */
export type DatePrecision = 'year' | 'month' | 'day' | 'instant';

const FORMATS: Record<DatePrecision, Intl.DateTimeFormatOptions> = {
  year: { year: 'numeric' },
  month: { month: 'short', year: 'numeric' },
  day: { day: 'numeric', month: 'short', year: 'numeric' },
  instant: {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  },
};

// Building a formatter costs far more than using one; languages × zones × precisions in
// use are few (zones come from the config), so they are kept. Bounded all the same.
const formatters = new Map<string, Intl.DateTimeFormat>();
const FORMATTERS_MAX = 500;

function formatter(
  locale: string,
  timeZone: string,
  precision: DatePrecision,
): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${precision}`;
  let format = formatters.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, { ...FORMATS[precision], timeZone });
    } catch {
      // A zone this Node does not know (a stored value from another machine): UTC, named.
      format = new Intl.DateTimeFormat(locale, { ...FORMATS[precision], timeZone: 'UTC' });
    }
    if (formatters.size >= FORMATTERS_MAX) formatters.clear();
    formatters.set(key, format);
  }
  return format;
}

/**
 * A date as the chat reads it: "29 nov 2024, 09:00 CET" in Italian for Rome. A date the
 * source gave without a time is a calendar date, the same everywhere, so it is written
 * in UTC (where it was parsed) whatever the chat's zone, and no more precisely than given.
 */
export function formatBriefDate(date: Date, precision: DatePrecision, locale: BriefLocale): string {
  const zone = precision === 'instant' ? locale.timeZone : 'UTC';
  return formatter(briefLabels(locale.language).locale, zone, precision).format(date);
}

/** The day an instant falls on where the chat is ("6 dic 2026"): a digest's date. */
export function formatLocalDay(at: Date, locale: BriefLocale): string {
  return formatter(briefLabels(locale.language).locale, locale.timeZone, 'day').format(at);
}
