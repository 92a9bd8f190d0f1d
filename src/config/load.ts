/**
 * Loads the bot's configuration at start-up: a YAML file (config/default.yaml unless told
 * otherwise), validated against the schema, relative paths resolved against the file's
 * folder, then the environment on top (12-factor). Secrets come from the environment only.
 * Anything wrong is a ConfigError whose message is one line: file, key path, what is expected.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { isInputError } from '../core/input/errors.js';
import { readFileCappedSync } from '../net/read-capped.js';
import { formatDuration } from '../shared/duration.js';
import { closest } from '../shared/edit-distance.js';
import { ConfigError, type ConfigProblem, formatPath, type KeyPath, show } from './errors.js';
import {
  type ChatLanguage,
  type ConfigFile,
  configFileSchema,
  DESTINATION_EXPECTED,
  type Destination,
  isDestination,
  keysAt,
  type LogLevel,
  type Template,
} from './schema.js';
import { SECRET_ENV, Secrets } from './secrets.js';

export interface FeedConfig {
  /** `http(s)://…`, or an absolute `file:///…` URL (relative ones resolved against the config's folder). */
  url: string;
  /** Display name; null → the feed's own title. Subscriptions may refer to a feed by it. */
  name: string | null;
  /** Poll interval (ms): the feed's `interval`, else `polling.defaultInterval`. */
  intervalMs: number;
  /** ISO 639-1 code when the feed's language is known in advance, else null (detected). */
  languageHint: string | null;
  /** Items must pass these before they are briefed for anyone (filter syntax in default.yaml). */
  filters: string[];
  /** On the first poll of a new feed, the backlog is marked seen and at most this many newest items posted. */
  firstPollPosts: number;
  /** Allows loopback/private/link-local addresses (intranet feeds). Config only, never from chat. */
  allowPrivate: boolean;
  enabled: boolean;
  /** This feed's own `quietAfter` ('off' never tells); null: `polling.quietAfter`. */
  quietAfterMs: number | 'auto' | 'off' | null;
}

export interface SubscriptionConfig {
  /** The `url` of the feed in `feeds` this subscription refers to (by url or name in the file). */
  feedUrl: string;
  destination: Destination;
  filters: string[];
  template: Template;
  /** Show a brief's lead image (Telegram photo, Discord embed image). Default true. */
  media: boolean;
  /** Telegram's link preview under a post without a photo. Default true. */
  preview: boolean;
}

export interface DigestConfig {
  destination: Destination;
  /** A node-cron expression (5 fields, or 6 with seconds first), spaces normalised. */
  cron: string;
  /** Canonical IANA time zone the cron expression is read in. */
  timezone: string;
  maxBriefs: number;
}

export interface QuietHours {
  /** Minutes since midnight, in the destination's time zone; end < start wraps past midnight. */
  startMinute: number;
  endMinute: number;
}

export interface DestinationOptions {
  quietHours: QuietHours | null;
  timezone: string;
  /**
   * The destination's language: the brief's labels, dates and digest headings, the bot's
   * replies and notices.
   */
  language: ChatLanguage;
}

export interface PollingConfig {
  defaultIntervalMs: number;
  /** Fraction of the interval (0–1) added or taken at random, so polls spread out. */
  jitter: number;
  maxConsecutiveFailures: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  concurrency: number;
  /**
   * Flood caps, per feed: new items taken from one poll, and briefs stored in any hour.
   * The rest are marked seen without being posted (a feed that changed every item's id).
   */
  maxNewItemsPerPoll: number;
  maxNewItemsPerHour: number;
  /**
   * How long a feed may list no new item before its chats are told it has gone quiet:
   * 'auto' is 7 × its usual gap between new items, at least 3 days; null: never told.
   */
  quietAfterMs: number | 'auto' | null;
  /**
   * Failed polls in a row after which the feed's chats get one early warning (before the
   * pause at maxConsecutiveFailures), and a notice when it polls fine again; null: none.
   */
  warnAfterFailures: number | null;
}

/** `auto` warns at half the failures that pause a feed (none when one failure pauses it). */
function warnAfterFailures(setting: number | 'auto' | 'off', pauseAfter: number): number | null {
  if (setting === 'off') return null;
  if (setting === 'auto') {
    const half = Math.ceil(pauseAfter / 2);
    return half < pauseAfter ? half : null;
  }
  return setting;
}

export interface OutboxConfig {
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
}

export interface HttpConfig {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
}

export interface ServerConfig {
  /** `/healthz`, `/readyz`, `/metrics` (and a Telegram webhook) listen here; null = off. */
  port: number | null;
  host: string;
}

export interface TelegramConfig {
  apiRoot: string;
  webhookUrl: string | null;
}

export interface DiscordConfig {
  /** REST base URL (e.g. a rate-limit proxy); null = discord.js's default. */
  apiRoot: string | null;
  guildId: string | null;
}

export interface Config {
  /** Absolute path of the config file read. */
  file: string;
  /** Absolute. */
  dataDir: string;
  /** The folder of the entity models, absolute; null for the shipped models. */
  models: string | null;
  logLevel: LogLevel;
  feeds: FeedConfig[];
  subscriptions: SubscriptionConfig[];
  digests: DigestConfig[];
  /** Options per destination as written; use destinationOptions() to get defaults for others. */
  destinations: Partial<Record<Destination, DestinationOptions>>;
  polling: PollingConfig;
  outbox: OutboxConfig;
  prune: { keepDays: number };
  /** Several instances on one PostgreSQL store: how long claims last, how often to campaign. */
  instances: { leaseMs: number; electionRetryMs: number };
  http: HttpConfig;
  server: ServerConfig;
  telegram: TelegramConfig;
  discord: DiscordConfig;
  /** From the environment only; redacted in JSON.stringify and util.inspect. */
  secrets: Secrets;
}

export const DEFAULT_DESTINATION_OPTIONS: Readonly<DestinationOptions> = Object.freeze({
  quietHours: null,
  timezone: 'UTC',
  language: 'en',
});

export function destinationOptions(config: Config, destination: Destination): DestinationOptions {
  return config.destinations[destination] ?? { ...DEFAULT_DESTINATION_OPTIONS };
}

/** config/default.yaml of this package (the same from src/config and dist/config). */
export const DEFAULT_CONFIG_FILE = fileURLToPath(
  new URL('../../config/default.yaml', import.meta.url),
);

export interface LoadConfigOptions {
  /** The config file (e.g. from `--config`); else BRIEFWIRE_CONFIG; else config/default.yaml. */
  file?: string;
  /** Usually process.env. */
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths given on the command line or in the environment start here; default process.cwd(). */
  cwd?: string;
}

/** 4 MiB: a config with thousands of feeds is a few hundred KiB. */
export const CONFIG_MAX_BYTES = 4 * 1024 * 1024;

/** Reads, validates and resolves the configuration; throws ConfigError. */
export function loadConfig(options: LoadConfigOptions): Config {
  const cwd = options.cwd ?? process.cwd();
  const given = options.file ?? envValue(options.env, 'BRIEFWIRE_CONFIG') ?? DEFAULT_CONFIG_FILE;
  const file = path.resolve(cwd, given);
  const source = displayPath(file, cwd);
  let text: string;
  try {
    text = readFileCappedSync(file, { maxBytes: CONFIG_MAX_BYTES, label: source }).toString('utf8');
  } catch (error) {
    throw new ConfigError([
      { source, path: '', message: `cannot read the config file: ${readFailure(error)}` },
    ]);
  }
  return parseConfig({ text, file, env: options.env, cwd });
}

export interface ParseConfigOptions {
  /** The YAML text. */
  text: string;
  /** Where it came from: names the file in messages, and relative paths resolve against its folder. */
  file: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd?: string;
}

/** As loadConfig, from text already read. */
export function parseConfig(options: ParseConfigOptions): Config {
  const cwd = options.cwd ?? process.cwd();
  const file = path.resolve(cwd, options.file);
  const source = displayPath(file, cwd);

  const doc = parseDocument(options.text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => {
        const at = error.linePos?.[0];
        const where = at ? `${source}:${at.line}:${at.col}` : source;
        return { source: where, path: '', message: `invalid YAML: ${yamlReason(error.message)}` };
      }),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ source, path: '', message: `invalid YAML: ${yamlReason(reason)}` }]);
  }
  if (typeof raw !== 'object' || Array.isArray(raw) || raw === null) {
    throw new ConfigError([
      { source, path: '', message: `expected a mapping of settings, got ${show(raw)}` },
    ]);
  }

  const located: Located[] = [];
  const offsetOf = (keyPath: KeyPath): number => locate(doc.contents, keyPath);
  const problem = (keyPath: KeyPath, message: string, envName?: string): void => {
    located.push({
      problem: envName
        ? { source: `environment ${envName}`, path: '', message }
        : { source, path: formatPath(keyPath), message },
      offset: envName ? -1 : offsetOf(keyPath),
    });
  };

  const secretKeys = findSecretKeys(raw);
  for (const { keyPath, envName } of secretKeys) {
    const what = envName === SECRET_ENV.telegramWebhookSecret ? 'secrets' : 'tokens';
    problem(
      keyPath,
      `${what} do not belong in a config file; set ${envName} in the environment instead`,
    );
  }

  const input = structuredClone(raw) as Record<string, unknown>;
  const fromEnv = applyEnv(input, options.env);

  const parsed = configFileSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      for (const { keyPath, message } of describeIssue(issue, input, secretKeys)) {
        problem(keyPath, message, fromEnv.get(formatPath(keyPath)));
      }
    }
  }
  if (located.length > 0 || !parsed.success) throw errorOf(located);

  const config = resolve(parsed.data, { file, cwd, env: options.env }, problem);
  if (located.length > 0) throw errorOf(located);
  return config;
}

interface Located {
  problem: ConfigProblem;
  /** Where in the file (for ordering: first in the file first); -1 for the environment. */
  offset: number;
}

function errorOf(located: Located[]): ConfigError {
  const sorted = located
    .map((entry, index) => ({ ...entry, index }))
    .sort((a, b) => a.offset - b.offset || a.index - b.index);
  return new ConfigError(sorted.map((entry) => entry.problem));
}

function envValue(env: LoadConfigOptions['env'], name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative)
    ? relative.split(path.sep).join('/')
    : file;
}

function readFailure(error: unknown): string {
  if (isInputError(error, 'too-large')) return error.detail;
  if (isInputError(error)) return readFailure(error.cause);
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** yaml's message without its " at line L, column C:" tail and code excerpt; lower-case start. */
function yamlReason(message: string): string {
  const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** Offset in the file of the node at keyPath, or of its nearest ancestor that exists. */
function locate(root: unknown, keyPath: KeyPath): number {
  let node = root as Node | null;
  let offset = node?.range?.[0] ?? 0;
  for (const key of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (!pair) break;
      const keyNode = pair.key as Node;
      offset = keyNode.range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

// --- secrets in the file ---------------------------------------------------------------

interface SecretKey {
  keyPath: KeyPath;
  envName: string;
}

const SECRET_KEY = /token|secret|password|passwd|api_?key|credential/i;

function secretEnvFor(keyPath: KeyPath, key: string): string {
  const section = keyPath.find(
    (k): k is string => typeof k === 'string' && /telegram|discord/i.test(k),
  );
  const platform = section ?? key;
  if (/discord/i.test(platform)) return SECRET_ENV.discordToken;
  if (/secret/i.test(key) && /telegram|webhook/i.test(`${platform} ${key}`)) {
    return SECRET_ENV.telegramWebhookSecret;
  }
  return SECRET_ENV.telegramBotToken;
}

/** Keys anywhere in the file that look like they hold a token or secret. */
function findSecretKeys(value: unknown, keyPath: KeyPath = []): SecretKey[] {
  const found: SecretKey[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      found.push(...findSecretKeys(item, [...keyPath, index]));
    });
  } else if (value && typeof value === 'object') {
    // The keys of `destinations` are destinations (telegram:@token_news), not settings.
    const named = keyPath.length === 1 && keyPath[0] === 'destinations';
    for (const [key, child] of Object.entries(value)) {
      if (!named && SECRET_KEY.test(key))
        found.push({ keyPath: [...keyPath, key], envName: secretEnvFor(keyPath, key) });
      else found.push(...findSecretKeys(child, [...keyPath, key]));
    }
  }
  return found;
}

// --- environment -----------------------------------------------------------------------

/** Environment variables that override a key of the file. */
const ENV_KEYS: readonly { name: string; keyPath: readonly string[]; number?: true }[] = [
  { name: 'LOG_LEVEL', keyPath: ['logLevel'] },
  { name: 'TELEGRAM_API_ROOT', keyPath: ['telegram', 'apiRoot'] },
  { name: 'TELEGRAM_WEBHOOK_URL', keyPath: ['telegram', 'webhookUrl'] },
  { name: 'DISCORD_API_ROOT', keyPath: ['discord', 'apiRoot'] },
  { name: 'DISCORD_GUILD_ID', keyPath: ['discord', 'guildId'] },
  { name: 'HTTP_PORT', keyPath: ['server', 'port'], number: true },
];

/** Every environment variable the configuration reads. */
export const CONFIG_ENV_VARS = [
  'BRIEFWIRE_CONFIG',
  'BRIEFWIRE_DATA_DIR',
  // Read by the store (src/store/open.ts): PostgreSQL instead of the data dir's file.
  'DATABASE_URL',
  ...ENV_KEYS.map((entry) => entry.name),
  ...Object.values(SECRET_ENV),
] as const;

/** Puts the environment's values into the raw file object; returns formatted key path → variable. */
function applyEnv(
  input: Record<string, unknown>,
  env: LoadConfigOptions['env'],
): Map<string, string> {
  const applied = new Map<string, string>();
  for (const entry of ENV_KEYS) {
    const text = envValue(env, entry.name);
    if (text === undefined) continue;
    const value = entry.number && /^\d+$/.test(text) ? Number(text) : text;
    let target = input;
    for (const key of entry.keyPath.slice(0, -1)) {
      const child = target[key];
      if (!child || typeof child !== 'object' || Array.isArray(child)) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[entry.keyPath[entry.keyPath.length - 1] as string] = value;
    applied.set(formatPath(entry.keyPath), entry.name);
  }
  return applied;
}

// --- zod issues → one-line messages ----------------------------------------------------

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  string: 'text',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

function valueAt(root: unknown, keyPath: KeyPath): unknown {
  let node = root;
  for (const key of keyPath) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  secretKeys: readonly SecretKey[],
): { keyPath: KeyPath; message: string }[] {
  const keyPath = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  const value = valueAt(input, keyPath);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(keyPath) ?? [];
      return issue.keys
        .filter(
          (key) => !secretKeys.some((s) => formatPath(s.keyPath) === formatPath([...keyPath, key])),
        )
        .map((key) => {
          const guess = closest(key, known);
          const hint = guess
            ? ` (did you mean ${guess}?)`
            : known.length > 0
              ? ` (known keys: ${known.join(', ')})`
              : '';
          return { keyPath: [...keyPath, key], message: `unknown key${hint}` };
        });
    }
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (value === undefined) return [{ keyPath, message: `missing: expected ${expected}` }];
      if (issue.expected === 'array' || issue.expected === 'object' || Array.isArray(value)) {
        return [{ keyPath, message: `expected ${expected}, got ${show(value)}` }];
      }
      return [{ keyPath, message: `${show(value)} is not ${expected}` }];
    }
    case 'invalid_value':
      return [
        {
          keyPath,
          message: `${show(value)} is not one of ${issue.values.map(String).join(', ')}`,
        },
      ];
    case 'too_small':
      if (issue.origin === 'string') return [{ keyPath, message: 'must not be empty' }];
      return [
        {
          keyPath,
          message: `${show(value)} is too small: the least is ${String(issue.minimum)}`,
        },
      ];
    case 'too_big':
      return [
        {
          keyPath,
          message: `${show(value)} is too large: the most is ${String(issue.maximum)}`,
        },
      ];
    case 'custom':
      return [{ keyPath, message: issue.message }];
    default:
      return [{ keyPath, message: `${show(value)} is not valid (${issue.message})` }];
  }
}

// --- resolution and cross-checks -------------------------------------------------------

interface ResolveContext {
  file: string;
  cwd: string;
  env: LoadConfigOptions['env'];
}

function resolveFeedUrl(raw: string, configDir: string): string {
  if (!/^file:/i.test(raw)) return new URL(raw).href;
  const rest = raw.slice('file:'.length);
  if (rest.startsWith('/')) return new URL(`file:${rest}`).href;
  return pathToFileURL(path.resolve(configDir, decodeURIComponent(rest))).href;
}

function resolve(
  data: ConfigFile,
  context: ResolveContext,
  problem: (keyPath: KeyPath, message: string, envName?: string) => void,
): Config {
  const configDir = path.dirname(context.file);
  const envDataDir = envValue(context.env, 'BRIEFWIRE_DATA_DIR');
  const dataDir = envDataDir
    ? path.resolve(context.cwd, envDataDir)
    : data.dataDir
      ? path.resolve(configDir, data.dataDir)
      : path.resolve(context.cwd, 'data');

  const polling: PollingConfig = {
    defaultIntervalMs: data.polling.defaultInterval,
    jitter: data.polling.jitter,
    maxConsecutiveFailures: data.polling.maxConsecutiveFailures,
    backoffBaseMs: data.polling.backoffBase,
    backoffMaxMs: data.polling.backoffMax,
    concurrency: data.polling.concurrency,
    maxNewItemsPerPoll: data.polling.maxNewItemsPerPoll,
    maxNewItemsPerHour: data.polling.maxNewItemsPerHour,
    quietAfterMs: data.polling.quietAfter === 'off' ? null : data.polling.quietAfter,
    warnAfterFailures: warnAfterFailures(
      data.polling.warnAfterFailures,
      data.polling.maxConsecutiveFailures,
    ),
  };
  const warnAt = data.polling.warnAfterFailures;
  if (typeof warnAt === 'number' && warnAt >= polling.maxConsecutiveFailures) {
    problem(
      ['polling', 'warnAfterFailures'],
      `${warnAt} is not less than polling.maxConsecutiveFailures (${polling.maxConsecutiveFailures}): the warning must come before the pause`,
    );
  }
  if (polling.backoffMaxMs < polling.backoffBaseMs) {
    problem(
      ['polling', 'backoffMax'],
      `${formatDuration(polling.backoffMaxMs)} is less than polling.backoffBase (${formatDuration(polling.backoffBaseMs)})`,
    );
  }
  if (polling.maxNewItemsPerHour < polling.maxNewItemsPerPoll) {
    problem(
      ['polling', 'maxNewItemsPerHour'],
      `${polling.maxNewItemsPerHour} is less than polling.maxNewItemsPerPoll (${polling.maxNewItemsPerPoll}): an hour holds at least one poll`,
    );
  }
  if (data.outbox.retryMax < data.outbox.retryBase) {
    problem(
      ['outbox', 'retryMax'],
      `${formatDuration(data.outbox.retryMax)} is less than outbox.retryBase (${formatDuration(data.outbox.retryBase)})`,
    );
  }

  const feeds: FeedConfig[] = [];
  const byUrl = new Map<string, number>();
  const byName = new Map<string, number>();
  const byRawUrl = new Map<string, number>();
  data.feeds.forEach((feed, index) => {
    const url = resolveFeedUrl(feed.url, configDir);
    const sameUrl = byUrl.get(url);
    if (sameUrl !== undefined) problem(['feeds', index, 'url'], `same feed as feeds[${sameUrl}]`);
    else byUrl.set(url, index);
    byRawUrl.set(feed.url, index);
    const name = feed.name ?? null;
    if (name !== null) {
      const sameName = byName.get(name.toLowerCase());
      if (sameName !== undefined) {
        problem(
          ['feeds', index, 'name'],
          `${show(name)} is already the name of feeds[${sameName}]`,
        );
      } else byName.set(name.toLowerCase(), index);
    }
    feeds.push({
      url,
      name,
      intervalMs: feed.interval ?? polling.defaultIntervalMs,
      languageHint: feed.languageHint ?? null,
      filters: feed.filters,
      firstPollPosts: feed.firstPollPosts,
      allowPrivate: feed.allowPrivate,
      enabled: feed.enabled,
      quietAfterMs: feed.quietAfter ?? null,
    });
  });

  const subscriptions: SubscriptionConfig[] = [];
  const seenSubscriptions = new Map<string, number>();
  data.subscriptions.forEach((subscription, index) => {
    const ref = subscription.feed;
    let feedIndex = byName.get(ref.toLowerCase()) ?? byRawUrl.get(ref);
    if (feedIndex === undefined && /^(?:https?|file):/i.test(ref)) {
      try {
        feedIndex = byUrl.get(resolveFeedUrl(ref, configDir));
      } catch {
        feedIndex = undefined;
      }
    }
    const feed = feedIndex === undefined ? undefined : feeds[feedIndex];
    if (!feed) {
      const names = feeds.map((f) => f.name).filter((n): n is string => n !== null);
      const guess = closest(ref, names);
      problem(
        ['subscriptions', index, 'feed'],
        `${show(ref)} is not the name or url of a feed in feeds${guess ? ` (did you mean ${guess}?)` : ''}`,
      );
      return;
    }
    const key = `${feed.url} ${subscription.destination}`;
    const same = seenSubscriptions.get(key);
    if (same !== undefined) {
      problem(['subscriptions', index], `same feed and destination as subscriptions[${same}]`);
      return;
    }
    seenSubscriptions.set(key, index);
    subscriptions.push({
      feedUrl: feed.url,
      destination: subscription.destination as Destination,
      filters: subscription.filters,
      template: subscription.template,
      media: subscription.media,
      preview: subscription.preview,
    });
  });

  const destinations: Partial<Record<Destination, DestinationOptions>> = {};
  for (const [key, options] of Object.entries(data.destinations)) {
    const destination = key.trim();
    if (!isDestination(destination)) {
      problem(['destinations', key], `${show(key)} is not ${DESTINATION_EXPECTED}`);
      continue;
    }
    destinations[destination] = {
      quietHours: options.quietHours ?? null,
      timezone: options.timezone,
      language: options.language,
    };
  }

  const env = context.env;
  return {
    file: context.file,
    dataDir,
    models: data.models ? path.resolve(configDir, data.models) : null,
    logLevel: data.logLevel,
    feeds,
    subscriptions,
    digests: data.digests.map((digest) => ({
      destination: digest.destination as Destination,
      cron: digest.cron,
      timezone: digest.timezone,
      maxBriefs: digest.maxBriefs,
    })),
    destinations,
    polling,
    outbox: {
      retryBaseMs: data.outbox.retryBase,
      retryMaxMs: data.outbox.retryMax,
      maxAttempts: data.outbox.maxAttempts,
    },
    prune: { keepDays: data.prune.keepDays },
    instances: {
      leaseMs: data.instances.lease,
      electionRetryMs: data.instances.electionRetry,
    },
    http: { ...data.http },
    server: { port: data.server.port ?? null, host: data.server.host },
    telegram: { apiRoot: data.telegram.apiRoot, webhookUrl: data.telegram.webhookUrl ?? null },
    discord: { apiRoot: data.discord.apiRoot ?? null, guildId: data.discord.guildId ?? null },
    secrets: new Secrets({
      telegramBotToken: envValue(env, SECRET_ENV.telegramBotToken) ?? null,
      telegramWebhookSecret: envValue(env, SECRET_ENV.telegramWebhookSecret) ?? null,
      discordToken: envValue(env, SECRET_ENV.discordToken) ?? null,
    }),
  };
}
