/**
 * Running the Debian validators (litmus, rclone, cadaver) against an in-process server. A missing tool FAILS the
 * test (CI installs them via .ci/run): a silent skip would let the WebDAV server regress unnoticed. Tools run with
 * async spawn, never spawnSync, because the server under test lives in this same process.
 */
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'

export function requireTool(name: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' })
  if (found.status !== 0) {
    throw new Error(`${name} is not installed; install it with: apt-get install -y ${name} (the interop tests need it)`)
  }
}

export interface RunResult {
  code: number | null
  stdout: string
  /** stdout as bytes, for binary output (rclone cat). */
  stdoutBytes: Buffer
  stderr: string
}

export function run(
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; input?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: { ...process.env, ...opts.env },
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      const stdoutBytes = Buffer.concat(out)
      resolve({ code, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr })
    })
    child.stdin.end(opts.input ?? '')
  })
}

/**
 * The environment that defines rclone's remote `T:` as this server's WebDAV (its config file in `dir`, the password
 * obscured by rclone itself): one place for what every rclone test sets up.
 */
export async function rcloneRemoteEnv(o: {
  dir: string
  davUrl: string
  vendor: 'other' | 'owncloud'
  user: string
  password: string
}): Promise<Record<string, string>> {
  const obscured = await run('rclone', ['obscure', o.password])
  if (obscured.code !== 0) throw new Error(`rclone obscure failed: ${obscured.stderr}`)
  return {
    RCLONE_CONFIG: join(o.dir, 'rclone.conf'),
    RCLONE_CONFIG_T_TYPE: 'webdav',
    RCLONE_CONFIG_T_URL: o.davUrl,
    RCLONE_CONFIG_T_VENDOR: o.vendor,
    RCLONE_CONFIG_T_USER: o.user,
    RCLONE_CONFIG_T_PASS: obscured.stdout.trim(),
  }
}
