import type { Actor, ActorKind, Brief } from '../types.js';
import { ACTOR_KINDS } from '../types.js';
import type { BriefLabels, BriefLocale, DatePrecision } from './labels.js';
import { BRIEF_LABELS, briefLabels, DEFAULT_LOCALE, formatBriefDate } from './labels.js';
import { cleanText } from './text.js';
import { sliceSafe } from './truncate.js';

/**
 * A Brief reduced to what any renderer may show: every string clean (see `cleanText`)
 * and bounded, the url checked, the date formatted. Platform renderers escape and
 * trim this further to their own limits.
 */
export interface BriefView {
  title: string;
  /** Only http(s), normalised by the WHATWG URL parser; null when unusable. */
  url: string | null;
  source: string | null;
  /**
   * As precise as the source, in the chat's language and time zone: "29 Nov 2024, 08:00
   * UTC", or "29 Nov 2024", "Nov 2024", "2024" for a date given without a time, day or
   * month; null when missing or unparseable.
   */
  date: string | null;
  /** ISO 8601 instant for machine consumers (Discord's embed timestamp); null without a time. */
  timestamp: string | null;
  summary: string[];
  groups: ActorGroup[];
  tags: string[];
  /** The words around the feed text, in the chat's language. */
  labels: BriefLabels;
}

export interface ActorGroup {
  kind: ActorKind;
  /** "People", "Organisations", "Countries", "Places" in the chat's language. */
  label: string;
  actors: ActorLine[];
}

export interface ActorLine {
  name: string;
  role: string | null;
}

export const UNTITLED = BRIEF_LABELS.en.untitled;

// Generous bounds: the view must hold enough for the roomiest target (plain text), and
// they also bound the work done on absurd input.
const LIMITS = {
  title: 2000,
  sentence: 12_000,
  sentences: 20,
  source: 200,
  name: 200,
  role: 400,
  actors: 200,
  tag: 64,
  tags: 40,
  url: 2048,
} as const;

export function toView(brief: Brief, locale: BriefLocale = DEFAULT_LOCALE): BriefView {
  const labels = briefLabels(locale.language);
  const title = cleanText(brief.title, LIMITS.title);
  const published = publishedDate(brief.publishedAt, locale);
  return {
    title: title === '' ? labels.untitled : title,
    url: safeUrl(brief.url),
    source: cleanText(brief.source, LIMITS.source) || null,
    date: published?.date ?? null,
    timestamp: published?.timestamp ?? null,
    summary: list(brief.summary)
      .slice(0, LIMITS.sentences)
      .map((sentence) => cleanText(sentence, LIMITS.sentence))
      .filter((sentence) => sentence !== ''),
    groups: groupActors(list(brief.actors).slice(0, LIMITS.actors), labels),
    tags: cleanTags(list(brief.tags)),
    labels,
  };
}

/**
 * Only http and https become links: `javascript:`, `data:`, `tg:` and friends are
 * dropped, and so are urls with credentials, whose `https://bank.example@evil.example`
 * form is a phishing classic.
 */
export function safeUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > LIMITS.url * 2) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  const href = url.href;
  return href.length <= LIMITS.url ? href : null;
}

function parseInstant(raw: unknown): Date | null {
  if (typeof raw !== 'string' || raw.length > 100) return null;
  const date = new Date(raw);
  const year = date.getUTCFullYear();
  // Outside four-digit years toISOString() switches to the expanded "+010000" form,
  // which platforms reject; no news item is dated there anyway.
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) return null;
  return date;
}

/** `2024`, `2024-11`, `2024-11-29`: a date the source gave without a time (parseDate). */
const DATE_ONLY = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * publishedAt shown no more precisely than the source gave it: a month-only "2024-11" is
 * "Nov 2024", not "1 Nov 2024, 00:00 UTC" (a time nobody wrote), and has no timestamp.
 */
function publishedDate(
  raw: unknown,
  locale: BriefLocale,
): { date: string; timestamp: string | null } | null {
  const instant = parseInstant(raw);
  if (instant === null) return null;
  const only = DATE_ONLY.exec(String(raw).trim());
  if (only) {
    const [, , month, day] = only;
    const precision: DatePrecision = day ? 'day' : month ? 'month' : 'year';
    return { date: formatBriefDate(instant, precision, locale), timestamp: null };
  }
  return { date: formatBriefDate(instant, 'instant', locale), timestamp: instant.toISOString() };
}

function groupActors(actors: readonly Actor[], labels: BriefLabels): ActorGroup[] {
  const byKind = new Map<ActorKind, ActorLine[]>();
  for (const actor of actors) {
    if (!actor || !ACTOR_KINDS.includes(actor.kind)) continue;
    const name = cleanText(actor.name, LIMITS.name);
    if (name === '') continue;
    const role = cleanText(actor.role, LIMITS.role) || null;
    const lines = byKind.get(actor.kind) ?? [];
    lines.push({ name, role });
    byKind.set(actor.kind, lines);
  }
  // Contract order of kinds; within a kind the Brief's own (salience) order.
  return ACTOR_KINDS.flatMap((kind) => {
    const lines = byKind.get(kind);
    return lines ? [{ kind, label: labels.kinds[kind], actors: lines }] : [];
  });
}

/** Hashtags as chat clients recognise them: one `#`, no spaces, no duplicates. */
function cleanTags(tags: readonly unknown[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    if (out.length === LIMITS.tags) break;
    const word = cleanText(raw, LIMITS.tag * 2).replace(/[\s#]+/g, '');
    const tag = `#${sliceSafe(word, LIMITS.tag - 1)}`;
    const key = tag.toLowerCase();
    if (tag === '#' || seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

/** Arrays from JSON may be missing or not arrays at all; treat those as empty. */
function list<T>(value: readonly T[] | null | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}
