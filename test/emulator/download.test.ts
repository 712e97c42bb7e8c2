import { afterEach, describe, expect, it } from 'vitest'
import { downloadUrlSchema } from '../../src/api/wire.js'
import { livpStreamBytes, type EmulatorHandle } from '../../src/emulator/index.js'
import { call, emulator } from '../helpers/emulator.js'

let emu: EmulatorHandle | undefined
afterEach(async () => {
  await emu?.close()
  emu = undefined
})

const text = 'The quick brown fox jumps over the lazy dog'

async function link(
  s: { emu: EmulatorHandle; token: string; drive: string },
  path: string,
  extra: Record<string, unknown> = {},
) {
  const file_id = s.emu.findByPath('resource', path)!.file_id
  return call(s.emu, s.token, '/adrive/v1.0/openFile/getDownloadUrl', { drive_id: s.drive, file_id, ...extra })
}

describe('downloads (docs/api-notes.md §3.11)', () => {
  it('clamps expire_sec to the cap and returns expiration (ISO ms Z) matching x-oss-expires', async () => {
    const clock = Date.UTC(2025, 0, 1, 0, 0, 0, 0)
    const s = await emulator({ now: () => clock, downloadUrlTtlSec: 900, seed: [{ path: '/t.txt', content: text }] })
    emu = s.emu
    const r = await link(s, '/t.txt', { expire_sec: 14400 })
    const d = downloadUrlSchema.parse(r.body)
    const expires = Number(new URL(d.url!).searchParams.get('x-oss-expires'))
    expect(expires).toBe(clock / 1000 + 900)
    expect(d.expiration).toBe('2025-01-01T00:15:00.000Z')
    expect(d.size).toBe(text.length)
    expect(d.method).toBe('GET')
    expect(r.body.content_hash).toMatch(/^[0-9A-F]{40}$/)
  })

  it('serves ranges: 206 + Content-Range, 200 without Range, 416 when unsatisfiable', async () => {
    const s = await emulator({ seed: [{ path: '/t.txt', content: text }] })
    emu = s.emu
    const url = (await link(s, '/t.txt')).body.url as string
    const full = await fetch(url)
    expect(full.status).toBe(200)
    expect(await full.text()).toBe(text)
    const part = await fetch(url, { headers: { range: 'bytes=4-8' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes 4-8/${text.length}`)
    expect(await part.text()).toBe('quick')
    const open = await fetch(url, { headers: { range: 'bytes=40-' } })
    expect(await open.text()).toBe('dog')
    const suffix = await fetch(url, { headers: { range: 'bytes=-3' } })
    expect(await suffix.text()).toBe('dog')
    const bad = await fetch(url, { headers: { range: `bytes=${text.length}-` } })
    expect(bad.status).toBe(416)
    expect(bad.headers.get('content-range')).toBe(`bytes */${text.length}`)
    expect(s.emu.stats().downloads).toBe(4)
  })

  it('expired or tampered download URLs answer 403', async () => {
    let clock = Date.UTC(2025, 0, 1)
    const s = await emulator({ now: () => clock, seed: [{ path: '/t.txt', content: text }] })
    emu = s.emu
    const url = (await link(s, '/t.txt', { expire_sec: 60 })).body.url as string
    const tampered = new URL(url)
    tampered.searchParams.set('f', 'someone-else')
    expect((await fetch(tampered)).status).toBe(403)
    clock += 61_000
    const expired = await fetch(url)
    expect(expired.status).toBe(403)
    expect(await expired.text()).toContain('Request has expired.')
  })

  it('.livp: url "" and streamsUrl {jpeg, mov} serving distinct deterministic bytes', async () => {
    const s = await emulator({ seed: [{ path: '/live.livp', size: 5000 }] })
    emu = s.emu
    const r = await link(s, '/live.livp')
    const d = downloadUrlSchema.parse(r.body)
    expect(d.url).toBe('')
    expect(Object.keys(d.streamsUrl!).sort()).toEqual(['jpeg', 'mov'])
    const jpeg = Buffer.from(await (await fetch(d.streamsUrl!.jpeg!)).arrayBuffer())
    const mov = Buffer.from(await (await fetch(d.streamsUrl!.mov!)).arrayBuffer())
    const hash = s.emu.findByPath('resource', '/live.livp')!.content_hash!
    expect(jpeg.equals(livpStreamBytes(hash, 'jpeg'))).toBe(true)
    expect(mov.equals(livpStreamBytes(hash, 'mov'))).toBe(true)
    expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]))
    expect(jpeg.equals(mov)).toBe(false)
    const ranged = await fetch(d.streamsUrl!.mov!, { headers: { range: 'bytes=4-7' } })
    expect(await ranged.text()).toBe('ftyp')
  })

  it('getVideoPreviewPlayInfo returns the docs/api-notes.md §3.12 shape with playable task URLs on the data plane', async () => {
    const s = await emulator({
      seed: [
        { path: '/v.mp4', size: 2 * 1024 * 1024 },
        { path: '/n.txt', content: 'x' },
      ],
    })
    emu = s.emu
    const id = s.emu.findByPath('resource', '/v.mp4')!.file_id
    const r = await call(s.emu, s.token, '/adrive/v1.0/openFile/getVideoPreviewPlayInfo', {
      drive_id: s.drive,
      file_id: id,
      category: 'live_transcoding',
      url_expire_sec: 14400,
    })
    expect(r.status).toBe(200)
    const info = r.body.video_preview_play_info
    expect(info.category).toBe('live_transcoding')
    expect(info.meta).toMatchObject({ width: 1920, height: 1080 })
    expect(info.live_transcoding_task_list.map((t: { template_id: string }) => t.template_id)).toEqual([
      'LD',
      'SD',
      'HD',
      'FHD',
    ])
    const playlist = await fetch(info.live_transcoding_task_list[0].url)
    expect(playlist.status).toBe(200)
    expect(await playlist.text()).toMatch(/^#EXTM3U/)
    const notVideo = await call(s.emu, s.token, '/adrive/v1.0/openFile/getVideoPreviewPlayInfo', {
      drive_id: s.drive,
      file_id: s.emu.findByPath('resource', '/n.txt')!.file_id,
      category: 'live_transcoding',
    })
    expect(notVideo.status).toBeGreaterThanOrEqual(400)
  })
})
