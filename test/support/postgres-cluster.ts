/**
 * A throwaway PostgreSQL server of a test's own (initdb, pg_ctl from Debian's packages, as
 * .ci/run starts the suite's), for what the shared server of TEST_DATABASE_URL must not
 * suffer: being stopped and started again mid-run. Loopback only, trust auth, no fsync.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

/** The newest PostgreSQL's bin folder, or null when none is installed. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  return newest === undefined ? null : path.join(root, newest, 'bin');
}

export interface PostgresCluster {
  url: string;
  port: number;
  stop(): void;
  start(): void;
  /** Stops it and removes its files. */
  destroy(): void;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** initdb and start; as root the cluster belongs to the postgres user (initdb refuses root). */
export async function startCluster(bin: string): Promise<PostgresCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'briefwire-pg-'));
  const root = userInfo().uid === 0;
  const as = (command: string, args: string[]): void => {
    const [file, all] = root
      ? ['runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args]]
      : [path.join(bin, command), args];
    execFileSync(file, all, { stdio: 'ignore' });
  };
  if (root) {
    const { uid, gid } = userInfoOf('postgres');
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const data = path.join(dir, 'data');
  as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = (): void =>
    as('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      'start',
      '-o',
      options,
    ]);
  const stop = (): void => as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  as('psql', [
    '-h',
    dir,
    '-p',
    String(port),
    '-U',
    'postgres',
    '-q',
    '-c',
    'CREATE DATABASE news',
    'postgres',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/news`,
    port,
    start,
    stop,
    destroy: () => {
      try {
        stop();
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function userInfoOf(name: string): { uid: number; gid: number } {
  const line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' });
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
