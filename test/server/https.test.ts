/**
 * `serve` over HTTPS (README "HTTPS"): /api, WebDAV, /d/ and /p/ answer on the one port over TLS with a certificate
 * made at run time, links say https, a plain-HTTP request gets no page, a reload picks up a renewed certificate for
 * new connections while an open one keeps working, and bad files are refused with the file named.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { Agent } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../../src/server/index.js'
import { startStack, type Stack } from '../helpers/stack.js'
import { httpsRequest, makeCertificate, type CertFiles } from '../helpers/tls.js'

let dir: string
let first: CertFiles
let second: CertFiles
let live: CertFiles
let s: Stack
let ca: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ado-https-'))
  first = makeCertificate(dir, 'first')
  second = makeCertificate(dir, 'second')
  // The server reads these two paths; the test swaps their content to "renew" the certificate.
  live = { certFile: join(dir, 'live.crt'), keyFile: join(dir, 'live.key') }
  await copyFile(first.certFile, live.certFile)
  await copyFile(first.keyFile, live.keyFile)
  ca = (await readFile(first.certFile, 'utf8')) + (await readFile(second.certFile, 'utf8'))
  s = await startStack({ seed: [{ path: '/docs/readme.txt', content: 'hello tls\n' }] }, { tls: live })
}, 60_000)

afterAll(async () => {
  await s?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('one port, HTTPS only', () => {
  it('prints https URLs and answers /api over TLS', async () => {
    expect(s.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(s.server.davUrl).toMatch(/^https:/)
    const me = await httpsRequest(`${s.server.url}/api/me`, { ca, headers: { Authorization: s.server.token } })
    expect(me.status).toBe(200)
    expect(JSON.parse(me.body)).toMatchObject({ code: 200, data: { username: 'admin' } })
    expect(me.peerName).toBe('first')
  })

  it('raw_url says https and opens over TLS; /p/ and WebDAV too', async () => {
    const get = await httpsRequest(`${s.server.url}/api/fs/get`, {
      ca,
      method: 'POST',
      headers: { Authorization: s.server.token, 'Content-Type': 'application/json' },
      body: '{"path":"/docs/readme.txt"}',
    })
    const rawUrl = (JSON.parse(get.body) as { data: { raw_url: string } }).data.raw_url
    expect(rawUrl.startsWith(`${s.server.url}/d/docs/readme.txt?sign=`)).toBe(true)
    const viaProxy = await httpsRequest(rawUrl.replace('/d/', '/p/'), { ca })
    expect(viaProxy.status).toBe(200)
    expect(viaProxy.body).toBe('hello tls\n')
    const dav = await httpsRequest(`${s.server.davUrl}docs/readme.txt`, { ca, headers: { Authorization: s.basic } })
    expect(dav.body).toBe('hello tls\n')
  })

  it('a plain-HTTP request on the port gets no page', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest(`${s.server.url.replace('https:', 'http:')}/api/public/settings`, (res) =>
        resolve(`answered ${res.statusCode}`),
      )
      req.on('error', (e) => resolve(`failed: ${(e as NodeJS.ErrnoException).code}`))
      req.end()
    })
    expect(outcome).toMatch(/^failed: /)
  })
})

describe('reloading the certificate', () => {
  it('new connections get the renewed certificate; an open connection keeps working', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const headers = { Authorization: s.server.token }
    const before = await httpsRequest(`${s.server.url}/api/me`, { ca, headers, agent })
    expect(before.peerName).toBe('first')

    await copyFile(second.certFile, live.certFile)
    await copyFile(second.keyFile, live.keyFile)
    await s.server.reloadTls()

    const onOpen = await httpsRequest(`${s.server.url}/api/me`, { ca, headers, agent })
    expect(onOpen.reused).toBe(true)
    expect(onOpen.status).toBe(200)
    expect(onOpen.peerName).toBe('first')
    agent.destroy()
    const fresh = await httpsRequest(`${s.server.url}/api/me`, { ca, headers })
    expect(fresh.peerName).toBe('second')
  })

  it('a reload that fails names the file and keeps the certificate in use', async () => {
    await writeFile(live.keyFile, await readFile(first.keyFile))
    await expect(s.server.reloadTls()).rejects.toThrow(/--tls-key .*live\.key does not belong to the certificate/)
    const still = await httpsRequest(`${s.server.url}/api/me`, { ca, headers: { Authorization: s.server.token } })
    expect(still.peerName).toBe('second')
    await copyFile(second.keyFile, live.keyFile)
  })
})

describe('bad files are refused at start, naming the file', () => {
  const start = (tls: CertFiles) =>
    startServer({ driver: s.driver, credentials: { user: 'a', password: 'b' }, port: 0, tls })

  it('a missing file', async () => {
    await expect(start({ certFile: join(dir, 'nope.crt'), keyFile: first.keyFile })).rejects.toThrow(
      /--tls-cert .*nope\.crt: no such file/,
    )
  })

  it('a key that is not the certificate’s', async () => {
    await expect(start({ certFile: first.certFile, keyFile: second.keyFile })).rejects.toThrow(
      /--tls-key .*second\.key does not belong to the certificate in --tls-cert .*first\.crt/,
    )
  })

  it('a file that is not a certificate, and a key file that is not a key', async () => {
    await expect(start({ certFile: first.keyFile, keyFile: first.keyFile })).rejects.toThrow(
      /--tls-cert .*first\.key: not a PEM certificate/,
    )
    await expect(start({ certFile: first.certFile, keyFile: first.certFile })).rejects.toThrow(
      /--tls-key .*first\.crt: not a PEM private key/,
    )
  })

  it('an unreadable file', async () => {
    // root reads any file whatever its mode; the folder case is the unreadable one every user gets.
    await expect(start({ certFile: dir, keyFile: first.keyFile })).rejects.toThrow(/--tls-cert .*: is a folder/)
  })
})
