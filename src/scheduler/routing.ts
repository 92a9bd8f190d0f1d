/**
 * Which destinations a brief goes to: the feed's subscriptions that are not paused and
 * whose filters (the filter language of src/feeds/filters.ts) the brief passes.
 *
 * A subscription's `filters` column holds JSON the store does not read. The scheduler
 * writes `{ filters: "<filter text>", origin: "config" }` for subscriptions from the config
 * and reads any of: that object, a bare filter string, a list of terms, or null (no filter).
 */
import type { Brief } from '../core/types.js';
import { FilterError, type Filters, matches, parseFilters } from '../feeds/filters.js';
import type { Destination, SubscriptionRecord } from '../store/port.js';
import type { Log } from './log.js';

/** What the scheduler stores in a subscription's `filters` column. */
export interface SubscriptionFilters {
  /** Filter text as parseFilters reads it; '' lets everything through. */
  filters: string;
  /** 'config': written by syncConfig, which may update or remove it; else chat-made. */
  origin?: 'config' | 'chat';
  /** How briefs are posted there (config `template`), for the adapters. */
  template?: string;
}

/** One config list item as a term of the filter language (`north korea` → `"north korea"`). */
function asTerm(item: string): string {
  const text = item.trim();
  if (!/\s/.test(text)) return text;
  const [, sign = '', rest = ''] = /^([+-]?)(.*)$/s.exec(text) ?? [];
  if (rest.startsWith('/') || /^["“„«]/.test(rest)) return text;
  const prefixed = /^([a-z]+:)(.*)$/is.exec(rest);
  if (prefixed) {
    const value = (prefixed[2] ?? '').trim();
    return /^["“„«]/.test(value) ? text : `${sign}${prefixed[1]}"${value}"`;
  }
  return `${sign}"${rest.trim()}"`;
}

/**
 * A config list of filters (`[ukraine, -sport, lang:it]`) as one filter text; items the
 * filter language refuses are left out and listed in `refused` with the reason.
 */
export function joinFilterTerms(items: readonly string[]): {
  text: string;
  refused: { item: string; reason: string }[];
} {
  const kept: string[] = [];
  const refused: { item: string; reason: string }[] = [];
  for (const item of items) {
    const term = asTerm(item);
    if (!term) continue;
    try {
      parseFilters(term);
      kept.push(term);
    } catch (error) {
      if (!(error instanceof FilterError)) throw error;
      refused.push({ item, reason: error.message });
    }
  }
  return { text: kept.join(' '), refused };
}

/** The filter text of whatever a subscription's `filters` column holds. */
export function filterTextOf(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) {
    return joinFilterTerms(value.filter((v): v is string => typeof v === 'string')).text;
  }
  if (value && typeof value === 'object') {
    const inner = (value as { filters?: unknown; text?: unknown }).filters;
    if (inner !== undefined) return filterTextOf(inner);
    const text = (value as { text?: unknown }).text;
    if (typeof text === 'string') return text.trim();
  }
  return '';
}

const compiled = new Map<string, Filters | FilterError>();

/** Parsed filters, cached by text; a FilterError for text the filter language refuses. */
export function compileFilters(text: string): Filters | FilterError {
  let entry = compiled.get(text);
  if (entry === undefined) {
    try {
      entry = parseFilters(text);
    } catch (error) {
      if (!(error instanceof FilterError)) throw error;
      entry = error;
    }
    if (compiled.size >= 2000) compiled.clear();
    compiled.set(text, entry);
  }
  return entry;
}

/**
 * Whether a brief passes filter text. Text that cannot be parsed (written by hand into the
 * store) filters nothing out: a warning beats a chat that silently gets no news.
 */
export function passes(brief: Brief, text: string, log?: Log, what = 'filters'): boolean {
  if (text === '') return true;
  const filters = compileFilters(text);
  if (filters instanceof FilterError) {
    log?.warn(`${what} ignored (${filters.message}): ${text}`);
    return true;
  }
  return matches(brief, filters);
}

/** The destinations of a brief among a feed's subscriptions, in subscription order. */
export function destinationsFor(
  brief: Brief,
  subscriptions: readonly SubscriptionRecord[],
  log?: Log,
): Destination[] {
  const out: Destination[] = [];
  for (const sub of subscriptions) {
    if (sub.paused || out.includes(sub.destination)) continue;
    const text = filterTextOf(sub.filters);
    if (passes(brief, text, log, `subscription ${sub.id} filters`)) out.push(sub.destination);
  }
  return out;
}

/** Whether syncConfig wrote this subscription (and may change or remove it). */
export function isConfigSubscription(sub: SubscriptionRecord): boolean {
  const value = sub.filters;
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as { origin?: unknown }).origin === 'config'
  );
}
