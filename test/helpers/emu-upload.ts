/** Upload dependencies wired to a live emulator, as the driver wires them (brief: ApiClient + TokenManager). */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import axios from 'axios'
import { FilesApi } from '../../src/api/files.js'
import { TokenManager } from '../../src/auth/token-manager.js'
import { parseConfig } from '../../src/config/index.js'
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js'
import { ApiClient } from '../../src/http/api-client.js'
import { apiUploadPort, type UploadDeps } from '../../src/upload/index.js'

export async function emuSetup(opts: EmulatorOptions = {}, cfg: Record<string, unknown> = {}) {
  const emu = await startEmulator({ limits: false, ...opts })
  const config = parseConfig(emu.driverConfig({ drive_type: 'resource', ...cfg }))
  const tokens = new TokenManager({
    config,
    http: axios.create({ validateStatus: () => true, responseType: 'text', transformResponse: [(d: unknown) => d] }),
    apiBaseUrl: emu.apiUrl,
    acquire: async () => {},
  })
  const api = new ApiClient({
    baseUrl: emu.apiUrl,
    tokens,
    acquire: async () => {},
    retry: { minDelayMs: 5, maxDelayMs: 20 },
  })
  const driveId = emu.driveIds.resource!
  const files = new FilesApi(api, driveId)
  const deps: UploadDeps = {
    port: apiUploadPort({
      api,
      files,
      listOrder: { order_by: '', order_direction: '' },
      async removeById(fileId, opts) {
        await (config.remove_way === 'delete' ? files.delete(fileId, opts) : files.trash(fileId, opts))
      },
    }),
    settings: config,
    partRetry: { minDelayMs: 5, maxDelayMs: 20, idleTimeoutMs: 10_000 },
  }
  return { emu, deps, api, config }
}

/** Visible files named `name` in the resource drive root. */
export function visibleNamed(emu: EmulatorHandle, name: string) {
  return emu.debugTree('resource').filter((e) => e.name === name && !e.trashed && e.parent_file_id === 'root')
}

export type ProxyAction = 'forward' | 'fake-ok' | 'lose-answer'

/**
 * A data-plane proxy in front of the emulator: decides per part PUT whether to forward it, answer 200 without
 * forwarding (the server never got it), or forward and then drop the answer (the server stored it; the client
 * never heard). Part URLs are pointed at it by `routeUploadsThrough`.
 */
export async function startPartProxy(target: string, decide: (partNumber: number, attempt: number) => ProxyAction) {
  const attempts = new Map<number, number>()
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', target)
    const n = Number(url.searchParams.get('partNumber'))
    const attempt = (attempts.get(n) ?? 0) + 1
    attempts.set(n, attempt)
    const action = decide(n, attempt)
    if (action === 'fake-ok') {
      req.resume()
      req.on('end', () => res.writeHead(200, { 'content-length': 0 }).end())
      return
    }
    const up = http.request(url, { method: req.method, headers: req.headers }, (upRes) => {
      if (action === 'lose-answer') {
        upRes.resume()
        upRes.on('end', () => req.socket.destroy())
        return
      }
      res.writeHead(upRes.statusCode ?? 502, upRes.headers)
      upRes.pipe(res)
    })
    up.on('error', () => res.destroy())
    req.pipe(up)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { base, attempts, close: () => new Promise<void>((r) => server.close(() => r())) }
}

/** Rewrites every upload_url the API returns so part PUTs go through `proxyBase`. */
export function routeUploadsThrough(api: ApiClient, emuUrl: string, proxyBase: string): void {
  const real = api.call.bind(api)
  api.call = (async (...args: Parameters<typeof real>) => {
    const res = (await real(...args)) as { part_info_list?: Array<{ upload_url?: string }> } | undefined
    for (const p of res?.part_info_list ?? [])
      if (p.upload_url) p.upload_url = String(p.upload_url).replace(emuUrl, proxyBase)
    return res
  }) as ApiClient['call']
}
