import type { IngestItem, IngestOutcome } from '../port.js';
import { createActorWriter } from './actors.js';
import { createBriefWriter } from './briefs.js';
import type { Context } from './context.js';
import { createDeliveryWriter } from './outbox.js';
import { createRetryWriter } from './retries.js';
import { createSeenWriter } from './seen.js';

export type Ingest = (feedId: number, items: readonly IngestItem[]) => IngestOutcome[];

export function createIngest(context: Context): Ingest {
  const seen = createSeenWriter(context);
  const writeBrief = createBriefWriter(context);
  const writeActors = createActorWriter(context);
  const writeDeliveries = createDeliveryWriter(context);
  const writeRetry = createRetryWriter(context);

  function ingestOne(feedId: number, item: IngestItem, at: number): IngestOutcome {
    if (item.keys.length === 0) throw new RangeError('an item needs at least one dedupe key');
    // Checked inside the transaction: a second poller (or an item repeated in the batch)
    // finds the keys the first one wrote and stores nothing.
    if (seen.anySeen(feedId, item.keys)) return { status: 'duplicate' };
    seen.mark(feedId, item.keys, at);
    const briefId = writeBrief(feedId, item.brief, at);
    writeActors(briefId, item.brief.actors, at);
    if (item.briefError !== undefined) writeRetry(feedId, item.keys, briefId, item.briefError, at);
    return {
      status: 'stored',
      briefId,
      deliveryIds: writeDeliveries(briefId, item.destinations, at),
    };
  }

  const transaction = context.db.transaction((feedId: number, items: readonly IngestItem[]) => {
    const at = context.now();
    return items.map((item) => ingestOne(feedId, item, at));
  });
  // IMMEDIATE takes the write lock up front: two processes on one file then wait on the
  // busy timeout instead of failing when a read lock cannot be upgraded.
  return (feedId, items) => transaction.immediate(feedId, items);
}
