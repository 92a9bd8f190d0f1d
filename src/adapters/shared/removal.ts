/**
 * The bot was removed from a chat (Telegram: left or kicked; Discord: the channel, thread or
 * server went away): the chat's subscriptions pause, kept for /resume. One helper for both
 * platforms, so both log it, and a store failure, alike.
 */
import { errorLine, type Log } from '../../shared/log.js';
import type { Destination, Store } from '../../store/port.js';

export async function pauseOnRemoval(
  store: Pick<Store, 'subscriptions'>,
  log: Log,
  destination: Destination,
  reason: string,
): Promise<void> {
  const platform = destination.split(':', 1)[0];
  try {
    const paused = await store.subscriptions.pauseDestination(destination, reason);
    if (paused > 0)
      log.warn(`${platform}: ${destination}: ${paused} subscription(s) paused (${reason})`);
  } catch (error) {
    log.error(`${platform}: ${destination}: pausing failed: ${errorLine(error)}`);
  }
}
