/**
 * Runs one piece of work per item with at most `limit` at once, items taken in list order. The tree commands use it
 * for files: `get -r` up to AliyunDrive's per-user download concurrency (docs/api-notes.md §3.11), `put -r` a few
 * files at once (each file's parts go one after another, docs/api-notes.md §6.3). `work` reports its own failures
 * (the commands tally them), so one failing item never stops the others.
 */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
}
