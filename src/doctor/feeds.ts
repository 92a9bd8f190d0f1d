/**
 * Each feed of the config, fetched and parsed the way the poller does (src/app/jobs/poller.ts:
 * the same fetchFeed, guard and parseFeed, with the config's byte cap, timeout, redirect limit
 * and User-Agent), four at a time: OK with its item count, or the FeedError's message and
 * what to do about it.
 */
import type { Config, FeedConfig } from '../config/index.js';
import { fetchFeed } from '../feeds/fetch.js';
import { parseFeed } from '../feeds/parse.js';
import { FeedError } from '../net/errors.js';
import { formatDuration } from '../shared/duration.js';
import { errorLine } from '../shared/log.js';
import { eachLimited } from '../shared/pool.js';
import { count } from './config.js';
import { type CheckRow, row, type Status } from './types.js';

export const FEED_CONCURRENCY = 4;

export interface FeedCheckOptions {
  /** The fetcher (tests swap it); default src/feeds fetchFeed. */
  fetch?: typeof fetchFeed;
  concurrency?: number;
}

export async function checkFeeds(
  config: Pick<Config, 'feeds' | 'http'>,
  options: FeedCheckOptions = {},
): Promise<CheckRow[]> {
  if (config.feeds.length === 0) {
    return [row('feeds', 'skip', 'none in the config (chats add theirs with /subscribe)')];
  }
  const rows = new Map<FeedConfig, CheckRow>();
  await eachLimited(config.feeds, options.concurrency ?? FEED_CONCURRENCY, async (feed) => {
    rows.set(feed, await checkFeed(feed, config, options));
  });
  return config.feeds.map((feed) => rows.get(feed) as CheckRow);
}

export function feedCheckName(feed: Pick<FeedConfig, 'name' | 'url'>): string {
  return `feed ${feed.name ?? feed.url}`;
}

async function checkFeed(
  feed: FeedConfig,
  config: Pick<Config, 'http'>,
  options: FeedCheckOptions,
): Promise<CheckRow> {
  const name = feedCheckName(feed);
  if (!feed.enabled) return row(name, 'skip', `${feed.url}: disabled in the config`);
  try {
    // As feedSettings gives a feed listed in the config: its allowPrivate, and file: URLs.
    const fetched = await (options.fetch ?? fetchFeed)(feed.url, {
      allowPrivate: feed.allowPrivate,
      allowFile: true,
      maxBytes: config.http.maxBytes,
      timeoutMs: config.http.timeoutMs,
      maxRedirects: config.http.maxRedirects,
      userAgent: config.http.userAgent,
    });
    if (fetched.status !== 'ok') return row(name, 'ok', `${feed.url}: not modified`);
    const parsed = await parseFeed(fetched.bytes, {
      url: fetched.finalUrl,
      contentType: fetched.contentType,
      label: feed.url,
    });
    const moved = fetched.finalUrl !== feed.url ? ` (redirected to ${fetched.finalUrl})` : '';
    const facts = `${parsed.format}, ${count(parsed.items.length, 'item')}`;
    const title = parsed.title ? ` ("${parsed.title}")` : '';
    if (parsed.items.length === 0) {
      return row(
        name,
        'warn',
        `${feed.url}${moved}: ${facts}${title}`,
        'an empty feed posts nothing: check that this is the feed meant',
      );
    }
    return row(name, 'ok', `${feed.url}${moved}: ${facts}${title}`);
  } catch (error) {
    if (!(error instanceof FeedError)) return row(name, 'fail', `${feed.url}: ${errorLine(error)}`);
    const { status, fix } = feedAdvice(error, config.http.timeoutMs);
    return row(name, status, error.message, fix);
  }
}

/** How bad a feed's problem is, and what to do about it. */
export function feedAdvice(error: FeedError, timeoutMs: number): { status: Status; fix: string } {
  const fail = (fix: string) => ({ status: 'fail' as const, fix });
  const warn = (fix: string) => ({ status: 'warn' as const, fix });
  switch (error.code) {
    case 'not-a-feed': {
      if (/HTML page/.test(error.detail)) {
        const named = /the page names a feed: (\S+?)\)?$/.exec(error.detail)?.[1];
        return fail(
          named
            ? `the URL serves an HTML page: use the feed it names, ${named}`
            : 'the URL serves an HTML page: look for its RSS link',
        );
      }
      return fail('the URL serves no RSS, Atom or JSON feed: check the address');
    }
    case 'http': {
      const status = error.status ?? 0;
      if (status === 404 || status === 410) {
        return fail('the feed moved or is gone: find its new address on the site');
      }
      if (status === 401 || status === 403) {
        return fail('the server refuses the bot: the feed may need a login, or blocks bots');
      }
      if (status >= 500) return warn('the server has trouble: try later (the poller backs off)');
      return fail('check the feed URL');
    }
    case 'retry-later':
      return warn('the server asks to come back later: the poller waits as told');
    case 'unreachable':
      if (/timed out/.test(error.detail)) {
        return fail(
          `no answer within ${formatDuration(timeoutMs)}: check the URL, or raise http.timeoutMs`,
        );
      }
      if (/DNS|host not found/.test(error.detail)) {
        return fail(
          'check the host name in the URL, and that this machine can resolve names (DNS)',
        );
      }
      if (/connection refused/.test(error.detail)) {
        return fail('nothing answers at that address: check the host and port in the URL');
      }
      if (/TLS certificate/.test(error.detail)) {
        return fail("the site's HTTPS certificate is not valid: tell the site");
      }
      if (/too many redirects/.test(error.detail)) {
        return fail(
          'the URL redirects in a loop, or more than http.maxRedirects times: open it in a browser and use the final address',
        );
      }
      return fail('check the URL and the network');
    case 'refused':
      return fail('a private address: set allowPrivate: true on this feed if that is meant');
    case 'bad-url':
      return fail('correct the url of this feed in the config');
    case 'too-large':
      return fail('raise http.maxBytes, or use a smaller feed (a section of the site)');
    case 'unreadable':
      return fail("check the path: a relative file: URL is read from the config file's folder");
    case 'empty':
      return fail('the URL serves nothing: check the address');
    case 'binary':
      return fail('the URL serves a file, not a feed: check the address');
    case 'too-complex':
      return fail(
        'the feed is too big to read in time: use a smaller feed (a section of the site)',
      );
  }
}
