/**
 * Bytes that need not move (README.md "rclone and sync"), read from the emulator's counters in its own process:
 * - a WebDAV PUT with `OC-Checksum` of a 1 GiB file the service already holds (on another drive): bytes sent to
 *   AliyunDrive, and the time against sending the same body to a discarding server (the time to read the body);
 * - a copy between the resource and backup drives of a 512 MiB file: bytes moved down and up, and the time against a
 *   plain download of the same file, measured in the same run.
 * Env: BENCH_RAPID_PUT_SIZE / BENCH_RAPID_COPY_SIZE (bytes) shrink the files for a quick try.
 */
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { startEmulatorProc } from './lib/emulator-proc.js'
import { ourDriver } from './lib/drivers.js'
import { download } from './lib/http-get.js'
import { GiB, median, MiB, rate, repeat, secs, timed } from './lib/measure.js'
import type { BenchResult } from './lib/report.js'
import { startSink } from './lib/sink-proc.js'
import { startService } from './lib/proc.js'
import { removeFile } from './lib/big-file.js'
import { DriveFsService } from '../src/server/fs-service.js'
import { MountTable } from '../src/server/mount-table.js'

const PUT_SIZE = Number(process.env.BENCH_RAPID_PUT_SIZE ?? GiB)
const COPY_SIZE = Number(process.env.BENCH_RAPID_COPY_SIZE ?? 512 * MiB)
const USER = 'bench'
const PASSWORD = 'bench-password'

/** PUTs `file` to `url` as one streamed body; resolves the status. */
function putFile(url: string, file: string, size: number, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { 'Content-Length': String(size), ...headers } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    const body = createReadStream(file)
    body.on('error', (e) => {
      req.destroy()
      reject(e)
    })
    body.pipe(req)
  })
}

/** CPU milliseconds (user + system) a bench child has used so far, from its /cpu answer. */
async function cpuOf(url: string): Promise<number> {
  const usage = (await (await fetch(url)).json()) as { user: number; system: number }
  return (usage.user + usage.system) / 1000
}

async function saveTo(url: string, file: string): Promise<string> {
  const hash = createHash('sha1')
  const res = await fetch(url)
  if (!res.ok || !res.body) throw new Error(`download answered ${res.status}`)
  await pipeline(
    res.body as unknown as AsyncIterable<Uint8Array>,
    async function* (chunks: AsyncIterable<Uint8Array>) {
      for await (const c of chunks) {
        hash.update(c)
        yield c
      }
    },
    createWriteStream(file),
  )
  return hash.digest('hex')
}

export async function rapidBench(dir: string, runs: number): Promise<BenchResult> {
  const emu = await startEmulatorProc({
    limits: false,
    seed: [
      { path: '/held.bin', drive: 'backup', size: PUT_SIZE },
      { path: '/copy.bin', size: COPY_SIZE },
    ],
  })
  const res = ourDriver(emu.info, await emu.refreshToken(), { drive_type: 'resource' })
  const bak = ourDriver(emu.info, await emu.refreshToken(), { drive_type: 'backup' })
  const file = join(dir, 'held.bin')
  try {
    await res.init()
    await bak.init()
    const sha1 = await saveTo((await bak.link(await bak.get('/held.bin'))).url, file)
    // serve in its own process, as the sink is: each receiver has a core, and the client is the same process.
    const serve = await startService<{ url: string; cpuUrl: string }>('rapid-serve', {
      info: emu.info,
      refreshToken: await emu.refreshToken(),
      user: USER,
      password: PASSWORD,
    })
    const sink = await startSink()
    const sinkCpuUrl = new URL('/cpu', sink.url).href
    const auth = { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` }
    const table = new MountTable([
      { path: '/res', fs: new DriveFsService(res) },
      { path: '/bak', fs: new DriveFsService(bak) },
    ])
    try {
      const samples = await repeat(runs, async (i) => {
        const body = await timed(() => putFile(sink.url, file, PUT_SIZE))
        // What verifying the body costs at the least: the same sink, hashing what serve hashes (SHA-1 for the
        // claim, MD5 for the record rclone's check compares, docs/host-notes.md §6).
        const sinkCpu = await cpuOf(sinkCpuUrl)
        const hashedBody = await timed(() => putFile(`${sink.url}?hash=sha1,md5`, file, PUT_SIZE))
        const hashedCpu = (await cpuOf(sinkCpuUrl)) - sinkCpu
        const serveCpu = await cpuOf(serve.ready.cpuUrl)
        await emu.resetStats()
        const put = await timed(() =>
          putFile(`${serve.ready.url}/dav/put-${i}.bin`, file, PUT_SIZE, { ...auth, 'OC-Checksum': `SHA1:${sha1}` }),
        )
        if (put.value !== 201) throw new Error(`the PUT answered ${put.value}`)
        const putCpu = (await cpuOf(serve.ready.cpuUrl)) - serveCpu
        const sent = (await emu.stats()).partBytes

        const plain = await timed(async () => download((await res.link(await res.get('/copy.bin'))).url))
        const dst = await table.mkdirp(`/bak/run-${i}`)
        await emu.resetStats()
        const copy = await timed(async () => table.copy(await table.stat('/res/copy.bin'), dst))
        const after = await emu.stats()
        return {
          bodyMs: body.ms,
          hashedMs: hashedBody.ms,
          hashedCpu,
          putCpu,
          putMs: put.ms,
          sent,
          plainMs: plain.ms,
          copyMs: copy.ms,
          moved: after.partBytes + after.downloadBytes,
        }
      })
      const m = (k: keyof (typeof samples)[number]) => median(samples.map((s) => s[k]))
      return {
        section: 'Bytes not moved (rapid upload)',
        peer: [],
        figures: [
          {
            name: `WebDAV PUT with OC-Checksum of ${(PUT_SIZE / GiB).toFixed(2)} GiB the service holds: bytes sent`,
            value: `${m('sent')} bytes`,
            baseline: `the file: ${PUT_SIZE} bytes`,
            ratio: m('sent') / PUT_SIZE,
            ratioIs: 'ours/baseline',
            target: '≤ 1 MiB sent',
            met: m('sent') <= MiB,
            runs,
          },
          {
            name: 'the same PUT: time (the body is still read and checked against its SHA-1)',
            value: `${secs(m('putMs'))} (${rate(PUT_SIZE, m('putMs'))})`,
            baseline: `the same body sent to a discarding server ${secs(m('bodyMs'))} (${rate(PUT_SIZE, m('bodyMs'))})`,
            ratio: m('putMs') / m('bodyMs'),
            ratioIs: 'ours/baseline',
            target: '≤ 1.0 × the body read time',
            met: m('putMs') <= m('bodyMs'),
            runs,
            note:
              `the body is read once, hashed (SHA-1 and MD5) on the way, only the part before the proof bytes is ` +
              `spooled; the same body sent to a sink that hashes SHA-1 and MD5 took ${secs(m('hashedMs'))}: ` +
              `ours/that = ${(m('putMs') / m('hashedMs')).toFixed(2)}`,
          },
          {
            name: 'the same PUT: CPU time of the serve process (independent of the machine load)',
            value: secs(m('putCpu')),
            baseline: `the sink that hashes SHA-1 and MD5, same body: ${secs(m('hashedCpu'))}`,
            ratio: m('putCpu') / m('hashedCpu'),
            ratioIs: 'ours/baseline',
            target: 'report (the work beyond verifying the body)',
            runs,
          },
          {
            name: `copy of ${(COPY_SIZE / MiB).toFixed(0)} MiB between storages (held content): bytes moved`,
            value: `${m('moved')} bytes in ${secs(m('copyMs'))}`,
            baseline: `plain download of the same file ${secs(m('plainMs'))} (${rate(COPY_SIZE, m('plainMs'))})`,
            ratio: m('plainMs') / m('copyMs'),
            ratioIs: 'baseline/ours',
            target: '≤ 1 MiB moved, ≤ 2 s',
            met: m('moved') <= MiB && m('copyMs') <= 2000,
            runs,
          },
        ],
      }
    } finally {
      await sink.stop()
      await serve.stop()
    }
  } finally {
    await res.drop()
    await bak.drop()
    await emu.close()
    await removeFile(file)
  }
}
