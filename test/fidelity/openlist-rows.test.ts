/** Storage rows exactly as a stock OpenList stores and exports them: every one it mounts, we accept. */
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/index.js'

/** A row as OpenList's `storages` table / admin API holds it: all columns, `addition` as JSON text. */
function storedRow(addition: Record<string, unknown>): Record<string, unknown> {
  return {
    id: 3,
    mount_path: '/ali',
    order: 0,
    driver: 'AliyundriveOpen',
    cache_expiration: 30,
    status: 'work',
    addition: JSON.stringify(addition),
    remark: '',
    modified: '2024-05-01T10:00:00.000+08:00',
    disabled: false,
    disable_index: false,
    enable_sign: false,
    order_by: 'name',
    order_direction: 'asc',
    extract_folder: '',
    web_proxy: false,
    webdav_policy: '302_redirect',
    proxy_range: false,
    down_proxy_url: '',
  }
}

/** An addition saved before `alipan_type` existed and re-saved by OpenList with every field it did not set as "". */
const legacyAddition = {
  drive_type: '',
  root_folder_id: 'root',
  refresh_token: 'rt-value',
  order_by: '',
  order_direction: '',
  use_online_api: true,
  alipan_type: '',
  api_url_address: 'https://api.oplist.org/alicloud/renewapi',
  client_id: '',
  client_secret: '',
  remove_way: '',
  rapid_upload: false,
  internal_upload: false,
  livp_download_format: '',
  AccessToken: '',
}

describe('OpenList storage rows', () => {
  it('reads "" in every enum with OpenList meaning (QR app, jpeg, server order, default drive, trash)', () => {
    const cfg = parseConfig(legacyAddition)
    expect(cfg.alipan_type).toBe('default')
    expect(cfg.livp_download_format).toBe('jpeg')
    expect(cfg.order_by).toBe('')
    expect(cfg.order_direction).toBe('')
    expect(cfg.drive_type).toBe('default')
    expect(cfg.remove_way).toBe('trash')
  })

  it('parses a whole stored row (all columns, addition as a string), ignoring the storage-level order columns', () => {
    const cfg = parseConfig(storedRow(legacyAddition))
    expect(cfg.refresh_token).toBe('rt-value')
    expect(cfg.alipan_type).toBe('default')
    expect(cfg.order_by).toBe('')
    // The same row as the JSON text an export holds.
    expect(parseConfig(JSON.stringify(storedRow(legacyAddition))).livp_download_format).toBe('jpeg')
  })

  it('accepts an empty relay URL with an own client ID and secret (OpenList then renews locally)', () => {
    const cfg = parseConfig({ ...legacyAddition, api_url_address: '', client_id: 'cid', client_secret: 'secret' })
    expect(cfg.api_url_address).toBe('')
    expect(() => parseConfig({ ...legacyAddition, api_url_address: '' })).toThrow(/api_url_address is required/)
  })

  it('still names a value OpenList would not know', () => {
    expect(() => parseConfig({ ...legacyAddition, alipan_type: 'tv' })).toThrow(
      /alipan_type must be one of "default", "alipanTV"/,
    )
    expect(() => parseConfig({ ...legacyAddition, livp_download_format: 'png' })).toThrow(
      /livp_download_format must be one of/,
    )
  })
})
