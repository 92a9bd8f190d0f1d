import { readArgs } from '../cli-args.js';
import { formatJson, formatTable } from './format.js';
import { runDoctor } from './run.js';

export { STORE_FILE, storeFile } from '../store/file.js';
export { formatJson, formatTable, redactor, summary } from './format.js';
export { type DoctorOptions, runDoctor } from './run.js';
export { type CheckRow, STATUSES, type Status } from './types.js';

export interface DoctorIO {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
}

const processIO: DoctorIO = {
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
};

/**
 * `briefwire doctor [--config FILE] [--json]`: the table (or a JSON array) of checks on
 * stdout; exit status 0 when none failed, 1 otherwise. Bad options throw an ArgsError,
 * printed by the command as one line.
 */
export async function doctorCommand(args: string[], io: DoctorIO = processIO): Promise<number> {
  const { values } = readArgs('doctor', {
    args,
    options: {
      config: { type: 'string', short: 'c' },
      json: { type: 'boolean', default: false },
    },
  });
  const rows = await runDoctor({ configFile: values.config, env: io.env });
  io.stdout(values.json ? formatJson(rows) : formatTable(rows));
  return rows.some((r) => r.status === 'fail') ? 1 : 0;
}
