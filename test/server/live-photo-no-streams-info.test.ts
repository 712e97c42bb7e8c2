/**
 * A Live Photo whose answers carry no `streams_info` (older answers; the emulator's `livpStreamsInfo: false`): the
 * driver learns the delivered stream's size with one ranged GET of the stream URL, kept with the link, so the size
 * a listing reports is still what a GET returns (docs/api-notes.md §13.2). Through WebDAV (PROPFIND + GET) and the
 * OpenList API (/api/fs/list + /d/?proxy=1, /api/fs/search), for both `livp_download_format` values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoSeed, livpStreamBytes } from '../../src/emulator/index.js'
import { OpenListClient } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

const LINK = '/adrive/v1.0/openFile/getDownloadUrl'

describe.each(['jpeg', 'mov'] as const)('livp_download_format %s, no streams_info', (format) => {
  let s: Stack
  let api: OpenListClient
  let stream: Buffer
  beforeAll(async () => {
    s = await startStack({ seed: demoSeed(), livpStreamsInfo: false }, {}, { config: { livp_download_format: format } })
    api = new OpenListClient(s.server.url, s.server.token)
    const entry = s.emu.findByPath('resource', '/Pictures/live.livp')!
    stream = livpStreamBytes(entry.content_hash!, format)
    expect(stream.length).not.toBe(entry.size)
  })
  afterAll(() => s?.close())

  const calls = (key: string) => s.emu.stats().calls[key] ?? 0

  it('PROPFIND lists the stream size; the WebDAV GET sends exactly those bytes', async () => {
    const list = await fetch(`${s.server.url}/dav/Pictures/`, {
      method: 'PROPFIND',
      headers: { Authorization: s.basic, Depth: '1' },
    })
    const entry = (await list.text()).split('<D:response>').find((r) => r.includes('live.livp'))!
    expect(entry).toContain(`<D:getcontentlength>${stream.length}</D:getcontentlength>`)
    const links = calls(LINK)
    const res = await fetch(`${s.server.url}/dav/Pictures/live.livp`, { headers: { Authorization: s.basic } })
    expect(res.status).toBe(200)
    const body = Buffer.from(await res.arrayBuffer())
    expect(Number(res.headers.get('content-length'))).toBe(stream.length)
    expect(body.equals(stream)).toBe(true)
    // The link the size was learned with is the one the GET used.
    expect(calls(LINK)).toBe(links)
  })

  it('/api/fs/list reports the stream size; /d/?proxy=1 sends exactly those bytes', async () => {
    const listed = (await api.post('/fs/list', { path: '/Pictures', refresh: true })).json.data.content as Array<{
      name: string
      size: number
      sign: string
    }>
    const live = listed.find((o) => o.name === 'live.livp')!
    expect(live.size).toBe(stream.length)
    const res = await fetch(`${s.server.url}/d/Pictures/live.livp?sign=${encodeURIComponent(live.sign)}&proxy=1`)
    expect(res.status).toBe(200)
    expect(Number(res.headers.get('content-length'))).toBe(stream.length)
    expect(Buffer.from(await res.arrayBuffer()).equals(stream)).toBe(true)
  })

  it('/api/fs/search reports the stream size too', async () => {
    const found = (await api.post('/fs/search', { parent: '/', keywords: 'live', scope: 0, page: 1, per_page: 100 }))
      .json.data.content as Array<{ name: string; size: number }>
    expect(found.find((o) => o.name === 'live.livp')?.size).toBe(stream.length)
  })

  it('a size once learned costs no further call: listing again asks no link and downloads nothing', async () => {
    const before = { links: calls(LINK), data: calls('data:download') }
    const listed = (await api.post('/fs/list', { path: '/Pictures', refresh: true })).json.data.content as Array<{
      name: string
      size: number
    }>
    expect(listed.find((o) => o.name === 'live.livp')!.size).toBe(stream.length)
    expect({ links: calls(LINK), data: calls('data:download') }).toEqual(before)
  })
})
