/**
 * Zip archives cost what they should (RELIABILITY.md "Zip archives cost what they should"): hostile
 * zips generated in memory (bench/lib/zip-build.ts) go through `serve` on the emulator. Counts of upstream downloads
 * come from the emulator's counters; no timing is asserted here (bench/archive-safety.ts measures time).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildZip, deepChainZip, manyFoldersZip, overlappingZip } from '../../bench/lib/zip-build.js'
import { OpenListClient, raw } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
let api: OpenListClient

beforeAll(async () => {
  s = await startStack(
    {
      seed: [
        { path: '/z/wide.zip', content: manyFoldersZip(6_000) },
        { path: '/z/deep.zip', content: deepChainZip(2_000) },
        { path: '/z/overlap.zip', content: overlappingZip(4, 30) },
        { path: '/z/broken.zip', content: Buffer.concat([manyFoldersZip(50).subarray(0, 900), Buffer.alloc(64)]) },
        {
          path: '/z/ratio.zip',
          content: buildZip([{ name: 'zeros.bin', data: Buffer.alloc(8 * 1024 * 1024), deflate: true }]),
        },
        {
          path: '/z/liar.zip',
          content: buildZip([
            { name: 'liar.txt', data: Buffer.alloc(64 * 1024, 'a'), deflate: true, declaredSize: 10 },
          ]),
        },
        {
          path: '/z/small.zip',
          content: buildZip([
            { name: 'a/one.txt', data: Buffer.from('one\n') },
            { name: 'a/two.txt', data: Buffer.alloc(3000, 'b'), deflate: true },
          ]),
        },
      ],
    },
    { archiveExtractLimit: 4_000 },
  )
  api = new OpenListClient(s.server.url, s.server.token)
})
afterAll(() => s.close())

const downloads = () => s.emu.stats().calls['data:download'] ?? 0
const meta = (path: string) => api.post('/fs/archive/meta', { path, password: '', archive_pass: '', refresh: false })
const decompress = (name: string, dst: string) =>
  api.post('/fs/archive/decompress', {
    src_dir: '/z',
    dst_dir: dst,
    name: [name],
    inner_path: '/',
    put_into_new_dir: false,
  })
const names = async (path: string) =>
  ((await api.post('/fs/list', { path, refresh: true })).json.data?.content ?? []).map((c: { name: string }) => c.name)

type Node = { name: string; is_dir: boolean; children: Node[] | null }

describe('archive meta of big trees', () => {
  it('6,000 folders: the whole tree, from a handful of range reads', async () => {
    const before = downloads()
    const r = await meta('/z/wide.zip')
    expect(r.json.code).toBe(200)
    const top: Node[] = r.json.data.content
    expect(top).toHaveLength(60)
    expect(top.reduce((n, t) => n + (t.children?.length ?? 0), 0)).toBe(6_000)
    expect(top[0]!.children![0]).toMatchObject({ name: 'f0', is_dir: true })
    expect(top[0]!.children![0]!.children).toEqual([expect.objectContaining({ name: 'x.txt', children: null })])
    // Before: two GETs per central record (12,000+); now the tail and the central directory's blocks.
    expect(downloads() - before).toBeLessThanOrEqual(5)
    const list = await api.post('/fs/archive/list', { path: '/z/wide.zip', inner_path: '/top59', page: 1, per_page: 0 })
    expect(list.json.data.total).toBe(100)
    expect(downloads() - before).toBeLessThanOrEqual(5)
  })

  it('a 2,000-deep chain: every level, down to the file at the bottom', async () => {
    const r = await meta('/z/deep.zip')
    expect(r.json.code).toBe(200)
    let node: Node = r.json.data.content[0]
    let depth = 1
    while (node.children?.[0]?.is_dir) {
      node = node.children[0]
      depth++
    }
    expect(depth).toBe(2_000)
    expect(node.children).toEqual([expect.objectContaining({ name: 'bottom.txt', is_dir: false })])
    const inner = '/' + 'd/'.repeat(2_000)
    const list = await api.post('/fs/archive/list', { path: '/z/deep.zip', inner_path: inner, page: 1, per_page: 0 })
    expect(list.json.data.content.map((c: Node) => c.name)).toEqual(['bottom.txt'])
  })

  it('a failed read is kept: asking again reads nothing upstream', async () => {
    const first = await meta('/z/broken.zip')
    expect(first.json.code).not.toBe(200)
    const before = downloads()
    const again = await meta('/z/broken.zip')
    expect(again.json).toEqual(first.json)
    expect(downloads()).toBe(before)
  })
})

describe('bombs are refused before anything is written', () => {
  it('central records sharing one entry’s data: the whole archive is refused, nothing uploaded', async () => {
    const putsBefore = s.emu.stats().partPuts
    const r = await decompress('overlap.zip', '/out-overlap')
    expect(r.json.code).not.toBe(200)
    expect(r.json.message).toMatch(/"zeros\.bin(\.\d+)?" and "zeros\.bin\.\d+" overlap/)
    expect(s.emu.stats().partPuts).toBe(putsBefore)
    expect(await names('/')).not.toContain('out-overlap')
    expect((await meta('/z/overlap.zip')).json.message).toMatch(/overlap/)
  })

  it('an entry inflating more than 200:1 is refused as a bomb', async () => {
    const putsBefore = s.emu.stats().partPuts
    const r = await decompress('ratio.zip', '/out-ratio')
    expect(r.json.message).toMatch(/"zeros\.bin" is refused: it would inflate \d+ bytes to 8388608 bytes/)
    expect(s.emu.stats().partPuts).toBe(putsBefore)
  })

  it('a request past --archive-extract-limit is refused with the limit named', async () => {
    const r = await api.post('/fs/archive/decompress', {
      src_dir: '/z',
      dst_dir: '/out-cap',
      name: ['small.zip', 'small.zip'],
      inner_path: '/',
      put_into_new_dir: true,
    })
    expect(r.json.message).toMatch(/extracting 6008 bytes is refused: more than the server's limit of 4000 bytes/)
    expect(await names('/')).not.toContain('out-cap')
  })

  it('an entry that inflates past its declared size writes at most that size', async () => {
    const bytesBefore = s.emu.stats().partBytes
    const r = await decompress('liar.zip', '/out-liar')
    expect(r.json.code).not.toBe(200)
    expect(s.emu.stats().partBytes - bytesBefore).toBeLessThanOrEqual(10)
  })
})

describe('a decompress cut short can be run again', () => {
  it('files already there with the entry’s size are skipped; a different file still conflicts', async () => {
    expect((await decompress('small.zip', '/again')).json.code).toBe(200)
    const putsBefore = s.emu.stats().partPuts
    expect((await decompress('small.zip', '/again')).json.code).toBe(200)
    expect(s.emu.stats().partPuts).toBe(putsBefore)
    const put = await raw(
      `${s.server.url}/api/fs/put`,
      'PUT',
      { Authorization: s.server.token, 'File-Path': encodeURIComponent('/again/a/one.txt') },
      'a different one\n',
    )
    expect(put.status).toBe(200)
    const r = await decompress('small.zip', '/again')
    expect(r.json.message).toMatch(/"\/again\/a\/one\.txt" already exists/)
  })
})
