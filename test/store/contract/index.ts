/**
 * The store contract: what every implementation of the port (src/store/port.ts) must do,
 * in behaviour a user would notice. Each implementation runs it from its own test file
 * (sqlite.test.ts, postgres.test.ts) with a function that opens a fresh, empty store:
 *
 *   runStoreContract('sqlite', async (now) => …);
 *
 * Nothing here names an implementation or its error texts.
 */
import { describe } from 'vitest';
import { actorsContract } from './actors.js';
import { briefsContract } from './briefs.js';
import { claimsContract } from './claims.js';
import { destinationsContract } from './destinations.js';
import { feedsContract } from './feeds.js';
import { type OpenForContract, useStore } from './harness.js';
import { ingestContract } from './ingest.js';
import { outboxContract } from './outbox.js';
import { retriesContract } from './retries.js';
import { storeContract } from './store.js';
import { subscriptionsContract } from './subscriptions.js';

export type { OpenedStore, OpenForContract, StoreUnderTest } from './harness.js';

export function runStoreContract(
  name: string,
  open: OpenForContract,
  options: { skip?: boolean } = {},
): void {
  describe.skipIf(options.skip === true)(`store contract: ${name}`, () => {
    const current = useStore(open);
    storeContract(current);
    feedsContract(current);
    ingestContract(current);
    outboxContract(current);
    subscriptionsContract(current);
    briefsContract(current);
    retriesContract(current);
    actorsContract(current);
    destinationsContract(current);
    claimsContract(current);
  });
}
