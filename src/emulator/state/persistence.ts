/**
 * A persistent emulator (`persist: true` with `storageDir`): what a client relies on across a restart — users and
 * their drives, the file trees, content blobs (their part files stay where they are), tokens and the signing secret,
 * and unfinished uploads with their stored parts — is written to one JSON file at close and read back at start.
 * The running SHA-1 of an unfinished upload cannot be serialised, so it is recomputed from its part files at load.
 */
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import type { DriveType } from '../types.js'
import { readSegments, type Blob, type Segment } from './blob-store.js'
import { DriveTree, type FileNode } from './drive-tree.js'
import type { EmulatorState, UserRecord } from './emulator-state.js'
import type { TokenStore } from './token-store.js'
import { UploadSession } from './upload-session.js'

const FILE = 'emulator-state.json'

type SegmentJson =
  | { kind: 'mem'; base64: string }
  | { kind: 'file'; path: string; size: number }
  | { kind: 'gen'; seed: number; size: number }

interface Snapshot {
  version: 1
  secret: string
  mainUserId: string
  users: Array<{ userId: string; name: string; totalSpace: number; drives: Array<[DriveType, string]> }>
  blobs: Array<{ id: number; size: number; sha1: string; preHash: string; segments: SegmentJson[] }>
  nodes: Array<Omit<FileNode, 'blob'> & { blobId?: number }>
  uploads: Array<{
    uploadId: string
    userId: string
    driveId: string
    fileId: string
    declaredParts: Array<[number, number | null]>
    declaredHash?: string
    rapid: boolean
    createdAt: number
    state: 'uploading' | 'completed'
    parts: Array<{ partNumber: number; size: number; etag: string; segment: SegmentJson }>
  }>
  tokens: ReturnType<TokenStore['exportRecords']>
}

const toJson = (s: Segment): SegmentJson => (s.kind === 'mem' ? { kind: 'mem', base64: s.data.toString('base64') } : s)
const fromJson = (s: SegmentJson): Segment =>
  s.kind === 'mem' ? { kind: 'mem', data: Buffer.from(s.base64, 'base64') } : s

/** The secret and main user of a saved state, if `dir` holds one. */
export function readSnapshot(dir: string): Snapshot | undefined {
  const path = join(dir, FILE)
  if (!existsSync(path)) return undefined
  const snap = JSON.parse(readFileSync(path, 'utf8')) as Snapshot
  if (snap.version !== 1) throw new Error(`${path}: unknown emulator state version ${String(snap.version)}`)
  return snap
}

export function saveSnapshot(dir: string, state: EmulatorState, mainUserId: string): void {
  const blobs = new Map<number, Blob>()
  const nodes: Snapshot['nodes'] = []
  for (const tree of state.drives.values()) {
    for (const n of tree.nodes.values()) {
      const { blob, ...rest } = n
      if (blob) blobs.set(blob.id, blob)
      nodes.push({ ...rest, ...(blob ? { blobId: blob.id } : {}) })
    }
  }
  const snap: Snapshot = {
    version: 1,
    secret: state.secret,
    mainUserId,
    users: [...state.users.values()].map((u) => ({
      userId: u.userId,
      name: u.name,
      totalSpace: u.totalSpace,
      drives: [...u.drives].map(([t, d]) => [t, d.driveId]),
    })),
    blobs: [...blobs.values()].map((b) => ({
      id: b.id,
      size: b.size,
      sha1: b.sha1,
      preHash: b.preHash,
      segments: b.segments.map(toJson),
    })),
    nodes,
    uploads: [...state.uploads.values()].map((s) => ({
      uploadId: s.uploadId,
      userId: s.userId,
      driveId: s.driveId,
      fileId: s.fileId,
      declaredParts: [...s.declaredParts],
      ...(s.declaredHash ? { declaredHash: s.declaredHash } : {}),
      rapid: s.rapid,
      createdAt: s.createdAt,
      state: s.state,
      parts: [...s.parts.values()].map((p) => ({
        partNumber: p.partNumber,
        size: p.size,
        etag: p.etag,
        segment: toJson(p.segment),
      })),
    })),
    tokens: state.tokens.exportRecords(),
  }
  const path = join(dir, FILE)
  writeFileSync(`${path}.tmp`, JSON.stringify(snap))
  renameSync(`${path}.tmp`, path)
}

/** Rebuilds users, trees, blobs, uploads and tokens into a fresh state; returns the main user. */
export async function restoreSnapshot(state: EmulatorState, snap: Snapshot): Promise<UserRecord> {
  for (const u of snap.users) {
    const drives = new Map<DriveType, DriveTree>()
    for (const [type, driveId] of u.drives) {
      const tree = new DriveTree(driveId, u.userId, type)
      drives.set(type, tree)
      state.drives.set(driveId, tree)
    }
    state.users.set(u.userId, { userId: u.userId, name: u.name, totalSpace: u.totalSpace, drives })
  }
  const blobs = new Map(
    snap.blobs.map((b) => [b.id, state.blobs.fromHashed(b.segments.map(fromJson), b.size, b.sha1, b.preHash)]),
  )
  for (const { blobId, ...node } of snap.nodes) {
    const tree = state.drives.get(node.driveId)
    if (!tree) continue
    tree.add(node)
    const blob = blobId === undefined ? undefined : blobs.get(blobId)
    if (blob) state.linkBlob(node, blob)
  }
  for (const u of snap.uploads) {
    const s = new UploadSession(
      u.uploadId,
      u.userId,
      u.driveId,
      u.fileId,
      new Map(u.declaredParts),
      u.declaredHash,
      u.rapid,
      u.createdAt,
    )
    s.state = u.state
    for (const p of u.parts.sort((a, b) => a.partNumber - b.partNumber)) {
      const segment = fromJson(p.segment)
      const hash = s.hash
      let head = s.head
      for await (const chunk of readSegments([segment], 0, p.size)) {
        hash.update(chunk)
        if (head.length < 1024) head = Buffer.concat([head, chunk.subarray(0, 1024 - head.length)])
      }
      s.commitPart({ partNumber: p.partNumber, size: p.size, etag: p.etag, segment }, hash, head)
    }
    state.uploads.set(s.uploadId, s)
  }
  state.tokens.importRecords(snap.tokens)
  const main = state.users.get(snap.mainUserId)
  if (!main) throw new Error('saved emulator state has no main user')
  return main
}
