/**
 * Big folders do not multiply memory (RELIABILITY.md): a large PROPFIND is written in batches that wait for the socket,
 * /api/fs/list answers are serialized once per cached listing and shared, writes drop them with the listing, and
 * large answers that cannot be shared are bounded. Peak-RSS figures are in bench/server-safety.ts.
 */
import { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Obj } from '../../src/host/types.js'
import { ListAnswers } from '../../src/server/openlist/list-answer.js'
import { sendMultistatus } from '../../src/server/webdav/propfind-stream.js'
import { startStack, type Stack } from '../helpers/stack.js'

/** A response whose socket never drains until told to: write() answers false after the first call. */
class StuckResponse extends EventEmitter {
  destroyed = false
  chunks: string[] = []
  ended = false
  writeHead() {
    return this
  }
  write(text: string) {
    this.chunks.push(text)
    return false
  }
  end(text?: string) {
    if (text) this.chunks.push(text)
    this.ended = true
  }
}

const fakeObjs = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}` }) as unknown as Obj)
const tick = () => new Promise((r) => setImmediate(r))

describe('PROPFIND answers are streamed with backpressure', () => {
  it('a client that does not read gets one batch rendered, not the whole folder', async () => {
    const res = new StuckResponse()
    let rendered = 0
    const sent = sendMultistatus(
      res as unknown as ServerResponse,
      fakeObjs(20_000),
      (o) => (rendered++, `<r>${o.name}</r>`),
    )
    for (let i = 0; i < 5; i++) await tick()
    // The head went out and waits for 'drain': nothing of the 20,000 entries is built yet.
    expect(rendered).toBe(0)
    res.emit('drain')
    for (let i = 0; i < 5; i++) await tick()
    expect(rendered).toBe(200)
    res.emit('close')
    await sent
    expect(res.ended).toBe(false)
  })
})

describe('/api/fs/list answers are shared', () => {
  it('one build per listing and key; another listing or key builds again', async () => {
    const store = new ListAnswers()
    const listing = fakeObjs(10)
    let builds = 0
    const res = new EventEmitter() as unknown as ServerResponse
    const build = () => (builds++, { n: builds })
    const a = await store.get(listing, 'all', 0, res, build)
    const b = await store.get(listing, 'all', 0, res, build)
    expect(b).toBe(a)
    expect(builds).toBe(1)
    await store.get(listing, '1/5', 0, res, build)
    await store.get(fakeObjs(10), 'all', 0, res, build)
    expect(builds).toBe(3)
    expect(JSON.parse(a.body.toString())).toEqual({ code: 200, message: 'success', data: { n: 1 } })
  })

  it('at most 4 large unshared answers exist at once; the next waits for a response to close', async () => {
    const store = new ListAnswers()
    const responses = Array.from({ length: 5 }, () => new EventEmitter())
    // Five different listings (e.g. refresh=true): nothing to share.
    const pending = responses.map((res) =>
      store.get(fakeObjs(2001), 'all', 0, res as unknown as ServerResponse, () => ({})),
    )
    let fifthDone = false
    void pending[4]!.then(() => (fifthDone = true))
    await Promise.all(pending.slice(0, 4))
    await tick()
    expect(fifthDone).toBe(false)
    responses[0]!.emit('close')
    await pending[4]
    expect(fifthDone).toBe(true)
  })
})

describe('through serve', () => {
  let s: Stack
  beforeAll(async () => {
    s = await startStack({
      seed: Array.from({ length: 1200 }, (_, i) => ({ path: `/big/f${String(i).padStart(4, '0')}.txt`, content: 'x' })),
    })
  })
  afterAll(() => s?.close())

  const list = async () => {
    const r = await fetch(`${s.server.apiUrl}/fs/list`, {
      method: 'POST',
      headers: { authorization: s.server.token, 'content-type': 'application/json' },
      body: '{"path":"/big"}',
    })
    return (await r.json()) as { code: number; data: { total: number; content: Array<{ name: string }> } }
  }

  it('a large PROPFIND is streamed (chunked) and complete', async () => {
    const r = await fetch(`${s.server.davUrl}big/`, {
      method: 'PROPFIND',
      headers: { Depth: '1', Authorization: s.basic },
    })
    expect(r.status).toBe(207)
    expect(r.headers.get('content-length')).toBeNull()
    const xml = await r.text()
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">')).toBe(true)
    expect(xml.endsWith('</D:multistatus>\n')).toBe(true)
    expect(xml.match(/<D:response>/g)).toHaveLength(1201)
    expect(xml).toContain('<D:href>/dav/big/f1199.txt</D:href>')
  })

  it('a shared fs/list answer is dropped by a write to the folder', async () => {
    const first = await list()
    expect(first.data.total).toBe(1200)
    expect(await list()).toEqual(first)
    const mk = await fetch(`${s.server.apiUrl}/fs/mkdir`, {
      method: 'POST',
      headers: { authorization: s.server.token, 'content-type': 'application/json' },
      body: '{"path":"/big/new-folder"}',
    })
    expect(((await mk.json()) as { code: number }).code).toBe(200)
    const after = await list()
    expect(after.data.total).toBe(1201)
    expect(after.data.content.some((o) => o.name === 'new-folder')).toBe(true)
  })
})
