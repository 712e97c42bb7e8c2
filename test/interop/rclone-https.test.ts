/**
 * rclone over HTTPS (README "HTTPS"): `serve --tls-cert/--tls-key` with a certificate made at run time, rclone
 * trusting it through `--ca-cert`: upload, list, read back, delete. And without the CA rclone refuses the server,
 * so the test would notice plain HTTP or a certificate rclone did not check.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PASSWORD, startStack, USER, type Stack } from '../helpers/stack.js'
import { makeCertificate, type CertFiles } from '../helpers/tls.js'
import { requireTool, run, rcloneRemoteEnv } from '../helpers/interop-tools.js'

let s: Stack
let dir: string
let cert: CertFiles
let env: Record<string, string>

beforeAll(async () => {
  requireTool('rclone')
  dir = await mkdtemp(join(tmpdir(), 'ado-rclone-tls-'))
  cert = makeCertificate(dir)
  s = await startStack({}, { tls: cert })
  env = await rcloneRemoteEnv({ dir, davUrl: `${s.server.url}/dav`, vendor: 'other', user: USER, password: PASSWORD })
}, 60_000)

afterAll(async () => {
  await s?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

it('copies, lists, reads and deletes over https with the CA given', async () => {
  expect(s.server.url).toMatch(/^https:/)
  const rclone = (...args: string[]) => run('rclone', ['--ca-cert', cert.certFile, ...args], { env, timeoutMs: 90_000 })
  const local = join(dir, 'hello.txt')
  await writeFile(local, 'over tls\n')
  const copy = await rclone('copyto', local, 'T:tls/hello.txt')
  expect(copy.code, copy.stderr).toBe(0)
  const ls = await rclone('lsjson', 'T:tls')
  expect(ls.code, ls.stderr).toBe(0)
  expect((JSON.parse(ls.stdout) as Array<{ Path: string }>).map((e) => e.Path)).toEqual(['hello.txt'])
  expect((await rclone('cat', 'T:tls/hello.txt')).stdout).toBe('over tls\n')
  const purge = await rclone('purge', 'T:tls')
  expect(purge.code, purge.stderr).toBe(0)
}, 120_000)

it('refuses the server without the CA (the certificate is really checked)', async () => {
  const r = await run('rclone', ['--low-level-retries', '1', '--retries', '1', 'lsjson', 'T:'], {
    env,
    timeoutMs: 60_000,
  })
  expect(r.code).not.toBe(0)
  expect(r.stderr).toMatch(/certificate/i)
}, 90_000)
