/**
 * A second upload baseline, for diagnosis: the least any client must do to put the file into the emulator — one
 * create, then each 20 MiB part as a raw streaming PUT to its upload URL (in order, as the API requires), then
 * complete. No hashing, no buffering, no retries. The gap between this and the discarding sink is the receiver's
 * own cost (the emulator hashes SHA-1 and MD5 of every byte, as the service does); the gap between this and our
 * upload is the driver's.
 */
import { createReadStream, statSync } from 'node:fs'
import { request } from 'node:http'
import { pipeline } from 'node:stream/promises'
import type { EmuInfo } from '../lib/emulator-proc.js'
import { childMain } from '../lib/proc.js'

const PART = 20 * 1024 * 1024

interface PartInfo {
  part_number: number
  upload_url: string
}

async function api<T>(info: EmuInfo, token: string, path: string, body: object): Promise<T> {
  const res = await fetch(`${info.apiUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const json = await res.json()
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`)
  return json as T
}

function putRange(url: string, file: string, start: number, end: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { 'content-length': end - start } }, (res) => {
      res.resume()
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`part PUT ${res.statusCode}`))))
    })
    req.on('error', reject)
    pipeline(createReadStream(file, { start, end: end - 1 }), req).catch(reject)
  })
}

childMain(async ({ info, refreshToken, file }: { info: EmuInfo; refreshToken: string; file: string }) => {
  const tok = await (
    await fetch(`${info.apiUrl}/oauth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: info.clientId,
        client_secret: info.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      }),
    })
  ).json()
  const token = (tok as { access_token: string }).access_token
  const size = statSync(file).size
  const count = Math.ceil(size / PART)
  const t0 = performance.now()
  const created = await api<{ file_id: string; upload_id: string; part_info_list: PartInfo[] }>(
    info,
    token,
    '/adrive/v1.0/openFile/create',
    {
      drive_id: info.driveId,
      parent_file_id: 'root',
      name: 'raw-parts.bin',
      type: 'file',
      check_name_mode: 'ignore',
      size,
      part_info_list: Array.from({ length: count }, (_, i) => ({ part_number: i + 1 })),
    },
  )
  for (const p of created.part_info_list)
    await putRange(p.upload_url, file, (p.part_number - 1) * PART, Math.min(size, p.part_number * PART))
  const done = await api<{ size: number }>(info, token, '/adrive/v1.0/openFile/complete', {
    drive_id: info.driveId,
    file_id: created.file_id,
    upload_id: created.upload_id,
  })
  const ms = performance.now() - t0
  if (done.size !== size) throw new Error(`complete says ${done.size} bytes, expected ${size}`)
  return { ms }
})
