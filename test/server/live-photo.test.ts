/**
 * A Live Photo (.livp) is described as the stream it is delivered as (docs/api-notes.md §13.1): on every route the
 * listed size, Content-Length, Content-Type, ETag and Range answers describe the bytes that come, for both
 * `livp_download_format` values. The demo drive's `/Pictures/live.livp` is the subject.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoSeed, livpStreamBytes } from '../../src/emulator/index.js'
import { OpenListClient } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

const TYPES = { jpeg: 'image/jpeg', mov: 'video/quicktime' } as const

describe.each(['jpeg', 'mov'] as const)('livp_download_format %s', (format) => {
  let s: Stack
  let api: OpenListClient
  let stream: Buffer
  let containerSha1: string
  beforeAll(async () => {
    s = await startStack({ seed: demoSeed() }, {}, { config: { livp_download_format: format } })
    api = new OpenListClient(s.server.url, s.server.token)
    const entry = s.emu.findByPath('resource', '/Pictures/live.livp')!
    containerSha1 = entry.content_hash!.toLowerCase()
    stream = livpStreamBytes(entry.content_hash!, format)
    expect(stream.length).not.toBe(entry.size) // the container's size is not what any route delivers
  })
  afterAll(() => s?.close())

  const auth = () => ({ Authorization: s.basic })
  const signed = async (route: 'd' | 'p', extra = '') => {
    const sign = (await api.post('/fs/get', { path: '/Pictures/live.livp' })).json.data.sign as string
    return `${s.server.url}/${route}/Pictures/live.livp?sign=${encodeURIComponent(sign)}${extra}`
  }
  const expectWhole = async (res: Response) => {
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(TYPES[format])
    const body = Buffer.from(await res.arrayBuffer())
    expect(Number(res.headers.get('content-length'))).toBe(body.length)
    expect(body.equals(stream)).toBe(true)
    const etag = res.headers.get('etag')
    if (etag) expect(etag).not.toContain(containerSha1)
  }
  const expectRange = async (res: Response) => {
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe(`bytes 100-199/${stream.length}`)
    expect(Buffer.from(await res.arrayBuffer()).equals(stream.subarray(100, 200))).toBe(true)
  }

  it('PROPFIND lists the delivered size and type; WebDAV GET, HEAD and Range describe the same bytes', async () => {
    const list = await fetch(`${s.server.url}/dav/Pictures/`, {
      method: 'PROPFIND',
      headers: { ...auth(), Depth: '1' },
    })
    const xml = await list.text()
    const entry = xml.split('<D:response>').find((r) => r.includes('live.livp'))!
    expect(entry).toContain(`<D:getcontentlength>${stream.length}</D:getcontentlength>`)
    expect(entry).toContain(`<D:getcontenttype>${TYPES[format]}</D:getcontenttype>`)
    expect(entry).not.toContain(containerSha1)
    await expectWhole(await fetch(`${s.server.url}/dav/Pictures/live.livp`, { headers: auth() }))
    const head = await fetch(`${s.server.url}/dav/Pictures/live.livp`, { method: 'HEAD', headers: auth() })
    expect(Number(head.headers.get('content-length'))).toBe(stream.length)
    expect(head.headers.get('content-type')).toBe(TYPES[format])
    await expectRange(
      await fetch(`${s.server.url}/dav/Pictures/live.livp`, { headers: { ...auth(), Range: 'bytes=100-199' } }),
    )
  })

  it('/api/fs/list and /api/fs/get report the delivered size and its preview type, no container hash', async () => {
    const listed = (await api.post('/fs/list', { path: '/Pictures' })).json.data.content as Array<
      Record<string, unknown>
    >
    const live = listed.find((o) => o.name === 'live.livp')!
    expect(live.size).toBe(stream.length)
    expect(live.type).toBe(format === 'jpeg' ? 5 : 2)
    expect(JSON.stringify(live)).not.toContain(containerSha1)
    const got = (await api.post('/fs/get', { path: '/Pictures/live.livp' })).json.data as Record<string, unknown>
    expect(got.size).toBe(stream.length)
  })

  it('/d/ redirects to the stream the listing describes; /d/?proxy=1 and /p/ stream it whole and by range', async () => {
    const redirect = await fetch(await signed('d'), { redirect: 'manual' })
    expect(redirect.status).toBe(302)
    const upstream = await fetch(redirect.headers.get('location')!)
    expect(Number(upstream.headers.get('content-length'))).toBe(stream.length)
    expect(Buffer.from(await upstream.arrayBuffer()).equals(stream)).toBe(true)
    await expectWhole(await fetch(await signed('d', '&proxy=1')))
    await expectRange(await fetch(await signed('d', '&proxy=1'), { headers: { Range: 'bytes=100-199' } }))
    await expectWhole(await fetch(await signed('p')))
    await expectRange(await fetch(await signed('p'), { headers: { Range: 'bytes=100-199' } }))
  })
})

it('the emulator keeps behaving like the service: empty url, one streamsUrl per format, streams_info sizes', async () => {
  const s = await startStack({ seed: demoSeed() })
  try {
    const live = s.emu.findByPath('resource', '/Pictures/live.livp')!
    const config = s.emu.driverConfig()
    const token = await fetch(`${s.emu.apiUrl}/oauth/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_id: config.client_id,
        client_secret: config.client_secret,
        grant_type: 'refresh_token',
        refresh_token: config.refresh_token,
      }),
    }).then((r) => r.json() as Promise<{ access_token: string }>)
    const call = (path: string, body: object) =>
      fetch(`${s.emu.apiUrl}/adrive/v1.0/${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token.access_token}` },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<Record<string, unknown>>)
    const drive = (await call('user/getDriveInfo', {})) as { resource_drive_id: string }
    const link = await call('openFile/getDownloadUrl', { drive_id: drive.resource_drive_id, file_id: live.file_id })
    expect(link.url).toBe('')
    expect(Object.keys(link.streamsUrl as object).sort()).toEqual(['jpeg', 'mov'])
    const file = await call('openFile/get', { drive_id: drive.resource_drive_id, file_id: live.file_id })
    expect(file.size).toBe(96 * 1024)
    expect(file.streams_info).toEqual({
      jpeg: { size: livpStreamBytes(live.content_hash!, 'jpeg').length },
      mov: { size: livpStreamBytes(live.content_hash!, 'mov').length },
    })
  } finally {
    await s.close()
  }
})
