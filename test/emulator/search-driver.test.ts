/**
 * The driver's search (openFile/search through the emulator): hits under the searched folder at any depth, with
 * mount-relative paths; nothing outside the mount root; quotes refused rather than spliced into the query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AliyundriveOpen } from '../../src/driver/aliyundrive-open.js'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'

let emu: EmulatorHandle

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    limits: false,
    seed: [
      { path: '/mount/a/report-2024.txt', content: '1' },
      { path: '/mount/b/deeper/Report-final.pdf', content: '2' },
      { path: '/mount/reports', folder: true },
      { path: '/outside/report-secret.txt', content: '3' },
    ],
  })
})
afterAll(() => emu.close())

function driver(root: string): AliyundriveOpen {
  return new AliyundriveOpen(emu.driverConfig({ root_folder_id: root }), { apiBaseUrl: emu.apiUrl })
}

describe('driver search', () => {
  it('finds names under a folder at any depth, with mount-relative paths, never outside the mount', async () => {
    const d = driver(emu.findByPath('resource', '/mount')!.file_id)
    try {
      await d.init()
      expect(d.props.capabilities.search).toBe(true)
      const hits = await d.search(d.getRoot(), 'report')
      expect(hits.map((o) => o.path).sort()).toEqual(['/a/report-2024.txt', '/b/deeper/Report-final.pdf', '/reports'])
      expect((await d.search(d.getRoot(), 'report', { scope: 'files' })).map((o) => o.name).sort()).toEqual([
        'Report-final.pdf',
        'report-2024.txt',
      ])
      expect((await d.search(d.getRoot(), 'report', { scope: 'folders' })).map((o) => o.path)).toEqual(['/reports'])
      const b = await d.get('/b')
      expect((await d.search(b, 'report')).map((o) => o.path)).toEqual(['/b/deeper/Report-final.pdf'])
      const hit = (await d.search(b, 'final'))[0]!
      expect(hit.id).toBe((await d.get('/b/deeper/Report-final.pdf')).id)
      await expect(d.search(d.getRoot(), 'a" or name match "')).rejects.toMatchObject({ code: 'NOT_SUPPORTED' })
    } finally {
      await d.drop()
    }
  })

  it('at the drive root, everything matching is found', async () => {
    const d = driver('root')
    try {
      await d.init()
      expect((await d.search(d.getRoot(), 'secret')).map((o) => o.path)).toEqual(['/outside/report-secret.txt'])
    } finally {
      await d.drop()
    }
  })
})
