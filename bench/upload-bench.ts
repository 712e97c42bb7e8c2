/**
 * Upload measurements: peak RSS of a 2 GiB `fromFile` upload, throughput of a 1 GiB upload, and a rapid-upload
 * hit on 1 GiB that sends no part. Three processes, so each figure is its own: this orchestrator writes the files,
 * the emulator runs in a child (with storageDir, so stored bytes go to disk), and each upload runs in a fresh child
 * whose VmHWM (peak resident set, /proc/self/status) is read after the upload.
 *
 * Build and run (Node 20 has no TS loader):
 *   npx tsc --outDir /tmp/ado-bench --rootDir . --module nodenext --moduleResolution nodenext --target es2022 \
 *     --skipLibCheck --esModuleInterop --types node bench/upload-bench.ts bench/upload-child.ts
 *   cd /tmp/ado-bench && ln -s /work/main/node_modules . && echo '{"type":"module"}' > package.json
 *   node /tmp/ado-bench/bench/upload-bench.js
 * Env: BENCH_DIR (default /tmp/ado-upload-bench), BIG_GIB (default 2), MID_GIB (default 1).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdir, open, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '../src/emulator/index.js'
import type { EmuInfo } from './upload-child.js'

const GiB = 1024 ** 3
const self = fileURLToPath(import.meta.url)
const benchDir = process.env.BENCH_DIR ?? '/tmp/ado-upload-bench'

async function emulatorChild(): Promise<void> {
  const emu = await startEmulator({ limits: false, storageDir: join(benchDir, 'emu') })
  process.send!({
    type: 'ready',
    info: {
      apiUrl: emu.apiUrl,
      refreshToken: emu.issueRefreshToken(),
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      driveId: emu.driveIds.resource,
    },
  })
  const handle = async (m: { type: string; path?: string }): Promise<void> => {
    if (m.type === 'stats')
      process.send!({
        type: 'stats',
        stats: emu.stats(),
        entry: m.path ? emu.findByPath('resource', m.path) : undefined,
      })
    if (m.type === 'token') process.send!({ type: 'token', refreshToken: emu.issueRefreshToken() })
    if (m.type === 'close') {
      await emu.close()
      process.exit(0)
    }
  }
  // A failed request ends the child with its error, as an unhandled rejection would.
  process.on('message', (m: { type: string; path?: string }) => {
    handle(m).catch((e: unknown) => {
      console.error(e)
      process.exit(1)
    })
  })
}

async function writeBigFile(path: string, size: number): Promise<string> {
  // Distinct pseudo-random 8 MiB blocks (a counter mixed in) so no two files share a pre-hash by accident.
  const block = randomBytes(8 * 1024 * 1024)
  const h = await open(path, 'w')
  const hash = createHash('sha1')
  for (let off = 0, i = 0; off < size; off += block.length, i++) {
    block.writeUInt32LE(i, 0)
    const n = Math.min(block.length, size - off)
    await h.write(block, 0, n, off)
    hash.update(block.subarray(0, n))
  }
  await h.close()
  return hash.digest('hex')
}

function request<T>(child: ChildProcess, msg: object, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type?: unknown }) => {
      if (m.type === type) {
        child.off('message', on)
        resolve(m as T)
      }
    }
    child.on('message', on)
    child.send(msg)
  })
}

/** What bench/upload-child.ts reports back. */
interface UploadResult {
  ms: number
  hashingMs: number
  sha1: string
  size: number
  peakKb: number
  baselineKb: number
}

interface StatsReply {
  stats: { partPuts: number }
  entry?: { size: number }
}

async function runUpload(info: EmuInfo, file: string, name: string, rapid: boolean): Promise<UploadResult> {
  const child = fork(join(dirname(self), 'upload-child.js'), [JSON.stringify({ info, file, name, rapid })])
  const [result] = (await once(child, 'message')) as [UploadResult]
  await once(child, 'exit')
  return result
}

async function orchestrate(): Promise<void> {
  const bigGiB = Number(process.env.BIG_GIB ?? 2)
  const midGiB = Number(process.env.MID_GIB ?? 1)
  await rm(benchDir, { recursive: true, force: true })
  await mkdir(benchDir, { recursive: true })
  const emuChild = fork(self, ['emulator'])
  const { info } = (await once(emuChild, 'message'))[0] as { info: EmuInfo }
  const fresh = async (): Promise<EmuInfo> => ({
    ...info,
    refreshToken: (await request<{ refreshToken: string }>(emuChild, { type: 'token' }, 'token')).refreshToken,
  })
  const mb = (b: number, ms: number) => (b / 1e6 / (ms / 1000)).toFixed(1)
  try {
    // 1. Peak RSS of a big fromFile upload.
    const big = join(benchDir, 'big.bin')
    const bigSize = bigGiB * GiB
    const bigSha1 = await writeBigFile(big, bigSize)
    const r1 = await runUpload(await fresh(), big, 'big.bin', false)
    console.log(
      `${bigGiB} GiB fromFile upload: ${(r1.ms / 1000).toFixed(1)} s (${mb(bigSize, r1.ms)} MB/s), ` +
        `sha1 ${r1.sha1 === bigSha1 ? 'matches' : `MISMATCH ${r1.sha1} != ${bigSha1}`}, ` +
        `size ${r1.size === bigSize ? 'matches' : 'MISMATCH'}`,
    )
    console.log(
      `  uploader VmHWM: ${(r1.peakKb / 1024).toFixed(1)} MiB ` +
        `(after imports, before upload: ${(r1.baselineKb / 1024).toFixed(1)} MiB) ` +
        `→ ${r1.peakKb * 1024 < 150e6 ? 'PASS' : 'FAIL'} (< 150 MB)`,
    )
    await rm(big, { force: true })

    // 2. Throughput of a 1 GiB upload, then 3. a rapid-upload hit on the same content under another name.
    const mid = join(benchDir, 'mid.bin')
    const midSize = midGiB * GiB
    const midSha1 = await writeBigFile(mid, midSize)
    const r2 = await runUpload(await fresh(), mid, 'mid.bin', false)
    console.log(
      `${midGiB} GiB fromFile upload: ${(r2.ms / 1000).toFixed(1)} s = ${mb(midSize, r2.ms)} MB/s, ` +
        `sha1 ${r2.sha1 === midSha1 ? 'matches' : 'MISMATCH'}, VmHWM ${(r2.peakKb / 1024).toFixed(1)} MiB`,
    )
    const before = (await request<StatsReply>(emuChild, { type: 'stats' }, 'stats')).stats.partPuts
    const r3 = await runUpload(await fresh(), mid, 'mid-rapid.bin', true)
    const after = await request<StatsReply>(emuChild, { type: 'stats', path: '/mid-rapid.bin' }, 'stats')
    console.log(
      `${midGiB} GiB rapid-upload hit: ${(r3.ms / 1000).toFixed(1)} s total, ` +
        `of which hashing ${(r3.hashingMs / 1000).toFixed(1)} s (${mb(midSize, r3.hashingMs)} MB/s); ` +
        `part PUTs sent: ${after.stats.partPuts - before}; ` +
        `linked entry size ${after.entry?.size}, sha1 ${r3.sha1 === midSha1 ? 'matches' : 'MISMATCH'}; ` +
        `VmHWM ${(r3.peakKb / 1024).toFixed(1)} MiB`,
    )
    await rm(mid, { force: true })
  } finally {
    emuChild.send({ type: 'close' })
    await once(emuChild, 'exit')
    await rm(benchDir, { recursive: true, force: true })
  }
}

const mode = process.argv[2]
const run = mode === 'emulator' ? emulatorChild : orchestrate
run().catch((e) => {
  console.error(e)
  process.exit(1)
})
