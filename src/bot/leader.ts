/**
 * Work only one instance may do at a time (Telegram's getUpdates: two pollers would each
 * get half the updates and fight over the offset), elected through the store: the elected
 * instance does it until it stops, dies or loses the store; a standby then takes over.
 */
import { errorLine, type Log } from '../shared/log.js';
import type { ClusterStore } from '../store/index.js';

export interface ElectedWork {
  cluster: ClusterStore;
  /** The election's name, e.g. 'telegram:updates'. */
  name: string;
  /** What the elected instance does, e.g. 'takes the Telegram updates'. */
  what: string;
  retryMs: number;
  log: Log;
  /** Starts the work; a throw gives the lead up and campaigns again. */
  begin(): Promise<void>;
  /** Stops it (the lead was lost, or the bot is stopping). */
  end(): Promise<void>;
}

/** Campaigns in the background until the returned stop is called (and awaited). */
export function runElected(work: ElectedWork): () => Promise<void> {
  const stopping = new AbortController();
  const waitLost = (lost: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (lost.aborted || stopping.signal.aborted) return resolve();
      lost.addEventListener('abort', () => resolve(), { once: true });
      stopping.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      let lead: Awaited<ReturnType<ClusterStore['lead']>>;
      try {
        lead = await work.cluster.lead(work.name, {
          retryMs: work.retryMs,
          signal: stopping.signal,
        });
      } catch (error) {
        if (stopping.signal.aborted) return;
        work.log.warn(`${work.name}: election failed: ${errorLine(error)}`);
        continue;
      }
      try {
        work.log.info(`${work.name}: elected: this instance ${work.what}`);
        await work.begin();
        await waitLost(lead.lost);
      } catch (error) {
        work.log.warn(`${work.name}: ${errorLine(error)}; giving the lead up`);
      }
      await work.end().catch((error: unknown) => {
        work.log.warn(`${work.name}: stopping: ${errorLine(error)}`);
      });
      if (!stopping.signal.aborted && lead.lost.aborted) {
        work.log.warn(
          `${work.name}: the lead was lost (the store's connection dropped); campaigning again`,
        );
      }
      await lead.release();
    }
  })();
  return async () => {
    stopping.abort(new Error('stopped'));
    await loop;
  };
}
