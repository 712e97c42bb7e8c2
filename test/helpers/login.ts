/** Runs `aliyundrive-open login` as a child process, so a test can read the printed QR URL and "scan" it meanwhile. */
import { spawn } from 'node:child_process'
import { MAIN } from './cli.js'

export interface LoginRun {
  output(): string
  stdout(): string
  waitFor(re: RegExp): Promise<RegExpExecArray>
  signal(sig: NodeJS.Signals): void
  exit: Promise<number | null>
}

export function startLogin(args: string[]): LoginRun {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let stdout = ''
  const waiters: Array<() => void> = []
  const wake = () => waiters.splice(0).forEach((w) => w())
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8')
    stdout += c.toString('utf8')
    wake()
  })
  child.stderr.on('data', (c: Buffer) => {
    out += c.toString('utf8')
    wake()
  })
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code, sig) => resolve(code ?? (sig ? 128 : null))),
  )
  let exited = false
  void exit.then(() => {
    exited = true
    wake()
  })
  return {
    output: () => out,
    stdout: () => stdout,
    exit,
    signal: (sig) => child.kill(sig),
    async waitFor(re) {
      for (;;) {
        const m = re.exec(out)
        if (m) return m
        if (exited) throw new Error(`login exited without printing ${re}:\n${out}`)
        await new Promise<void>((r) => waiters.push(r))
      }
    },
  }
}

/** The URL on the printed "Scan URL" / "qrCodeUrl" line. */
export const SCAN_URL = /Scan URL {2}: (\S+)\n/
export const QR_CODE_URL = /qrCodeUrl : (\S+)\n/
