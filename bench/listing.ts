/**
 * Listing: a folder of 10 000 entries with the emulator's real limits (4 list calls/s). The physical minimum is set by
 * the rate alone: n pages need n − 1 intervals of 1/4 s after the first call. Then the peer on the same folder, and a
 * repeated listing through `serve`'s OpenList API with the cache warm, against a loopback server answering the same
 * bytes (the floor for any HTTP answer of that size).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startServer } from '../src/server/index.js'
import { ourDriver, peerDriver } from './lib/drivers.js'
import { startEmulatorProc, type EmulatorProc } from './lib/emulator-proc.js'
import { fetchText } from './lib/http-get.js'
import { median, repeat, secs, sleep, timed } from './lib/measure.js'
import type { BenchResult } from './lib/report.js'

const ENTRIES = 10_000
const LIST_RATE = 4
const LIST_ROUTE = '/adrive/v1.0/openFile/list'

/** Lets the emulator's bucket and the client's spacing recover, so a run starts from a rested state. */
const rest = () => sleep(1500)

async function listCounters(emu: EmulatorProc) {
  const s = await emu.stats()
  return { calls: s.calls[LIST_ROUTE] ?? 0, rateLimited: s.rateLimited }
}

export async function listingBench(_dir: string, runs: number): Promise<BenchResult> {
  const result: BenchResult = { section: 'Listing', figures: [], peer: [] }
  const seed = Array.from({ length: ENTRIES }, (_, i) => ({
    path: `/big/f${String(i).padStart(5, '0')}.txt`,
    content: 'x',
  }))
  const emu = await startEmulatorProc({ seed })
  try {
    const ours = await repeat(runs, async () => {
      const driver = ourDriver(emu.info, await emu.refreshToken())
      const dir = await driver.get('/big')
      await rest()
      await emu.resetStats()
      const { ms, value } = await timed(() => driver.list(dir))
      if (value.length !== ENTRIES) throw new Error(`listing returned ${value.length} entries`)
      await driver.drop()
      return { ms, ...(await listCounters(emu)) }
    })
    const ms = median(ours.map((o) => o.ms))
    const pages = ours[0]!.calls
    const minMs = ((pages - 1) / LIST_RATE) * 1000
    const r429 = Math.max(...ours.map((o) => o.rateLimited))
    result.figures.push({
      name: `list ${ENTRIES} entries (real limits)`,
      value: `${secs(ms)}, ${pages} list calls, ${r429} × 429`,
      baseline: `minimum ${secs(minMs)} (${pages} pages at ${LIST_RATE}/s)`,
      ratio: ms / minMs,
      ratioIs: 'ours/minimum',
      target: '≤ 1.1 and 0 × 429',
      met: ms / minMs <= 1.1 && r429 === 0,
      runs,
      note: "the client spaces list calls at 3.9/s (OpenList's rate, just under the limit), so 1.03 is its floor",
    })

    // The peer, same folder, same limits. Its listStat resolves the path by listing every ancestor first (one more
    // list call for '/'), which is part of what a caller pays.
    await rest()
    const peer = peerDriver(emu.info, await emu.refreshToken())
    await peer.exists('/')
    await rest()
    await emu.resetStats()
    let peerError = ''
    const p = await timed(() =>
      peer.listStat('/big', { recursive: false }).catch((e: Error) => ((peerError = e.message), [])),
    )
    const pc = await listCounters(emu)
    result.peer.push({
      name: `list ${ENTRIES} entries: time`,
      ours: secs(ms),
      peer: peerError ? `failed after ${secs(p.ms)}: ${peerError}` : `${secs(p.ms)} (${p.value.length} entries)`,
      note: `ours median of ${runs}, peer 1 run`,
    })
    result.peer.push({
      name: `list ${ENTRIES} entries: list calls / 429s`,
      ours: `${pages} / ${r429}`,
      peer: `${pc.calls} / ${pc.rateLimited}`,
    })

    result.figures.push(await warmServeListing(emu, runs))
  } finally {
    await emu.close()
  }
  return result
}

/** `serve`'s /api/fs/list of the same folder, cache warm, against a loopback server sending the same answer. */
async function warmServeListing(emu: EmulatorProc, runs: number) {
  await rest()
  const driver = ourDriver(emu.info, await emu.refreshToken())
  const server = await startServer({
    driver,
    credentials: { user: 'bench', password: 'bench' },
    port: 0,
    listTtlMs: 600_000,
  })
  const init: RequestInit = {
    method: 'POST',
    headers: { authorization: server.token, 'content-type': 'application/json' },
    body: JSON.stringify({ path: '/big', page: 1, per_page: 0 }),
  }
  const url = `${server.apiUrl}/fs/list`
  const body = await fetchText(url, init) // cold: fills the cache
  const floor = createServer((req, res) => {
    req.resume()
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body)
  })
  await new Promise<void>((r) => floor.listen(0, '127.0.0.1', r))
  const floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}/`
  const PER_RUN = 20
  const samples = await repeat(Math.max(runs, 3), async () => ({
    floor: (await timed(() => repeat(PER_RUN, () => fetchText(floorUrl, init)))).ms / PER_RUN,
    ours: (await timed(() => repeat(PER_RUN, () => fetchText(url, init)))).ms / PER_RUN,
  }))
  await new Promise((r) => floor.close(r))
  await server.close()
  await driver.drop()
  const ours = median(samples.map((s) => s.ours))
  const base = median(samples.map((s) => s.floor))
  return {
    name: `serve /api/fs/list, ${ENTRIES} entries, cache warm`,
    value: `${ours.toFixed(1)} ms per listing (${(body.length / 1e6).toFixed(1)} MB JSON)`,
    baseline: `same bytes from a bare loopback server: ${base.toFixed(1)} ms`,
    ratio: ours / base,
    ratioIs: 'ours/baseline',
    target: '≤ 2',
    met: ours / base <= 2,
    runs: Math.max(runs, 3),
    note: `each run = mean of ${PER_RUN} listings; no upstream call is made while warm; answers are serialized once per cached listing`,
  }
}
