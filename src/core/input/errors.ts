/** Why an input could not become an Article. */
export type InputErrorCode =
  | 'empty'
  | 'binary'
  | 'too-large'
  | 'unreadable'
  | 'unreachable'
  | 'not-an-article'
  | 'bad-url'
  /** HTML nested too deep or with too many elements, or that took too long to read. */
  | 'too-complex';

export const INPUT_ERROR_CODES: readonly InputErrorCode[] = [
  'empty',
  'binary',
  'too-large',
  'unreadable',
  'unreachable',
  'not-an-article',
  'bad-url',
  'too-complex',
];

/**
 * An input the user gave cannot be turned into an Article. The message is one line a
 * user can act on, prefixed with what was read: `input.pdf: looks like binary data (PDF),
 * not an article`.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly code: InputErrorCode;
  /** The file path, URL or `stdin` the message is about. */
  readonly source: string;
  /** The message without the source prefix. */
  readonly detail: string;

  constructor(code: InputErrorCode, source: string, detail: string, options?: { cause?: unknown }) {
    const where = oneLine(source) || 'input';
    const what = oneLine(detail);
    super(`${where}: ${what}`, options);
    this.code = code;
    this.source = where;
    this.detail = what;
  }
}

export function isInputError(error: unknown, code?: InputErrorCode): error is InputError {
  return error instanceof InputError && (code === undefined || error.code === code);
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** `5 MiB`, `1.5 KiB`, `812 bytes`: sizes in messages. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = Number.isInteger(value) || value >= 100 ? Math.round(value) : value.toFixed(1);
  return `${shown} ${units[unit]}`;
}
