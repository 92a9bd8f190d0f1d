/** The store contract on the SQLite store: a real file in a fresh temp dir per test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore, openStoreMaintenance } from '../../src/store/open.js';
import type { Store } from '../../src/store/port.js';
import { runStoreContract } from './contract/index.js';

runStoreContract('sqlite', async (now) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'briefwire-contract-'));
  const url = `sqlite:${path.join(dir, 'data', 'briefwire.db')}`;
  const others: Store[] = [];
  const opened = {
    store: await openStore(url, { now }),
    async another() {
      const store = await openStore(url, { now });
      others.push(store);
      return store;
    },
    async reopen() {
      await opened.store.close();
      opened.store = await openStore(url, { now });
      return opened.store;
    },
    maintenance: () => openStoreMaintenance(url),
    async cleanup() {
      for (const other of others) await other.close();
      await opened.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return opened;
});
