import nock from 'nock'
import { AliyundriveOpen } from '../../src/driver/aliyundrive-open.js'
import type { DriverHost } from '../../src/driver/host-contract.js'
import { USER_A, accessToken, refreshToken } from './jwt.js'

export const API = 'https://openapi.test'
export const DRIVE = '9001'
export const P = (name: string) => `/adrive/v1.0/${name}`

let userCounter = 0

/** A driver against a nock'd API with a valid access token (no refresh) and fast limits; init already mocked. */
export async function nockDriver(addition: Record<string, unknown> = {}, host: DriverHost = {}) {
  // A distinct user per driver keeps the shared per-user limiter of one test from slowing another.
  const userId = `${USER_A.slice(0, 24)}${(userCounter++).toString(16).padStart(8, '0')}`
  nock(API)
    .post(P('user/getDriveInfo'))
    .reply(200, { user_id: userId, default_drive_id: '9000', resource_drive_id: DRIVE, backup_drive_id: '9002' })
  const driver = new AliyundriveOpen(
    { refresh_token: refreshToken(), AccessToken: accessToken(), ...addition },
    { apiBaseUrl: API, limits: { list: 1000, link: 1000, other: 1000 }, ...host },
    { retry: { minDelayMs: 1, maxDelayMs: 2 } },
  )
  await driver.init()
  return driver
}

export function wireFile(id: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    drive_id: DRIVE,
    file_id: id,
    parent_file_id: 'root',
    name,
    type: 'file',
    size: 10,
    content_hash: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
    content_hash_name: 'sha1',
    created_at: '2024-01-02T03:04:05.678Z',
    updated_at: '2024-02-03T04:05:06.789Z',
    ...extra,
  }
}

export function wireFolder(id: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    drive_id: DRIVE,
    file_id: id,
    parent_file_id: 'root',
    name,
    type: 'folder',
    size: null,
    created_at: '2024-01-02T03:04:05.678Z',
    updated_at: '2024-01-02T03:04:05.678Z',
    ...extra,
  }
}
