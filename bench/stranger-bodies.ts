/**
 * Unauthenticated bodies hold nothing (RELIABILITY.md), against `serve` in its own process: 300
 * raw sockets send an unauthenticated WebDAV PUT announcing 1 GB and then trickle one byte every 3 s, as the attack
 * does. Measured: how long until the server has closed all of them (target: all within 20 s), and how long an
 * authenticated PROPFIND takes meanwhile, against the same PROPFIND on the idle server in the same run.
 */
import { request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { startEmulatorProc } from './lib/emulator-proc.js'
import { sleep } from './lib/measure.js'
import { startService } from './lib/proc.js'
import type { BenchResult } from './lib/report.js'

const STRANGERS = 300
/** How long the bench waits for the server to close them before it reports "not all closed". */
const GIVE_UP_MS = 30_000

interface Served {
  pid: number
  url: string
  token: string
}

function propfind(url: string): Promise<{ status: number; ms: number }> {
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/dav/`,
      {
        method: 'PROPFIND',
        headers: { Depth: '1', authorization: `Basic ${Buffer.from('bench:bench').toString('base64')}` },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }))
      },
    )
    req.on('error', reject)
    req.end()
  })
}

export async function strangerBodiesBench(): Promise<BenchResult> {
  const result: BenchResult = { section: 'Unauthenticated bodies', figures: [], peer: [] }
  const emu = await startEmulatorProc({ seed: [{ path: '/docs/a.txt', content: 'a' }], limits: false })
  const s = await startService<Served>('safety-serve', {
    info: emu.info,
    refreshToken: await emu.refreshToken(),
    serve: {},
  })
  const sockets: Socket[] = []
  let trickle: NodeJS.Timeout | undefined
  try {
    const { url } = s.ready
    const port = Number(new URL(url).port)
    await propfind(url)
    const idle = await propfind(url)
    const t0 = performance.now()
    const closedAt: number[] = []
    for (let i = 0; i < STRANGERS; i++) {
      const socket = connect(port, '127.0.0.1')
      sockets.push(socket)
      socket.on('error', () => undefined)
      socket.on('close', () => closedAt.push(performance.now() - t0))
      socket.write(`PUT /dav/stranger-${i}.bin HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\nx`)
    }
    trickle = setInterval(() => {
      for (const socket of sockets) if (!socket.destroyed) socket.write('x')
    }, 3000)
    await sleep(1000)
    const meanwhile = await propfind(url)
    while (closedAt.length < STRANGERS && performance.now() - t0 < GIVE_UP_MS) await sleep(100)
    const all = closedAt.length === STRANGERS
    const lastS = all ? Math.max(...closedAt) / 1000 : undefined
    result.figures.push({
      name: `${STRANGERS} unauthenticated PUTs trickling 1 byte / 3 s`,
      value:
        (all
          ? `all closed in ${lastS!.toFixed(2)} s`
          : `${closedAt.length} of ${STRANGERS} closed after ${GIVE_UP_MS / 1000} s`) +
        `; an authenticated PROPFIND meanwhile: ${(meanwhile.ms / 1000).toFixed(2)} s (HTTP ${meanwhile.status})`,
      baseline: `the same PROPFIND on the idle server: ${(idle.ms / 1000).toFixed(2)} s`,
      ratio: meanwhile.ms / idle.ms,
      ratioIs: 'PROPFIND meanwhile / idle',
      target: 'all closed ≤ 20 s; PROPFIND 207',
      met: all && lastS! <= 20 && meanwhile.status === 207,
      runs: 1,
    })
  } finally {
    clearInterval(trickle)
    for (const socket of sockets) socket.destroy()
    await s.stop()
    await emu.close()
  }
  return result
}
