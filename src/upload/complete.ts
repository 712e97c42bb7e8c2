/**
 * `complete`, and what to do when it fails after an answer may have been lost. complete is repeated after a lost
 * answer; what the real service answers to a repeated complete is not documented. If it errors, the file may well
 * be complete already, and deleting "our reservation" would delete the user's finished upload. So before giving up
 * the reservation, read it by id: a file of the source's size and SHA-1 is the upload, done.
 */
import type { WireFile } from '../api/wire.js'
import { isDriverError } from '../errors/index.js'
import type { Logger } from '../host/types.js'
import type { UploadPort } from './port.js'
import { verifyCompleted } from './verify.js'

export interface CompleteTarget {
  driveId: string
  fileId: string
  uploadId: string
}

export interface Expected {
  name: string
  size: number
  sha1?: string
}

export async function completeUpload(
  port: Pick<UploadPort, 'complete' | 'getById'>,
  target: CompleteTarget,
  expected: Expected,
  logger?: Logger,
  signal?: AbortSignal,
): Promise<WireFile> {
  const opts = signal ? { signal } : {}
  try {
    return await port.complete(target, opts)
  } catch (e) {
    if (signal?.aborted || !expected.sha1) throw e
    const finished = await readFinished(port, target, expected, opts)
    if (!finished) throw e
    logger?.warn(
      `openFile/complete for ${expected.name} failed (${(e as Error)?.message ?? String(e)}), ` +
        `but the file reads back complete with the uploaded size and SHA-1: kept`,
    )
    return finished
  }
}

/** The reservation as a finished file that matches the source, or undefined (unreadable, unfinished, different). */
async function readFinished(
  port: Pick<UploadPort, 'getById'>,
  target: CompleteTarget,
  expected: Expected,
  opts: { signal?: AbortSignal },
): Promise<WireFile | undefined> {
  let file: WireFile
  try {
    file = await port.getById(target, opts)
  } catch (e) {
    if (isDriverError(e)) return undefined
    throw e
  }
  // Only a reported SHA-1 equal to ours counts: a size match alone could be an unfinished or other content.
  if (!file.content_hash || file.content_hash.toLowerCase() !== expected.sha1!.toLowerCase()) return undefined
  try {
    verifyCompleted(file, expected)
  } catch {
    return undefined
  }
  return file
}
