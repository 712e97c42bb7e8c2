/**
 * `serve` on a network (README "Putting serve on a network"): the TLS flags (both or neither, bad files refused with
 * the file named, before anything starts), the https banner, the certificate re-read on SIGHUP, and the warning for
 * plain HTTP beyond loopback; the accounts file (bad entries named, re-read on SIGHUP) and --read-only.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleartextWarning, isLoopbackHost } from '../../src/cli/serve-network.js'
import { httpsRequest, makeCertificate, type CertFiles } from '../helpers/tls.js'
import { cli, startLongRunning } from '../helpers/cli.js'

let dir: string
let first: CertFiles
let second: CertFiles

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-serve-net-'))
  first = makeCertificate(dir, 'first')
  second = makeCertificate(dir, 'second')
}, 120_000)

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('the TLS flags', () => {
  it('one without the other is a usage error', async () => {
    const r = await cli(['serve', '--port', '0', '--tls-cert', first.certFile])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--tls-cert needs --tls-key/)
  })

  it('a key of another certificate is refused with both files named', async () => {
    const r = await cli(['serve', '--port', '0', '--tls-cert', first.certFile, '--tls-key', second.keyFile])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`--tls-key ${second.keyFile} does not belong to the certificate in --tls-cert`)
  })

  it('a bad --trust-proxy entry is a usage error naming it', async () => {
    const r = await cli(['serve', '--port', '0', '--trust-proxy', '127.0.0.1,proxy.lan'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--trust-proxy: "proxy\.lan" is not an IP address or CIDR range/)
  })

  it('a missing file is named', async () => {
    const r = await cli(['serve', '--port', '0', '--tls-cert', join(dir, 'gone.crt'), '--tls-key', first.keyFile])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`--tls-cert ${join(dir, 'gone.crt')}: no such file`)
  })
})

describe('serve over https', () => {
  it('prints https URLs, serves them, and takes a renewed certificate on SIGHUP', async () => {
    const live = { certFile: join(dir, 'live.crt'), keyFile: join(dir, 'live.key') }
    await copyFile(first.certFile, live.certFile)
    await copyFile(first.keyFile, live.keyFile)
    const ca = (await readFile(first.certFile, 'utf8')) + (await readFile(second.certFile, 'utf8'))
    const p = await startLongRunning(
      ['serve', '--port', '0', '--tls-cert', live.certFile, '--tls-key', live.keyFile],
      /Press Ctrl-C/,
    )
    try {
      const out = p.output()
      const url = /OpenList API : (https:\/\/\S+)\/api/.exec(out)?.[1]
      const token = /API token\s+: (\S+)/.exec(out)?.[1]
      expect(url && token, out).toBeTruthy()
      expect(out).toMatch(/WebDAV {7}: https:\/\//)
      expect(out).toMatch(/Open the web UI: https:\/\//)
      expect(out).not.toMatch(/travel in clear/)
      const me = await httpsRequest(`${url}/api/me`, { ca, headers: { Authorization: token! } })
      expect(me.status).toBe(200)
      expect(me.peerName).toBe('first')

      await copyFile(second.certFile, live.certFile)
      await copyFile(second.keyFile, live.keyFile)
      p.signal('SIGHUP')
      await expect.poll(() => p.output(), { timeout: 10_000 }).toMatch(/reloaded the TLS certificate/)
      const after = await httpsRequest(`${url}/api/me`, { ca, headers: { Authorization: token! } })
      expect(after.status).toBe(200)
      expect(after.peerName).toBe('second')
    } finally {
      expect(await p.stop()).toBe(0)
    }
  }, 60_000)
})

describe('plain HTTP beyond loopback', () => {
  it('warns that passwords travel in clear, and says how to fix it', async () => {
    const p = await startLongRunning(['serve', '--port', '0', '--host', '0.0.0.0'], /Press Ctrl-C/)
    try {
      expect(p.output()).toMatch(/--host 0\.0\.0\.0 without TLS: passwords and the API token travel in clear/)
      expect(p.output()).toMatch(/--tls-cert FILE --tls-key FILE/)
    } finally {
      expect(await p.stop()).toBe(0)
    }
  }, 60_000)

  it('says nothing for loopback or with TLS', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) {
      expect(isLoopbackHost(host), host).toBe(true)
      expect(cleartextWarning(host, undefined), host).toBeUndefined()
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.org']) expect(isLoopbackHost(host), host).toBe(false)
    expect(cleartextWarning('0.0.0.0', first)).toBeUndefined()
    expect(cleartextWarning('192.168.1.5', undefined)).toMatch(/travel in clear/)
  })
})

describe('accounts from --users, and --read-only', () => {
  const dav = (url: string, user: string, pw: string, method = 'PROPFIND') =>
    fetch(`${url}/dav/`, {
      method,
      headers: { Authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`, Depth: '0' },
    })

  it('a bad users file stops serve with the entry named', async () => {
    const file = join(dir, 'bad-users.json')
    await writeFile(
      file,
      JSON.stringify([
        { username: 'x', password: 'a' },
        { username: 'admin', password: 'b' },
      ]),
    )
    const r = await cli(['serve', '--port', '0', '--users', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`--users ${file}: entry 1 ("admin"): the user name is already taken`)
  })

  it('serves the accounts, re-reads the file on SIGHUP, and --read-only refuses writes', async () => {
    const file = join(dir, 'users.json')
    await writeFile(file, JSON.stringify([{ username: 'ann', password: 'ann-pw', read_only: true }]))
    const p = await startLongRunning(['serve', '--port', '0', '--users', file, '--read-only'], /Press Ctrl-C/)
    try {
      const url = /OpenList API : (http:\/\/\S+)\/api/.exec(p.output())?.[1]
      const password = /password\s+: (\S+)/.exec(p.output())?.[1]
      expect(url && password, p.output()).toBeTruthy()
      expect((await dav(url!, 'ann', 'ann-pw')).status).toBe(207)
      expect((await dav(url!, 'bob', 'bob-pw')).status).toBe(401)
      // --read-only: the admin's write is refused too.
      const put = await fetch(`${url}/dav/new.txt`, {
        method: 'PUT',
        headers: { Authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` },
        body: 'x',
      })
      expect(put.status).toBe(403)

      await writeFile(file, JSON.stringify([{ username: 'bob', password: 'bob-pw' }]))
      p.signal('SIGHUP')
      await expect.poll(() => p.output(), { timeout: 10_000 }).toMatch(/reloaded 1 account\(s\)/)
      expect((await dav(url!, 'bob', 'bob-pw')).status).toBe(207)
      expect((await dav(url!, 'ann', 'ann-pw')).status).toBe(401)

      await writeFile(file, '[{"username": "bob"}]')
      p.signal('SIGHUP')
      await expect.poll(() => p.output(), { timeout: 10_000 }).toMatch(/kept the accounts in use: .*entry 0 \("bob"\)/)
      expect((await dav(url!, 'bob', 'bob-pw')).status).toBe(207)
    } finally {
      expect(await p.stop()).toBe(0)
    }
  }, 60_000)
})
