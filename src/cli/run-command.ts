/**
 * Wraps a command that needs the driver: opens it, runs, prints the result (JSON with --json), and always drops the
 * driver so timers do not keep the process alive.
 */
import type { Command } from 'commander'
import type { StorageDriver } from '../host/types.js'
import { globals, type GlobalOptions } from './globals.js'

export type DriverAction = (driver: StorageDriver, g: GlobalOptions) => Promise<void>

export async function withDriver(cmd: Command, action: DriverAction): Promise<void> {
  const g = globals(cmd)
  // Loaded here, not at the top: the driver (zod, the HTTP client, the lock) is what --help must not pay for.
  const { openDriver, stderrLogger } = await import('./open-driver.js')
  const { driver } = await openDriver(
    {
      ...(g.config ? { config: g.config } : {}),
      ...(g.apiUrl ? { apiUrl: g.apiUrl } : {}),
      ...(g.mount !== undefined ? { mount: g.mount } : {}),
    },
    stderrLogger(g.debug),
  )
  try {
    await action(driver, g)
  } finally {
    await driver.drop()
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}
