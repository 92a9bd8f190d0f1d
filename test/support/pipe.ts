import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** A writer that feeds a named pipe from another process (a sync reader blocks this one). */
const WRITER = `
const fs = require('node:fs');
const fd = fs.openSync(process.argv[1], 'w');
const chunk = Buffer.alloc(64 * 1024, 'x');
let left = Number(process.argv[2]);
try {
  while (left > 0) left -= fs.writeSync(fd, chunk, 0, Math.min(left, chunk.length));
} catch (error) {
  process.exit(error.code === 'EPIPE' ? 3 : 4);
}
process.exit(0);
`;

export interface FeedingPipe {
  path: string;
  /** True when every byte was written; false when the reader closed the pipe first. */
  finished: Promise<boolean>;
}

/**
 * A named pipe (mkfifo) in `dir` that another process fills with `bytes` bytes of `x`,
 * as fast as it is read: a file with no size up front, like a device, that ends only
 * after far more than any cap. Call it inside a test: the writer is killed after it.
 */
export function feedingPipe(dir: string, name: string, bytes: number): FeedingPipe {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  const writer = spawn(process.execPath, ['-e', WRITER, path, String(bytes)], {
    stdio: 'ignore',
  });
  onTestFinished(() => {
    if (writer.exitCode === null) writer.kill();
  });
  const finished = new Promise<boolean>((resolve, reject) => {
    writer.once('error', reject);
    writer.once('exit', (code) => resolve(code === 0));
  });
  return { path, finished };
}
