/**
 * Uploads that continue across runs. With a session store, an upload remembers its reservation (file id, upload id,
 * part plan, parts done) and what its source was (path, size, mtime, SHA-1 of the first and last MiB). A later upload
 * of the same source to the same target asks the store, confirms with listUploadedParts which parts the service
 * holds, and sends only the rest. A changed source, a changed part plan, an expired record or a session the service
 * no longer knows starts over, and the stale reservation is removed by its id — unless the service shows it as a
 * finished file (a run that died between `complete` and forgetting its record), which is the user's file now.
 * The whole-file SHA-1 check after `complete` still runs, so a wrong resume can never pass as a good upload.
 */
import { isDriverError } from '../errors/index.js'
import type {
  Logger,
  UploadSessionRecord,
  UploadSessionStore,
  UploadSource,
  UploadSourceIdentity,
} from '../host/types.js'
import type { CreatedUpload } from './create-upload.js'
import type { PartPlan } from './part-plan.js'
import { listStoredParts } from './part-urls.js'
import type { UploadPort } from './port.js'
import { sameIdentity } from './sources/file-identity.js'
import { identityOf } from './sources/internal-source.js'

/** Under the 10 days AliyunDrive's backend family documents for keeping parts of an unfinished upload. */
export const DEFAULT_SESSION_MAX_AGE_MS = 7 * 24 * 3600_000

export interface SessionDeps {
  port: UploadPort
  store: UploadSessionStore
  logger?: Logger
  now?: () => number
}

export interface ResumePoint {
  fileId: string
  uploadId: string
  /** Parts the service holds (1..n in order; parts are sequential). */
  stored: Set<number>
  partsDone: number
  bytesDone: number
}

export function sessionKey(driveId: string, parentId: string, name: string, sourcePath: string): string {
  return JSON.stringify([driveId, parentId, name, sourcePath])
}

export class ResumableUpload {
  private record: UploadSessionRecord | undefined
  private saving: Promise<void> = Promise.resolve()

  private constructor(
    private readonly deps: SessionDeps,
    private readonly key: string,
    private readonly target: { parentId: string; name: string },
    private readonly source: UploadSourceIdentity,
    private readonly plan: PartPlan,
  ) {}

  /** A session for this upload; undefined for a single part, or when the source cannot say what it is (only files can). */
  static async open(
    deps: SessionDeps,
    parentId: string,
    source: UploadSource,
    plan: PartPlan,
  ): Promise<ResumableUpload | undefined> {
    // One part is sent whole or not at all: nothing to resume, so a folder of small files costs the store nothing.
    if (plan.count < 2) return undefined
    const identity = await identityOf(source)
    if (!identity) {
      deps.logger?.debug(`${source.name}: the source has no identity (not a file); the upload cannot be resumed later`)
      return undefined
    }
    const key = sessionKey(deps.port.driveId, parentId, source.name, identity.path)
    return new ResumableUpload(deps, key, { parentId, name: source.name }, identity, plan)
  }

  private now(): number {
    return (this.deps.now ?? Date.now)()
  }

  /** Where a previous run stopped, confirmed by the service; undefined (after removing anything stale) otherwise. */
  async resumePoint(signal?: AbortSignal): Promise<ResumePoint | undefined> {
    const rec = await this.deps.store.load(this.key)
    if (!rec) return undefined
    const why = this.staleReason(rec)
    if (why) {
      await this.startOver(rec, why)
      return undefined
    }
    let stored: Set<number>
    try {
      stored = await listStoredParts(
        this.deps.port,
        { driveId: rec.driveId, fileId: rec.fileId, uploadId: rec.uploadId },
        signal,
      )
    } catch (e) {
      if (!isDriverError(e) || (e.apiCode !== 'NotFound.UploadId' && e.code !== 'NOT_FOUND')) throw e
      await this.startOver(rec, 'the service no longer knows the upload session')
      return undefined
    }
    let partsDone = 0
    while (stored.has(partsDone + 1)) partsDone++
    const prefix = new Set<number>()
    for (let n = 1; n <= partsDone; n++) prefix.add(n)
    this.record = rec
    const bytesDone = partsDone > 0 ? this.plan.parts[partsDone - 1]!.end : 0
    this.deps.logger?.info(
      `${this.target.name}: resuming upload ${rec.uploadId}; the service holds ${partsDone} of ${this.plan.count} parts`,
    )
    return { fileId: rec.fileId, uploadId: rec.uploadId, stored: prefix, partsDone, bytesDone }
  }

  /** Remembers a fresh reservation, before any part is sent. */
  async begin(fileId: string, uploadId: string): Promise<void> {
    const t = this.now()
    this.record = {
      version: 1,
      key: this.key,
      driveId: this.deps.port.driveId,
      parentId: this.target.parentId,
      name: this.target.name,
      fileId,
      uploadId,
      partSize: this.plan.partSize,
      partCount: this.plan.count,
      partsDone: [],
      source: this.source,
      createdAt: t,
      updatedAt: t,
    }
    await this.deps.store.save(this.record)
  }

  /** Notes a stored part. Saves are chained so a slow store never reorders them. */
  partStored(partNumber: number): Promise<void> {
    const rec = this.record
    if (!rec || rec.partsDone.includes(partNumber)) return this.saving
    rec.partsDone.push(partNumber)
    rec.updatedAt = this.now()
    const snapshot = { ...rec, partsDone: [...rec.partsDone] }
    this.saving = this.saving
      .then(() => this.deps.store.save(snapshot))
      .catch((e) => {
        this.deps.logger?.warn(
          `could not save the upload session of ${this.target.name}: ${(e as Error)?.message ?? String(e)}`,
        )
      })
    return this.saving
  }

  /** The upload completed, or its reservation was discarded: nothing is left to resume. */
  async forget(): Promise<void> {
    await this.saving
    this.record = undefined
    try {
      await this.deps.store.delete(this.key)
    } catch (e) {
      this.deps.logger?.warn(
        `could not delete the upload session of ${this.target.name}: ${(e as Error)?.message ?? String(e)}`,
      )
    }
  }

  /** Lets pending saves land (the reservation is kept for a later run). */
  async settle(): Promise<void> {
    await this.saving
  }

  private staleReason(rec: UploadSessionRecord): string | undefined {
    if (rec.version !== 1 || rec.key !== this.key || rec.driveId !== this.deps.port.driveId)
      return 'the record does not belong to this target'
    if (this.now() - rec.createdAt > (this.deps.store.maxAgeMs ?? DEFAULT_SESSION_MAX_AGE_MS))
      return 'the record expired'
    if (!sameIdentity(rec.source, this.source)) return 'the source changed'
    if (rec.partSize !== this.plan.partSize || rec.partCount !== this.plan.count) return 'the part plan changed'
    return undefined
  }

  private async startOver(rec: UploadSessionRecord, why: string): Promise<void> {
    this.deps.logger?.info(`${this.target.name}: not resuming upload ${rec.uploadId} (${why}); starting over`)
    await removeStaleReservation(this.deps, rec)
    await this.forget()
  }
}

/** Deletes a previous run's reservation by id, unless the service shows it as a finished file. Best effort. */
async function removeStaleReservation(deps: SessionDeps, rec: UploadSessionRecord): Promise<void> {
  const ref = { driveId: rec.driveId, fileId: rec.fileId }
  try {
    let finished = false
    try {
      const file = await deps.port.getById(ref)
      const status = (file as { status?: unknown }).status
      finished = file.type !== 'file' || status === undefined || status === null || status === 'available'
    } catch (e) {
      if (!isDriverError(e) || e.code !== 'NOT_FOUND') throw e
    }
    if (finished) {
      deps.logger?.info(`the earlier upload ${rec.fileId} of ${rec.name} finished; it is kept`)
      return
    }
    await deps.port.discard(ref)
  } catch (e) {
    if (isDriverError(e) && e.code === 'NOT_FOUND') return
    deps.logger?.warn(
      `could not remove the stale upload reservation ${rec.fileId}: ${(e as Error)?.message ?? String(e)}`,
    )
  }
}

/** The `create` answer a resumed upload stands on: its ids, no fresh part URLs (they are fetched when needed). */
export function resumedUpload(driveId: string, point: ResumePoint): CreatedUpload {
  return {
    response: {
      drive_id: driveId,
      file_id: point.fileId,
      upload_id: point.uploadId,
      rapid_upload: false,
      part_info_list: [],
    },
    preHashMatched: false,
  }
}
