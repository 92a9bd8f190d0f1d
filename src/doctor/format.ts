/** The doctor's report: an aligned table for people, or JSON for scripts; secrets never shown. */
import type { CheckRow, Status } from './types.js';

/**
 * Replaces each secret, as written and as a URL carries it (a token's ':' as %3A), with
 * `[redacted]`: whatever a client library or a server put in an error message.
 */
export function redactor(
  secrets: readonly (string | null | undefined)[],
): (text: string) => string {
  const hidden = [
    ...new Set(
      secrets
        .filter((s): s is string => typeof s === 'string')
        .flatMap((secret) => [secret, encodeURIComponent(secret)]),
    ),
  ]
    .filter((secret) => secret.length >= 4)
    // The longer first, so a secret inside another leaves no tail behind.
    .sort((a, b) => b.length - a.length);
  return (text) => hidden.reduce((line, secret) => line.split(secret).join('[redacted]'), text);
}

/** One line, without the control and bidi characters a feed title could use on a terminal. */
export function oneLine(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Every field on one line and every secret hidden. */
export function cleanRows(
  rows: readonly CheckRow[],
  secrets: readonly (string | null)[],
): CheckRow[] {
  const redact = redactor(secrets);
  const clean = (text: string): string => redact(oneLine(text));
  return rows.map((r) => ({
    check: clean(r.check),
    status: r.status,
    detail: clean(r.detail),
    fix: r.fix === null ? null : clean(r.fix),
  }));
}

const HEADERS = ['CHECK', 'STATUS', 'DETAIL', 'FIX'] as const;

/** `CHECK  STATUS  DETAIL  FIX` and a row per check, columns aligned, then a summary line. */
export function formatTable(rows: readonly CheckRow[]): string {
  const cells = rows.map((r) => [r.check, r.status, r.detail, r.fix ?? '']);
  const widths = HEADERS.map((header, k) =>
    Math.max(header.length, ...cells.map((line) => [...(line[k] ?? '')].length)),
  );
  const line = (values: readonly string[]): string =>
    values
      .map((value, k) => (k === values.length - 1 ? value : pad(value, widths[k] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(HEADERS), ...cells.map(line), '', summary(rows)].join('\n')}\n`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

/** `1 failed, 1 warning, 5 ok, 2 skipped`. */
export function summary(rows: readonly CheckRow[]): string {
  const count = (status: Status): number => rows.filter((r) => r.status === status).length;
  const parts: string[] = [];
  const failed = count('fail');
  const warnings = count('warn');
  if (failed > 0) parts.push(`${failed} failed`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  parts.push(`${count('ok')} ok`);
  const skipped = count('skip');
  if (skipped > 0) parts.push(`${skipped} skipped`);
  return parts.join(', ');
}

export function formatJson(rows: readonly CheckRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}
