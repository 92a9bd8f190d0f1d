/**
 * The running bot's log: one line per event, `[level] message`, on the error output (the
 * standard output carries briefs and replies), at or above the config's `logLevel`.
 */
import type { LogLevel } from '../config/index.js';
import type { Log } from '../scheduler/log.js';

const RANK: Readonly<Record<LogLevel, number>> = {
  trace: 0,
  debug: 1,
  info: 2,
  warn: 3,
  error: 4,
  fatal: 5,
  silent: 6,
};

/**
 * A Log that writes the lines at `level` and above; `write` gets each line with its newline.
 * Every `secrets` value (tokens, webhook secrets) is replaced by [redacted] wherever it
 * appears in a line — a request URL inside an error message included.
 */
export function createLog(
  level: LogLevel,
  write: (line: string) => void,
  secrets: readonly string[] = [],
): Log {
  // As written, and as a URL would carry it (a token's ':' becomes %3A).
  const hidden = [
    ...new Set(secrets.flatMap((secret) => [secret, encodeURIComponent(secret)])),
  ].filter((secret) => secret.length >= 4);
  const redact = (text: string): string =>
    hidden.reduce((line, secret) => line.split(secret).join('[redacted]'), text);
  const at =
    (name: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string): void => {
      if (RANK[name] >= RANK[level]) write(redact(`[${name}] ${message}\n`));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
