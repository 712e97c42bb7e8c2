/**
 * The uploading process of bench/upload-bench.ts: one upload into the emulator, then its own peak RSS (VmHWM).
 * It imports only what a host using the driver would (not the emulator), so its memory is the driver's.
 */
import { readFileSync } from 'node:fs'
import axios from 'axios'
import { FilesApi } from '../src/api/files.js'
import { TokenManager } from '../src/auth/token-manager.js'
import { parseConfig } from '../src/config/index.js'
import { ApiClient } from '../src/http/api-client.js'
import { apiUploadPort, fromFile, uploadToFolder } from '../src/upload/index.js'

export interface EmuInfo {
  apiUrl: string
  refreshToken: string
  clientId: string
  clientSecret: string
  driveId: string
}

/** Peak resident set size of this process so far, in KiB (Linux). */
function peakRssKb(): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0)
}

async function uploadChild(): Promise<void> {
  const { info, file, name, rapid } = JSON.parse(process.argv[2]!) as {
    info: EmuInfo
    file: string
    name: string
    rapid: boolean
  }
  const config = parseConfig({
    refresh_token: info.refreshToken,
    use_online_api: false,
    client_id: info.clientId,
    client_secret: info.clientSecret,
    drive_type: 'resource',
    rapid_upload: rapid,
  })
  const tokens = new TokenManager({
    config,
    http: axios.create({ validateStatus: () => true, responseType: 'text', transformResponse: [(d: unknown) => d] }),
    apiBaseUrl: info.apiUrl,
    acquire: async () => {},
  })
  const api = new ApiClient({ baseUrl: info.apiUrl, tokens, acquire: async () => {} })
  const files = new FilesApi(api, info.driveId)
  const baseline = peakRssKb()
  let hashingMs = 0
  let hashStart = 0
  const t0 = performance.now()
  const done = await uploadToFolder(
    {
      port: apiUploadPort({
        api,
        files,
        listOrder: { order_by: '', order_direction: '' },
        removeById: async (id) => void (await files.trash(id)),
      }),
      settings: config,
    },
    'root',
    fromFile(file, { name }),
    {
      onProgress: (p) => {
        if (p.phase === 'hashing' && !hashStart) hashStart = performance.now()
        if (p.phase === 'hashing' && p.loaded === p.total) hashingMs = performance.now() - hashStart
      },
    },
  )
  const ms = performance.now() - t0
  process.send!({
    ms,
    hashingMs,
    baselineKb: baseline,
    peakKb: peakRssKb(),
    size: done.size,
    sha1: done.content_hash?.toLowerCase(),
  })
}

if (process.send) {
  uploadChild().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
