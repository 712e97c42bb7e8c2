/**
 * Child processes for measurements: each figure whose memory matters runs in a fresh Node process, so its peak RSS
 * (VmHWM) is its own and not the orchestrator's, the emulator's or a previous run's.
 */
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const childrenDir = join(dirname(dirname(fileURLToPath(import.meta.url))), 'children')

/** Peak resident set size of this process so far, in bytes (Linux /proc; 0 elsewhere). */
export function peakRssBytes(): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024
  } catch {
    return 0
  }
}

/**
 * BENCH_PROF=<dir> writes a V8 CPU profile of every bench child to <dir>/<child name>/ (NODE_OPTIONS may not carry
 * --cpu-prof); that is how the findings in RESULTS.md were profiled.
 */
function profileArgs(name: string): string[] {
  const dir = process.env.BENCH_PROF
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, name)}`] : []
}

/** Runs bench/children/<name>.js with one JSON argument and resolves with the one message it sends back. */
export async function runChild<T>(name: string, arg: unknown, execArgv: string[] = []): Promise<T> {
  const child = fork(join(childrenDir, `${name}.js`), [JSON.stringify(arg)], {
    execArgv: [...execArgv, ...profileArgs(name)],
  })
  let result: { ok: true; value: T } | { ok: false; error: string } | undefined
  child.on('message', (m) => (result = m as typeof result))
  const [code] = (await once(child, 'exit')) as [number | null]
  if (!result) throw new Error(`bench child ${name} exited (${code}) without a result`)
  if (!result.ok) throw new Error(`bench child ${name}: ${result.error}`)
  return result.value
}

/** The child side of runChild: parses the argument, runs `fn`, sends its value or its error, exits. */
export function childMain<A, T>(fn: (arg: A) => Promise<T>): void {
  const arg = JSON.parse(process.argv[2] ?? 'null') as A
  fn(arg).then(
    (value) => process.send!({ ok: true, value }, () => process.exit(0)),
    (e: unknown) =>
      process.send!({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }, () =>
        process.exit(1),
      ),
  )
}

/**
 * A long-lived child (a server): forks bench/children/<name>.js, resolves with its first message once it is ready;
 * `stop` disconnects IPC, which the child takes as its signal to exit.
 */
export async function startService<T>(
  name: string,
  arg: unknown = null,
): Promise<{ ready: T; stop: () => Promise<void>; ask: <A>(op: string) => Promise<A> }> {
  const child = fork(join(childrenDir, `${name}.js`), [JSON.stringify(arg)], { execArgv: profileArgs(name) })
  const [ready] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => Promise.reject(new Error(`${name} exited before it was ready`))),
  ])) as [T]
  let next = 0
  return {
    ready,
    /** Sends `{ id, op }` and resolves with the `value` of the child's answer carrying the same id. */
    ask: <A>(op: string) =>
      new Promise<A>((resolve) => {
        const id = ++next
        const on = (m: { id?: number; value: A }) => {
          if (m.id !== id) return
          child.off('message', on)
          resolve(m.value)
        }
        child.on('message', on)
        child.send({ id, op })
      }),
    stop: async () => {
      const exited = once(child, 'exit')
      child.disconnect()
      await exited
    },
  }
}
