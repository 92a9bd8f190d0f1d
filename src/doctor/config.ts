import { type Config, ConfigError, loadConfig } from '../config/index.js';
import { shownPath } from '../store/file.js';
import { type CheckRow, row } from './types.js';

export interface ConfigCheck {
  row: CheckRow;
  /** Null when the config cannot be used: the checks that need it are skipped. */
  config: Config | null;
}

/** Loads and validates the config as `briefwire run` does; a ConfigError is the row's problem. */
export function checkConfig(options: {
  file: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}): ConfigCheck {
  try {
    const config = loadConfig({
      ...(options.file !== undefined ? { file: options.file } : {}),
      env: options.env,
      cwd: options.cwd,
    });
    const counts = [
      count(config.feeds.length, 'feed'),
      count(config.subscriptions.length, 'subscription'),
      count(config.digests.length, 'digest'),
    ];
    return {
      row: row('config', 'ok', `${shownPath(config.file, options.cwd)}: ${counts.join(', ')}`),
      config,
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { row: row('config', 'fail', error.message, configFix(error)), config: null };
  }
}

function configFix(error: ConfigError): string {
  const source = error.source;
  if (source.startsWith('environment ')) {
    return `correct or unset ${source.slice('environment '.length)} in the environment`;
  }
  if (/cannot read the config file/.test(error.message)) {
    return 'name an existing file with --config FILE or BRIEFWIRE_CONFIG';
  }
  const file = source.replace(/:\d+:\d+$/, '');
  const where = error.path ? `${error.path} in ${file}` : file;
  return `edit ${where} (config/default.yaml explains every key)`;
}

export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
