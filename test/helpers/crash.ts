/**
 * SIGKILL at a chosen moment. The emulator lives in the test process, so its state survives the killed child; the
 * moment is picked by watching the emulator's own call counters (a request *arrived*), so "killed mid-upload" means
 * exactly that and not "killed at some time that usually falls mid-upload".
 */
import { spawn, type ChildProcess } from 'node:child_process'
import type { EmulatorHandle } from '../../src/emulator/index.js'

export interface KillOutcome {
  /** True when the child was killed; false when it exited on its own before the trigger fired. */
  killed: boolean
  code: number | null
  output: string
}

/** A trigger: true once the child has gone far enough to be killed. */
export type Trigger = (emu: EmulatorHandle) => boolean

export const after =
  (route: string, count = 1): Trigger =>
  (emu) =>
    (emu.stats().calls[route] ?? 0) >= count

export const afterPartPuts =
  (count = 1): Trigger =>
  (emu) =>
    emu.stats().partPuts >= count

/** Runs `node args…`, and SIGKILLs it `delayMs` after `trigger` first holds (polled every millisecond). */
export function runAndKill(
  args: string[],
  emu: EmulatorHandle,
  trigger: Trigger,
  delayMs = 0,
  timeoutMs = 30_000,
): Promise<KillOutcome> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    let killed = false
    child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')))
    child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')))
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) {
        killed = true
        child.kill('SIGKILL')
      }
    }
    const poll = setInterval(() => {
      if (!trigger(emu)) return
      clearInterval(poll)
      if (delayMs > 0) setTimeout(kill, delayMs)
      else kill()
    }, 1)
    const timer = setTimeout(() => {
      kill()
      reject(new Error(`child neither triggered nor exited within ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    child.once('exit', (code) => {
      clearInterval(poll)
      clearTimeout(timer)
      resolve({ killed, code, output })
    })
  })
}
