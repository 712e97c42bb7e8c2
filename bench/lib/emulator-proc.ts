/** Parent-side handle of bench/children/emulator.ts: the emulator handle's bench-relevant methods, over IPC. */
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { EmulatorOptions, EmulatorStats, RateLimits } from '../../src/emulator/index.js'

/** What a driver process needs to reach the emulator (serialisable, passed to children). */
export interface EmuInfo {
  apiUrl: string
  clientId: string
  clientSecret: string
  driveId: string
}

export interface EmulatorProc {
  info: EmuInfo
  refreshToken(): Promise<string>
  stats(): Promise<EmulatorStats>
  resetStats(): Promise<void>
  expireAccessTokens(): Promise<void>
  setLimits(limits: RateLimits | false): Promise<void>
  close(): Promise<void>
}

const file = join(dirname(dirname(fileURLToPath(import.meta.url))), 'children', 'emulator.js')

/** `execArgv` lets a profiling run pass e.g. --cpu-prof to the emulator process. */
export async function startEmulatorProc(options: EmulatorOptions, execArgv: string[] = []): Promise<EmulatorProc> {
  const child: ChildProcess = fork(file, [], { execArgv })
  child.send(options)
  const [ready] = (await once(child, 'message')) as [EmuInfo & { type: string }]
  const info: EmuInfo = {
    apiUrl: ready.apiUrl,
    clientId: ready.clientId,
    clientSecret: ready.clientSecret,
    driveId: ready.driveId,
  }
  let next = 0
  const call = <T>(op: string, arg?: unknown): Promise<T> =>
    new Promise((resolve) => {
      const id = ++next
      const on = (m: { id: number; value: T }) => {
        if (m.id !== id) return
        child.off('message', on)
        resolve(m.value)
      }
      child.on('message', on)
      child.send({ id, op, arg })
    })
  return {
    info,
    refreshToken: () => call('refreshToken'),
    stats: () => call('stats'),
    resetStats: () => call('resetStats'),
    expireAccessTokens: () => call('expireAccessTokens'),
    setLimits: (limits) => call('setLimits', limits),
    close: async () => {
      const exited = once(child, 'exit')
      await call('close')
      await exited
    },
  }
}
