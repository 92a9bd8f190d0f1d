import path from 'node:path';

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
