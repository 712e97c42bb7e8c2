/**
 * Folder copy/move/trash/delete may answer with an `async_task_id` (docs/api-notes.md §3.14–3.18). OpenList does not wait for it,
 * so a listing right after shows a half-copied folder; we poll `async_task/get` until it settles.
 */
import type { FilesApi } from '../api/files.js'
import { DriverError } from '../errors/index.js'
import { backoffDelay, waitToRetry } from '../util/retry.js'

/** The poll's schedule (src/util/retry.ts): 200 ms, doubling to 2 s; bounded by a deadline, not a count. */
const POLL = { minDelayMs: 200, maxDelayMs: 2_000 }
const MAX_WAIT_MS = 10 * 60_000

export async function waitForAsyncTask(
  files: FilesApi,
  taskId: string | null | undefined,
  what: string,
  signal?: AbortSignal,
): Promise<void> {
  if (!taskId) return
  const deadline = Date.now() + MAX_WAIT_MS
  for (let poll = 1; ; poll++) {
    const delay = backoffDelay(POLL, poll)
    const task = await files.asyncTask(taskId, signal ? { signal } : {})
    if (task.state === 'Succeed') return
    if (task.state === 'Failed')
      throw new DriverError('UPSTREAM', `${what}: AliyunDrive reports its background task ${taskId} failed`)
    if (Date.now() + delay > deadline)
      throw new DriverError(
        'UPSTREAM',
        `${what}: background task ${taskId} still "${task.state}" after ${MAX_WAIT_MS / 60_000} minutes`,
      )
    await waitToRetry(delay, signal)
  }
}
