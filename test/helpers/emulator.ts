/** Raw-HTTP helpers for the emulator tests (no driver involved). */
import { createHash } from 'node:crypto'
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js'

export interface Reply {
  status: number
  headers: Headers
  // Loose JSON on purpose: each test reads the fields its endpoint answers with.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  text: string
}

export async function call(
  emu: { apiUrl: string },
  token: string | undefined,
  path: string,
  body?: unknown,
): Promise<Reply> {
  const res = await fetch(`${emu.apiUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  return { status: res.status, headers: res.headers, body: parsed, text }
}

/** An emulator without rate limits (tests that check limits turn them on explicitly). */
export async function emulator(
  opts: EmulatorOptions = {},
): Promise<{ emu: EmulatorHandle; token: string; drive: string }> {
  const emu = await startEmulator({ limits: false, ...opts })
  return { emu, token: emu.issueAccessToken(), drive: emu.driveIds.resource ?? emu.driveIds.default }
}

export const sha1Upper = (b: Uint8Array): string => createHash('sha1').update(b).digest('hex').toUpperCase()

export async function putPart(
  url: string,
  data: Uint8Array | string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, { method: 'PUT', body: typeof data === 'string' ? data : Buffer.from(data), headers })
}

/** create → PUT every part → complete; returns the complete reply. */
export async function uploadFile(
  emu: { apiUrl: string },
  token: string,
  drive: string,
  parent: string,
  name: string,
  parts: Uint8Array[],
  extra: Record<string, unknown> = {},
): Promise<Reply> {
  const created = await call(emu, token, '/adrive/v1.0/openFile/create', {
    drive_id: drive,
    parent_file_id: parent,
    name,
    type: 'file',
    check_name_mode: 'ignore',
    part_info_list: parts.map((_, i) => ({ part_number: i + 1 })),
    ...extra,
  })
  if (created.status !== 200) throw new Error(`create failed: ${created.text}`)
  for (const [i, p] of parts.entries()) {
    // Node's fetch adds `content-type: text/plain` only for string bodies; Buffers go without one.
    const r = await putPart(created.body.part_info_list[i].upload_url, p)
    if (r.status !== 200) throw new Error(`part ${i + 1} failed: ${r.status} ${await r.text()}`)
  }
  return call(emu, token, '/adrive/v1.0/openFile/complete', {
    drive_id: drive,
    file_id: created.body.file_id,
    upload_id: created.body.upload_id,
  })
}
