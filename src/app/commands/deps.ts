import type { Config } from '../../config/index.js';
import type { Article, Brief } from '../../core/types.js';
import { fetchFeed } from '../../feeds/fetch.js';
import { readArticle, readFeed } from '../../input/read.js';
import { checkFeedUrl, type GuardOptions, guardedAgents } from '../../net/guard.js';
import { fetchBytes } from '../../net/http.js';
import type { Store } from '../../store/port.js';
import { BriefUrlLimiter } from './brief-limits.js';
import type { CommandDeps, CommandInput } from './types.js';

/** Articles for `/brief URL`: 5 MiB, like `briefwire brief URL`. */
const ARTICLE_MAX_BYTES = 5 * 1024 * 1024;

export interface CommandDepsOptions {
  store: Store;
  config: Pick<Config, 'polling' | 'destinations' | 'http'>;
  now?: () => Date;
  /**
   * The guard for URLs typed in chats. Leave it out: chats never reach private addresses.
   * `{ allowPrivate: true }` is for tests on 127.0.0.1 only.
   */
  guard?: Pick<GuardOptions, 'allowPrivate' | 'lookup'>;
  onError?: (error: unknown, input: CommandInput) => void;
  /** The engine for `/brief URL` (the bot's, with its entity models). */
  brief?: (article: Article) => Brief;
}

/**
 * The real network pieces for the command handler, all behind one URL guard: the URL typed
 * and every redirect after it are checked (no file:, no private addresses unless the guard
 * allows them), with the config's timeout and byte cap.
 */
export function createCommandDeps(options: CommandDepsOptions): CommandDeps {
  const guard: GuardOptions = { ...options.guard, allowFile: false };
  const { http } = options.config;
  const check = (url: string | URL): Promise<URL> => checkFeedUrl(url, guard);
  return {
    ...(options.brief ? { brief: options.brief } : {}),
    store: options.store,
    config: options.config,
    now: options.now ?? (() => new Date()),
    checkFeedUrl: check,
    fetchFeed: (url) =>
      fetchFeed(url, {
        ...guard,
        timeoutMs: http.timeoutMs,
        maxBytes: http.maxBytes,
        maxRedirects: http.maxRedirects,
        userAgent: http.userAgent,
      }),
    // Off the main thread when big: a feed or page typed in a chat is anyone's.
    parseFeed: (bytes, parseOptions) => readFeed(bytes, parseOptions),
    loadArticle: async (url): Promise<Article> => {
      // The guard again as each connection is made: a name that resolved to a public
      // address for the check cannot switch to a private one for the request.
      const agents = await guardedAgents(guard);
      const fetched = await fetchBytes(url, {
        timeoutMs: http.timeoutMs,
        maxBytes: Math.min(http.maxBytes, ARTICLE_MAX_BYTES),
        maxRedirects: http.maxRedirects,
        userAgent: http.userAgent,
        checkUrl: async (next) => {
          await check(next);
        },
        ...(agents ? { agents } : {}),
      });
      return readArticle({
        bytes: fetched.bytes,
        contentType: fetched.contentType,
        url: fetched.finalUrl,
        name: url,
      });
    },
    briefLimits: new BriefUrlLimiter(),
    onError: options.onError,
  };
}
