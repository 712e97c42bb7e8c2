/**
 * The two drivers under test, both pointed at the same emulator: ours (public API only, as a host would use it) and
 * the peer, @breadfs/aliyundrive, which takes `apiUrl` and refreshes with client id/secret against `${apiUrl}/oauth`.
 */
import { AliyunDriveProvider } from '@breadfs/aliyundrive'
import { AliyundriveOpen } from '../../src/index.js'
import type { EmuInfo } from './emulator-proc.js'

export function ourDriver(info: EmuInfo, refreshToken: string, extra: Record<string, unknown> = {}): AliyundriveOpen {
  return new AliyundriveOpen(
    {
      refresh_token: refreshToken,
      use_online_api: false,
      client_id: info.clientId,
      client_secret: info.clientSecret,
      drive_type: 'resource',
      ...extra,
    },
    { apiBaseUrl: info.apiUrl },
  )
}

export function peerDriver(info: EmuInfo, refreshToken: string): AliyunDriveProvider {
  return new AliyunDriveProvider({
    refresh: { token: refreshToken, clientId: info.clientId, clientSecret: info.clientSecret },
    apiUrl: info.apiUrl,
    driveType: 'resource',
  })
}
