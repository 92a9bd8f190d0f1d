export { StoreFileError, type StoreProblem } from './integrity.js';
export { MIGRATIONS, type Migration, migrate, schemaVersion } from './migrations.js';
export type * from './port.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
