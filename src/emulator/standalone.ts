/** The emulator as a standalone process (the CLI's `emulator` command): demo tree, and what a client needs. */
import { demoSeed } from './demo-seed.js'
import { startEmulator } from './emulator.js'
import type { EmulatorHandle } from './types.js'

export async function runStandaloneEmulator(
  opts: {
    port?: number
    host?: string
    storageDir?: string
    limits?: boolean
    persist?: boolean
    uploadSessionTtlSec?: number
    downloadUrlTtlSec?: number
  } = {},
): Promise<EmulatorHandle> {
  const emu = await startEmulator({
    port: opts.port ?? 0,
    host: opts.host,
    storageDir: opts.storageDir,
    // `limits: false` disables rate limiting; anything else keeps the real service's defaults.
    ...(opts.limits === false ? { limits: false as const } : {}),
    ...(opts.downloadUrlTtlSec ? { downloadUrlTtlSec: opts.downloadUrlTtlSec } : {}),
    seed: demoSeed(),
    ...(opts.persist ? { persist: true } : {}),
    ...(opts.uploadSessionTtlSec !== undefined ? { uploadSessionTtlSec: opts.uploadSessionTtlSec } : {}),
  })
  const lines = [
    `AliyunDrive Open API emulator listening on ${emu.apiUrl}`,
    `  api_url / apiBaseUrl : ${emu.apiUrl}`,
    `  renew API            : ${emu.renewApiUrl}`,
    `  client_id            : ${emu.clientId}`,
    `  client_secret        : ${emu.clientSecret}`,
    `  user_id              : ${emu.userId}`,
    `  drive ids            : ${JSON.stringify(emu.driveIds)}`,
    `  refresh_token        : ${emu.issueRefreshToken()}`,
    `  log in by QR code    : aliyundrive-open --config cfg.json --api-url ${emu.apiUrl} login --api-url-address ${emu.renewApiUrl}`,
    '                         (then open the printed scan URL in a browser: the emulator takes it as the phone confirming)',
  ]
  process.stdout.write(lines.join('\n') + '\n')
  return emu
}
