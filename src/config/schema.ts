/**
 * The shape of a config file, validated with zod. Every value that can be wrong carries its
 * own one-line message (what it got, what is expected); load.ts adds the file and key path.
 * Objects are strict, so a typo in a key is an error, not a silently ignored setting.
 */

import { isIP } from 'node:net';
import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { joinFilterTerms } from '../core/filters/filters.js';
import {
  CATALOGUE_LANGUAGES,
  type CatalogueLanguage,
  isCatalogueLanguage,
} from '../core/i18n/catalogue.js';
import { parseTemplate, TemplateError } from '../core/render/template.js';
import { tryParseDuration } from '../shared/duration.js';
import { closest } from '../shared/edit-distance.js';
import { show } from './errors.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const TEMPLATES = ['full', 'compact'] as const;
/** A built-in template's name, or a custom template's text (core/render/template.ts). */
export type Template = string;

/**
 * The languages a chat can choose (/lang, `destinations.*.language`): every one has all the
 * bot's words — replies, /help, command descriptions, notices, the brief's labels, dates and
 * digest headings (src/core/i18n).
 */
export const CHAT_LANGUAGES = CATALOGUE_LANGUAGES;
export type ChatLanguage = CatalogueLanguage;
export const isChatLanguage = isCatalogueLanguage;

/** The language of the bot's replies: since every reply is translated, any chat language. */
export const BOT_LANGUAGES = CHAT_LANGUAGES;
export type BotLanguage = ChatLanguage;
export const isBotLanguage = isChatLanguage;

export const ACTOR_KINDS = ['person', 'organization', 'country', 'place'] as const;

import type { Destination } from '../shared/destination.js';

export type { Destination } from '../shared/destination.js';

export interface ParsedDestination {
  platform: 'console' | 'telegram' | 'discord';
  /** The chat or channel id; null for the console. */
  id: string | null;
  /** The forum topic (Telegram message_thread_id) or thread (Discord channel id); else null. */
  topic: string | null;
}

const DESTINATION =
  /^(?:console|telegram:(?:-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})(?:\/\d{1,10})?|discord:\d{15,21}(?:\/\d{15,21})?)$/;

export function parseDestination(text: string): ParsedDestination | null {
  if (!DESTINATION.test(text)) return null;
  if (text === 'console') return { platform: 'console', id: null, topic: null };
  const colon = text.indexOf(':');
  const [id = '', topic] = text.slice(colon + 1).split('/');
  return { platform: text.slice(0, colon) as 'telegram' | 'discord', id, topic: topic ?? null };
}

/** The chat or channel a forum topic or thread is in (`telegram:-100…/42` → `telegram:-100…`); else null. */
export function parentDestination(destination: string): Destination | null {
  const parsed = parseDestination(destination);
  if (!parsed?.topic) return null;
  return `${parsed.platform as 'telegram' | 'discord'}:${parsed.id}`;
}

/** What a destination is to its users: a chat or channel, a forum topic, or a thread. */
export function destinationPlace(destination: string): 'chat' | 'topic' | 'thread' {
  const parsed = parseDestination(destination);
  if (!parsed?.topic) return 'chat';
  return parsed.platform === 'telegram' ? 'topic' : 'thread';
}

export function isDestination(text: string): text is Destination {
  return DESTINATION.test(text);
}

export const DESTINATION_EXPECTED =
  'a destination: console, telegram:<chat id>[/<topic id>] or discord:<channel id>[/<thread id>]';

/**
 * A value checked by `accept`, which returns the parsed value or null. Anything else (wrong
 * type included) gets one message: `<value> is not <expected>`, or `missing: expected ...`.
 */
function checked<T>(
  expected: string,
  accept: (text: string) => T | null,
  hint?: (value: unknown) => string | null,
) {
  return z.unknown().transform((value, ctx): T => {
    if (typeof value === 'string') {
      const out = accept(value.trim());
      if (out !== null) return out;
    }
    const extra = hint?.(value) ?? '';
    const message =
      value === undefined ? `missing: expected ${expected}` : `${show(value)} is not ${expected}`;
    ctx.issues.push({ code: 'custom', message: `${message}${extra}`, input: value });
    return z.NEVER;
  });
}

/** `15m`, `1h`, `90s`, `1d` → milliseconds; numbers without a unit are refused. */
export const durationSchema = checked('a duration like 5m, 1h', (text) => {
  const ms = tryParseDuration(text);
  return ms !== null && ms > 0 ? ms : null;
});

export const CRON_EXPECTED =
  'a cron expression like "0 7 * * *" (minute hour day-of-month month day-of-week)';

export const cronSchema = checked(CRON_EXPECTED, (text) => {
  const fields = text.split(/\s+/);
  if (fields.length < 5 || fields.length > 6) return null;
  return validateCron(text) ? fields.join(' ') : null;
});

let zoneNames: string[] | null = null;
function knownZones(): string[] {
  zoneNames ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  return zoneNames;
}

/** The canonical spelling of an IANA time zone (`europe/rome` → `Europe/Rome`), or null. */
export function canonicalTimeZone(text: string): string | null {
  // Intl also takes offsets such as +01:00; a named zone is asked for (offsets miss DST).
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(text)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export const timeZoneSchema = checked(
  'an IANA time zone like Europe/Rome',
  canonicalTimeZone,
  (value) => {
    if (typeof value !== 'string') return null;
    const guess = closest(value.trim(), knownZones());
    return guess ? ` (did you mean ${guess}?)` : null;
  },
);

export const destinationSchema = checked(DESTINATION_EXPECTED, (text) =>
  isDestination(text) ? text : null,
);

const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function httpUrl(text: string): string | null {
  if (!/^https?:\/\//i.test(text)) return null;
  try {
    const url = new URL(text);
    return url.hostname ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * A feed URL: `http(s)://…`, or a file: `file:///abs/feed.xml`, or `file:demo/feed.xml`
 * relative to the config file's folder. Kept as written here; load.ts resolves it.
 */
export const feedUrlSchema = checked(
  'an http, https or file URL',
  (text) => {
    if (/^https?:/i.test(text)) return httpUrl(text) ? text : null;
    if (!/^file:/i.test(text)) return null;
    const rest = text.slice('file:'.length);
    if (rest === '' || rest === '//' || rest === '///') return null;
    if (rest.startsWith('//')) {
      const host = rest.slice(2).split('/')[0] ?? '';
      if (host !== '' && host.toLowerCase() !== 'localhost') return null;
    }
    return text;
  },
  (value) => {
    if (typeof value !== 'string') return null;
    const text = value.trim();
    if (/^file:\/\/[^/]/i.test(text) && !/^file:\/\/localhost\//i.test(text)) {
      return `; for a path relative to the config file write file:${text.slice(7)}, for an absolute one file:///path`;
    }
    if (!HAS_SCHEME.test(text) && text !== '') {
      return `; write https://… or, for a file next to the config, file:${text}`;
    }
    return null;
  },
);

/** An http(s) address. */
export const httpUrlSchema = checked('an http or https URL', httpUrl);

/** The ports Telegram delivers webhook updates to. */
export const TELEGRAM_WEBHOOK_PORTS = ['443', '80', '88', '8443'] as const;

/**
 * Where Telegram posts updates: https only, a host, one of the ports it delivers to.
 * Checked here, at start-up, rather than left for setWebhook to refuse.
 */
export const webhookUrlSchema = checked(
  'an https URL Telegram can deliver to, like https://bot.example.org/telegram',
  (text) => {
    const href = httpUrl(text);
    if (href === null) return null;
    const url = new URL(href);
    const port = url.port === '' ? '443' : url.port;
    return url.protocol === 'https:' && (TELEGRAM_WEBHOOK_PORTS as readonly string[]).includes(port)
      ? href
      : null;
  },
  (value) => {
    if (typeof value !== 'string') return null;
    const text = value.trim();
    if (/^http:\/\//i.test(text)) return ': Telegram posts updates over https only';
    const port = /^https:\/\/[^/?#]*:(\d+)/i.exec(text)?.[1];
    if (port && !(TELEGRAM_WEBHOOK_PORTS as readonly string[]).includes(port)) {
      return `: Telegram posts only to ports 443, 80, 88 or 8443 (a proxy there passes updates on to HTTP_PORT)`;
    }
    return null;
  },
);

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** An address to listen on: an IP address (0.0.0.0, ::, 127.0.0.1) or a host name. */
export const listenHostSchema = checked(
  'an address to listen on, like 0.0.0.0 (every interface), 127.0.0.1 or ::',
  (text) => (isIP(text) !== 0 || HOSTNAME.test(text) ? text : null),
  (value) => {
    if (typeof value !== 'string') return null;
    const text = value.trim();
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return ' (a host, not a URL)';
    if (/:\d+$/.test(text) && isIP(text) === 0) return '; the port goes in server.port (HTTP_PORT)';
    return null;
  },
);

/** An http(s) base URL that paths are appended to: kept without a trailing slash. */
export const apiRootSchema = checked('an http or https URL', (text) =>
  httpUrl(text) ? text.replace(/\/+$/, '') : null,
);

/** `22:00-07:00` → minutes since midnight; the range may wrap past midnight. */
export const quietHoursSchema = checked('a time range like 22:00-07:00', (text) => {
  const match = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const [h1, m1, h2, m2] = match.slice(1).map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return null;
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  return start === end ? null : { startMinute: start, endMinute: end };
});

export const languageCodeSchema = checked('a two-letter language code like en, it', (text) =>
  /^[a-z]{2}$/i.test(text) ? text.toLowerCase() : null,
);

/** Said after "is not …" with the filter language's own reason (see filterSchema). */
export const FILTER_EXPECTED = 'a filter';

/**
 * One filter of a config list, read the way the scheduler reads it (joinFilterTerms: the
 * chat's filter language, an entry of several words a phrase), so the config takes
 * exactly what a chat's /filter takes (`lang:it,en`, `kind:people`, `north korea`).
 */
export function checkFilter(text: string): string | null {
  return filterProblem(text) === null ? text : null;
}

function filterProblem(text: string): string | null {
  return joinFilterTerms([text]).refused[0]?.reason ?? null;
}

export const filterSchema = checked(FILTER_EXPECTED, checkFilter, (value) =>
  typeof value === 'string' ? `: ${filterProblem(value.trim())}` : null,
);

/** A list that may also be written as an empty key (`filters:`). */
function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);
}

const count = (min: number, max: number) => z.number().int().min(min).max(max);

const HOUR_MS = 3_600_000;

/**
 * `polling.quietAfter`: `auto` (7 × the feed's usual gap between new items, at least 3 days),
 * `off`, or a duration of at least an hour. YAML 1.1 readers take a bare `off` for false.
 */
export const quietAfterSchema = z.preprocess(
  (value) => (value === false ? 'off' : value),
  checked(
    'auto, off or a duration of at least 1h like 3d, 36h',
    (text): number | 'auto' | 'off' | null => {
      if (text === 'auto' || text === 'off') return text;
      const ms = tryParseDuration(text);
      return ms !== null && ms >= HOUR_MS ? ms : null;
    },
  ),
);

/** `polling.warnAfterFailures`: `auto` (half of maxConsecutiveFailures), `off`, or a count. */
export const feedSchema = z.strictObject({
  url: feedUrlSchema,
  name: z.string().trim().min(1).nullish(),
  interval: durationSchema.nullish(),
  languageHint: languageCodeSchema.nullish(),
  filters: list(filterSchema),
  firstPollPosts: count(0, 1000).default(1),
  allowPrivate: z.boolean().default(false),
  enabled: z.boolean().default(true),
  quietAfter: quietAfterSchema.nullish(),
});

export const subscriptionSchema = z.strictObject({
  feed: z.string().trim().min(1),
  destination: destinationSchema,
  filters: list(filterSchema),
  template: z
    .string()
    .trim()
    .min(1)
    .default('full')
    .superRefine((value, ctx) => {
      if ((TEMPLATES as readonly string[]).includes(value)) return;
      if (!value.includes('{')) {
        ctx.addIssue({
          code: 'custom',
          message: `${show(value)} is neither full nor compact, nor a template with {placeholders}`,
        });
        return;
      }
      try {
        parseTemplate(value);
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        ctx.addIssue({ code: 'custom', message: `not a template: ${error.message}` });
      }
    }),
  media: z.boolean().default(true),
  preview: z.boolean().default(true),
});

export const digestSchema = z.strictObject({
  destination: destinationSchema,
  cron: cronSchema,
  timezone: timeZoneSchema.prefault('UTC'),
  maxBriefs: count(1, 100).default(10),
});

export const destinationOptionsSchema = z.strictObject({
  quietHours: quietHoursSchema.nullish(),
  timezone: timeZoneSchema.prefault('UTC'),
  language: z.enum(CHAT_LANGUAGES).default('en'),
});

export const warnAfterFailuresSchema = z
  .unknown()
  .transform((value, ctx): number | 'auto' | 'off' => {
    if (value === false || value === 'off') return 'off';
    if (value === 'auto') return 'auto';
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 10_000) {
      return value;
    }
    ctx.issues.push({
      code: 'custom',
      message: `${show(value)} is not auto, off or a whole number of failures from 1`,
      input: value,
    });
    return z.NEVER;
  });

export const pollingSchema = z.strictObject({
  defaultInterval: durationSchema.prefault('15m'),
  jitter: z.number().min(0).max(1).default(0.1),
  maxConsecutiveFailures: count(1, 10_000).default(10),
  backoffBase: durationSchema.prefault('1m'),
  backoffMax: durationSchema.prefault('6h'),
  concurrency: count(1, 1024).default(8),
  maxNewItemsPerPoll: count(1, 10_000).default(25),
  maxNewItemsPerHour: count(1, 100_000).default(100),
  quietAfter: quietAfterSchema.default('auto'),
  warnAfterFailures: warnAfterFailuresSchema.default('auto'),
});

export const outboxSchema = z.strictObject({
  retryBase: durationSchema.prefault('5s'),
  retryMax: durationSchema.prefault('15m'),
  maxAttempts: count(1, 1000).default(10),
});

/** Several `briefwire run` sharing one PostgreSQL store (README: Several instances). */
export const instancesSchema = z.strictObject({
  /** How long an instance's claim on a feed or a chat's queue lasts unless renewed. */
  lease: durationSchema.prefault('2m'),
  /** How often a standby instance asks to take Telegram's updates over. */
  electionRetry: durationSchema.prefault('5s'),
});

export const pruneSchema = z.strictObject({
  keepDays: count(1, 36_500).default(30),
});

export const DEFAULT_USER_AGENT = 'briefwire/0.1 (+https://github.com/briefwire)';

export const httpSchema = z.strictObject({
  timeoutMs: count(100, 600_000).default(15_000),
  maxBytes: count(1024, 1024 * 1024 * 1024).default(10 * 1024 * 1024),
  maxRedirects: count(0, 20).default(5),
  userAgent: z.string().trim().min(1).default(DEFAULT_USER_AGENT),
});

export const serverSchema = z.strictObject({
  port: count(0, 65_535).nullish(),
  host: listenHostSchema.prefault('0.0.0.0'),
});

export const DEFAULT_TELEGRAM_API_ROOT = 'https://api.telegram.org';

export const telegramSchema = z.strictObject({
  apiRoot: apiRootSchema.prefault(DEFAULT_TELEGRAM_API_ROOT),
  webhookUrl: webhookUrlSchema.nullish(),
});

export const discordSchema = z.strictObject({
  apiRoot: apiRootSchema.nullish(),
  guildId: checked(
    'a Discord id (a snowflake, 15 to 21 digits)',
    (text) => (/^\d{15,21}$/.test(text) ? text : null),
    (value) =>
      typeof value === 'number' ? '; quote it ("…") so that YAML keeps every digit' : null,
  ).nullish(),
});

/** A whole config file. Sections may be left out (or empty): everything has a default. */
export const configFileSchema = z.strictObject({
  dataDir: z.string().trim().min(1).nullish(),
  /** A folder of entity models (<lang>.bwnr, as `npm run train` writes); default the shipped ones. */
  models: z.string().trim().min(1).nullish(),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  feeds: list(feedSchema),
  subscriptions: list(subscriptionSchema),
  digests: list(digestSchema),
  destinations: z
    .record(z.string(), destinationOptionsSchema)
    .nullish()
    .transform((v) => v ?? {}),
  polling: pollingSchema.nullish().transform((v) => v ?? pollingSchema.parse({})),
  outbox: outboxSchema.nullish().transform((v) => v ?? outboxSchema.parse({})),
  prune: pruneSchema.nullish().transform((v) => v ?? pruneSchema.parse({})),
  instances: instancesSchema.nullish().transform((v) => v ?? instancesSchema.parse({})),
  http: httpSchema.nullish().transform((v) => v ?? httpSchema.parse({})),
  server: serverSchema.nullish().transform((v) => v ?? serverSchema.parse({})),
  telegram: telegramSchema.nullish().transform((v) => v ?? telegramSchema.parse({})),
  discord: discordSchema.nullish().transform((v) => v ?? discordSchema.parse({})),
});

export type ConfigFile = z.output<typeof configFileSchema>;

/** The keys a mapping at `path` of a config file may have, or null when `path` is no mapping. */
export function keysAt(path: readonly (string | number)[]): string[] | null {
  let node: unknown = configFileSchema;
  let rest = [...path];
  for (;;) {
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return null;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
        node = def.innerType;
        continue;
      case 'pipe':
        node = def.in;
        continue;
      case 'array':
        if (typeof rest[0] !== 'number') return null;
        rest = rest.slice(1);
        node = def.element;
        continue;
      case 'record':
        if (rest.length === 0) return null;
        rest = rest.slice(1);
        node = def.valueType;
        continue;
      case 'object': {
        const shape = def.shape as Record<string, unknown>;
        if (rest.length === 0) return Object.keys(shape);
        const key = rest[0];
        if (typeof key !== 'string' || !(key in shape)) return null;
        rest = rest.slice(1);
        node = shape[key];
        continue;
      }
      default:
        return null;
    }
  }
}
