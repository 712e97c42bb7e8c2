/**
 * Auth of `serve` (RELIABILITY.md, section "Auth"): every endpoint but the public ones and signed links needs credentials; passwords are
 * compared in constant time (checked in the code, and behaviourally for wrong lengths and values); signed links are
 * bound to one path and expire.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Auth } from '../../src/server/auth.js'
import { startServer, type RunningServer } from '../../src/server/index.js'
import {
  MOUNTED_PASSWORD as PASSWORD,
  MOUNTED_SECRET as SECRET,
  startMountedStack,
  USER,
  type Stack,
} from '../helpers/stack.js'
import { envelopeCode, rawRequest, type RawRequest } from '../helpers/raw-http.js'

let s: Stack
beforeAll(async () => {
  // These tests send hundreds of wrong passwords on purpose to check each answer; the back-off that would turn them
  // into 429s is tested in test/security/login-throttle.test.ts.
  s = await startMountedStack({}, { loginThrottle: false })
})
afterAll(() => s?.close())

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

/** Every authenticated endpoint, with a request that would change or reveal something if it got through. */
const API_ENDPOINTS: Array<[string, string, unknown]> = [
  ['POST', '/api/fs/list', { path: '/' }],
  ['POST', '/api/fs/get', { path: '/a.txt' }],
  ['POST', '/api/fs/dirs', { path: '/' }],
  ['POST', '/api/fs/mkdir', { path: '/intruder' }],
  ['POST', '/api/fs/rename', { path: '/a.txt', name: 'pwned.txt' }],
  ['POST', '/api/fs/move', { src_dir: '/', dst_dir: '/dir', names: ['a.txt'] }],
  ['POST', '/api/fs/copy', { src_dir: '/', dst_dir: '/dir', names: ['a.txt'] }],
  ['POST', '/api/fs/remove', { dir: '/', names: ['a.txt'] }],
  ['PUT', '/api/fs/put', 'intruder bytes'],
  ['GET', '/api/me', undefined],
  ['POST', '/api/fs/archive/list', { path: '/a.txt' }],
  ['POST', '/api/fs/no-such-endpoint', {}],
  ['POST', '/api/admin/storage/list', {}],
]
const DAV_METHODS = [
  'OPTIONS',
  'PROPFIND',
  'GET',
  'HEAD',
  'PUT',
  'MKCOL',
  'DELETE',
  'COPY',
  'MOVE',
  'LOCK',
  'PROPPATCH',
]

function apiRequest(method: string, target: string, body: unknown, authorization?: string): RawRequest {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'File-Path': '/intruder.txt',
    ...(authorization !== undefined ? { Authorization: authorization } : {}),
  }
  return {
    method,
    target,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  }
}

/** Credentials that must all fail. */
const BAD_AUTH: Array<[string, string | undefined]> = [
  ['none', undefined],
  ['empty', ''],
  ['wrong password', basic(USER, 'wrong')],
  ['wrong user', basic('root', PASSWORD)],
  ['Basic without colon', `Basic ${Buffer.from(USER + PASSWORD).toString('base64')}`],
  ['Basic not base64', 'Basic %%%%'],
  ['bogus token', 'not-the-token'],
  ['Bearer bogus', 'Bearer not-the-token'],
  ['Digest scheme', 'Digest username="admin"'],
]

describe('auth: every endpoint but public ones and signed links needs credentials', () => {
  it('every /api endpoint answers code 401 to every kind of bad credential, and nothing changes', async () => {
    const before = s.tree()
    const wrong: string[] = []
    for (const [method, target, body] of API_ENDPOINTS) {
      for (const [label, auth] of BAD_AUTH) {
        const res = await rawRequest(s.port, apiRequest(method, target, body, auth))
        if (envelopeCode(res) !== 401)
          wrong.push(`${method} ${target} (${label}): ${res.status} ${res.text.slice(0, 120)}`)
      }
    }
    expect(wrong).toEqual([])
    expect(s.tree()).toEqual(before)
  })

  it('every WebDAV method answers 401 with a Basic challenge, and nothing changes', async () => {
    const before = s.tree()
    const wrong: string[] = []
    for (const method of DAV_METHODS) {
      for (const [label, auth] of BAD_AUTH) {
        const res = await rawRequest(s.port, {
          method,
          target: method === 'MKCOL' ? '/dav/intruder' : '/dav/a.txt',
          headers: { Destination: '/dav/dir/a.txt', ...(auth !== undefined ? { Authorization: auth } : {}) },
          ...(method === 'PUT' ? { body: 'intruder' } : {}),
        })
        if (res.status !== 401 || !/^Basic realm=/.test(res.headers['www-authenticate'] ?? ''))
          wrong.push(`${method} (${label}): ${res.status}`)
      }
    }
    expect(wrong).toEqual([])
    expect(s.tree()).toEqual(before)
  })

  it('/d/ needs a valid sign or the admin credentials', async () => {
    for (const [label, auth] of BAD_AUTH) {
      const res = await rawRequest(s.port, {
        method: 'GET',
        target: '/d/a.txt',
        headers: auth !== undefined ? { Authorization: auth } : {},
      })
      expect(res.status, label).toBe(401)
    }
    expect(
      (await rawRequest(s.port, { method: 'GET', target: '/d/a.txt', headers: { Authorization: s.basic } })).status,
    ).toBe(302)
  })

  it('only the public endpoints answer without credentials, and they reveal no secret', async () => {
    const open: Array<[string, string]> = [
      ['GET', '/'],
      ['GET', '/api/public/settings'],
    ]
    for (const [method, target] of open) {
      const res = await rawRequest(s.port, { method, target })
      expect(res.status).toBe(200)
      expect(envelopeCode(res) ?? 200).toBe(200)
      expect(res.text).not.toContain(s.server.token)
      expect(res.text).not.toContain(PASSWORD)
    }
    // Login is public by nature, and answers the token only to the right password.
    const login = await rawRequest(
      s.port,
      apiRequest('POST', '/api/auth/login', { username: USER, password: PASSWORD }),
    )
    const issued = (JSON.parse(login.text) as { code: number; data: { token: string } }).data.token
    expect(envelopeCode(login)).toBe(200)
    expect(issued).not.toBe(s.server.token)
    expect(envelopeCode(await rawRequest(s.port, apiRequest('POST', '/api/fs/list', { path: '/' }, issued)))).toBe(200)
  })
})

describe('auth: password comparison', () => {
  it('the code compares with crypto.timingSafeEqual on fixed-length digests, never with === on the secret', () => {
    const source = readFileSync(join(import.meta.dirname, '../../src/server/auth.ts'), 'utf8')
    expect(source).toMatch(/import \{[^}]*timingSafeEqual[^}]*\} from 'node:crypto'/)
    expect(source).toMatch(/timingSafeEqual\(digest\(a\), digest\(b\)\)/)
    // No direct comparison of the configured password or token anywhere.
    expect(source).not.toMatch(
      /===\s*this\.creds\.password|this\.creds\.password\s*===|===\s*this\.token\b|this\.token\s*===/,
    )
    // The signer reuses the same comparison for signatures.
    expect(readFileSync(join(import.meta.dirname, '../../src/server/link-signer.ts'), 'utf8')).toMatch(/safeEqual\(/)
  })

  const WRONG_PASSWORDS: Array<[string, string]> = [
    ['empty', ''],
    ['one char', 'h'],
    ['prefix', PASSWORD.slice(0, -1)],
    ['one char more', `${PASSWORD}x`],
    ['same length, last char differs', `${PASSWORD.slice(0, -1)}X`],
    ['same length, first char differs', `X${PASSWORD.slice(1)}`],
    ['other case', PASSWORD.toUpperCase()],
    ['NUL-terminated', `${PASSWORD}\0`],
    ['NUL-truncated', `${PASSWORD.slice(0, 4)}\0${PASSWORD.slice(5)}`],
    ['10 KiB', 'p'.repeat(10 * 1024)],
    ['trailing space', `${PASSWORD} `],
    ['unicode lookalike', PASSWORD.replace('a', 'а')],
  ]

  it('wrong-length and wrong-value passwords are refused by login, login/hash and Basic; the right one passes', async () => {
    for (const [label, pw] of WRONG_PASSWORDS) {
      const login = await rawRequest(s.port, apiRequest('POST', '/api/auth/login', { username: USER, password: pw }))
      // A login body over 4 KiB is refused unread (413): a stranger's login body is capped (body-limits.ts).
      expect(envelopeCode(login), `login ${label}`).toBe(pw.length > 4000 ? 413 : 400)
      expect(login.text).not.toContain(s.server.token)
      const viaBasic = await rawRequest(s.port, apiRequest('POST', '/api/fs/list', { path: '/' }, basic(USER, pw)))
      expect(envelopeCode(viaBasic), `basic ${label}`).toBe(401)
      const hashed = await rawRequest(
        s.port,
        apiRequest('POST', '/api/auth/login/hash', { username: USER, password: pw }),
      )
      expect(envelopeCode(hashed), `hash ${label}`).toBe(pw.length > 4000 ? 413 : 400)
    }
    expect(
      envelopeCode(await rawRequest(s.port, apiRequest('POST', '/api/fs/list', { path: '/' }, basic(USER, PASSWORD)))),
    ).toBe(200)
  })

  it(
    'Auth unit: every comparison answers false for every wrong length without throwing ' +
      '(timingSafeEqual throws on unequal lengths)',
    () => {
      const auth = new Auth({ user: USER, password: PASSWORD }, SECRET)
      const token = auth.issueToken()
      for (const [, pw] of WRONG_PASSWORDS) {
        expect(auth.checkLogin(USER, pw)).toBeUndefined()
        expect(auth.checkToken(pw)).toBeUndefined()
        expect(Boolean(auth.checkToken(token + pw))).toBe(pw === '')
      }
      expect(auth.checkToken(token.slice(0, -1))).toBeUndefined()
      expect(auth.checkLogin(USER, PASSWORD)?.username).toBe(USER)
    },
  )
})

describe('auth: signed links', () => {
  let ttl: RunningServer
  let ttlPort: number
  beforeAll(async () => {
    ttl = await startServer({
      driver: s.driver,
      credentials: { user: USER, password: PASSWORD },
      secret: SECRET,
      port: 0,
      linkTtlSec: 1,
    })
    ttlPort = Number(new URL(ttl.url).port)
  })
  afterAll(() => ttl?.close())

  it('a raw_url opens its own file only, and stops working once its TTL has passed', async () => {
    const get = await rawRequest(ttlPort, apiRequest('POST', '/api/fs/get', { path: '/a.txt' }, s.basic))
    const rawUrl = new URL((JSON.parse(get.text) as { data: { raw_url: string } }).data.raw_url)
    const sign = rawUrl.searchParams.get('sign')!
    expect((await rawRequest(ttlPort, { method: 'GET', target: `${rawUrl.pathname}${rawUrl.search}` })).status).toBe(
      302,
    )
    // Bound to the path: the same sign on a sibling or on the parent folder is refused.
    for (const other of ['/d/dir/b.txt', '/d/big.bin', '/d/', '/d/a.txt.bak']) {
      expect(
        (await rawRequest(ttlPort, { method: 'GET', target: `${other}?sign=${encodeURIComponent(sign)}` })).status,
        other,
      ).toBe(401)
    }
    // Expiry is in whole seconds: after 2.2 s a 1 s link is past its expiry whatever the rounding.
    await new Promise((r) => setTimeout(r, 2200))
    const late = await rawRequest(ttlPort, { method: 'GET', target: `${rawUrl.pathname}${rawUrl.search}` })
    expect(late.status).toBe(401)
    expect(late.text).toMatch(/expired/)
  })
})
