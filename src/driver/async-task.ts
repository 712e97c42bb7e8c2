/**
 * Folder copy/move/trash/delete may answer with an `async_task_id` (docs/api-notes.md §3.14–3.18). OpenList does not wait for it,
 * so a listing right after shows a half-copied folder; we poll `async_task/get` until it settles.
 */
import type { FilesApi } from '../api/files.js'
import { DriverError } from '../errors/index.js'
import { retrying, type Backoff } from '../util/retry.js'

/** The poll's policy (src/util/retry.ts): 200 ms, doubling to 2 s; bounded by a deadline, not a count. */
const MAX_WAIT_MS = 10 * 60_000
const POLL: Backoff = { retries: Infinity, minDelayMs: 200, maxDelayMs: 2_000, deadlineMs: MAX_WAIT_MS }

/** The task has not settled yet: the one "failure" the poll repeats after. */
class StillRunning extends Error {
  constructor(readonly state: string) {
    super(`still ${state}`)
  }
}

export async function waitForAsyncTask(
  files: FilesApi,
  taskId: string | null | undefined,
  what: string,
  signal?: AbortSignal,
): Promise<void> {
  if (!taskId) return
  await retrying(
    async () => {
      const task = await files.asyncTask(taskId, signal ? { signal } : {})
      if (task.state === 'Succeed') return
      if (task.state === 'Failed')
        throw new DriverError('UPSTREAM', `${what}: AliyunDrive reports its background task ${taskId} failed`)
      throw new StillRunning(task.state)
    },
    {
      policy: POLL,
      decide: (error) => (error instanceof StillRunning ? { kind: 'backoff' } : { kind: 'stop' }),
      exhausted: (error) =>
        new DriverError(
          'UPSTREAM',
          `${what}: background task ${taskId} still "${(error as StillRunning).state}" after ${MAX_WAIT_MS / 60_000} minutes`,
        ),
      ...(signal ? { signal } : {}),
    },
  )
}
