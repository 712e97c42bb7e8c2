/**
 * Everything the emulator knows: users and their drives, blobs, upload sessions, async tasks, tokens, rate limits,
 * faults, URL signing and statistics. Route handlers receive this object; it holds no HTTP concerns.
 */
import { randomBytes } from 'node:crypto'
import { ApiError, fileNotFound, inRecycleBin } from '../api-error.js'
import { newDriveId, newFileId, newHex, newUserId } from '../ids.js'
import type { DriveType, EmulatorOptions, EmulatorStats, RateLimits } from '../types.js'
import { BlobStore, type Blob } from './blob-store.js'
import { DriveTree, ROOT_ID, type FileNode } from './drive-tree.js'
import { DownloadConcurrency } from './download-concurrency.js'
import { Faults } from './faults.js'
import { DEFAULT_LIMITS, RateLimiter } from './rate-limiter.js'
import { TokenStore } from './token-store.js'
import type { UploadSession } from './upload-session.js'
import { UrlSigner } from './url-signer.js'

/** Fixed app ids so a standalone emulator keeps the same client id across restarts (32 hex, docs/api-notes.md §1.4). */
export const DEFAULT_CLIENT_ID = '4c1ea26ce54b4f0bb0c2e8f3d2a7b915'
export const DEFAULT_CLIENT_SECRET = 'emulator-client-secret-0f3e9a71c2'
/** The PDS backend documents keeping the parts of an unfinished upload for 10 days. */
export const DEFAULT_UPLOAD_SESSION_TTL_SEC = 10 * 24 * 3600
export const TV_CLIENT_ID = '9a0d1c7be6f54e2f8a3b0c4d5e6f7a81'

export interface UserRecord {
  userId: string
  name: string
  drives: Map<DriveType, DriveTree>
  totalSpace: number
}

export interface AsyncTask {
  id: string
  runningPollsLeft: number
}

export interface ResolvedOptions {
  accessTokenTtlSec: number
  accessTokenGraceSec: number
  uploadUrlTtlSec: number
  downloadUrlTtlSec: number
  clientId: string
  clientSecret: string
  drives: DriveType[]
  totalSpace: number
  asyncTaskRunningPolls: number
  uploadSessionTtlSec: number
  updateIgnoresCheckNameMode: boolean
  listedUrls: boolean
  livpStreamsInfo: boolean
}

export function emptyStats(): EmulatorStats {
  return {
    calls: {},
    statuses: {},
    rateLimited: 0,
    refreshes: 0,
    partPuts: 0,
    partBytes: 0,
    downloads: 0,
    downloadBytes: 0,
    downloadsOverConcurrency: 0,
    downloadsPeak: 0,
  }
}

export class EmulatorState {
  readonly opts: ResolvedOptions
  readonly now: () => number
  readonly users = new Map<string, UserRecord>()
  readonly drives = new Map<string, DriveTree>()
  readonly blobs: BlobStore
  readonly uploads = new Map<string, UploadSession>()
  readonly tasks = new Map<string, AsyncTask>()
  readonly tokens: TokenStore
  readonly limiter: RateLimiter
  readonly faults: Faults
  readonly signer: UrlSigner
  readonly downloadSlots: DownloadConcurrency
  stats: EmulatorStats = emptyStats()
  private lastUploadSweep = Number.NEGATIVE_INFINITY
  baseUrl = ''

  /** `secret` signs tokens and URLs; a persistent emulator passes the one it saved. */
  constructor(
    options: EmulatorOptions,
    readonly secret: string = randomBytes(32).toString('hex'),
  ) {
    this.now = options.now ?? Date.now
    this.opts = {
      accessTokenTtlSec: options.accessTokenTtlSec ?? 7200,
      accessTokenGraceSec: options.accessTokenGraceSec ?? 300,
      uploadUrlTtlSec: options.uploadUrlTtlSec ?? 3600,
      downloadUrlTtlSec: options.downloadUrlTtlSec ?? 900,
      clientId: options.clientId ?? DEFAULT_CLIENT_ID,
      clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
      drives: options.drives ?? ['default', 'resource', 'backup'],
      totalSpace: options.totalSpace ?? 2 ** 40,
      asyncTaskRunningPolls: options.asyncTaskRunningPolls ?? 1,
      uploadSessionTtlSec: options.uploadSessionTtlSec ?? DEFAULT_UPLOAD_SESSION_TTL_SEC,
      updateIgnoresCheckNameMode: options.updateIgnoresCheckNameMode ?? false,
      listedUrls: options.listedUrls ?? true,
      livpStreamsInfo: options.livpStreamsInfo ?? true,
    }
    this.blobs = new BlobStore(options.storageDir)
    this.tokens = new TokenStore(secret, this.now, this.opts.accessTokenTtlSec, this.opts.accessTokenGraceSec, (u) =>
      [...(this.users.get(u)?.drives.values() ?? [])].map((d) => d.driveId),
    )
    this.limiter = new RateLimiter(options.limits === undefined ? DEFAULT_LIMITS : options.limits, this.now)
    this.faults = new Faults(options.faults)
    this.downloadSlots = new DownloadConcurrency(options.maxConcurrentDownloads ?? false)
    this.signer = new UrlSigner(secret, () => this.baseUrl, `STS.${newHex(12).toUpperCase()}`)
  }

  setLimits(limits: RateLimits | false): void {
    this.limiter.setLimits(limits)
  }

  createUser(): UserRecord {
    const userId = newUserId()
    const drives = new Map<DriveType, DriveTree>()
    // The default drive always exists: getDriveInfo always carries default_drive_id (docs/api-notes.md §3.1).
    const types = new Set<DriveType>(['default', ...this.opts.drives])
    for (const type of types) {
      const tree = new DriveTree(newDriveId(), userId, type)
      drives.set(type, tree)
      this.drives.set(tree.driveId, tree)
    }
    const user: UserRecord = {
      userId,
      name: `emulator-${userId.slice(0, 6)}`,
      drives,
      totalSpace: this.opts.totalSpace,
    }
    this.users.set(userId, user)
    return user
  }

  /** The drive named by `drive_id`, which must belong to the caller. */
  requireDrive(userId: string, driveId: string | undefined): DriveTree {
    if (!driveId) throw new ApiError(400, 'InvalidParameter.DriveId', 'The input parameter drive_id is not valid.')
    const tree = this.drives.get(driveId)
    if (!tree || tree.userId !== userId) {
      throw new ApiError(403, 'ForbiddenDriveNotValid', `The drive ${driveId} is not valid for this user.`)
    }
    return tree
  }

  /** A completed node by id (trashed allowed), else 404. */
  requireNode(tree: DriveTree, fileId: string | undefined): FileNode {
    const node = fileId ? tree.get(fileId) : undefined
    if (!node || !node.visible) throw fileNotFound(fileId ?? '')
    return node
  }

  /** A node that may be operated on: exists and is not in the recycle bin. */
  requireLiveNode(tree: DriveTree, fileId: string | undefined): FileNode {
    const node = this.requireNode(tree, fileId)
    if (tree.inRecycleBin(node)) throw inRecycleBin()
    return node
  }

  /** A folder that may receive children ('root' or a live folder). */
  requireLiveFolder(tree: DriveTree, folderId: string | undefined): string {
    if (!folderId)
      throw new ApiError(400, 'InvalidParameter.ParentFileId', 'The input parameter parent_file_id is not valid.')
    if (folderId === ROOT_ID) return ROOT_ID
    const node = this.requireLiveNode(tree, folderId)
    if (node.type !== 'folder') throw new ApiError(400, 'InvalidParameter.ParentFileId', 'The parent is not a folder.')
    return node.fileId
  }

  /** Bytes used by a user: every completed file, trashed ones included (the bin still counts, docs/api-notes.md §3.16). */
  usedSpace(userId: string): number {
    let used = 0
    for (const tree of this.users.get(userId)?.drives.values() ?? []) {
      for (const n of tree.nodes.values()) if (n.visible && n.blob) used += n.blob.size
    }
    return used
  }

  /** ExceedCapacityForbidden when `extra` more bytes would not fit (403: docs/api-notes.md §4.2 lists it with 403). */
  checkQuota(userId: string, extra: number): void {
    const user = this.users.get(userId)
    if (!user) return
    if (this.usedSpace(userId) + extra > user.totalSpace) {
      throw new ApiError(403, 'ExceedCapacityForbidden', 'Execeed Capactity Forbidden')
    }
  }

  newNode(tree: DriveTree, parentId: string, name: string, type: 'file' | 'folder', visible: boolean): FileNode {
    const t = this.now()
    return {
      fileId: newFileId(t),
      driveId: tree.driveId,
      parentId,
      name,
      type,
      createdAt: t,
      updatedAt: t,
      trashed: false,
      visible,
      revisionId: newFileId(t),
      starred: false,
    }
  }

  linkBlob(node: FileNode, blob: Blob): void {
    node.blob = blob
    this.blobs.ref(blob)
  }

  /** Removes a subtree for good, releasing blobs and abandoning any upload that reserved one of its nodes. */
  deleteSubtree(tree: DriveTree, node: FileNode): void {
    for (const n of tree.removeSubtree(node)) {
      if (n.blob) this.blobs.unref(n.blob)
      for (const s of this.uploads.values()) {
        if (s.fileId === n.fileId && s.driveId === tree.driveId) {
          if (s.state === 'uploading') s.discard()
          this.uploads.delete(s.uploadId)
        }
      }
    }
  }

  /** Unfinished uploads past their lifetime are forgotten with their parts and reservation (NotFound.UploadId). */
  expireUploads(): void {
    // At most once a second: every upload call asks, and completed sessions stay in the map (complete is repeatable).
    const now = this.now()
    if (now - this.lastUploadSweep < 1000) return
    this.lastUploadSweep = now
    const oldest = now - this.opts.uploadSessionTtlSec * 1000
    for (const s of [...this.uploads.values()]) {
      if (s.state !== 'uploading' || s.createdAt >= oldest || s.inflight.size > 0) continue
      s.discard()
      this.uploads.delete(s.uploadId)
      const tree = this.drives.get(s.driveId)
      const node = tree?.get(s.fileId)
      if (tree && node && !node.visible) tree.removeSubtree(node)
    }
  }

  newTask(): string {
    const id = newHex(16)
    this.tasks.set(id, { id, runningPollsLeft: this.opts.asyncTaskRunningPolls })
    return id
  }
}

export { ROOT_ID }
