/**
 * Search under a small folder costs what the folder is worth (RELIABILITY.md, "Small ones"): AliyunDrive's search
 * matches names over the whole drive, and each hit was placed by walking its parents, so a search under an empty
 * folder read every match of the drive (about 200 calls). Now a small folder is listed first (an empty one needs no
 * search), hits outside it are dropped by parent id, the drive-wide scan is bounded, and one search at a time runs
 * per storage. Counted with the emulator's call counters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Obj, StorageDriver } from '../../src/host/types.js'
import { FsService } from '../../src/server/fs-service.js'
import { startStack, type Stack } from '../helpers/stack.js'
import { OpenListClient } from '../helpers/openlist-client.js'

let s: Stack
let api: OpenListClient
const SEARCH = '/adrive/v1.0/openFile/search'
const GET = '/adrive/v1.0/openFile/get'

beforeAll(async () => {
  s = await startStack({
    seed: [
      { path: '/empty', folder: true },
      { path: '/small/match-a.txt', content: 'a' },
      { path: '/small/sub/match-b.txt', content: 'b' },
      ...Array.from({ length: 300 }, (_, i) => ({ path: `/big/d${i % 30}/match-${i}.txt`, content: 'x' })),
    ],
  })
  api = new OpenListClient(s.server.url, s.server.token)
})
afterAll(() => s?.close())

async function search(parent: string): Promise<{ names: string[]; calls: Record<string, number> }> {
  const before = { ...s.emu.stats().calls }
  const r = await api.post('/fs/search', { parent, keywords: 'match', scope: 0, page: 1, per_page: 0, password: '' })
  expect(r.json.code).toBe(200)
  const after = s.emu.stats().calls
  const calls = Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]))
  const names = (r.json.data.content as Array<{ parent: string; name: string }>).map((o) => `${o.parent}/${o.name}`)
  return { names: names.sort(), calls }
}

describe('search budget', () => {
  it('under an empty folder: no search call, no parent lookup', async () => {
    const { names, calls } = await search('/empty')
    expect(names).toEqual([])
    expect(calls[SEARCH] ?? 0).toBe(0)
    expect(calls[GET] ?? 0).toBe(0)
  })

  it('under a small folder: the right hits, no parent walked, the drive-wide pages bounded', async () => {
    const { names, calls } = await search('/small')
    expect(names).toEqual(['/small/match-a.txt', '/small/sub/match-b.txt'])
    expect(calls[GET] ?? 0).toBe(0)
    // 302 matches over the drive, 100 a page.
    expect(calls[SEARCH]).toBeLessThanOrEqual(4)
  })

  it('at the root: every match, as before', async () => {
    const { names } = await search('/')
    expect(names).toHaveLength(302)
  })

  it('one search at a time per storage', async () => {
    let running = 0
    let most = 0
    const driver = {
      search: async () => {
        most = Math.max(most, ++running)
        await new Promise((r) => setImmediate(r))
        running--
        return []
      },
    } as unknown as StorageDriver
    const fs = new FsService(driver)
    const dir = { path: '/', isFolder: true } as Obj
    await Promise.all([fs.search(dir, 'a'), fs.search(dir, 'b'), fs.search(dir, 'c')])
    expect(most).toBe(1)
  })
})
