/**
 * Runs `work` over `items` with at most `limit` at a time, in order of the list; resolves
 * when all are done. `work` must not throw (a rejection still rejects the whole run).
 * `stop` is asked before each item is started: once true, no more are started.
 */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop()) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
}
