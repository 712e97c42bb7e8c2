/**
 * Folder copy/move/trash/delete may answer with an `async_task_id` (spec §3.14–3.18). OpenList does not wait for it,
 * so a listing right after shows a half-copied folder; we poll `async_task/get` until it settles.
 */
import type { FilesApi } from '../api/files.js'
import { DriverError } from '../errors/index.js'
import { sleep } from '../util/sleep.js'

const FIRST_DELAY_MS = 200
const MAX_DELAY_MS = 2_000
const MAX_WAIT_MS = 10 * 60_000

export async function waitForAsyncTask(files: FilesApi, taskId: string | null | undefined, what: string, signal?: AbortSignal): Promise<void> {
  if (!taskId) return
  const deadline = Date.now() + MAX_WAIT_MS
  let delay = FIRST_DELAY_MS
  for (;;) {
    const task = await files.asyncTask(taskId, signal ? { signal } : {})
    if (task.state === 'Succeed') return
    if (task.state === 'Failed') throw new DriverError('UPSTREAM', `${what}: AliyunDrive reports its background task ${taskId} failed`)
    if (Date.now() + delay > deadline) throw new DriverError('UPSTREAM', `${what}: background task ${taskId} still "${task.state}" after ${MAX_WAIT_MS / 60_000} minutes`)
    await sleep(delay, signal)
    delay = Math.min(MAX_DELAY_MS, delay * 2)
  }
}
