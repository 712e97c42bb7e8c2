/**
 * `As-Task: true` on an upload: OpenList queues the upload and answers `{task: TaskInfo}`. Here the upload has
 * already finished when we answer, so the task is reported as succeeded (tache state 2) with full progress.
 */
import type { IncomingMessage } from 'node:http'
import { randomUUID } from 'node:crypto'
import { headerValue } from '../http-io.js'

export function asTask(req: IncomingMessage): boolean {
  return headerValue(req.headers['as-task']) === 'true'
}

export function finishedUploadTask(user: string, path: string, started: Date) {
  return {
    task: {
      id: randomUUID(),
      name: `upload ${path}`,
      creator: user,
      creator_role: 2,
      state: 2,
      status: '',
      progress: 100,
      start_time: started.toISOString(),
      end_time: new Date().toISOString(),
      total_bytes: 0,
      error: '',
    },
  }
}
