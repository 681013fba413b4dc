/**
 * Runs `worker` over `items` with at most `concurrency` at a time, in order of start.
 * Stops starting new items once `signal` aborts; items already running finish.
 */
export async function runPool<T>(items: readonly T[], concurrency: number, worker: (item: T, index: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length && !signal?.aborted) {
      const i = next++;
      await worker(items[i], i);
    }
  });
  await Promise.all(lanes);
}
