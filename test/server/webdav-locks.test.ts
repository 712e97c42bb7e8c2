/**
 * WebDAV class 2 locking (RFC 4918 §6–7, §9.10–9.11, §10.4): one test per rule, over raw HTTP, plus the lock
 * table's timeouts and bound with an injected clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LockManager, MAX_LOCKS, MAX_TIMEOUT_SEC, parseTimeout } from '../../src/server/webdav/lock-manager.js'
import { raw, type Reply } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let s: Stack
let dav: (method: string, path: string, headers?: Record<string, string>, body?: string) => Promise<Reply>

beforeAll(async () => {
  s = await startStack({ seed: [{ path: '/l', folder: true }] })
  dav = (method, path, headers = {}, body) =>
    raw(`${s.server.url}/dav${path}`, method, { Authorization: s.basic, ...headers }, body)
})
afterAll(() => s.close())

const lockinfo = (scope: 'exclusive' | 'shared', owner = 'tester') =>
  `<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:${scope}/></D:lockscope>` +
  `<D:locktype><D:write/></D:locktype><D:owner><D:href>${owner}</D:href></D:owner></D:lockinfo>`

async function lock(
  path: string,
  scope: 'exclusive' | 'shared' = 'exclusive',
  headers: Record<string, string> = {},
): Promise<Reply & { token: string }> {
  const r = await dav('LOCK', path, { Timeout: 'Second-300', ...headers }, lockinfo(scope))
  const token = String(r.headers['lock-token'] ?? '').replace(/^<|>$/g, '')
  return { ...r, token }
}

async function file(path: string, content = 'data'): Promise<void> {
  expect((await dav('PUT', path, { 'Content-Length': String(content.length) }, content)).status).toBeLessThan(300)
}

const put = (path: string, headers: Record<string, string> = {}, body = 'new!') =>
  dav('PUT', path, { 'Content-Length': String(body.length), ...headers }, body)

describe('locks', () => {
  it('LOCK answers 200 with a Lock-Token header and the lockdiscovery; PROPFIND shows it and supportedlock', async () => {
    await file('/l/a.txt')
    const r = await lock('/l/a.txt')
    expect(r.status).toBe(200)
    expect(r.token).toMatch(/^urn:uuid:[0-9a-f-]{36}$/)
    expect(r.json).toContain(`<D:locktoken><D:href>${r.token}</D:href></D:locktoken>`)
    expect(r.json).toContain('<D:lockscope><D:exclusive/></D:lockscope>')
    expect(r.json).toMatch(/<D:timeout>Second-(300|299)<\/D:timeout>/)
    expect(r.json).toContain('<D:lockroot><D:href>/dav/l/a.txt</D:href></D:lockroot>')
    expect(r.json).toMatch(/<D:owner><N:href xmlns:N="DAV:">tester<\/N:href><\/D:owner>/)
    const pf = await dav(
      'PROPFIND',
      '/l/a.txt',
      { Depth: '0' },
      '<propfind xmlns="DAV:"><prop><lockdiscovery/><supportedlock/></prop></propfind>',
    )
    expect(pf.json).toContain(r.token)
    expect(pf.json).toContain('<D:lockentry><D:lockscope><D:shared/></D:lockscope>')
    await dav('UNLOCK', '/l/a.txt', { 'Lock-Token': `<${r.token}>` })
  })

  it('a write to a locked file without its token is 423 with lock-token-submitted; with If: (<token>) it succeeds', async () => {
    await file('/l/b.txt', 'before')
    const { token } = await lock('/l/b.txt')
    const refused = await put('/l/b.txt')
    expect(refused.status).toBe(423)
    expect(refused.json).toContain('<D:lock-token-submitted><D:href>/dav/l/b.txt</D:href></D:lock-token-submitted>')
    expect((await dav('DELETE', '/l/b.txt')).status).toBe(423)
    expect(
      (
        await dav(
          'PROPPATCH',
          '/l/b.txt',
          {},
          '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x xmlns="urn:x">1</x></D:prop></D:set></D:propertyupdate>',
        )
      ).status,
    ).toBe(423)
    expect((await dav('MOVE', '/l/b.txt', { Destination: '/dav/l/b2.txt' })).status).toBe(423)
    expect((await dav('GET', '/l/b.txt')).json).toBe('before')
    expect((await put('/l/b.txt', { If: `(<${token}>)` })).status).toBe(204)
    expect((await put('/l/b.txt', { If: `<${s.server.url}/dav/l/b.txt> (<${token}>)` })).status).toBe(204)
    await dav('UNLOCK', '/l/b.txt', { 'Lock-Token': `<${token}>` })
  })

  it('an exclusive lock conflicts with any second lock (423); shared locks coexist but exclude an exclusive one', async () => {
    await file('/l/c.txt')
    const ex = await lock('/l/c.txt')
    expect((await lock('/l/c.txt')).status).toBe(423)
    expect((await lock('/l/c.txt', 'shared')).status).toBe(423)
    await dav('UNLOCK', '/l/c.txt', { 'Lock-Token': `<${ex.token}>` })
    const s1 = await lock('/l/c.txt', 'shared')
    const s2 = await lock('/l/c.txt', 'shared')
    expect([s1.status, s2.status]).toEqual([200, 200])
    expect((await lock('/l/c.txt')).status).toBe(423)
    // Either shared token lets its holder write.
    expect((await put('/l/c.txt', { If: `(<${s2.token}>)` })).status).toBe(204)
  })

  it('a depth-infinity lock on a folder guards its members: creating, changing or deleting one needs the token', async () => {
    expect((await dav('MKCOL', '/l/tree')).status).toBe(201)
    await file('/l/tree/m.txt')
    const { token, status } = await lock('/l/tree/', 'exclusive', { Depth: 'infinity' })
    expect(status).toBe(200)
    expect((await put('/l/tree/new.txt')).status).toBe(423)
    expect((await put('/l/tree/m.txt')).status).toBe(423)
    expect((await dav('DELETE', '/l/tree/m.txt')).status).toBe(423)
    expect((await dav('DELETE', '/l/tree')).status).toBe(423)
    expect((await lock('/l/tree/m.txt')).status).toBe(423)
    expect((await put('/l/tree/new.txt', { If: `(<${token}>)` })).status).toBe(201)
    const pf = await dav(
      'PROPFIND',
      '/l/tree/m.txt',
      { Depth: '0' },
      '<propfind xmlns="DAV:"><prop><lockdiscovery/></prop></propfind>',
    )
    expect(pf.json).toContain(token)
    expect((await dav('DELETE', '/l/tree', { If: `(<${token}>)` })).status).toBe(204)
  })

  it('a depth-0 lock on a folder guards its membership but not the content of existing members', async () => {
    expect((await dav('MKCOL', '/l/d0')).status).toBe(201)
    await file('/l/d0/m.txt')
    const { token } = await lock('/l/d0', 'exclusive', { Depth: '0' })
    expect((await put('/l/d0/m.txt')).status).toBe(204)
    expect((await put('/l/d0/added.txt')).status).toBe(423)
    // The lock is on the folder, not on the new member's URL: the If list names the folder (RFC 4918 §10.4.3).
    expect((await put('/l/d0/added.txt', { If: `</dav/l/d0> (<${token}>)` })).status).toBe(201)
    await dav('UNLOCK', '/l/d0', { 'Lock-Token': `<${token}>` })
  })

  it('a depth-1 LOCK is 400; a lock on a folder with a locked member is refused (423)', async () => {
    expect((await dav('MKCOL', '/l/dd')).status).toBe(201)
    await file('/l/dd/x.txt')
    expect((await lock('/l/dd', 'exclusive', { Depth: '1' })).status).toBe(400)
    const member = await lock('/l/dd/x.txt')
    expect((await lock('/l/dd', 'exclusive', { Depth: 'infinity' })).status).toBe(423)
    await dav('UNLOCK', '/l/dd/x.txt', { 'Lock-Token': `<${member.token}>` })
  })

  it('a LOCK without a body refreshes the lock named in the If header, also through a member of a locked folder', async () => {
    expect((await dav('MKCOL', '/l/rf')).status).toBe(201)
    await file('/l/rf/m.txt')
    const { token } = await lock('/l/rf', 'exclusive', { Depth: 'infinity', Timeout: 'Second-100' })
    const r = await dav('LOCK', '/l/rf/m.txt', { If: `(<${token}>)`, Timeout: 'Second-2000' })
    expect(r.status).toBe(200)
    expect(r.json).toMatch(/<D:timeout>Second-(2000|1999)<\/D:timeout>/)
    expect((await dav('LOCK', '/l/rf/m.txt', { If: '(<urn:uuid:00000000-0000-0000-0000-000000000000>)' })).status).toBe(
      412,
    )
    expect((await dav('LOCK', '/l/rf/m.txt')).status).toBe(400)
    // Infinite is granted as the server's longest timeout.
    const inf = await dav('LOCK', '/l/rf', { If: `(<${token}>)`, Timeout: 'Infinite' })
    expect(inf.json).toMatch(new RegExp(`<D:timeout>Second-(${MAX_TIMEOUT_SEC}|${MAX_TIMEOUT_SEC - 1})</D:timeout>`))
  })

  it('UNLOCK: a token that does not cover the URI is 409; the right one is 204 and writes need no token after', async () => {
    await file('/l/u.txt')
    await file('/l/other.txt')
    const { token } = await lock('/l/u.txt')
    const wrong = await dav('UNLOCK', '/l/other.txt', { 'Lock-Token': `<${token}>` })
    expect(wrong.status).toBe(409)
    expect(wrong.json).toContain('<D:lock-token-matches-request-uri/>')
    expect((await dav('UNLOCK', '/l/u.txt', { 'Lock-Token': '<urn:uuid:nope>' })).status).toBe(409)
    expect((await dav('UNLOCK', '/l/u.txt')).status).toBe(400)
    expect((await dav('UNLOCK', '/l/u.txt', { 'Lock-Token': `<${token}>` })).status).toBe(204)
    expect((await put('/l/u.txt')).status).toBe(204)
  })

  it('the If header: a list that does not hold is 412 even on an unlocked file; (Not <DAV:no-lock>) holds', async () => {
    await file('/l/if.txt')
    expect((await put('/l/if.txt', { If: '(<urn:uuid:gone>)' })).status).toBe(412)
    expect((await put('/l/if.txt', { If: '(["not-the-etag"])' })).status).toBe(412)
    expect((await put('/l/if.txt', { If: '(<urn:uuid:gone>) (Not <DAV:no-lock>)' })).status).toBe(204)
    expect((await put('/l/if.txt', { If: '(<unterminated' })).status).toBe(400)
    // A list that holds does not excuse a missing lock token: the submitted token must be the lock's.
    const { token } = await lock('/l/if.txt')
    expect((await put('/l/if.txt', { If: '(<urn:uuid:corrupt>) (Not <DAV:no-lock>)' })).status).toBe(423)
    const etag = String((await dav('HEAD', '/l/if.txt')).headers.etag)
    expect((await put('/l/if.txt', { If: `(<${token}> [${etag}])` })).status).toBe(204)
    await dav('UNLOCK', '/l/if.txt', { 'Lock-Token': `<${token}>` })
  })

  it('a LOCK on an unmapped URL creates an empty file (201); without a parent it is 409', async () => {
    const r = await lock('/l/fresh.txt')
    expect(r.status).toBe(201)
    const got = await dav('GET', '/l/fresh.txt')
    expect(got.status).toBe(200)
    expect(got.json).toBe('')
    expect((await put('/l/fresh.txt', { If: `(<${r.token}>)` }, 'filled')).status).toBe(204)
    expect((await dav('GET', '/l/fresh.txt')).json).toBe('filled')
    expect((await lock('/l/no-such-dir/x.txt')).status).toBe(409)
  })

  it('MOVE of a locked file needs its token, and the lock stays behind at the old URL and ends', async () => {
    await file('/l/mv.txt')
    const { token } = await lock('/l/mv.txt')
    expect((await dav('MOVE', '/l/mv.txt', { Destination: '/dav/l/mv2.txt', If: `(<${token}>)` })).status).toBe(201)
    expect((await put('/l/mv2.txt')).status).toBe(204)
    expect((await dav('UNLOCK', '/l/mv2.txt', { 'Lock-Token': `<${token}>` })).status).toBe(409)
  })

  it('COPY of a locked file needs no token (the source is not changed) and the copy is not locked', async () => {
    await file('/l/cp.txt')
    const { token } = await lock('/l/cp.txt')
    expect((await dav('COPY', '/l/cp.txt', { Destination: '/dav/l/cp2.txt' })).status).toBe(201)
    expect((await put('/l/cp2.txt')).status).toBe(204)
    await dav('UNLOCK', '/l/cp.txt', { 'Lock-Token': `<${token}>` })
  })
})

describe('lock table', () => {
  it('a lock ends when its timeout passes; a refresh extends it', () => {
    let now = 1_000_000
    const locks = new LockManager(() => now)
    const l = locks.create('/f', '0', 'exclusive', '', 10)
    now += 9_000
    expect(locks.covering('/f')).toEqual([l])
    locks.refresh(l, 10)
    now += 9_000
    expect(locks.get(l.token)).toBe(l)
    now += 2_000
    expect(locks.get(l.token)).toBeUndefined()
    expect(locks.covering('/f')).toEqual([])
  })

  it(`holds at most ${MAX_LOCKS} live locks; expired ones make room`, () => {
    let now = 0
    const locks = new LockManager(() => now)
    for (let i = 0; i < MAX_LOCKS; i++) locks.create(`/f${i}`, '0', 'shared', '', 5)
    expect(() => locks.create('/one-more', '0', 'shared', '', 5)).toThrow(/too many active locks/)
    now += 6_000
    expect(locks.create('/one-more', '0', 'shared', '', 5).root).toBe('/one-more')
  })

  it('Timeout header: the first understood value, capped; Infinite is the cap', () => {
    expect(parseTimeout('Second-30')).toBe(30)
    expect(parseTimeout('Infinite, Second-4100000000')).toBe(MAX_TIMEOUT_SEC)
    expect(parseTimeout('Second-99999999')).toBe(MAX_TIMEOUT_SEC)
    expect(parseTimeout('Bogus, Second-5')).toBe(5)
    expect(parseTimeout(undefined)).toBeUndefined()
  })

  it('locks are in memory only: a restarted server knows none of them', async () => {
    await file('/l/restart.txt')
    const { token } = await lock('/l/restart.txt')
    const again = await startStackLike()
    try {
      const r = await raw(
        `${again.server.url}/dav/`,
        'PROPFIND',
        { Authorization: again.basic, Depth: '0' },
        '<propfind xmlns="DAV:"><prop><lockdiscovery/></prop></propfind>',
      )
      expect(r.json).not.toContain(token)
    } finally {
      await again.close()
    }
  })
})

const startStackLike = () => startStack({ seed: [{ path: '/l/restart.txt', content: 'data' }] })
