import { describe, expect, it } from 'vitest'
import { configSchema, formMeta, parseConfig } from '../../../src/config/index.js'
import { DriverError } from '../../../src/errors/index.js'

const SECRET = 'super-secret-value-123'

function invalid(input: unknown): DriverError {
  try {
    parseConfig(input)
  } catch (e) {
    expect(e).toBeInstanceOf(DriverError)
    expect((e as DriverError).code).toBe('INVALID_CONFIG')
    return e as DriverError
  }
  throw new Error('expected INVALID_CONFIG')
}

describe('parseConfig', () => {
  it('applies OpenList defaults to a minimal addition', () => {
    const cfg = parseConfig({ refresh_token: 'rt' })
    expect(cfg).toEqual({
      drive_type: 'resource',
      root_folder_id: 'root',
      refresh_token: 'rt',
      order_by: '',
      order_direction: '',
      use_online_api: true,
      alipan_type: 'default',
      api_url_address: 'https://api.oplist.org/alicloud/renewapi',
      client_id: '',
      client_secret: '',
      remove_way: 'trash',
      rapid_upload: false,
      internal_upload: false,
      livp_download_format: 'jpeg',
      AccessToken: '',
    })
  })

  it('accepts a pasted OpenList addition JSON string with AccessToken, and maps empty strings as OpenList does', () => {
    const addition = JSON.stringify({
      drive_type: '',
      root_folder_id: '',
      refresh_token: 'rt',
      order_by: 'name',
      order_direction: 'DESC',
      use_online_api: true,
      alipan_type: 'alipanTV',
      api_url_address: 'https://api.oplist.org/alicloud/renewapi',
      client_id: '',
      client_secret: '',
      remove_way: '',
      rapid_upload: true,
      internal_upload: false,
      livp_download_format: 'mov',
      AccessToken: 'at-value',
      some_future_key: 1,
    })
    const cfg = parseConfig(addition)
    expect(cfg.drive_type).toBe('default')
    expect(cfg.root_folder_id).toBe('root')
    expect(cfg.remove_way).toBe('trash')
    expect(cfg.AccessToken).toBe('at-value')
    expect(cfg.alipan_type).toBe('alipanTV')
    expect('some_future_key' in cfg).toBe(false)
  })

  it('accepts access_token as an alias of AccessToken', () => {
    expect(parseConfig({ refresh_token: 'rt', access_token: 'at' }).AccessToken).toBe('at')
  })

  it('unwraps a whole OpenList storage object whose addition is a JSON string', () => {
    const storage = {
      mount_path: '/ali',
      driver: 'AliyundriveOpen',
      addition: JSON.stringify({ refresh_token: 'rt', drive_type: 'backup' }),
    }
    expect(parseConfig(storage).drive_type).toBe('backup')
  })

  it('names every bad field in one error and never echoes a secret', () => {
    const err = invalid({
      refresh_token: '',
      drive_type: 'photos',
      remove_way: SECRET,
      use_online_api: false,
      client_secret: '',
      order_direction: 'up',
    })
    for (const field of [
      'refresh_token',
      'drive_type',
      'remove_way',
      'client_id',
      'client_secret',
      'order_direction',
    ]) {
      expect(err.message).toContain(field)
    }
    expect(err.message).not.toContain(SECRET)
  })

  it('requires client_id and client_secret only when the online API is off', () => {
    expect(() =>
      parseConfig({ refresh_token: 'rt', use_online_api: false, client_id: 'id', client_secret: 's' }),
    ).not.toThrow()
    const err = invalid({ refresh_token: 'rt', use_online_api: false })
    expect(err.message).toMatch(/client_id .*use_online_api is false/)
  })

  it('rejects a non-URL api_url_address and bad JSON with a position, not the text', () => {
    expect(invalid({ refresh_token: 'rt', api_url_address: 'ftp://x' }).message).toContain(
      'api_url_address must be an http(s) URL',
    )
    const err = invalid(`{"refresh_token": "${SECRET}",,}`)
    expect(err.message).toMatch(/not valid JSON/)
    expect(err.message).not.toContain(SECRET)
  })

  it('rejects non-objects with the type named', () => {
    expect(invalid([1]).message).toContain('got an array')
    expect(invalid(null).message).toContain('got null')
  })
})

describe('formMeta', () => {
  it('is derived from the schema: every visible key, with kinds, options, defaults and required', () => {
    const names = formMeta.map((f) => f.name)
    const keys = Object.keys(configSchema.shape).filter((k) => k !== 'AccessToken')
    expect(names).toEqual(keys)
    const byName = Object.fromEntries(formMeta.map((f) => [f.name, f]))
    expect(byName.refresh_token).toMatchObject({ kind: 'password', required: true })
    expect(byName.client_secret).toMatchObject({ kind: 'password', required: false })
    expect(byName.drive_type).toMatchObject({
      kind: 'select',
      options: ['default', 'resource', 'backup'],
      default: 'resource',
    })
    expect(byName.remove_way).toMatchObject({ options: ['trash', 'delete'], default: 'trash' })
    expect(byName.use_online_api).toMatchObject({ kind: 'boolean', default: true })
    for (const f of formMeta) expect(f.help, f.name).toBeTruthy()
  })
})
