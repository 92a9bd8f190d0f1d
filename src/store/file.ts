import { constants, copyFileSync, linkSync } from 'node:fs';
import path from 'node:path';
import { errorLine } from '../shared/log.js';

/** The store's file name in the data dir (`briefwire run`, `doctor`, `db backup`). */
export const STORE_FILE = 'briefwire.db';

/** The SQLite store of a data dir. */
export function storeFile(dataDir: string): string {
  return path.join(dataDir, STORE_FILE);
}

/** A path as messages show it: relative when inside the working directory. */
export function shownPath(file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** A file-system error's code (ENOENT, EACCES …), if it has one. */
export function fsCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Why a file or folder could not be used, in words a user can act on. */
export function fsReason(error: unknown): string {
  switch (fsCode(error)) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EEXIST':
    case 'ENOTDIR':
      return 'a file is in the way of a folder';
    case 'EISDIR':
      return 'a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return errorLine(error);
  }
}

/** Error codes of file systems that have no hard links (some network and FAT mounts). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV']);

/**
 * Puts the finished file `temp` at `target` unless a file is already there, which is never
 * replaced: a hard link, or where the file system has none, a copy that refuses to
 * overwrite. Returns false when `target` exists; `temp` stays for the caller to remove.
 */
export function placeNewFile(temp: string, target: string): boolean {
  try {
    linkSync(temp, target);
    return true;
  } catch (error) {
    const code = fsCode(error);
    if (code === 'EEXIST') return false;
    if (code === undefined || !NO_HARD_LINKS.has(code)) throw error;
  }
  try {
    copyFileSync(temp, target, constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if (fsCode(error) === 'EEXIST') return false;
    throw error;
  }
}
