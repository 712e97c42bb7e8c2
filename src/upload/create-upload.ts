/**
 * `openFile/create` for a file (docs/api-notes.md §3.7, §6.1, §6.5, §6.6), with rapid upload (秒传) when enabled and the file is
 * over 100 KiB: the first create carries `size` and `pre_hash`; only PreHashMatched makes it worth hashing the whole
 * file, after which a second create carries the content hash and the proof. The proof is computed inside the body
 * function, i.e. with the access token that sends that very request — recomputed if the token rotates and the call
 * is repeated (docs/api-notes.md §6.6 pitfall; docs/peers-and-pains.md #15).
 * create is not idempotent (a repeat could reserve a second file), so the API client never repeats it after a 5xx.
 */
import type { CheckNameMode } from '../api/files.js'
import type { CreateResponse } from '../api/wire.js'
import { isDriverError } from '../errors/index.js'
import type { UploadSource } from '../host/types.js'
import type { PartPlan } from './part-plan.js'
import type { UploadPort } from './port.js'
import type { ProgressReporter } from './progress.js'
import { hashForRapidUpload, type RandomAccessContent } from './rapid/full-hash.js'
import { hasInternals } from './sources/internal-source.js'
import { isSha1Hex, preHashOfSource } from './rapid/hashes.js'
import { createWithKnownHash, proofReaderOf } from './rapid/known-hash-create.js'
import { PROOF_VERSION, encodeProof, proofRange } from '../util/proof-code.js'

/** OpenList tries rapid upload only for files over 100 KiB (docs/api-notes.md §6.1 step 2). */
export const RAPID_MIN_SIZE = 100 * 1024

export interface CreateUploadInput {
  port: UploadPort
  parentId: string
  source: UploadSource
  plan: PartPlan
  checkNameMode: CheckNameMode
  rapid: boolean
  progress: ProgressReporter
  signal?: AbortSignal
}

export interface CreatedUpload {
  response: CreateResponse
  /** The whole-file SHA-1 when it was computed or given for rapid upload. */
  sha1?: string
  /** A spool made for the proof, to dispose when the upload settles. */
  content?: RandomAccessContent
  preHashMatched: boolean
}

export async function createUpload(input: CreateUploadInput): Promise<CreatedUpload> {
  const { port, source, plan, signal } = input
  const opts = signal ? { signal } : {}
  const base: Record<string, unknown> = {
    drive_id: port.driveId,
    parent_file_id: input.parentId,
    name: source.name,
    type: 'file',
    check_name_mode: input.checkNameMode,
    // For an empty file this is [] (docs/api-notes.md §3.7): OpenList sends the same.
    part_info_list: plan.parts.map((p) => ({ part_number: p.number })),
    ...(source.modified ? { local_modified_at: source.modified.toISOString() } : {}),
    ...(source.created ? { local_created_at: source.created.toISOString() } : {}),
  }
  if (!input.rapid || source.size <= RAPID_MIN_SIZE) {
    return { response: await port.create(base, opts), preHashMatched: false }
  }

  // Another drive's file (no internals of ours): its SHA-1 is the service's own, and 8 bytes at any offset cost one
  // Range request, while the pre-hash would open a download of the whole file.
  const reader = proofReaderOf(source)
  const known = source.sha1?.toLowerCase()
  if (reader && known && isSha1Hex(known) && !hasInternals(source)) {
    const response = await createWithKnownHash(port, base, reader, known, signal)
    return { response, sha1: known, preHashMatched: false }
  }

  const preHash = await preHashOfSource(source, signal)
  try {
    const response = await port.create({ ...base, size: source.size, pre_hash: preHash }, opts)
    return { response, preHashMatched: false }
  } catch (e) {
    // PreHashMatched comes as 409 or 400 depending on who you ask (docs/api-notes.md §4.2, §12.3): go by the code.
    if (!isDriverError(e) || e.apiCode !== 'PreHashMatched') throw e
  }

  // A stream with a claimed SHA-1 is read only up to the proof's bytes; the rest is checked after the answer
  // (upload/index.ts), and a link made for bytes that do not match is removed by id.
  if (reader && known && isSha1Hex(known)) {
    const response = await createWithKnownHash(port, base, reader, known, signal)
    return { response, sha1: known, preHashMatched: true }
  }
  const content = await hashForRapidUpload(source, input.progress, signal)
  try {
    const body = (accessToken: string) => {
      const { start, end } = proofRange(accessToken, source.size)
      return {
        ...base,
        size: source.size,
        content_hash: content.sha1,
        content_hash_name: 'sha1',
        proof_version: PROOF_VERSION,
        proof_code: encodeProof(content.readSync(start, end)),
      }
    }
    const response = await port.create(body, opts)
    return { response, sha1: content.sha1, content, preHashMatched: true }
  } catch (e) {
    await content.dispose()
    throw e
  }
}
