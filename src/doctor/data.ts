/** The data dir (exists or can be created, writable, room left) and the store in it. */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, stat, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from '../core/input/errors.js';
import { StoreUrlError } from '../store/errors.js';
import { fsCode, fsReason, shownPath } from '../store/file.js';
import {
  openStoreMaintenance,
  parseStoreUrl,
  type StoreLocation,
  storeLocation,
} from '../store/open.js';
import type { StoreHealth } from '../store/port.js';
import { count } from './config.js';
import { type CheckRow, row } from './types.js';

const CHECK_DIR = 'data dir';
const CHECK_STORE = 'store';
const DATABASE_URL_FIX =
  'set DATABASE_URL to postgres://USER:PASSWORD@HOST:PORT/DATABASE, or unset it to use the SQLite file in the data dir';
const DATA_DIR_FIX =
  'point dataDir (config) or BRIEFWIRE_DATA_DIR at a folder the bot may write in';
/** Below this, a warning: the store grows with every brief. */
const LOW_SPACE_BYTES = 100 * 1024 * 1024;

export async function checkDataDir(dataDir: string, cwd: string): Promise<CheckRow> {
  const shown = shownPath(dataDir, cwd);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(dataDir);
  } catch (error) {
    const code = fsCode(error);
    if (code === 'ENOENT') return creatable(dataDir, shown);
    if (code === 'ENOTDIR') {
      return row(CHECK_DIR, 'fail', `${shown}: a file is in the way of the folder`, DATA_DIR_FIX);
    }
    return row(CHECK_DIR, 'fail', `${shown}: ${fsReason(error)}`, DATA_DIR_FIX);
  }
  if (!info.isDirectory()) {
    return row(CHECK_DIR, 'fail', `${shown} is a file, not a folder`, DATA_DIR_FIX);
  }
  // Permissions say little (ACLs, read-only mounts, a full disk): write a file and remove it.
  const probe = path.join(
    dataDir,
    `.briefwire-doctor-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  try {
    const handle = await open(probe, 'wx');
    try {
      await handle.write('briefwire doctor\n');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const fix =
      fsCode(error) === 'ENOSPC'
        ? `free some disk space on the disk of ${shown}`
        : `give the bot's user write access to ${shown}, or ${DATA_DIR_FIX}`;
    return row(CHECK_DIR, 'fail', `cannot write in ${shown}: ${fsReason(error)}`, fix);
  } finally {
    await unlink(probe).catch(() => undefined);
  }
  const free = await freeBytes(dataDir);
  if (free !== null && free < LOW_SPACE_BYTES) {
    return row(
      CHECK_DIR,
      'warn',
      `${shown}: writable, but only ${formatBytes(free)} free`,
      `free some disk space on the disk of ${shown}`,
    );
  }
  const room = free === null ? '' : `, ${formatBytes(free)} free`;
  return row(CHECK_DIR, 'ok', `${shown}: writable${room}`);
}

/** A data dir that does not exist yet: fine if the bot can create it at start. */
async function creatable(dataDir: string, shown: string): Promise<CheckRow> {
  let parent = path.dirname(dataDir);
  for (;;) {
    try {
      const info = await stat(parent);
      if (!info.isDirectory()) {
        return row(
          CHECK_DIR,
          'fail',
          `${shown}: ${shownPath(parent)} is a file, not a folder`,
          DATA_DIR_FIX,
        );
      }
      break;
    } catch (error) {
      const next = path.dirname(parent);
      if (fsCode(error) !== 'ENOENT' || next === parent) {
        return row(CHECK_DIR, 'fail', `${shown}: ${fsReason(error)}`, DATA_DIR_FIX);
      }
      parent = next;
    }
  }
  try {
    await access(parent, constants.W_OK | constants.X_OK);
  } catch (error) {
    return row(
      CHECK_DIR,
      'fail',
      `${shown} does not exist and cannot be created: ${shownPath(parent)}: ${fsReason(error)}`,
      `create ${shown} for the bot's user, or ${DATA_DIR_FIX}`,
    );
  }
  return row(CHECK_DIR, 'ok', `${shown} does not exist yet: the bot creates it at start`);
}

async function freeBytes(dir: string): Promise<number | null> {
  try {
    const info = await statfs(dir);
    return Number(info.bavail) * Number(info.bsize);
  } catch {
    return null;
  }
}

/**
 * The store, through its maintenance port: what the bot checks at start (a SQLite file's
 * header and `PRAGMA quick_check`; a PostgreSQL server that answers), its schema version one
 * this briefwire knows (older is migrated at the next start), and what it holds. Nothing is
 * created, migrated or changed, and it works while the bot runs.
 */
/** The store the bot would open with this environment (DATABASE_URL, else the data dir's file). */
export async function checkConfiguredStore(
  env: Readonly<Record<string, string | undefined>>,
  dataDir: string,
  cwd: string,
): Promise<CheckRow> {
  let location: StoreLocation;
  try {
    location = storeLocation(env, dataDir, cwd);
  } catch (error) {
    if (!(error instanceof StoreUrlError)) throw error;
    return row(CHECK_STORE, 'fail', error.message, DATABASE_URL_FIX);
  }
  return checkStore(location, cwd);
}

export async function checkStore(where: StoreLocation | string, cwd: string): Promise<CheckRow> {
  const location = typeof where === 'string' ? parseStoreUrl(where, { cwd }) : where;
  const maintenance = await openStoreMaintenance(location, {
    show: (file) => shownPath(file, cwd),
  });
  let health: StoreHealth;
  try {
    health = await maintenance.health();
  } finally {
    await maintenance.close();
  }
  switch (health.state) {
    case 'absent':
      return row(CHECK_STORE, 'skip', `${health.detail}: the bot creates it at its first run`);
    case 'unusable':
      return row(CHECK_STORE, health.severity, health.problem, health.fix);
    case 'usable':
      break;
  }
  const { where: shown, schemaVersion: version, latestVersion: latest } = health;
  if (version < latest || health.contents === null) {
    return row(
      CHECK_STORE,
      'warn',
      `${shown}: schema version ${version}, ${health.check}: the next start migrates it to ${latest}`,
      'back it up first: briefwire db backup FILE',
    );
  }
  const facts = [
    `schema ${version} (current)`,
    health.check,
    count(health.contents.feeds, 'feed'),
    count(health.contents.briefs, 'brief'),
    count(health.contents.pendingDeliveries, 'pending delivery', 'pending deliveries'),
    ...(health.bytes === null ? [] : [formatBytes(health.bytes)]),
  ];
  return row(CHECK_STORE, 'ok', `${shown}: ${facts.join(', ')}`);
}
