/** Config errors: one line each, naming where (file or environment variable), the key path and what is expected. */

export type KeyPath = readonly (string | number)[];

/** One thing wrong with the configuration. */
export interface ConfigProblem {
  /** The file as shown (relative to the working directory when inside it), or `environment X`. */
  source: string;
  /** The key path as written in messages: `feeds[2].interval`; empty for the whole file. */
  path: string;
  /** What is wrong and what is expected: `"5 minuts" is not a duration like 5m, 1h`. */
  message: string;
}

export function formatProblem(problem: ConfigProblem): string {
  return problem.path
    ? `${problem.source}: ${problem.path}: ${problem.message}`
    : `${problem.source}: ${problem.message}`;
}

/**
 * The configuration cannot be used. `message` is one line for the first problem, with
 * "(and N more)" when there are others; `problems` holds all of them.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const [first, ...rest] = problems;
    if (!first) throw new TypeError('ConfigError needs at least one problem');
    const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
    super(`${formatProblem(first)}${more}`);
    this.problems = problems;
  }

  /** The file or environment variable of the first problem. */
  get source(): string {
    return this.problems[0]?.source ?? '';
  }

  /** The key path of the first problem (empty when it concerns the whole file). */
  get path(): string {
    return this.problems[0]?.path ?? '';
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['feeds', 2, 'interval']` → `feeds[2].interval`; odd keys are quoted: `destinations["telegram:-1"]`. */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (IDENTIFIER.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** A value as a message shows it: strings quoted (and cut when long), lists and mappings by kind. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    const cut = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(cut);
  }
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
