/**
 * Upload of one file into a folder (docs/contract.md §2 `upload`, §4 "Upload"; docs/api-notes.md §6).
 *
 *   conflict check (by listing; ids captured) → create (rapid: pre_hash, then hash + proof on PreHashMatched)
 *   → parts in order (unless linked by rapid upload) → source end checked → complete → size/SHA-1 verified
 *   → previous holders of the name removed by id (overwrite).
 *
 * Any failure or abort after create removes our own reservation by its file_id, so a failed upload leaves the
 * folder as it was — including the file an overwrite was going to replace. The source is disposed when the upload
 * settles (temporary spools removed on success, failure and abort).
 */
import type { WireFile } from '../api/wire.js'
import type { DriverConfig } from '../config/schema.js'
import { checkNameModeFor, previousHolders } from '../conflict/policy.js'
import { removeIfStillHolder } from '../conflict/replace-guard.js'
import { DriverError, abortedError, isDriverError, throwIfAborted } from '../errors/index.js'
import type { Logger, UploadOptions, UploadSource } from '../host/types.js'
import { completeUpload } from './complete.js'
import { toObj } from '../paths/to-obj.js'
import { createUpload, type CreatedUpload } from './create-upload.js'
import { uploadParts } from './multipart.js'
import { planParts } from './part-plan.js'
import { PartUrls } from './part-urls.js'
import type { UploadPort } from './port.js'
import { ProgressReporter } from './progress.js'
import { ResumableUpload, resumedUpload } from './resume.js'
import { DEFAULT_PART_RETRY, type PartRetryPolicy } from './send-part.js'
import { hasInternals } from './sources/internal-source.js'
import { announcedHashMismatch, claimCheckOf, isAnnouncedHashMismatch } from './sources/announced-hash.js'
import { verifyCompleted } from './verify.js'

export interface UploadDeps {
  /** Everything the engine asks of AliyunDrive (upload/port.ts). */
  port: UploadPort
  /** The two settings the engine reads: whether to try rapid upload, and which part URLs to use. */
  settings: Pick<DriverConfig, 'rapid_upload' | 'internal_upload'>
  logger?: Logger
  /** Test-only knob: smaller parts so multi-part uploads are testable with small files. */
  partSizeOverride?: number
  /** Test-only knob: part retry timing (defaults: 4 retries from 1 s, 3 URL refreshes). */
  partRetry?: Partial<PartRetryPolicy>
}

export async function uploadToFolder(
  deps: UploadDeps,
  parentId: string,
  source: UploadSource,
  opts: UploadOptions = {},
): Promise<WireFile> {
  const { signal } = opts
  const conflict = opts.conflict ?? 'overwrite'
  const progress = new ProgressReporter(source.size, opts.onProgress, deps.logger)
  let created: CreatedUpload | undefined
  let reservation: string | undefined
  let session: ResumableUpload | undefined
  // A failure while parts are sent keeps a resumable reservation for the next run; any other failure discards it.
  let sendingParts = false
  try {
    throwIfAborted(signal)
    if (!source.name || source.name.includes('/')) {
      throw new DriverError(
        'UPLOAD_FAILED',
        `Invalid file name ${JSON.stringify(source.name)}: it must be non-empty and contain no "/"`,
      )
    }
    const plan = planParts(source.size, deps.partSizeOverride)
    const previous =
      conflict === 'rename'
        ? []
        : previousHolders(await deps.port.listChildren(parentId, signal ? { signal } : {}), source.name, conflict)

    if (opts.sessions) {
      const sessionDeps = { port: deps.port, store: opts.sessions, ...(deps.logger ? { logger: deps.logger } : {}) }
      session = await ResumableUpload.open(sessionDeps, parentId, source, plan)
    }
    const resumed = await session?.resumePoint(signal)
    created = resumed
      ? resumedUpload(deps.port.driveId, resumed)
      : await createUpload({
          port: deps.port,
          parentId,
          source,
          plan,
          checkNameMode: checkNameModeFor(conflict),
          // A source that knows its SHA-1 (a client announced it, or another drive holds the file) costs no hashing
          // to try: rapid upload is tried for it whatever the setting, which only avoids hashing (README.md).
          rapid: deps.settings.rapid_upload || source.sha1 !== undefined,
          progress,
          ...(signal ? { signal } : {}),
        })
    const res = created.response
    if (res.exist) {
      // 'refuse' lost a race: file_id is the other writer's file, which is not ours to remove.
      throw new DriverError(
        'ALREADY_EXISTS',
        `"${source.name}" already exists in the target folder; nothing was uploaded`,
      )
    }
    reservation = res.file_id
    const uploadId = res.upload_id
    if (!uploadId) throw new DriverError('UPSTREAM', 'openFile/create returned no upload_id for a file')
    const ids = { driveId: deps.port.driveId, fileId: res.file_id, uploadId }
    if (resumed)
      opts.onResume?.({
        bytesDone: resumed.bytesDone,
        total: source.size,
        partsDone: resumed.partsDone,
        partCount: plan.count,
      })
    else if (!res.rapid_upload) await session?.begin(res.file_id, uploadId)

    let sentSha1: string | undefined
    if (res.rapid_upload) {
      // A claimed SHA-1 read only up to the proof: the rest is read and checked before the link is acknowledged.
      await claimCheckOf(source)?.(signal)
      deps.logger?.debug(`${source.name}: rapid upload linked existing content; no part sent`)
    } else {
      sendingParts = true
      const urls = new PartUrls(deps.port, ids, deps.settings, plan.count, res.part_info_list ?? [])
      const result = await uploadParts({
        port: deps.port,
        ids,
        source,
        plan,
        urls,
        policy: { ...DEFAULT_PART_RETRY, ...deps.partRetry },
        progress,
        ...(signal ? { signal } : {}),
        ...(deps.logger ? { logger: deps.logger } : {}),
        ...(resumed ? { stored: resumed.stored } : {}),
        ...(session ? { onPartStored: (n: number) => void session!.partStored(n) } : {}),
      })
      sentSha1 = result.sha1
      // A claimed SHA-1 (sources/announced-hash.ts) must be the one of the bytes sent, before anything is completed.
      if (sentSha1 && source.sha1 && sentSha1 !== source.sha1.toLowerCase())
        throw announcedHashMismatch(source.name, sentSha1, source.sha1.toLowerCase())
      // A stream with bytes past its declared size, or a file changed while read, fails before complete.
      if (hasInternals(source) && source.verifyEnd) {
        try {
          await source.verifyEnd(signal)
        } catch (e) {
          // An announced hash the bytes lack keeps its mark: the server names the header that carried it.
          if (isDriverError(e) && e.code === 'UPLOAD_FAILED' && !isAnnouncedHashMismatch(e)) {
            throw new DriverError('UPLOAD_FAILED', `after part ${plan.count} of ${plan.count}: ${e.message}`)
          }
          throw e
        }
      }
      sendingParts = false
    }
    throwIfAborted(signal)

    const knownSha1 = sentSha1 ?? created.sha1 ?? source.sha1
    const expected = { name: source.name, size: source.size, ...(knownSha1 ? { sha1: knownSha1 } : {}) }
    const done = await completeUpload(deps.port, ids, expected, deps.logger, signal)
    verifyCompleted(done, expected)
    reservation = undefined // the new file is complete and verified: from here on it is the user's file
    await session?.forget()
    progress.finish('uploading')

    for (const holder of previous) {
      const id = holder.file_id
      if (id === done.file_id) continue
      try {
        const replaced = { captured: toObj(holder, '/'), parentId, name: source.name }
        await removeIfStillHolder(
          replaced,
          () => deps.port.getById({ driveId: deps.port.driveId, fileId: id }, signal ? { signal } : {}),
          () => deps.port.removeById(id),
          deps.logger,
        )
      } catch (e) {
        // The upload itself succeeded; failing it now would make the caller retry and duplicate the file.
        deps.logger?.warn(
          `uploaded ${source.name}, but removing the file it replaced (${id}) failed: ${(e as Error)?.message ?? String(e)}`,
        )
      }
    }
    return done
  } catch (e) {
    if (reservation && session && sendingParts) {
      await session.settle()
    } else if (reservation) {
      await discardReservation(deps, reservation)
      await session?.forget()
    }
    if (signal?.aborted) throw isDriverError(e) && e.code === 'ABORTED' ? e : abortedError(signal)
    if (isDriverError(e)) throw e
    throw new DriverError('UPLOAD_FAILED', `Uploading ${source.name} failed: ${(e as Error)?.message ?? String(e)}`, {
      cause: e,
    })
  } finally {
    await created?.content?.dispose()
    await source.dispose?.()
  }
}

/** Deletes our own reservation (never trash: it is not user data). Best effort, and not cut short by the abort. */
async function discardReservation(deps: UploadDeps, fileId: string): Promise<void> {
  try {
    await deps.port.discard({ driveId: deps.port.driveId, fileId })
  } catch (e) {
    deps.logger?.warn(`could not remove the unfinished upload ${fileId}: ${(e as Error)?.message ?? String(e)}`)
  }
}
