/**
 * Forwarded headers only from a proxy `--trust-proxy` names (README "Behind a reverse proxy"): without it,
 * X-Forwarded-For/-Host/-Proto change neither the links `serve` builds nor whom the login throttle blames; with it,
 * links use the forwarded host and scheme and the throttle keys on the forwarded client address.
 */
import type { IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TrustedProxies } from '../../src/server/index.js'
import { resolveOrigin } from '../../src/server/request-origin.js'
import { raw } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

const SEED = [{ path: '/a.txt', content: 'a' }]
const THROTTLE = { freeFailures: 2, spacingMs: 60_000, maxHoldMs: 0 }
const FORGED = { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9' }

let plain: Stack
let behind: Stack
let elsewhere: Stack

beforeAll(async () => {
  plain = await startStack({ seed: SEED }, { loginThrottle: THROTTLE })
  behind = await startStack({ seed: SEED }, { loginThrottle: THROTTLE, trustProxy: new TrustedProxies('127.0.0.1') })
  // A proxy list that does not hold the test's own address: its headers are anybody's.
  elsewhere = await startStack(
    { seed: SEED },
    { loginThrottle: THROTTLE, trustProxy: new TrustedProxies('10.0.0.0/8,::1') },
  )
}, 60_000)

afterAll(async () => {
  await plain?.close()
  await behind?.close()
  await elsewhere?.close()
})

async function rawUrl(s: Stack, headers: Record<string, string>): Promise<string> {
  const get = await raw(
    `${s.server.url}/api/fs/get`,
    'POST',
    { Authorization: s.server.token, 'Content-Type': 'application/json', ...headers },
    '{"path":"/a.txt"}',
  )
  return get.json.data.raw_url as string
}

async function failLogin(s: Stack, headers: Record<string, string>): Promise<number> {
  const r = await raw(
    `${s.server.url}/api/auth/login`,
    'POST',
    { 'Content-Type': 'application/json', ...headers },
    '{"username":"admin","password":"wrong"}',
  )
  return r.json.code as number
}

describe('without a trusted proxy', () => {
  it('forwarded host and scheme do not reach the links', async () => {
    for (const s of [plain, elsewhere])
      expect(await rawUrl(s, FORGED)).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${s.port}/d/a\\.txt\\?sign=`))
  })

  it('a forged X-Forwarded-For does not dodge the login throttle', async () => {
    for (const s of [plain, elsewhere]) {
      expect(await failLogin(s, { 'X-Forwarded-For': '198.51.100.1' })).toBe(400)
      expect(await failLogin(s, { 'X-Forwarded-For': '198.51.100.2' })).toBe(400)
      // Locked: the socket address is what counts, whatever the header says.
      expect(await failLogin(s, { 'X-Forwarded-For': '198.51.100.3' })).toBe(429)
    }
  })
})

describe('behind a trusted proxy', () => {
  it('links use the forwarded host and scheme', async () => {
    expect(await rawUrl(behind, FORGED)).toMatch(/^https:\/\/evil\.example\/d\/a\.txt\?sign=/)
    expect(await rawUrl(behind, {})).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${behind.port}/`))
  })

  it('the throttle keys on the forwarded client address', async () => {
    expect(await failLogin(behind, { 'X-Forwarded-For': '198.51.100.1' })).toBe(400)
    expect(await failLogin(behind, { 'X-Forwarded-For': '198.51.100.1' })).toBe(400)
    expect(await failLogin(behind, { 'X-Forwarded-For': '198.51.100.1' })).toBe(429)
    // Another client behind the same proxy is not locked out by the first one's failures.
    expect(await failLogin(behind, { 'X-Forwarded-For': '198.51.100.2' })).toBe(400)
    // A client that writes its own X-Forwarded-For still gets the address the proxy appended.
    expect(await failLogin(behind, { 'X-Forwarded-For': '192.0.2.77, 198.51.100.1' })).toBe(429)
  })
})

describe('the list and the forwarded chain', () => {
  const req = (remoteAddress: string, headers: Record<string, string>) =>
    ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage

  it('the client is the right-most hop that is not a trusted proxy', () => {
    const trusted = new TrustedProxies('10.0.0.0/8, 192.168.1.1')
    const chain = { 'x-forwarded-for': '1.1.1.1, 203.0.113.5, 10.1.2.3' }
    expect(resolveOrigin(req('192.168.1.1', chain), trusted).address).toBe('203.0.113.5')
    expect(resolveOrigin(req('::ffff:10.0.0.7', chain), trusted).address).toBe('203.0.113.5')
    expect(resolveOrigin(req('172.16.0.1', chain), trusted).address).toBe('172.16.0.1')
    expect(resolveOrigin(req('10.0.0.1', {}), trusted).address).toBe('10.0.0.1')
    expect(resolveOrigin(req('10.0.0.1', { 'x-forwarded-for': 'junk, 10.2.2.2' }), trusted).address).toBe('10.2.2.2')
  })

  it('names a bad entry', () => {
    for (const bad of ['10.0.0.0/33', 'proxy.local', '1.2.3.4/8/1', '::1/129', ' , '])
      expect(() => new TrustedProxies(bad), bad).toThrow(/--trust-proxy/)
    expect(new TrustedProxies('::1').has('::1')).toBe(true)
    expect(new TrustedProxies('127.0.0.0/8').has('::ffff:127.0.0.9')).toBe(true)
  })
})
