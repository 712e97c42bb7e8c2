import { afterEach, describe, expect, it } from 'vitest'
import type { EmulatorHandle, FaultOptions } from '../../src/emulator/index.js'
import { call, emulator, putPart } from '../helpers/emulator.js'

let emus: EmulatorHandle[] = []
afterEach(async () => {
  await Promise.all(emus.map((e) => e.close()))
  emus = []
})

async function outcome(e: EmulatorHandle, token: string): Promise<string> {
  try {
    const r = await call(e, token, '/adrive/v1.0/user/getSpaceInfo')
    return String(r.status)
  } catch {
    return 'dropped'
  }
}

async function sequence(faults: FaultOptions, n: number): Promise<string[]> {
  const s = await emulator({ faults })
  emus.push(s.emu)
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(await outcome(s.emu, s.token))
  return out
}

describe('fault injection', () => {
  it('is deterministic for a seed and differs across seeds', async () => {
    const faults = { seed: 42, errorRate: 0.3, dropRate: 0.2 }
    const a = await sequence(faults, 30)
    const b = await sequence(faults, 30)
    expect(a).toEqual(b)
    expect(a).toContain('dropped')
    expect(a.some((x) => x === '500' || x === '503')).toBe(true)
    expect(a).toContain('200')
    expect(await sequence({ ...faults, seed: 7 }, 30)).not.toEqual(a)
  })

  it('faulted calls are not applied (error and drop) and errors carry InternalError/ServiceUnavailable JSON', async () => {
    const s = await emulator({ faults: { seed: 1, errorRate: 1 } })
    emus.push(s.emu)
    const r = await call(s.emu, s.token, '/adrive/v1.0/openFile/create', {
      drive_id: s.drive,
      parent_file_id: 'root',
      name: 'x',
      type: 'folder',
    })
    expect([500, 503]).toContain(r.status)
    expect(['InternalError', 'ServiceUnavailable']).toContain(r.body.code)
    s.emu.setFaults({ dropRate: 1 })
    await expect(
      call(s.emu, s.token, '/adrive/v1.0/openFile/create', {
        drive_id: s.drive,
        parent_file_id: 'root',
        name: 'y',
        type: 'folder',
      }),
    ).rejects.toThrow()
    s.emu.setFaults({})
    expect(s.emu.debugTree()).toEqual([])
    expect(s.emu.stats().statuses[0]).toBe(1)
  })

  it('rateLimitBurst forces the next N calls to 429 with x-retry-after', async () => {
    const s = await emulator({ faults: { rateLimitBurst: 2 } })
    emus.push(s.emu)
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) {
      const r = await call(s.emu, s.token, '/adrive/v1.0/openFile/list', { drive_id: s.drive, parent_file_id: 'root' })
      statuses.push(r.status)
      if (r.status === 429) expect(Number(r.headers.get('x-retry-after'))).toBeGreaterThan(0)
    }
    expect(statuses).toEqual([429, 429, 200])
  })

  it('partFailRate answers 500 without storing the part; expireUrlsEarly rejects fresh URLs; latency delays', async () => {
    const s = await emulator({ faults: { partFailRate: 1 }, seed: [{ path: '/t', content: 't' }] })
    emus.push(s.emu)
    const c = (
      await call(s.emu, s.token, '/adrive/v1.0/openFile/create', {
        drive_id: s.drive,
        parent_file_id: 'root',
        name: 'p',
        type: 'file',
      })
    ).body
    const failed = await putPart(c.part_info_list[0].upload_url, Buffer.from('data'))
    expect(failed.status).toBe(500)
    s.emu.setFaults({})
    expect((await putPart(c.part_info_list[0].upload_url, Buffer.from('data'))).status).toBe(200) // not 409: nothing was stored
    const url = (
      await call(s.emu, s.token, '/adrive/v1.0/openFile/getDownloadUrl', {
        drive_id: s.drive,
        file_id: s.emu.findByPath('resource', '/t')!.file_id,
      })
    ).body.url
    s.emu.setFaults({ expireUrlsEarly: true })
    const expired = await fetch(url)
    expect(expired.status).toBe(403)
    expect(await expired.text()).toContain('Request has expired.')
    s.emu.setFaults({ latencyMs: 150 })
    const t0 = performance.now()
    await call(s.emu, s.token, '/adrive/v1.0/user/getSpaceInfo')
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140)
  })
})
