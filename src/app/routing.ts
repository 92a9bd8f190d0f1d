/**
 * Which destinations a brief goes to: the feed's subscriptions that are not paused and
 * whose filters (the filter language of src/core/filters/filters.ts) the brief passes.
 *
 * A subscription's `filters` column holds JSON the store does not read. The scheduler
 * writes `{ filters: "<filter text>", origin: "config" }` for subscriptions from the config
 * and reads any of: that object, a bare filter string, a list of terms, or null (no filter).
 */

import {
  FilterError,
  type Filters,
  joinFilterTerms,
  matches,
  parseFilters,
} from '../core/filters/filters.js';
import type { Brief } from '../core/types.js';
import type { Log } from '../shared/log.js';
import type { Destination, SubscriptionRecord } from '../store/port.js';

export { joinFilterTerms };

/** What the scheduler stores in a subscription's `filters` column. */
export interface SubscriptionFilters {
  /** Filter text as parseFilters reads it; '' lets everything through. */
  filters: string;
  /** 'config': written by syncConfig, which may update or remove it; else chat-made. */
  origin?: 'config' | 'chat';
  /** How briefs are posted there (config `template`), for the adapters. */
  template?: string;
  /**
   * False: briefs are posted without their lead image (config `media`, /media). Written only
   * when off; absent means on (store/post-style.ts reads it).
   */
  media?: boolean;
  /** False: no link preview on Telegram (config `preview`, /preview); absent means on. */
  preview?: boolean;
  /**
   * For origin 'config': the fingerprint of the config entry that wrote it (configEntryKey
   * in sync.ts). A chat that changes or leaves the subscription records it, so the next
   * start keeps the chat's change until that entry changes.
   */
  entry?: string;
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

/** The config entry's fingerprint of a subscription syncConfig wrote; null for any other. */
export function configEntryOf(sub: SubscriptionRecord): string | null {
  if (!isConfigSubscription(sub)) return null;
  const entry = (sub.filters as { entry?: unknown }).entry;
  return typeof entry === 'string' && entry !== '' ? entry : null;
}
