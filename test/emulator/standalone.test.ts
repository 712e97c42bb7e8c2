import { describe, expect, it, vi } from 'vitest'
import { demoSeed, runStandaloneEmulator } from '../../src/emulator/index.js'
import { demoAsset } from '../../src/emulator/demo-seed.js'
import { call } from '../helpers/emulator.js'

describe('standalone emulator with the demo seed', () => {
  it('prints URL, renew URL, client id and a working refresh token; the demo tree pages and has a video and a livp', async () => {
    const out: string[] = []
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk))
      return true
    })
    const emu = await runStandaloneEmulator({ port: 0, limits: false })
    spy.mockRestore()
    try {
      const text = out.join('')
      expect(text).toContain(emu.apiUrl)
      expect(text).toContain(emu.renewApiUrl)
      expect(text).toContain(emu.clientId)
      const refresh = /refresh_token\s*:\s*(\S+)/.exec(text)![1]!
      const r = await fetch(`${emu.renewApiUrl}?refresh_ui=${refresh}&server_use=true&driver_txt=alicloud_qr`)
      expect(r.status).toBe(200)
      const { access_token } = (await r.json()) as { access_token: string }
      const many = emu.findByPath('resource', '/Many')!.file_id
      const page = await call(emu, access_token, '/adrive/v1.0/openFile/list', {
        drive_id: emu.driveIds.resource,
        parent_file_id: many,
        limit: 200,
      })
      expect(page.body.items).toHaveLength(200)
      expect(page.body.next_marker).not.toBe('')
      expect(emu.findByPath('resource', '/Videos/sample.mp4')?.size).toBe(demoAsset('sample.mp4').length)
      expect(emu.findByPath('resource', '/Pictures/live.livp')).toBeDefined()
      expect(emu.findByPath('backup', '/Backup/old-phone.tar')).toBeDefined()
      expect(demoSeed().length).toBeGreaterThan(250)
    } finally {
      await emu.close()
    }
  })
})
