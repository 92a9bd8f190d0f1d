/**
 * `briefwire doctor`: every check in order — the config, the data dir, the store, each chat
 * platform whose token is set, each feed of the config — as rows with a status, what was
 * found and what to do. The network checks run at the same time; nothing is changed.
 */
import { SECRET_ENV } from '../config/secrets.js';
import { errorLine } from '../shared/log.js';
import { checkConfig } from './config.js';
import { checkConfiguredStore, checkDataDir } from './data.js';
import { checkDiscord } from './discord.js';
import { checkFeeds, type FeedCheckOptions } from './feeds.js';
import { cleanRows } from './format.js';
import { checkTelegram } from './telegram.js';
import { type CheckRow, row } from './types.js';

export interface DoctorOptions extends FeedCheckOptions {
  /** `--config FILE`; else BRIEFWIRE_CONFIG; else config/default.yaml. */
  configFile?: string | undefined;
  /** Usually process.env: overrides and tokens. */
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths on the command line and in the environment; default process.cwd(). */
  cwd?: string | undefined;
}

/** The rows of the report, each on one line, no secret in any of them. */
export async function runDoctor(options: DoctorOptions): Promise<CheckRow[]> {
  const cwd = options.cwd ?? process.cwd();
  const secrets: (string | null)[] = Object.values(SECRET_ENV).map(
    (name) => options.env[name]?.trim() || null,
  );
  const rows: CheckRow[] = [];
  const { row: configRow, config } = checkConfig({
    file: options.configFile,
    env: options.env,
    cwd,
  });
  rows.push(configRow);
  if (config === null) {
    for (const check of ['data dir', 'store', 'telegram', 'discord', 'feeds']) {
      rows.push(row(check, 'skip', 'needs a config that loads'));
    }
    return cleanRows(rows, secrets);
  }
  secrets.push(...config.secrets.values());

  rows.push(await guarded('data dir', () => checkDataDir(config.dataDir, cwd)));
  rows.push(await guarded('store', () => checkConfiguredStore(options.env, config.dataDir, cwd)));
  const remote = await Promise.all([
    guardedRows('telegram', () => checkTelegram(config)),
    guardedRows('discord', () => checkDiscord(config)),
    guardedRows('feeds', () => checkFeeds(config, options)),
  ]);
  rows.push(...remote.flat());
  return cleanRows(rows, secrets);
}

/** A check that throws (a bug, not a finding) still gets its row, and the others run. */
async function guarded(check: string, work: () => Promise<CheckRow>): Promise<CheckRow> {
  try {
    return await work();
  } catch (error) {
    return row(check, 'fail', `unexpected error: ${errorLine(error)}`);
  }
}

async function guardedRows(check: string, work: () => Promise<CheckRow[]>): Promise<CheckRow[]> {
  try {
    return await work();
  } catch (error) {
    return [row(check, 'fail', `unexpected error: ${errorLine(error)}`)];
  }
}
