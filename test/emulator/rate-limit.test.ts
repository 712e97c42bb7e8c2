import { afterEach, describe, expect, it } from 'vitest'
import type { EmulatorHandle } from '../../src/emulator/index.js'
import { call, emulator } from '../helpers/emulator.js'

let emu: EmulatorHandle | undefined
afterEach(async () => {
  await emu?.close()
  emu = undefined
})

describe('rate limits (docs/api-notes.md §5)', () => {
  it('429 TooManyRequests with x-retry-after (ms until a token) once the burst of 2 is spent; refills with time', async () => {
    let clock = Date.UTC(2025, 0, 1)
    const setup = await emulator({ now: () => clock, limits: { list: 4, link: 1, other: 15 } })
    emu = setup.emu
    const list = () =>
      call(setup.emu, setup.token, '/adrive/v1.0/openFile/list', { drive_id: setup.drive, parent_file_id: 'root' })
    expect((await list()).status).toBe(200)
    expect((await list()).status).toBe(200)
    const limited = await list()
    expect(limited.status).toBe(429)
    expect(limited.body.code).toBe('TooManyRequests')
    expect(limited.body.requestId).toBeTruthy()
    expect(Number(limited.headers.get('x-retry-after'))).toBe(250) // 1 token at 4/s
    // other classes have their own buckets
    expect((await call(setup.emu, setup.token, '/adrive/v1.0/user/getDriveInfo')).status).toBe(200)
    clock += 100
    expect(Number((await list()).headers.get('x-retry-after'))).toBe(150)
    clock += 150
    expect((await list()).status).toBe(200)
    expect(setup.emu.stats().rateLimited).toBe(2)
  })

  it('getDownloadUrl is the link class at 1/s', async () => {
    const clock = Date.UTC(2025, 0, 1)
    const setup = await emulator({
      now: () => clock,
      limits: { list: 4, link: 1, other: 15 },
      seed: [{ path: '/f.txt', content: 'x' }],
    })
    emu = setup.emu
    const id = setup.emu.findByPath('resource', '/f.txt')!.file_id
    const link = () =>
      call(setup.emu, setup.token, '/adrive/v1.0/openFile/getDownloadUrl', { drive_id: setup.drive, file_id: id })
    expect((await link()).status).toBe(200)
    expect((await link()).status).toBe(200)
    const r = await link()
    expect(r.status).toBe(429)
    expect(Number(r.headers.get('x-retry-after'))).toBe(1000)
  })

  it('the token endpoint counts in the "other" class of the token owner', async () => {
    const clock = Date.UTC(2025, 0, 1)
    ;({ emu } = await emulator({ now: () => clock, limits: { list: 4, link: 1, other: 1 } }))
    const body = (rt: string) => ({
      client_id: emu!.clientId,
      client_secret: emu!.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: rt,
    })
    expect((await call(emu, undefined, '/oauth/access_token', body(emu.issueRefreshToken()))).status).toBe(200)
    expect((await call(emu, undefined, '/oauth/access_token', body(emu.issueRefreshToken()))).status).toBe(200)
    const rt = emu.issueRefreshToken()
    const r = await call(emu, undefined, '/oauth/access_token', body(rt))
    expect(r.status).toBe(429)
    expect(r.headers.get('x-retry-after')).toBeTruthy()
    // a rate-limited exchange does not consume the refresh token
    emu.setLimits(false)
    expect((await call(emu, undefined, '/oauth/access_token', body(rt))).status).toBe(200)
  })

  it('limits: false disables limiting; setLimits turns it on at run time', async () => {
    const setup = await emulator({ limits: false })
    emu = setup.emu
    for (let i = 0; i < 20; i++) {
      expect((await call(setup.emu, setup.token, '/adrive/v1.0/user/getSpaceInfo')).status).toBe(200)
    }
    setup.emu.setLimits({ list: 1, link: 1, other: 0.5 })
    const statuses: number[] = []
    for (let i = 0; i < 4; i++)
      statuses.push((await call(setup.emu, setup.token, '/adrive/v1.0/user/getSpaceInfo')).status)
    expect(statuses).toContain(429)
  })
})
