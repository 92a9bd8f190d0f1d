import type { IngestItem, IngestOutcome } from '../port.js';
import { lockActors, writeActors } from './actors.js';
import { writeBrief } from './briefs.js';
import type { Context } from './context.js';
import type { Queryable } from './db.js';
import { writeDeliveries } from './outbox.js';
import { writeRetry } from './retries.js';
import { anySeen, distinctKeys, markKeys } from './seen.js';

async function ingestOne(
  tx: Queryable,
  feedId: number,
  item: IngestItem,
  at: Date,
): Promise<IngestOutcome> {
  if (item.keys.length === 0) throw new RangeError('an item needs at least one dedupe key');
  // An earlier item of this batch, or a poll already committed, had one of its keys.
  if (await anySeen(tx, feedId, item.keys)) return { status: 'duplicate' };
  // Fewer keys new than given: another instance is storing the same item right now (its
  // keys waited on ours, or ours on its); it wins, and the keys marked here are that item's.
  const fresh = await markKeys(tx, feedId, item.keys, at, 'never');
  if (fresh < distinctKeys(item.keys).length) return { status: 'duplicate' };
  const briefId = await writeBrief(tx, feedId, item.brief, at);
  await writeActors(tx, briefId, item.brief.actors, at);
  if (item.briefError !== undefined) {
    await writeRetry(tx, feedId, item.keys, briefId, item.briefError, at);
  }
  return {
    status: 'stored',
    briefId,
    deliveryIds: await writeDeliveries(tx, briefId, item.destinations, at),
  };
}

/** Items → seen keys, briefs, actors and deliveries, all in one transaction. */
export function createIngest({ db, now }: Context) {
  return (feedId: number, items: readonly IngestItem[]): Promise<IngestOutcome[]> =>
    db.transaction(async (tx) => {
      const at = now();
      // Every actor this batch may name, locked first and in one order (see lockActors).
      await lockActors(
        tx,
        items.flatMap((item) => item.brief.actors),
        at,
      );
      const outcomes: IngestOutcome[] = [];
      for (const item of items) outcomes.push(await ingestOne(tx, feedId, item, at));
      return outcomes;
    });
}
