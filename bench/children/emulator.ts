/**
 * The emulator in its own process, so its CPU and memory are not charged to the process being measured. The parent
 * (bench/lib/emulator-proc.ts) drives it over IPC: fresh tokens, stats, token expiry, limits, close.
 */
import { startEmulator } from '../../src/emulator/index.js'
import type { EmulatorOptions } from '../../src/emulator/index.js'

// Options come over IPC, not argv: a 10 000-entry seed is larger than the kernel's argument limit.
const options = await new Promise<EmulatorOptions>((resolve) =>
  process.once('message', (m) => resolve(m as EmulatorOptions)),
)
const emu = await startEmulator({ port: 0, ...options })
process.send!({
  type: 'ready',
  apiUrl: emu.apiUrl,
  clientId: emu.clientId,
  clientSecret: emu.clientSecret,
  driveId: emu.driveIds.resource,
})

async function handle(m: { id: number; op: string; arg?: unknown }): Promise<void> {
  let value: unknown
  switch (m.op) {
    case 'refreshToken':
      value = emu.issueRefreshToken()
      break
    case 'stats':
      value = emu.stats()
      break
    case 'resetStats':
      emu.resetStats()
      break
    case 'expireAccessTokens':
      emu.expireAccessTokens()
      break
    case 'setLimits':
      emu.setLimits(m.arg as never)
      break
    case 'close':
      await emu.close()
      process.send!({ id: m.id }, () => process.exit(0))
      return
  }
  process.send!({ id: m.id, value })
}

// A failed request ends the child with its error, as an unhandled rejection would, instead of leaving
// the bench waiting.
process.on('message', (m: { id: number; op: string; arg?: unknown }) => {
  handle(m).catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
})
