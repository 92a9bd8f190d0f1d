export { BackupError, StoreError, StoreUrlError } from './errors.js';
export { StoreFileError, type StoreProblem } from './integrity.js';
export { MIGRATIONS, type Migration, migrate, schemaVersion } from './migrations.js';
export {
  DATABASE_URL,
  describeLocation,
  type OpenStoreOptions,
  openStore,
  openStoreMaintenance,
  parseStoreUrl,
  type StoreLocation,
  storeLocation,
} from './open.js';
export type * from './port.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
