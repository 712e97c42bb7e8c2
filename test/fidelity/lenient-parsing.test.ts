/**
 * Answers parsed like OpenList's Go structs parse them: fields the driver does not use never fail a call, an optional
 * field of an unexpected type reads as absent, numbers as strings are numbers, and one unreadable listing item is
 * skipped with a warning naming it instead of making the whole folder unlistable.
 */
import nock from 'nock'
import { describe, expect, it } from 'vitest'
import type { Logger, Obj } from '../../src/host/types.js'
import { API, DRIVE, P, nockDriver, wireFile, wireFolder } from '../helpers/nock-driver.js'
import { refreshToken } from '../helpers/jwt.js'
import { useNock } from '../helpers/nock-setup.js'
import { nockTokenManager } from '../helpers/token-manager.js'

useNock()

function file(id: string, path: string, size = 10): Obj {
  const name = path.split('/').pop()!
  return { id, path, name, size, isFolder: false, modified: new Date(0), created: new Date(0), hashes: {} }
}

function capturingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = []
  return { warnings, debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} }
}

/** Fields the driver never reads, with types the real service has been seen to vary (or might). */
const ODD_EXTRAS = {
  category: 42,
  thumbnail: { small: 'x' },
  url: false,
  trashed: 'no',
  local_created_at: 1700000000,
  local_modified_at: null,
  file_extension: ['txt'],
  punish_flag: 0,
  video_media_metadata: { width: '1920' },
  brand_new_field: [1, 2, 3],
}

describe('listing', () => {
  it('keeps good items through nulls, numbers as strings and odd extras; skips an unreadable one with a warning naming it', async () => {
    const logger = capturingLogger()
    const driver = await nockDriver({}, { logger })
    nock(API)
      .post(P('openFile/list'))
      .reply(200, {
        items: [
          wireFile('f1', 'odd.txt', {
            ...ODD_EXTRAS,
            size: '1234',
            content_hash: null,
            created_at: null,
            updated_at: 12,
          }),
          wireFolder('d1', 'docs', { size: 'n/a', drive_id: null, parent_file_id: 7 }),
          { drive_id: DRIVE, name: 'no-id.txt', type: 'file', size: 1 },
          wireFile('f2', 'weird-type', { type: 'album' }),
          null,
          wireFile('f3', 'fine.txt', { size: 5 }),
        ],
        next_marker: null,
        extra_top_level: { anything: true },
      })
    const list = await driver.list(driver.getRoot())
    expect(list.map((o) => [o.name, o.size, o.isFolder])).toEqual([
      ['odd.txt', 1234, false],
      ['docs', 0, true],
      ['fine.txt', 5, false],
    ])
    expect(list[0]!.hashes).toEqual({})
    expect(logger.warnings).toHaveLength(3)
    expect(logger.warnings.join('\n')).toMatch(/"no-id.txt" \(missing or unreadable: file_id\)/)
    expect(logger.warnings.join('\n')).toMatch(/file_id f2 "weird-type" \(missing or unreadable: type\)/)
    await driver.drop()
  })
})

describe('get', () => {
  it('reads an object whose unused fields have unexpected types, and a size sent as a string', async () => {
    const driver = await nockDriver()
    nock(API)
      .post(P('openFile/get_by_path'))
      .reply(200, wireFile('g1', 'a.bin', { ...ODD_EXTRAS, size: '77' }))
    expect(await driver.get('/a.bin')).toMatchObject({ id: 'g1', size: 77, isFolder: false })
    await driver.drop()
  })
})

describe('link', () => {
  it('ignores a size of the wrong type and an expiration that is not a string', async () => {
    const driver = await nockDriver()
    const url = `https://data.test/f?x-oss-expires=${Math.floor(Date.now() / 1000) + 900}`
    nock(API)
      .post(P('openFile/getDownloadUrl'))
      .reply(200, { url, expiration: 12345, size: 'big', method: null, streamsUrl: null, description: 7 })
    expect((await driver.link(file('l1', '/a.bin'))).url).toBe(url)
    await driver.drop()
  })

  it('livp: picks the wanted stream when other stream values are not strings', async () => {
    const driver = await nockDriver({ livp_download_format: 'mov' })
    nock(API)
      .post(P('openFile/getDownloadUrl'))
      .reply(200, {
        url: null,
        expiration: '2099-01-01T00:00:00.000Z',
        streamsUrl: { jpeg: { nested: true }, mov: 'https://data.test/live.mov', heic: null },
      })
    expect((await driver.link(file('lv', '/photo.livp'))).url).toBe('https://data.test/live.mov')
    await driver.drop()
  })
})

describe('token answers', () => {
  it('a TV relay answer with a non-numeric expires_in and extra fields still yields the tokens', async () => {
    const { tokens } = nockTokenManager({ alipan_type: 'alipanTV' }, { backoffMs: 1 })
    const newRt = refreshToken()
    nock('https://relay.test')
      .get('/alicloud/renewapi')
      .query(true)
      .once()
      .reply(200, {
        token_type: null,
        access_token: 'at-tv',
        refresh_token: newRt,
        expires_in: '7200s',
        expire_time: '2099-01-01',
        user: { id: 1 },
      })
    try {
      await expect(tokens.accessToken()).resolves.toBe('at-tv')
      expect(tokens.currentConfig().refresh_token).toBe(newRt)
    } finally {
      tokens.release()
    }
  })
})
