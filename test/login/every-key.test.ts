/**
 * `login` writes every key of the addition (docs/host-notes.md §8): OpenList reads a missing key as Go's zero value,
 * which differs from our defaults for use_online_api and drive_type, so a row login wrote must mean the same to both.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { formMeta } from '../../src/config/index.js'
import { saveLoginTokens } from '../../src/login/save-tokens.js'

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

it('a new storage row holds every key, at our defaults where the login does not set it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ado-every-key-'))
  dirs.push(dir)
  const path = join(dir, 'storages.json')
  await saveLoginTokens({
    path,
    mount: '/ali',
    tokens: { refreshToken: 'r', accessToken: 'a' },
    renewal: { use_online_api: true, alipan_type: 'default', api_url_address: 'https://relay.test/alicloud/renewapi' },
  })
  const rows = JSON.parse(await readFile(path, 'utf8')) as Array<{ addition: string }>
  const addition = JSON.parse(rows[0]!.addition) as Record<string, unknown>
  for (const field of formMeta) expect(Object.keys(addition), field.name).toContain(field.name)
  expect(addition).toMatchObject({ use_online_api: true, drive_type: 'resource', refresh_token: 'r' })
})
