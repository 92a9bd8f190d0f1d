/**
 * The options of a `briefwire` command, read with Node's parseArgs. Its errors are worded for
 * Node's own users (and one of them leaves a quote open); here each becomes one line naming
 * the command and what to write instead, with a "did you mean" for a misspelt option, as
 * chat commands have.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { closest } from './shared/edit-distance.js';

/** A command line that cannot be read: one line for the user, exit status 1. */
export class ArgsError extends Error {
  override readonly name = 'ArgsError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** What the usage calls the value of an option that takes one. */
const VALUE_NAMES: Readonly<Record<string, string>> = { config: 'FILE' };

/** `--config FILE`, `--json`: how the usage writes an option. */
function shown(name: string, option: Options[string]): string {
  return option.type === 'string' ? `--${name} ${VALUE_NAMES[name] ?? 'VALUE'}` : `--${name}`;
}

/** The option meant by a misspelt or shortened one (`--jsn`, `--conf`), if one stands out. */
function meant(typed: string, names: readonly string[]): string | null {
  const longer = names.filter((name) => typed !== '' && name.startsWith(typed));
  return longer.length === 1 ? (longer[0] ?? null) : closest(typed, names);
}

function known(options: Options): string {
  const names = Object.entries(options).map(([name, option]) => shown(name, option));
  return names.length === 0 ? 'no options' : names.join(', ');
}

/** The option a parseArgs message quotes: `'--jsn'`, `'-c, --config <value>'` → `--config`. */
function quotedOption(message: string): string {
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  return /--[^\s<]+/.exec(quoted)?.[0] ?? quoted.split(/[\s,]/)[0] ?? quoted;
}

function explain(command: string, options: Options, error: Error & { code?: string }): string {
  const option = quotedOption(error.message);
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const name = option.replace(/^-+/, '').split('=')[0] ?? '';
      const long = Object.keys(options);
      const guess = option.startsWith('--') ? meant(name, long) : null;
      return guess
        ? `${command}: unknown option ${option} (did you mean --${guess}?)`
        : `${command}: unknown option ${option} (it takes ${known(options)})`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = option.replace(/^-+/, '');
      const spec = options[name];
      return spec?.type === 'string'
        ? `${command}: ${option} needs a value: ${shown(name, spec)}`
        : `${command}: ${option} takes no value`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `${command} takes no arguments, only options: ${known(options)} (not ${JSON.stringify(option)})`;
    default:
      return `${command}: ${error.message.split('\n')[0]}`;
  }
}

/**
 * parseArgs over `args` for `command` (as the user typed it: `brief`, `feed check`); throws
 * an ArgsError for options it does not take, a value missing or one given to a flag.
 */
export function readArgs<T extends ParseArgsConfig>(
  command: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new ArgsError(explain(command, config.options ?? {}, error as Error));
    }
    throw error;
  }
}
