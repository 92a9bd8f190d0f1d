/**
 * Per-feed settings the poller needs beyond the feeds table: kept as the feed's `options`
 * JSON (syncConfig writes them for config feeds) and, for a feed listed in the config, read
 * from the config itself, which wins.
 */
import type { Config, FeedConfig } from '../config/index.js';
import type { FeedRecord } from '../store/port.js';
import { joinFilterTerms } from './routing.js';

/** What the scheduler keeps in a feed's `options` column. */
export interface FeedOptions {
  /** Feed-level filter text: items must pass it before they are briefed for anyone. */
  filters: string;
  /** On the feed's first poll, at most this many newest items are posted. */
  firstPollPosts: number;
  /** Loopback/private addresses allowed (config feeds only). */
  allowPrivate: boolean;
  /** The config names no name: the feed's own title is shown, and becomes its name. */
  autoName: boolean;
}

/** The pause reason of a feed with `enabled: false` in the config. */
export const DISABLED_REASON = 'disabled in the config';

export const DEFAULT_FIRST_POLL_POSTS = 1;

/** A feed's settings, ready for polling. */
export interface FeedSettings extends FeedOptions {
  /** `file:` URLs: only for feeds from the config. */
  allowFile: boolean;
  /** The config entry's `quietAfter` ('off': never told); null: `polling.quietAfter`. */
  quietAfterMs: number | 'auto' | 'off' | null;
}

const byUrl = new WeakMap<readonly FeedConfig[], Map<string, FeedConfig>>();

/** The config entry of a feed URL, if the config lists it. */
export function configFeed(config: Pick<Config, 'feeds'>, url: string): FeedConfig | undefined {
  let map = byUrl.get(config.feeds);
  if (!map) {
    map = new Map(config.feeds.map((feed) => [feed.url, feed]));
    byUrl.set(config.feeds, map);
  }
  return map.get(url);
}

/** The options JSON syncConfig stores for a config feed. */
export function optionsOf(feed: FeedConfig): FeedOptions {
  return {
    filters: joinFilterTerms(feed.filters).text,
    firstPollPosts: feed.firstPollPosts,
    allowPrivate: feed.allowPrivate,
    autoName: feed.name === null,
  };
}

function stored(options: unknown): Partial<FeedOptions> {
  if (!options || typeof options !== 'object') return {};
  const o = options as Record<string, unknown>;
  const out: Partial<FeedOptions> = {};
  if (typeof o.filters === 'string') out.filters = o.filters;
  if (typeof o.firstPollPosts === 'number' && o.firstPollPosts >= 0) {
    out.firstPollPosts = Math.floor(o.firstPollPosts);
  }
  if (typeof o.allowPrivate === 'boolean') out.allowPrivate = o.allowPrivate;
  if (typeof o.autoName === 'boolean') out.autoName = o.autoName;
  return out;
}

/**
 * The settings a poll of `feed` uses: the config's entry for its URL when there is one,
 * else what its options hold. A feed added from a chat never gets private addresses or
 * `file:` URLs, whatever its options say.
 */
export function feedSettings(feed: FeedRecord, config: Pick<Config, 'feeds'>): FeedSettings {
  const listed = configFeed(config, feed.url);
  const fromConfig = feed.origin === 'config' || listed !== undefined;
  const options = listed ? optionsOf(listed) : stored(feed.options);
  return {
    filters: options.filters ?? '',
    firstPollPosts: options.firstPollPosts ?? DEFAULT_FIRST_POLL_POSTS,
    allowPrivate: fromConfig && options.allowPrivate === true,
    autoName: options.autoName ?? false,
    allowFile: fromConfig,
    quietAfterMs: listed?.quietAfterMs ?? null,
  };
}
