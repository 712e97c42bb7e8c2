/**
 * The data-plane client (src/http/data-plane/): one place for the User-Agent, the timeouts, the abort signal, the
 * redirects and what a signed URL may show of itself in an error. Against an in-process loopback server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { isDriverError } from '../../../src/errors/index.js'
import { dataGet, dataPut, describeUrl, readAll } from '../../../src/http/data-plane/index.js'
import { USER_AGENT } from '../../../src/http/user-agent.js'

let server: Server | undefined
const seen: IncomingMessage[] = []

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    seen.push(req)
    handler(req, res)
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

afterEach(async () => {
  seen.length = 0
  if (!server) return
  server.closeAllConnections()
  await new Promise((r) => server!.close(r))
  server = undefined
})

const SECRET_QUERY = '?OSSAccessKeyId=LTAIabc&Expires=1999999999&Signature=s3cr3tSignatureValue'

describe('dataGet', () => {
  it('sends our User-Agent and the Range asked for, and hands the body over as a stream', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(206, { 'Content-Range': 'bytes 2-5/10' })
      res.end('2345')
    })
    const res = await dataGet(`${base}/f${SECRET_QUERY}`, { range: { start: 2, end: 5 }, label: 'test' })
    expect(res.statusCode).toBe(206)
    expect((await readAll(res)).toString()).toBe('2345')
    expect(seen[0]!.headers['user-agent']).toBe(USER_AGENT)
    expect(seen[0]!.headers.range).toBe('bytes=2-5')
  })

  it("keeps a caller's own User-Agent and other headers", async () => {
    const base = await serve((_req, res) => res.end('x'))
    await readAll(await dataGet(`${base}/f`, { headers: { 'user-agent': 'theirs', Referer: 'r' }, label: 'test' }))
    expect(seen[0]!.headers['user-agent']).toBe('theirs')
    expect(seen[0]!.headers.referer).toBe('r')
  })

  it('follows up to 3 redirects with the same headers; a fourth is a NETWORK error', async () => {
    const base = await serve((req, res) => {
      const hop = Number(req.url!.slice(1))
      if (hop < 3) return void res.writeHead(302, { Location: `/${hop + 1}` }).end()
      res.end(`at ${hop}`)
    })
    const res = await dataGet(`${base}/0`, { headers: { Range: 'bytes=0-' }, label: 'test' })
    expect((await readAll(res)).toString()).toBe('at 3')
    expect(seen.map((r) => r.headers.range)).toEqual(['bytes=0-', 'bytes=0-', 'bytes=0-', 'bytes=0-'])
    const err = await dataGet(`${base}/-1`, { label: 'test' }).catch((e: unknown) => e)
    expect(isDriverError(err) && err.code).toBe('NETWORK')
  })

  it('an idle upstream fails as a NETWORK error naming the time-out, never the signed query', async () => {
    const base = await serve(() => undefined) // never answers
    const err = await dataGet(`${base}/f${SECRET_QUERY}`, {
      timeouts: { idleMs: 50 },
      label: 'download of "/f"',
    }).catch((e: unknown) => e)
    expect(isDriverError(err) && err.code).toBe('NETWORK')
    expect((err as Error).message).toContain('download of "/f"')
    expect((err as Error).message).toContain('ETIMEDOUT')
    expect((err as Error).message).not.toContain('s3cr3t')
  })

  it('an abort ends the request with ABORTED', async () => {
    const base = await serve(() => undefined)
    const ac = new AbortController()
    const pending = dataGet(`${base}/f`, { signal: ac.signal, label: 'test' }).catch((e: unknown) => e)
    await new Promise((r) => setImmediate(r))
    ac.abort(new Error('user pressed ^C'))
    const err = await pending
    expect(isDriverError(err) && err.code).toBe('ABORTED')
  })
})

describe('dataPut', () => {
  it('sends exact Content-Length, our User-Agent and no Content-Type', async () => {
    const base = await serve((req, res) => {
      req.resume()
      req.on('end', () => res.writeHead(200, { ETag: '"e"' }).end())
    })
    const r = await dataPut(`${base}/part`, [Buffer.from('abc'), Buffer.from('de')], 5, { label: 'part 1 of 1' })
    expect(r).toMatchObject({ status: 200, written: 5, etag: '"e"' })
    expect(seen[0]!.headers['content-length']).toBe('5')
    expect(seen[0]!.headers['content-type']).toBeUndefined()
    expect(seen[0]!.headers['user-agent']).toBe(USER_AGENT)
  })
})

describe('describeUrl', () => {
  it('shows the scheme, host and path of a signed URL, never its query', () => {
    expect(describeUrl(`https://cn-beijing-data.aliyundrive.net/x/y${SECRET_QUERY}`)).toBe(
      'https://cn-beijing-data.aliyundrive.net/x/y',
    )
  })
})
