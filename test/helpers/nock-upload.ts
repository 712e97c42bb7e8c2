/** Shared setup for the upload tests against nock: an ApiClient with a stub token source and exact mocks. */
import { FilesApi } from '../../src/api/files.js'
import type { WireFile } from '../../src/api/wire.js'
import { parseConfig } from '../../src/config/index.js'
import { ApiClient, type TokenSource } from '../../src/http/api-client.js'
import { apiUploadPort, type UploadDeps } from '../../src/upload/index.js'

export const API = 'http://api.upload.test'
export const OSS = 'http://oss.upload.test'
export const DRIVE = '7001'
export const P = (name: string) => `/adrive/v1.0/openFile/${name}`

/** A token source whose token can be rotated by the test (to check the proof follows the sending token). */
export function stubTokens(first = 'tok-1', next = 'tok-2'): TokenSource & { current: string; refreshes: number } {
  const t = {
    current: first,
    refreshes: 0,
    async accessToken() {
      return t.current
    },
    async refresh() {
      t.refreshes++
      t.current = next
      return t.current
    },
  }
  return t
}

export function nockDeps(
  opts: { rapid?: boolean; internal?: boolean; tokens?: TokenSource; children?: WireFile[]; partSize?: number } = {},
) {
  const api = new ApiClient({
    baseUrl: API,
    tokens: opts.tokens ?? stubTokens(),
    acquire: async () => {},
    retry: { minDelayMs: 1, maxDelayMs: 2 },
  })
  const config = parseConfig({
    refresh_token: 'r'.repeat(20),
    rapid_upload: opts.rapid ?? false,
    internal_upload: opts.internal ?? false,
  })
  const removed: string[] = []
  const listed: string[] = []
  const overApi = apiUploadPort({
    api,
    files: new FilesApi(api, DRIVE),
    listOrder: { order_by: '', order_direction: '' },
    removeById: async () => {},
  })
  const deps: UploadDeps = {
    port: {
      ...overApi,
      async listChildren(parentId) {
        listed.push(parentId)
        return opts.children ?? []
      },
      async removeById(id) {
        removed.push(id)
      },
      // A replaced file is read again before its removal: unchanged here (test/reliability/overwrite-race.test.ts
      // races it). Any other id (the upload's own reservation) is read through the API, i.e. from the nock mocks.
      async getById(ref, callOpts) {
        return (opts.children ?? []).find((c) => c.file_id === ref.fileId) ?? overApi.getById(ref, callOpts)
      },
    },
    settings: config,
    partRetry: { minDelayMs: 1, maxDelayMs: 4, idleTimeoutMs: 5_000 },
    ...(opts.partSize ? { partSizeOverride: opts.partSize } : {}),
  }
  return { deps, removed, listed, api }
}

export function partUrl(
  fileId: string,
  n: number,
  expiresSec = Math.floor(Date.now() / 1000) + 3600,
  host = OSS,
): string {
  return `${host}/up/${fileId}?partNumber=${n}&uploadId=U1&x-oss-expires=${expiresSec}&x-oss-signature=sig`
}

export function createReply(fileId: string, parts: number, extra: Record<string, unknown> = {}) {
  return {
    drive_id: DRIVE,
    file_id: fileId,
    parent_file_id: 'root',
    file_name: 'f.bin',
    type: 'file',
    upload_id: 'U1',
    rapid_upload: false,
    part_info_list: Array.from({ length: parts }, (_, i) => ({
      part_number: i + 1,
      upload_url: partUrl(fileId, i + 1),
    })),
    ...extra,
  }
}

export function completedFile(fileId: string, size: number, sha1Upper: string, name = 'f.bin') {
  return {
    drive_id: DRIVE,
    file_id: fileId,
    parent_file_id: 'root',
    name,
    type: 'file',
    size,
    content_hash: sha1Upper,
    content_hash_name: 'sha1',
  }
}

export const ossXml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${code}</Code>\n  ` +
  `<Message>${message}</Message>\n  <RequestId>RID</RequestId>\n</Error>`
