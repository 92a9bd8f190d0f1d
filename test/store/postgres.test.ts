/**
 * The store contract on the PostgreSQL store: a real server (TEST_DATABASE_URL), a fresh
 * schema per test.
 */
import { openStore, openStoreMaintenance } from '../../src/store/open.js';
import type { Store } from '../../src/store/port.js';
import { freshSchema, POSTGRES_SKIPPED, TEST_DATABASE_URL } from '../support/postgres.js';
import { runStoreContract } from './contract/index.js';

runStoreContract(
  `postgres${POSTGRES_SKIPPED}`,
  async (now) => {
    const schema = await freshSchema();
    const others: Store[] = [];
    const opened = {
      store: await openStore(schema.url, { now }),
      async another() {
        const store = await openStore(schema.url, { now });
        others.push(store);
        return store;
      },
      async reopen() {
        await opened.store.close();
        opened.store = await openStore(schema.url, { now });
        return opened.store;
      },
      maintenance: () => openStoreMaintenance(schema.url),
      async cleanup() {
        for (const other of others) await other.close();
        await opened.store.close();
        await schema.drop();
      },
    };
    return opened;
  },
  { skip: TEST_DATABASE_URL === null },
);
