import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readArgs } from './cli-args.js';
import { fetchFeed } from './feeds/fetch.js';
import { type ParsedFeed, parseFeed } from './feeds/parse.js';
import { FeedError, isFeedError } from './net/errors.js';

export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIO: CommandIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** How `feed check` fetches: the config's `http` section. */
export interface CheckOptions {
  timeoutMs?: number | undefined;
  maxBytes?: number | undefined;
  maxRedirects?: number | undefined;
  userAgent?: string | undefined;
}

/**
 * Read a feed from a file or an http(s) URL as the bot would (private addresses allowed:
 * this is the operator's own machine; User-Agent, redirects, timeout and byte cap as the
 * config's `http` says) and parse it. Throws FeedError.
 */
export async function checkFeed(
  source: string,
  options: CheckOptions = {},
): Promise<ParsedFeed & { url: string }> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(source)?.[1]?.toLowerCase();
  const web = scheme === 'http' || scheme === 'https';
  let url: string;
  if (web || scheme === 'file') url = source;
  else if (scheme && scheme.length > 1) {
    throw new FeedError(
      'bad-url',
      source,
      `${scheme}: is not supported; give a file path or an http(s) URL`,
    );
  } else url = pathToFileURL(resolve(source)).href;

  const fetched = await fetchFeed(url, {
    allowPrivate: true,
    allowFile: true,
    label: source,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    maxRedirects: options.maxRedirects,
    userAgent: options.userAgent,
  });
  if (fetched.status !== 'ok') throw new FeedError('unreachable', source, 'nothing was read');
  const feed = await parseFeed(fetched.bytes, {
    url: web ? fetched.finalUrl : null,
    contentType: fetched.contentType,
    label: source,
  });
  return { url: web ? fetched.finalUrl : source, ...feed };
}

/** Control characters a feed could use to rewrite the terminal. */
function printable(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}

function describe(feed: ParsedFeed & { url: string }): string {
  const count = `${feed.items.length} item${feed.items.length === 1 ? '' : 's'}`;
  const facts = [feed.link, feed.format, feed.language ? `language ${feed.language}` : null, count];
  const lines = [printable(feed.title || '(untitled feed)'), facts.filter(Boolean).join(' · ')];
  if (feed.skipped > 0) {
    lines.push(`${feed.skipped} item(s) without title or text left out`);
  }
  feed.items.forEach((item, k) => {
    lines.push('');
    lines.push(`${k + 1}. ${printable(item.title)}`);
    lines.push(`   link: ${printable(item.link ?? '(none)')}`);
    lines.push(`   guid: ${printable(item.guid ?? '(none)')}`);
    lines.push(`   date: ${item.publishedAt ?? '(none)'}`);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * The `http` settings of the config `run` would use (`--config`, else BRIEFWIRE_CONFIG,
 * else config/default.yaml). Throws ConfigError.
 */
async function httpSettings(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<CheckOptions> {
  const { loadConfig } = await import('./config/index.js');
  return loadConfig({ ...(file !== undefined ? { file } : {}), env }).http;
}

/**
 * `briefwire feed check [--json] [--config FILE] FILE|URL`: exit status 0 and the feed, or 1
 * and one line on stderr (`briefwire: page.html: is an HTML page, not a feed`). Never a
 * stack trace. A URL is fetched with the config's `http` settings (User-Agent, redirects,
 * timeout, byte cap).
 */
export async function feedCommand(
  args: string[],
  io: CommandIO = processIO,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const fail = (message: string): number => {
    io.stderr(`briefwire: ${message.split('\n')[0]}\n`);
    return 1;
  };
  const [sub, ...rest] = args;
  if (sub !== 'check') {
    return fail(
      sub === undefined
        ? 'feed needs a subcommand: briefwire feed check FILE|URL'
        : `unknown feed subcommand "${sub}" (try: briefwire feed check FILE|URL)`,
    );
  }
  let json: boolean;
  let source: string;
  let configFile: string | undefined;
  try {
    const { values, positionals } = readArgs('feed check', {
      args: rest,
      options: {
        json: { type: 'boolean', default: false },
        config: { type: 'string', short: 'c' },
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1 || !positionals[0]) {
      return fail('feed check takes one FILE or URL');
    }
    json = values.json === true;
    source = positionals[0];
    configFile = values.config;
  } catch (error) {
    return fail((error as Error).message);
  }
  let http: CheckOptions;
  try {
    http = await httpSettings(configFile, env);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  try {
    const feed = await checkFeed(source, http);
    io.stdout(json ? `${JSON.stringify(feed, null, 2)}\n` : describe(feed));
    return 0;
  } catch (error) {
    if (isFeedError(error)) return fail(error.message);
    return fail(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
