/**
 * Seeded, bounded fuzzing (RELIABILITY.md, section "Summary"): the config parser answers a typed INVALID_CONFIG
 * error or a config — never any
 * other exception, never an echo of a secret it was given; the /api and /dav endpoints answer every generated request
 * with something below 500, the server stays up, and nothing outside the mount is touched. A failure prints the seed
 * and the case, so it can be replayed (FUZZ_SEED, FUZZ_CASES).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/index.js'
import { mulberry32 } from '../../src/emulator/prng.js'
import { isDriverError } from '../../src/errors/index.js'
import { startMountedStack, type Stack } from '../helpers/stack.js'
import { envelopeCode, rawRequest, type RawRequest } from '../helpers/raw-http.js'

const SEED = Number(process.env.FUZZ_SEED ?? 20261107)
const CONFIG_CASES = Number(process.env.FUZZ_CASES ?? 3000)
const HTTP_CASES = Number(process.env.FUZZ_CASES ?? 400)

type Rand = () => number
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!

/** Strings that have broken parsers somewhere: traversal, NUL, control and bidi characters, huge, numeric, JSON. */
const NASTY_STRINGS = [
  '',
  ' ',
  '/',
  '..',
  '../..',
  '/../outside',
  '..\\..',
  '%2e%2e',
  '%2e%2e%2f',
  '%00',
  '\0',
  'a\0b',
  '\u202e',
  '\ud800',
  '\uffff',
  '文件.txt',
  '🙂',
  'a'.repeat(1025),
  'x'.repeat(70_000),
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '{}',
  '[]',
  '{"a":',
  '\r\n',
  '<x/>',
  'a.txt',
  'dir',
  '/dir',
  '/a.txt',
  '/dir/b.txt',
  'b.txt',
  'new',
  '/new/deeper',
  'https://example.com',
  'javascript:alert(1)',
  '$(rm -rf /)',
]

function randomValue(r: Rand, depth = 0): unknown {
  switch (Math.floor(r() * (depth > 2 ? 6 : 8))) {
    case 0:
      return pick(r, NASTY_STRINGS)
    case 1:
      return pick(r, [0, -1, 1, 1.5, 2 ** 53, -(2 ** 63), Number.MAX_VALUE, 200, 1e21])
    case 2:
      return pick(r, [true, false])
    case 3:
      return null
    case 4:
      return Array.from({ length: Math.floor(r() * 18) }, (_, i) =>
        String.fromCharCode(32 + ((i * 7919 + Math.floor(r() * 95)) % 95)),
      ).join('')
    case 5:
      return pick(r, NASTY_STRINGS) + pick(r, NASTY_STRINGS)
    case 6:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1))
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(r() * 4) }, () => [
          pick(r, ['path', 'name', 'names', 'x', '__proto__']),
          randomValue(r, depth + 1),
        ]),
      )
  }
}

/** Starts from a valid value of the right shape and mutates some keys; sometimes garbles the JSON text itself. */
function mutate(r: Rand, base: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = { ...base }
  const keys = Object.keys(base)
  for (let n = Math.floor(r() * 4); n > 0; n--) {
    const k = pick(r, [...keys, 'extra_key', '__proto__'])
    if (r() < 0.2) delete out[k]
    else out[k] = randomValue(r)
  }
  return out
}

function show(input: unknown): string {
  try {
    return String(typeof input === 'string' ? input : JSON.stringify(input)).slice(0, 200)
  } catch {
    return String(input).slice(0, 200) // BigInt and friends
  }
}

describe('fuzz: config parser', () => {
  it(
    `${CONFIG_CASES} seeded configs: a DriverConfig or an INVALID_CONFIG error, ` +
      `never another exception or a secret in the message`,
    () => {
      const r = mulberry32(SEED)
      const secret = 'fuzz-client-secret-must-not-leak'
      const base = {
        refresh_token: 'fuzz-refresh-token-must-not-leak',
        client_id: 'cid',
        client_secret: secret,
        use_online_api: false,
        drive_type: 'resource',
        root_folder_id: 'root',
        order_by: 'name',
        remove_way: 'trash',
        alipan_type: 'default',
      }
      const outcomes = { ok: 0, invalid: 0 }
      for (let i = 0; i < CONFIG_CASES; i++) {
        const shape = r()
        const addition = mutate(r, base)
        let input: unknown =
          shape < 0.5
            ? addition
            : shape < 0.65
              ? JSON.stringify(addition)
              : shape < 0.75
                ? { mount_path: '/m', driver: 'AliyundriveOpen', addition: JSON.stringify(addition) }
                : shape < 0.85
                  ? { addition: r() < 0.5 ? addition : randomValue(r) }
                  : shape < 0.92
                    ? JSON.stringify(addition).slice(0, Math.floor(r() * 60))
                    : randomValue(r)
        if (r() < 0.05) input = pick(r, [undefined, Symbol('x'), () => 1, 10n, new Date(0), new Map()])
        try {
          parseConfig(input)
          outcomes.ok++
        } catch (e) {
          const where = `case ${i} (seed ${SEED}): ${show(input)}`
          expect(isDriverError(e) && e.code === 'INVALID_CONFIG', `${where} threw ${String(e)}`).toBe(true)
          expect((e as Error).message, where).not.toContain(secret)
          expect((e as Error).message, where).not.toContain(base.refresh_token)
          outcomes.invalid++
        }
      }
      console.log(`fuzz config: ${CONFIG_CASES} cases, ${outcomes.ok} accepted, ${outcomes.invalid} INVALID_CONFIG`)
      expect(outcomes.ok).toBeGreaterThan(0)
      expect(outcomes.invalid).toBeGreaterThan(0)
    },
  )
})

describe('fuzz: serve endpoints', () => {
  let s: Stack
  beforeAll(async () => {
    // The driver's production budget (4 lists/s) would make this a minute long; the emulator does not limit either.
    s = await startMountedStack({}, {}, { driverLimits: { list: 200, link: 200, other: 200 } })
  })
  afterAll(() => s?.close())

  const API: Record<string, Record<string, unknown>> = {
    '/api/fs/list': { path: '/', page: 1, per_page: 0, refresh: false },
    '/api/fs/get': { path: '/a.txt' },
    '/api/fs/dirs': { path: '/' },
    '/api/fs/mkdir': { path: '/new' },
    '/api/fs/rename': { path: '/a.txt', name: 'a2.txt', overwrite: false },
    '/api/fs/move': { src_dir: '/', dst_dir: '/dir', names: ['a.txt'], overwrite: false },
    '/api/fs/copy': { src_dir: '/', dst_dir: '/dir', names: ['a.txt'], overwrite: false },
    '/api/fs/remove': { dir: '/dir', names: ['b.txt'] },
    '/api/auth/login': { username: 'admin', password: 'x' },
    '/api/auth/login/hash': { username: 'admin', password: 'x' },
    '/api/me': {},
    '/api/fs/other': {},
  }
  const DAV_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'MKCOL', 'COPY', 'MOVE', 'PROPFIND', 'OPTIONS', 'POST', 'LOCK']
  const DAV_PATHS = [
    '/',
    '/a.txt',
    '/dir/',
    '/dir/b.txt',
    '/big.bin',
    '/new',
    '/new/x.txt',
    '/%2e%2e/x',
    '/a%00',
    '/%ff',
    `/${'l'.repeat(1030)}`,
    '/dir/../a.txt',
    '/..%2f',
    '/%E6%96%87',
  ]

  function apiCase(r: Rand): RawRequest {
    const target = pick(r, Object.keys(API))
    const body =
      r() < 0.85
        ? JSON.stringify(mutate(r, API[target]!))
        : pick(r, ['', '{', '[1,2]', 'null', '\xff\xfe', JSON.stringify(randomValue(r))])
    const method = r() < 0.9 ? 'POST' : pick(r, ['GET', 'PUT', 'DELETE', 'PATCH'])
    return {
      method,
      target,
      headers: { Authorization: s.basic, 'Content-Type': 'application/json' },
      body: Buffer.from(body, 'latin1'),
    }
  }

  function putCase(r: Rand): RawRequest {
    const filePath = String(r() < 0.5 ? pick(r, NASTY_STRINGS) : `/fuzz/${String(randomValue(r))}`).replace(
      /[\r\n]/g,
      '',
    )
    const headers: Record<string, string> = { Authorization: s.basic, 'File-Path': filePath.slice(0, 4000) }
    if (r() < 0.3)
      headers['X-File-Sha1'] = pick(r, ['0'.repeat(40), 'zz', String(randomValue(r)).replace(/[\r\n]/g, '')])
    if (r() < 0.3) headers['Last-Modified'] = pick(r, ['-1', 'NaN', '1e309', '0', '99999999999999999'])
    if (r() < 0.2) headers.Overwrite = pick(r, ['false', 'true', 'F'])
    return { method: 'PUT', target: '/api/fs/put', headers, body: 'fuzz'.repeat(Math.floor(r() * 10)) }
  }

  function davCase(r: Rand): RawRequest {
    const method = pick(r, DAV_METHODS)
    const headers: Record<string, string> = { Authorization: s.basic }
    if (r() < 0.5) headers.Depth = pick(r, ['0', '1', 'infinity', '2', '-1', ''])
    if (method === 'COPY' || method === 'MOVE' || r() < 0.1) headers.Destination = `/dav${pick(r, DAV_PATHS)}`
    if (r() < 0.3) headers.Overwrite = pick(r, ['T', 'F', 'x'])
    if (r() < 0.2) headers.Range = pick(r, ['bytes=0-1', 'bytes=9-', 'bytes=-5', 'bytes=x', 'bytes=5-1'])
    const bodies = [
      '',
      '<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>',
      '<x',
      'hello',
      '<!DOCTYPE x>',
      '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><Z:q xmlns:Z="z"/></D:prop></D:propfind>',
    ]
    const body = method === 'PUT' || method === 'PROPFIND' || r() < 0.1 ? pick(r, bodies) : ''
    return { method, target: `/dav${pick(r, DAV_PATHS)}`, headers, ...(body ? { body } : {}) }
  }

  it(`${HTTP_CASES} seeded requests to /api and /dav: never a 5xx, the server stays up, /outside untouched`, async () => {
    const r = mulberry32(SEED + 1)
    const outside = () => s.tree().filter((l) => / \/outside/.test(l))
    const before = outside()
    const failures: string[] = []
    const statuses = new Map<number, number>()
    for (let i = 0; i < HTTP_CASES; i++) {
      const roll = r()
      const req = roll < 0.45 ? apiCase(r) : roll < 0.6 ? putCase(r) : davCase(r)
      let status: number
      try {
        const res = await rawRequest(s.port, req)
        status = (req.target.startsWith('/api/') ? envelopeCode(res) : undefined) ?? res.status
        if (status >= 500)
          failures.push(
            `case ${i}: ${req.method} ${req.target} ${JSON.stringify(req.headers)} ` +
              `${String(req.body ?? '').slice(0, 200)} → ${status} ${res.text.slice(0, 200)}`,
          )
      } catch (e) {
        status = 0
        failures.push(`case ${i}: ${req.method} ${req.target} → no answer: ${(e as Error).message.slice(0, 200)}`)
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
    }
    console.log(
      `fuzz http: ${HTTP_CASES} cases (seed ${SEED}), ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    )
    expect(failures).toEqual([])
    expect((await rawRequest(s.port, { method: 'GET', target: '/' })).status).toBe(200)
    expect(outside()).toEqual(before)
  }, 120_000)
})
