/**
 * As the CLI user sees it (README.md, configuration): a broken config file is pointed at (line and column), an unknown key is
 * named with the key it resembles, a wrong value with the key, the value and what is expected; exit 12.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-config-mistakes-'))
}, 120_000)

async function lsWith(name: string, text: string) {
  const path = join(dir, name)
  // 0600 as a config with a token should be: the group/world-readable warning is another test's subject.
  await writeFile(path, text, { mode: 0o600 })
  return { path, r: await cli(['--config', path, '--api-url', 'http://127.0.0.1:9', 'ls', '/']) }
}

describe('config mistakes are pointed at', () => {
  it('a JSON syntax error names the line and the column', async () => {
    const { path, r } = await lsWith(
      'broken.json',
      '{\n  "refresh_token": "rt-secret-value",\n  "drive_type": "resource"\n  "use_online_api": true\n}\n',
    )
    expect(r.code).toBe(12)
    expect(r.stderr).toContain(`the config file ${path} is not valid JSON: line 4, column 3`)
    expect(r.stderr).not.toContain('rt-secret-value')
  })

  it('an unknown key is named with the known key it most resembles', async () => {
    const { r } = await lsWith('typo.json', JSON.stringify({ refresh_tokn: 'rt-secret-value' }))
    expect(r.code).toBe(12)
    expect(r.stderr).toContain('refresh_tokn is not a known key (did you mean refresh_token?)')
    expect(r.stderr).not.toContain('rt-secret-value')
  })

  it('a value of the wrong type names the key, the value and what is expected, and nothing else', async () => {
    const { r } = await lsWith(
      'type.json',
      JSON.stringify({ refresh_token: 'rt-secret-value', use_online_api: 'ture' }),
    )
    expect(r.code).toBe(12)
    expect(r.stderr.trim()).toBe(
      'aliyundrive-open: Invalid AliyundriveOpen config: use_online_api must be true or false, got "ture"',
    )
  })
})
