/**
 * The store's errors a user can act on. Each message is one line: what is wrong with the
 * store (the file, or the server and database, never a password) and what to do.
 */

/** A store the bot must not or cannot use: `briefwire run` prints the message and exits 1. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
}

/** A store location (DATABASE_URL, a path) that names no store briefwire can open. */
export class StoreUrlError extends StoreError {
  override readonly name = 'StoreUrlError';
}

/** A backup that cannot be made, in one line for the user. */
export class BackupError extends Error {
  override readonly name = 'BackupError';
}
