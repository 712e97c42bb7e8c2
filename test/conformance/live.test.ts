/**
 * The conformance suite against a real AliyunDrive account — only when ALIYUNDRIVE_REFRESH_TOKEN is set (skipped
 * otherwise). It works inside a scratch folder it creates and removes. Optional: ALIYUNDRIVE_CLIENT_ID and
 * ALIYUNDRIVE_CLIENT_SECRET (own app; otherwise the online renew API), ALIYUNDRIVE_DRIVE_TYPE (default resource).
 * The rotated refresh token is printed nowhere; it is written to ALIYUNDRIVE_TOKEN_FILE when given, so the next run
 * can use it (refresh tokens are single-use).
 */
import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { AliyundriveOpen } from '../../src/driver/aliyundrive-open.js'
import { DRIVER_PROPS } from '../../src/driver/driver-props.js'
import { conformanceSuite } from '../../src/testing/index.js'

const token = process.env.ALIYUNDRIVE_REFRESH_TOKEN
if (!token) {
  describe.skip('conformance: live AliyunDrive account (set ALIYUNDRIVE_REFRESH_TOKEN to run)', () => {
    it('needs credentials', () => undefined)
  })
} else {
  const clientId = process.env.ALIYUNDRIVE_CLIENT_ID
  const shared: Record<string, unknown> = {
    refresh_token: token,
    drive_type: process.env.ALIYUNDRIVE_DRIVE_TYPE ?? 'resource',
    ...(clientId
      ? { use_online_api: false, client_id: clientId, client_secret: process.env.ALIYUNDRIVE_CLIENT_SECRET ?? '' }
      : {}),
  }
  conformanceSuite(
    {
      name: 'live AliyunDrive account',
      capabilities: DRIVER_PROPS.capabilities,
      permanentRemoveOverrides: { remove_way: 'delete' },
      makeDriver: (overrides = {}) =>
        new AliyundriveOpen(
          { ...shared, ...overrides },
          {
            saveConfig: (config) => {
              // Every driver instance must continue from the newest token: refresh tokens are single-use.
              shared.refresh_token = config.refresh_token
              shared.AccessToken = config.AccessToken
              if (process.env.ALIYUNDRIVE_TOKEN_FILE)
                writeFileSync(process.env.ALIYUNDRIVE_TOKEN_FILE, config.refresh_token, { mode: 0o600 })
            },
          },
        ),
    },
    { describe, it, beforeAll, afterAll },
  )
}
