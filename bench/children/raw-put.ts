/** The upload baseline: one streaming HTTP PUT of the whole file (fs read stream piped into the request), nothing else. */
import { createReadStream, statSync } from 'node:fs'
import { request } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { childMain, peakRssBytes } from '../lib/proc.js'

childMain(async ({ url, file, highWaterMark }: { url: string; file: string; highWaterMark?: number }) => {
  const size = statSync(file).size
  const t0 = performance.now()
  const received = await new Promise<number>((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { 'content-length': size } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve(Number(body)))
    })
    req.on('error', reject)
    pipeline(createReadStream(file, highWaterMark ? { highWaterMark } : {}), req).catch(reject)
  })
  const ms = performance.now() - t0
  if (received !== size) throw new Error(`sink received ${received} of ${size} bytes`)
  return { ms, peakRss: peakRssBytes() }
})
