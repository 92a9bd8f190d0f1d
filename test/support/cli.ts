import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The project root and the built command, as a user runs it after `npm ci`. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `briefwire ARGS` with `stdin` piped in, and collects what it printed. */
export async function runCli(
  args: string[],
  options: { stdin?: string | Uint8Array; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  const running = startCli(args, 'pipe', options.env, options.stdin);
  const code = await running.exited;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}

/** A failure as the user sees it: status 1, nothing on stdout, one line on stderr. */
export function expectOneLineError(result: Run, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^briefwire: [^\n]+\n$/);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+|Error:|node:internal/);
}

/** A `briefwire ARGS` process left running: what it printed so far, and a way to stop it. */
export interface RunningCli {
  stdout(): string;
  stderr(): string;
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code when the process ends by itself. */
  exited: Promise<number | null>;
}

/** Starts `briefwire ARGS` with stdin closed, as a service manager or Docker would. */
export function spawnCli(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): RunningCli {
  return startCli(args, 'ignore', options.env);
}

/** Starts `node SCRIPT ARGS` (a test's own entry to the built modules), as spawnCli does. */
export function spawnScript(
  script: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): RunningCli {
  return startCli(args, 'ignore', options.env, '', script);
}

/** The built command (or another script) as a child process, collecting what it prints. */
function startCli(
  args: string[],
  stdin: 'pipe' | 'ignore',
  env: NodeJS.ProcessEnv = process.env,
  input: string | Uint8Array = '',
  script: string = CLI,
): RunningCli {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    env,
    stdio: [stdin, 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  if (child.stdin) {
    // The command may stop reading early (an input over the limit): that is not our error.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  }
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The port `briefwire run`'s HTTP server took (HTTP_PORT=0), read from its log. */
export async function httpPortOf(bot: RunningCli): Promise<number> {
  for (let waited = 0; waited < 15_000; waited += 20) {
    const m = /http: listening on 127\.0\.0\.1:(\d+)/.exec(bot.stderr());
    if (m?.[1]) return Number(m[1]);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no HTTP server: ${bot.stderr()}`);
}
