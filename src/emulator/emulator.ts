/**
 * `startEmulator(options)` (docs/contract.md §5): builds the state, applies the seed, listens, and returns the handle.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { readSegments } from './state/blob-store.js'
import { AuthCodes } from './state/auth-codes.js'
import { QrSessions } from './state/qr-sessions.js'
import { emptyStats, EmulatorState, TV_CLIENT_ID, type UserRecord } from './state/emulator-state.js'
import type { DriveTree, FileNode } from './state/drive-tree.js'
import { readSnapshot, restoreSnapshot, saveSnapshot } from './state/persistence.js'
import { applySeed } from './seed.js'
import { createRequestHandler, RENEW_PATH } from './server.js'
import type { DriveType, EmulatorEntry, EmulatorHandle, EmulatorOptions, EmulatorUser, TokenApp } from './types.js'

function entryOf(tree: DriveTree, n: FileNode): EmulatorEntry {
  return {
    file_id: n.fileId,
    parent_file_id: n.parentId,
    name: n.name,
    path: tree.pathOf(n),
    type: n.type,
    size: n.blob?.size ?? 0,
    content_hash: n.blob?.sha1,
    trashed: n.trashed,
    ...(n.localModifiedAt ? { local_modified_at: n.localModifiedAt } : {}),
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  if (options.persist && !options.storageDir) throw new Error('persist needs a storageDir to keep the state in')
  // Each instance gets its own sub-directory, removed on close, so instances can share a storageDir; a persistent
  // emulator uses the folder itself and keeps it.
  const ownDir = options.storageDir && join(options.storageDir, `emu-${randomBytes(6).toString('hex')}`)
  const storageDir = options.persist ? options.storageDir : ownDir
  if (storageDir) mkdirSync(storageDir, { recursive: true })
  const saved = options.persist && storageDir ? readSnapshot(storageDir) : undefined
  const state = new EmulatorState({ ...options, storageDir }, ...(saved ? [saved.secret] : []))
  const codes = new AuthCodes(state.now)
  const openApp = { clientId: state.opts.clientId, clientSecret: state.opts.clientSecret }
  const tvApp = { clientId: TV_CLIENT_ID, clientSecret: randomBytes(16).toString('hex') }
  const qr = new QrSessions(state.now, (options.qrCodeTtlSec ?? 180) * 1000, codes)
  const mainUser = saved ? await restoreSnapshot(state, saved) : state.createUser()
  if (!saved) await applySeed(state, mainUser, options.seed ?? [])

  const server = createServer(
    createRequestHandler({ state, codes, qr, openApp, tvApp, defaultUserId: () => mainUser.userId }),
  )
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  state.baseUrl = `http://${host}:${address.port}`

  const userHandle = (user: UserRecord): EmulatorUser => {
    const appId = (app: TokenApp = 'open'): string => (app === 'tv' ? tvApp.clientId : openApp.clientId)
    return {
      userId: user.userId,
      driveIds: {
        default: user.drives.get('default')?.driveId ?? '',
        resource: user.drives.get('resource')?.driveId,
        backup: user.drives.get('backup')?.driveId,
      },
      issueRefreshToken: (app) => state.tokens.issueRefresh(user.userId, appId(app)),
      issueAccessToken: (app) => state.tokens.issueAccess(user.userId, appId(app)),
    }
  }
  const treeOf = (drive: DriveType): DriveTree => {
    const tree = mainUser.drives.get(drive)
    if (!tree) throw new Error(`drive '${drive}' is not enabled`)
    return tree
  }
  const visibleNode = (drive: DriveType, path: string): FileNode | undefined => {
    const found = treeOf(drive).resolvePath(path)
    return found && found !== 'root' ? found : undefined
  }

  const main = userHandle(mainUser)
  return {
    ...main,
    apiUrl: state.baseUrl,
    renewApiUrl: `${state.baseUrl}${RENEW_PATH}`,
    clientId: openApp.clientId,
    clientSecret: openApp.clientSecret,
    tvClientId: tvApp.clientId,
    driverConfig: (overrides = {}) => ({
      // Issued only when none is given: a token a test brings (a saved, rotated one) is the one to use.
      refresh_token: overrides.refresh_token ?? main.issueRefreshToken(),
      use_online_api: false,
      client_id: openApp.clientId,
      client_secret: openApp.clientSecret,
      ...overrides,
    }),
    setFaults: (f) => state.faults.set(f),
    setLimits: (l) => state.setLimits(l),
    setMaxConcurrentDownloads: (max) => state.downloadSlots.setMax(max),
    expireAccessTokens: () => state.tokens.expireAllAccess(),
    stats: () => structuredClone(state.stats),
    resetStats: () => {
      state.stats = emptyStats()
    },
    createUser: () => userHandle(state.createUser()),
    debugTree: (drive = 'resource') => {
      const tree = treeOf(drive)
      return tree
        .walk()
        .filter((n) => n.visible)
        .map((n) => entryOf(tree, n))
    },
    findByPath: (drive, path) => {
      const node = visibleNode(drive, path)
      return node && entryOf(treeOf(drive), node)
    },
    readFile: async (drive, path) => {
      const node = visibleNode(drive, path)
      if (!node?.blob) throw new Error(`no file at ${drive}:${path}`)
      const chunks: Buffer[] = []
      for await (const c of readSegments(node.blob.segments, 0, node.blob.size)) chunks.push(c)
      return Buffer.concat(chunks)
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      if (storageDir && options.persist) saveSnapshot(storageDir, state, mainUser.userId)
      else if (storageDir) rmSync(storageDir, { recursive: true, force: true })
    },
  }
}
