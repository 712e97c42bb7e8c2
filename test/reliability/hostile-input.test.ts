/**
 * Hostile input to `serve` (RELIABILITY.md, section "Hostile input"). Every class of bad request gets a 4xx with a
 * message, the server stays up, and
 * the whole drive tree — including /outside, which the mount (/mount) must never reach — is unchanged afterwards.
 * Requests go out through a raw socket (raw-http.ts) so '..', NUL and bad bytes reach the server as sent.
 *
 * The only deliberate exceptions are written down where they occur: an unparseable Range is ignored as RFC 9110
 * §14.2 says (200), and a WebDAV Destination on another URL namespace is 502 as RFC 4918 §9.8.5 prescribes.
 */
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LinkSigner } from '../../src/server/link-signer.js'
import { MOUNTED_SECRET as SECRET, startMountedStack, type Stack } from '../helpers/stack.js'
import { envelopeCode, rawRequest, type RawRequest, type RawResponse } from '../helpers/raw-http.js'

let s: Stack

beforeAll(async () => {
  s = await startMountedStack()
})
afterAll(() => s?.close())

const json = (target: string, body: unknown, extra: Record<string, string> = {}): RawRequest => ({
  method: 'POST',
  target,
  headers: { Authorization: s.basic, 'Content-Type': 'application/json', ...extra },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})
const dav = (method: string, tail: string, headers: Record<string, string> = {}, body?: string): RawRequest => ({
  method,
  target: `/dav${tail}`,
  headers: { Authorization: s.basic, ...headers },
  ...(body !== undefined ? { body } : {}),
})

/** The status that matters: the envelope code for /api (HTTP is always 200 there), else the HTTP status. */
function effectiveStatus(req: RawRequest, res: RawResponse): number {
  return (req.target.startsWith('/api/') ? envelopeCode(res) : undefined) ?? res.status
}

async function expectAlive(): Promise<void> {
  const res = await rawRequest(s.port, { method: 'GET', target: '/' })
  expect(res.status, 'server still answers').toBe(200)
}

/** Sends every request; each must be a 4xx with a message; then the server answers and nothing in the drive changed. */
async function expectAllRefused(
  cases: Array<[string, RawRequest]>,
  opts: { messageRequired?: boolean } = {},
): Promise<void> {
  const before = s.tree()
  const wrong: string[] = []
  for (const [label, req] of cases) {
    const res = await rawRequest(s.port, req)
    const status = effectiveStatus(req, res)
    if (status < 400 || status >= 500) wrong.push(`${label}: ${status} ${res.text.slice(0, 160)}`)
    else if (opts.messageRequired !== false && res.text.trim() === '')
      wrong.push(`${label}: ${status} without a message`)
  }
  expect(wrong).toEqual([])
  await expectAlive()
  expect(s.tree()).toEqual(before)
}

/** Every spelling of "leave the mount" we know of, as URL tails (percent-encoded forms stay encoded). */
const ESCAPING_TAILS: Array<[string, string]> = [
  ['plain ..', '/../outside/secret.txt'],
  ['.. after a folder', '/dir/../../outside/secret.txt'],
  ['encoded %2e%2e', '/%2e%2e/outside/secret.txt'],
  ['encoded upper %2E%2E', '/%2E%2E/outside/secret.txt'],
  ['half encoded .%2e', '/.%2e/outside/secret.txt'],
  ['encoded slash ..%2f', '/..%2foutside%2fsecret.txt'],
  ['fully encoded %2e%2e%2f', '/%2e%2e%2foutside%2fsecret.txt'],
  ['backslashes', '/..\\outside\\secret.txt'],
  ['encoded backslashes %5c', '/..%5coutside%5csecret.txt'],
  ['encoded NUL', '/a.txt%00.jpg/x'],
  ['overlong UTF-8 dots %c0%ae', '/%c0%ae%c0%ae/outside/secret.txt'],
  ['non-UTF-8 bytes', '/%ff%fe/x'],
  ['malformed percent', '/%zz/x'],
  // These two do not escape (one decode turns %25 into '%'; '//' is the mount root): they must simply miss.
  ['double encoded %252e', '/%252e%252e/outside/secret.txt'],
  ['absolute path', '//outside/secret.txt'],
]

describe('hostile input to serve', () => {
  it('path traversal in WebDAV URLs, every method (incl. writes)', async () => {
    const cases: Array<[string, RawRequest]> = []
    for (const [label, tail] of ESCAPING_TAILS) {
      cases.push([`GET ${label}`, dav('GET', tail)])
      cases.push([`PROPFIND ${label}`, dav('PROPFIND', tail, { Depth: '1' })])
      cases.push([`DELETE ${label}`, dav('DELETE', tail)])
      cases.push([`PUT ${label}`, dav('PUT', tail, { 'Content-Type': 'application/octet-stream' }, 'evil')])
      cases.push([`MKCOL ${label}`, dav('MKCOL', tail)])
      cases.push([`MOVE ${label}`, dav('MOVE', tail, { Destination: '/dav/moved.txt' })])
    }
    await expectAllRefused(cases)
  })

  it('path traversal in /d/ links (signed for a real file, and with admin credentials)', async () => {
    const sign = encodeURIComponent(new LinkSigner(SECRET).sign('/a.txt'))
    const cases: Array<[string, RawRequest]> = []
    for (const [label, tail] of ESCAPING_TAILS) {
      cases.push([`signed ${label}`, { method: 'GET', target: `/d${tail}?sign=${sign}` }])
      cases.push([`basic ${label}`, { method: 'GET', target: `/d${tail}`, headers: { Authorization: s.basic } }])
    }
    await expectAllRefused(cases)
  })

  it('path traversal in raw NUL bytes, absolute-form and asterisk targets (answered by the HTTP parser or as 404)', async () => {
    await expectAllRefused(
      [
        ['raw NUL in the target', dav('GET', '/a.txt\0')],
        ['raw space in the target', dav('GET', '/a b/../../x')],
        [
          'absolute-form target',
          {
            method: 'GET',
            target: 'http://evil.example/dav/../outside/secret.txt',
            headers: { Authorization: s.basic },
          },
        ],
        ['asterisk target', { method: 'OPTIONS', target: '*', headers: { Authorization: s.basic } }],
      ],
      { messageRequired: false },
    )
  })

  it('path traversal in OpenList API bodies and the File-Path header', async () => {
    const put = (filePath: string): RawRequest => ({
      method: 'PUT',
      target: '/api/fs/put',
      headers: { Authorization: s.basic, 'File-Path': filePath },
      body: 'evil',
    })
    await expectAllRefused([
      ['get ..', json('/api/fs/get', { path: '../outside/secret.txt' })],
      ['get /..', json('/api/fs/get', { path: '/dir/../../outside/secret.txt' })],
      ['get backslash', json('/api/fs/get', { path: '..\\outside\\secret.txt' })],
      ['get NUL', json('/api/fs/get', { path: '/a.txt\u0000' })],
      ['list ..', json('/api/fs/list', { path: '/..' })],
      ['dirs ..', json('/api/fs/dirs', { path: '/..' })],
      ['mkdir ..', json('/api/fs/mkdir', { path: '/../evil' })],
      ['mkdir backslash', json('/api/fs/mkdir', { path: '/dir/..\\evil' })],
      ['remove names ..', json('/api/fs/remove', { dir: '/', names: ['../outside/secret.txt'] })],
      ['remove names with a slash', json('/api/fs/remove', { dir: '/', names: ['dir/b.txt'] })],
      ['remove names "."', json('/api/fs/remove', { dir: '/', names: ['.'] })],
      ['remove dir ..', json('/api/fs/remove', { dir: '/..', names: ['outside'] })],
      ['rename to ..', json('/api/fs/rename', { path: '/a.txt', name: '../escaped.txt' })],
      ['rename to a path', json('/api/fs/rename', { path: '/a.txt', name: 'dir/x.txt' })],
      ['rename to "."', json('/api/fs/rename', { path: '/a.txt', name: '.' })],
      ['move src ..', json('/api/fs/move', { src_dir: '/..', dst_dir: '/', names: ['outside'] })],
      ['move dst ..', json('/api/fs/move', { src_dir: '/', dst_dir: '/..', names: ['a.txt'] })],
      ['move names ..', json('/api/fs/move', { src_dir: '/dir', dst_dir: '/', names: ['../a.txt'] })],
      ['copy dst ..', json('/api/fs/copy', { src_dir: '/', dst_dir: '/../outside', names: ['a.txt'] })],
      ['put ..', put('/../outside/evil.txt')],
      ['put encoded ..', put('/%2e%2e/outside/evil.txt')],
      ['put encoded slash', put('/..%2foutside%2fevil.txt')],
      ['put backslash', put('\\..\\evil.txt')],
      ['put encoded NUL', put('/evil%00.txt')],
      ['put the root', put('/')],
    ])
  })

  it('a double-encoded File-Path lands under its literal name inside the mount, never outside', async () => {
    const outside = s.tree().filter((l) => l.includes(' /outside'))
    const res = await rawRequest(s.port, {
      method: 'PUT',
      target: '/api/fs/put',
      headers: { Authorization: s.basic, 'File-Path': '/%252e%252e/outside/evil.txt' },
      body: 'x',
    })
    expect(envelopeCode(res)).toBe(200)
    expect(s.emu.findByPath('resource', '/mount/%2e%2e/outside/evil.txt')).toBeDefined()
    expect(s.tree().filter((l) => l.includes(' /outside'))).toEqual(outside)
    // Clean up so later tests compare against the seed.
    await rawRequest(s.port, json('/api/fs/remove', { dir: '/', names: ['%2e%2e'] }))
  })

  it('WebDAV Destination headers that leave the mount are refused; nothing moves', async () => {
    const move = (dest: string): RawRequest => dav('MOVE', '/a.txt', { Destination: dest })
    const copy = (dest: string): RawRequest => dav('COPY', '/dir/', { Destination: dest })
    await expectAllRefused([
      ['move ..', move('/dav/../outside/x.txt')],
      ['move %2e%2e', move('/dav/%2e%2e/outside/x.txt')],
      // On this server (another host is a 502, RFC 4918 §9.9.4, tested in webdav-bounds.test.ts): the path is what is hostile.
      ['move absolute URL with encoded slashes', move(`http://127.0.0.1:${s.port}/dav/..%2f..%2foutside%2fx.txt`)],
      ['move backslashes', move('/dav/dir/..\\..\\x.txt')],
      ['move NUL', move('/dav/x%00.txt')],
      ['move non-UTF-8', move('/dav/%ff.txt')],
      ['move without Destination', dav('MOVE', '/a.txt')],
      ['copy into itself', copy('/dav/dir/sub/')],
      ['copy ..', copy('/dav/../outside/')],
    ])
    // RFC 4918 §9.8.5: a Destination in another URL namespace is 502 (Bad Gateway). Still nothing touched.
    const before = s.tree()
    expect((await rawRequest(s.port, move('/etc/passwd'))).status).toBe(502)
    expect(s.tree()).toEqual(before)
  })

  it('malformed JSON, wrong types and missing fields', async () => {
    const bodies: Array<[string, string, unknown]> = [
      ['truncated', '/api/fs/list', '{"path": "/'],
      ['not an object: null', '/api/fs/list', 'null'],
      ['not an object: array', '/api/fs/get', '[]'],
      ['not an object: string', '/api/fs/get', '"/a.txt"'],
      ['not an object: number', '/api/fs/dirs', '42'],
      ['non-UTF-8 bytes', '/api/fs/get', '{"path": "\xff\xfe"}'],
      ['trailing garbage', '/api/fs/list', '{"path":"/"} x'],
      ['deep nesting', '/api/fs/list', '['.repeat(50_000) + ']'.repeat(50_000)],
      ['path is a number', '/api/fs/list', { path: 1 }],
      ['page is a string', '/api/fs/list', { path: '/', page: 'x' }],
      ['page is a float', '/api/fs/list', { path: '/', page: 1.5 }],
      ['refresh is a string', '/api/fs/list', { path: '/', refresh: 'yes' }],
      ['names is a string', '/api/fs/remove', { dir: '/', names: 'a.txt' }],
      ['names is empty', '/api/fs/remove', { dir: '/', names: [] }],
      ['names holds a number', '/api/fs/remove', { dir: '/', names: [1] }],
      ['names holds an empty string', '/api/fs/copy', { src_dir: '/', dst_dir: '/dir', names: [''] }],
      ['mkdir without path', '/api/fs/mkdir', {}],
      ['mkdir path null', '/api/fs/mkdir', { path: null }],
      ['rename without name', '/api/fs/rename', { path: '/a.txt' }],
      ['rename name is an object', '/api/fs/rename', { path: '/a.txt', name: { toString: 'x' } }],
      ['move without dst_dir', '/api/fs/move', { src_dir: '/', names: ['a.txt'] }],
      [
        'copy overwrite is a string',
        '/api/fs/copy',
        { src_dir: '/', dst_dir: '/dir', names: ['a.txt'], overwrite: 'true' },
      ],
      ['login with numbers', '/api/auth/login', { username: 1, password: 2 }],
      ['login not JSON', '/api/auth/login', 'username=admin&password=x'],
    ]
    const cases = bodies.map(([label, target, body]): [string, RawRequest] => {
      // Latin1 strings stand for raw bytes (non-UTF-8 case): send them byte for byte.
      const raw = typeof body === 'string' ? Buffer.from(body, 'latin1') : Buffer.from(JSON.stringify(body))
      return [
        label,
        { method: 'POST', target, headers: { Authorization: s.basic, 'Content-Type': 'application/json' }, body: raw },
      ]
    })
    cases.push(['wrong method', { method: 'GET', target: '/api/fs/list', headers: { Authorization: s.basic } }])
    cases.push([
      'put without File-Path',
      { method: 'PUT', target: '/api/fs/put', headers: { Authorization: s.basic }, body: 'x' },
    ])
    cases.push(['unknown endpoint', json('/api/fs/nope', {})])
    await expectAllRefused(cases)
  })

  it('out-of-range Last-Modified on /api/fs/put is ignored, not a 500 (fuzz find: Invalid Date threw mid-upload)', async () => {
    for (const [i, value] of ['99999999999999999', '8640000000000001', '-1', 'NaN', 'abc', '1e309'].entries()) {
      const res = await rawRequest(s.port, {
        method: 'PUT',
        target: '/api/fs/put',
        headers: { Authorization: s.basic, 'File-Path': `/lm-${i}.txt`, 'Last-Modified': value },
        body: 'x',
      })
      expect(envelopeCode(res), `Last-Modified ${value}: ${res.text}`).toBe(200)
    }
    await rawRequest(
      s.port,
      json('/api/fs/remove', {
        dir: '/',
        names: ['lm-0.txt', 'lm-1.txt', 'lm-2.txt', 'lm-3.txt', 'lm-4.txt', 'lm-5.txt'],
      }),
    )
  })

  it('a __proto__ key is an ignored unknown key: no path smuggled in, no pollution', async () => {
    const body = '{"__proto__": {"path": "/../outside/secret.txt"}, "constructor": {"prototype": {"path": "/x"}}}'
    const res = await rawRequest(s.port, json('/api/fs/get', body))
    // Go ignores unknown keys and so do we: the default path '/' (the mount root) is what was asked for.
    expect(JSON.parse(res.text)).toMatchObject({ code: 200, data: { path: '/', is_dir: true } })
    expect(({} as Record<string, unknown>).path).toBeUndefined()
  })

  it('huge headers, URLs and bodies hit the limits with a 4xx', async () => {
    const big = 'x'.repeat(64 * 1024)
    await expectAllRefused(
      [
        ['64 KiB header', dav('GET', '/a.txt', { 'X-Big': big })],
        [
          '1000 headers of 100 bytes',
          dav(
            'GET',
            '/a.txt',
            Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`X-H${i}`, 'y'.repeat(100)])),
          ),
        ],
        ['100 KiB URL', dav('GET', `/${'a'.repeat(100 * 1024)}`)],
        [
          'bad Content-Length',
          { ...dav('PUT', '/c.txt'), headers: { Authorization: s.basic, 'Content-Length': 'abc' } },
        ],
        [
          'two Content-Lengths',
          { ...dav('PUT', '/c.txt', { 'Content-Length': '1', 'content-length': '2' }), body: 'x' },
        ],
      ],
      { messageRequired: false }, // these are answered by Node's HTTP parser (status line only)
    )
    const twoMiB = JSON.stringify({ path: '/', password: 'p'.repeat(2 * 1024 * 1024) })
    await expectAllRefused([
      ['2 MiB JSON body', json('/api/fs/list', twoMiB)],
      ['2 MiB login body', { ...json('/api/auth/login', twoMiB), headers: { 'Content-Type': 'application/json' } }],
      [
        '2 MiB PROPFIND body',
        dav(
          'PROPFIND',
          '/',
          { Depth: '1', 'Content-Type': 'application/xml' },
          `<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop>${'<D:x/>'.repeat(400_000)}</D:prop></D:propfind>`,
        ),
      ],
      // A body that claims to be huge: refused as soon as the limit is passed, without waiting for the rest.
      [
        'Content-Length 1 TB, 1.1 MiB sent',
        {
          ...json('/api/fs/list', 'x'.repeat(1_100_000)),
          headers: { Authorization: s.basic, 'Content-Length': String(1e12) },
        },
      ],
      ['over-long name via MKCOL', dav('MKCOL', `/${'n'.repeat(1025)}`)],
      ['over-long multi-byte name via MKCOL', dav('MKCOL', `/${'%E6%96%87'.repeat(342)}`)],
      ['over-long name via PUT', dav('PUT', `/${'n'.repeat(2000)}.txt`, {}, 'x')],
      ['over-long name via mkdir', json('/api/fs/mkdir', { path: `/${'n'.repeat(5000)}` })],
      ['over-long name via rename', json('/api/fs/rename', { path: '/a.txt', name: 'n'.repeat(1025) })],
      [
        'over-long name via File-Path',
        {
          method: 'PUT',
          target: '/api/fs/put',
          headers: { Authorization: s.basic, 'File-Path': `/${'n'.repeat(1100)}` },
          body: 'x',
        },
      ],
      ['lone surrogate name via mkdir', json('/api/fs/mkdir', { path: '/bad\ud800name' })],
      ['non-UTF-8 name via PUT', dav('PUT', '/%ff%fe.txt', {}, 'x')],
      ['non-UTF-8 name via MKCOL', dav('MKCOL', '/%c3%28')],
    ])
  })

  it('a name of exactly 1024 UTF-8 bytes is still accepted (the limit is not off by one)', async () => {
    const name = `${'文'.repeat(341)}x` // 341 × 3 + 1 = 1024 bytes
    const res = await rawRequest(s.port, dav('MKCOL', `/${encodeURIComponent(name)}`))
    expect(res.status).toBe(201)
    expect((await rawRequest(s.port, dav('DELETE', `/${encodeURIComponent(name)}`))).status).toBe(204)
  })

  it('a PUT whose client vanishes mid-body leaves the previous file intact and no new entry', async () => {
    const before = s.tree()
    await new Promise<void>((resolve) => {
      const socket = connect(s.port, '127.0.0.1', () => {
        socket.write(
          `PUT /dav/a.txt HTTP/1.1\r\nHost: x\r\nAuthorization: ${s.basic}\r\nContent-Length: 100000\r\n\r\n${'z'.repeat(1000)}`,
        )
        setTimeout(() => socket.destroy(), 200)
      })
      socket.on('error', () => undefined)
      socket.on('close', () => resolve())
    })
    // Let the server notice and unwind the aborted upload.
    await new Promise((r) => setTimeout(r, 500))
    await expectAlive()
    expect(s.tree()).toEqual(before)
    expect((await s.emu.readFile('resource', '/mount/a.txt')).toString()).toBe('hello a')
  })

  it('malformed WebDAV XML is a 400, including DOCTYPE/entity tricks', async () => {
    const propfind = (label: string, body: string): [string, RawRequest] => [
      label,
      dav('PROPFIND', '/', { Depth: '1', 'Content-Type': 'application/xml' }, body),
    ]
    await expectAllRefused([
      propfind('unclosed element', '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop>'),
      propfind('mismatched end tag', '<D:propfind xmlns:D="DAV:"><D:allprop/></D:prop>'),
      propfind('not XML', 'this is not xml'),
      propfind('JSON', '{"propfind": true}'),
      propfind('wrong root', '<D:lockinfo xmlns:D="DAV:"/>'),
      propfind('no namespace', '<propfind><allprop/></propfind>'),
      propfind('undeclared prefix', '<X:propfind><X:allprop/></X:propfind>'),
      propfind('prefix bound to empty', '<D:propfind xmlns:D="DAV:"><D:prop xmlns:E=""><E:x/></D:prop></D:propfind>'),
      propfind('two roots', '<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind><D:propfind xmlns:D="DAV:"/>'),
      propfind('text outside root', 'junk<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>'),
      propfind('empty propfind', '<D:propfind xmlns:D="DAV:"/>'),
      propfind(
        'XXE external entity',
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><D:propfind xmlns:D="DAV:"><D:prop><D:x>&x;</D:x></D:prop></D:propfind>',
      ),
      propfind(
        'billion laughs',
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' +
          '<D:propfind xmlns:D="DAV:"><D:prop>&c;</D:prop></D:propfind>',
      ),
      propfind('unterminated comment', '<D:propfind xmlns:D="DAV:"><!-- <D:allprop/></D:propfind>'),
      propfind('unterminated CDATA', '<D:propfind xmlns:D="DAV:"><![CDATA[ </D:propfind>'),
      propfind('attribute without quotes', '<D:propfind xmlns:D=DAV:><D:allprop/></D:propfind>'),
      propfind('100k nested elements', `<D:propfind xmlns:D="DAV:">${'<a>'.repeat(100_000)}`),
      propfind('NUL bytes', '<D:propfind xmlns:D="DAV:">\0<D:allprop/></D:propfind>\0'),
      ['bad Depth', dav('PROPFIND', '/', { Depth: 'infinity' })],
      ['MKCOL with a body', dav('MKCOL', '/newdir', { 'Content-Type': 'application/xml' }, '<x/>')],
      [
        'LOCK with an empty lockinfo',
        dav('LOCK', '/a.txt', { 'Content-Type': 'application/xml' }, '<D:lockinfo xmlns:D="DAV:"/>'),
      ],
      [
        'PROPPATCH naming no property',
        dav('PROPPATCH', '/a.txt', { 'Content-Type': 'application/xml' }, '<D:propertyupdate xmlns:D="DAV:"/>'),
      ],
    ])
  })

  it('bad Range headers: 206 for the part asked, 416 when unsatisfiable, the whole file when unparseable; never 5xx', async () => {
    const whole = await s.emu.readFile('resource', '/mount/big.bin')
    const ranges: Array<[string, number[]]> = [
      ['bytes=abc', [200]],
      ['bytes=5-1', [200]],
      ['bytes=0-1,3-4', [200]],
      ['items=0-1', [200]],
      ['bytes=', [200]],
      [`bytes=${'9'.repeat(400)}-`, [416]],
      ['bytes=300000-', [416]],
      ['bytes=-0', [416]],
      ['bytes=0-0', [206]],
      ['bytes=-10', [206]],
      ['bytes=299990-999999999', [206]],
      ['\xff\xfe', [200]],
    ]
    const before = s.tree()
    for (const [range, allowed] of ranges) {
      for (const target of ['/dav/big.bin', '/d/big.bin?proxy=1']) {
        const res = await rawRequest(s.port, {
          method: 'GET',
          target,
          headers: { Authorization: s.basic, Range: range },
        })
        expect(allowed, `${target} Range ${JSON.stringify(range)} → ${res.status} ${res.text.slice(0, 100)}`).toContain(
          res.status,
        )
        if (res.status === 200) expect(res.body.equals(whole)).toBe(true)
        if (res.status === 206) {
          const m = /^bytes (\d+)-(\d+)\/300000$/.exec(res.headers['content-range'] ?? '')
          expect(m, `content-range for ${range}`).not.toBeNull()
          expect(res.body.equals(whole.subarray(Number(m![1]), Number(m![2]) + 1))).toBe(true)
        }
      }
    }
    await expectAlive()
    expect(s.tree()).toEqual(before)
  })

  it('forged, misplaced, tampered and expired /d/ signatures are 401', async () => {
    const signer = new LinkSigner(SECRET)
    const good = signer.sign('/a.txt')
    const [mac] = good.split(':')
    const expired = new LinkSigner(SECRET, 60).sign('/a.txt', Date.now() - 120_000)
    const forgedByOtherKey = new LinkSigner(Buffer.from('not the server secret')).sign('/a.txt')
    const d = (path: string, sign: string): RawRequest => ({
      method: 'GET',
      target: `/d${path}?sign=${encodeURIComponent(sign)}`,
    })
    await expectAllRefused([
      ['no sign', { method: 'GET', target: '/d/a.txt' }],
      ['empty sign', d('/a.txt', '')],
      ['garbage', d('/a.txt', 'garbage')],
      ['only a colon', d('/a.txt', ':0')],
      ['non-numeric expiry', d('/a.txt', `${mac}:abc`)],
      ['13-digit expiry', d('/a.txt', `${mac}:9999999999999`)],
      ['tampered expiry (0 → far future)', d('/a.txt', `${mac}:9999999999`)],
      ['expired', d('/a.txt', expired)],
      ['another key', d('/a.txt', forgedByOtherKey)],
      ['another path', d('/dir/b.txt', good)],
      ['same name, other case', d('/A.txt', good)],
      [
        'sign as a repeated parameter',
        { method: 'GET', target: `/d/dir/b.txt?sign=x&sign=${encodeURIComponent(good)}` },
      ],
      [
        'wrong Basic credentials',
        {
          method: 'GET',
          target: '/d/a.txt',
          headers: { Authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` },
        },
      ],
      ['POST to /d', { method: 'POST', target: `/d/a.txt?sign=${encodeURIComponent(good)}`, body: 'x' }],
    ])
    // Positive control: the genuine signature opens exactly that file.
    expect((await rawRequest(s.port, d('/a.txt', good))).status).toBe(302)
  })
})
