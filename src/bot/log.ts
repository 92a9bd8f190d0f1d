/**
 * The running bot's log, on pino: one JSON object per line (`{"level":"warn","time":…,
 * "msg":…}`) for log collectors, or pretty coloured lines when it goes to a terminal. It is
 * written to the error output (the standard output carries briefs and replies), at or above
 * the config's `logLevel`.
 *
 * Every secret value (tokens, webhook secrets) is replaced by [redacted] wherever it
 * appears in a message — a request URL inside an error message included — before pino
 * sees it, so no format or transport can leak one. Control characters go too: a message
 * may quote a feed, and pretty lines go to a terminal.
 */
import { createRequire } from 'node:module';
import pino from 'pino';
import type * as PinoPretty from 'pino-pretty';
import type { LogLevel } from '../config/index.js';
import { terminalText } from '../core/render/index.js';
import type { Log } from '../shared/log.js';

export interface LogOptions {
  /** Values never to show. */
  secrets?: readonly string[];
  /** Human-readable lines (a terminal) instead of JSON. */
  pretty?: boolean;
}

/** A Log that writes the lines at `level` and above; `write` gets each line with its newline. */
export function createLog(
  level: LogLevel,
  write: (line: string) => void,
  options: LogOptions = {},
): Log {
  const hide = redactor(options.secrets ?? []);
  // Messages name feeds and quote their servers: no escape sequence reaches a terminal.
  const redact = (message: string): string => terminalText(hide(message));
  const destination = options.pretty ? prettyDestination(write) : { write };
  const logger = pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return {
    debug: (message) => logger.debug(redact(message)),
    info: (message) => logger.info(redact(message)),
    warn: (message) => logger.warn(redact(message)),
    error: (message) => logger.error(redact(message)),
  };
}

/** Replaces each secret, as written and as a URL would carry it (a token's ':' as %3A). */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const hidden = [...new Set(secrets.flatMap((secret) => [secret, encodeURIComponent(secret)]))]
    .filter((secret) => secret.length >= 4)
    // The longer first, so a secret inside another leaves no tail behind.
    .sort((a, b) => b.length - a.length);
  if (hidden.length === 0) return (text) => text;
  return (text) => hidden.reduce((line, secret) => line.split(secret).join('[redacted]'), text);
}

function prettyDestination(write: (line: string) => void): { write(line: string): void } {
  // Loaded only for a terminal: a service writing JSON never pays for it.
  let prettify: ((line: string) => string) | null = null;
  return {
    write: (line) => {
      prettify ??= prettyFormatter();
      write(prettify(line));
    },
  };
}

function prettyFormatter(): (line: string) => string {
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return prettyFactory({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    levelKey: 'level',
  }) as (line: string) => string;
}
