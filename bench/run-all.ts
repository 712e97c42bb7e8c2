/**
 * `npm run bench`: every benchmark in sequence (they must not compete for the two cores), then the table on stdout and
 * bench/RESULTS.md. A benchmark that throws is reported as such in the results instead of aborting the others.
 * Env: BENCH_RUNS (default 3) runs per time ratio; BENCH_DIR (default /tmp/aliyundrive-open-bench) for big files;
 * BENCH_ONLY=upload,hashing,... to run a subset; with BENCH_UPDATE=1 too, only those sections of RESULTS.md are rewritten.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { archiveSafetyBench } from './archive-safety.js'
import { crossCopyBench } from './cross-copy.js'
import { folderCopyBench } from './folder-copy.js'
import { hashingBench } from './hashing.js'
import { linksBench } from './links.js'
import { listingBench } from './listing.js'
import { parallelTreeBench } from './parallel-tree.js'
import { proxyWireBench } from './proxy-wire.js'
import { rapidBench } from './rapid.js'
import { markdown, mergeSections, notMeasured, printTable, type BenchResult } from './lib/report.js'
import { resumeBench } from './resume.js'
import { servingBench } from './serving.js'
import { serverSafetyBench } from './server-safety.js'
import { smallFilesBench } from './small-files.js'
import { startupBench } from './startup.js'
import { strangerBodiesBench } from './stranger-bodies.js'
import { uploadBench } from './upload.js'
import { webdavBoundsBench } from './webdav-bounds.js'

const runs = Number(process.env.BENCH_RUNS ?? 3)
const dir = process.env.BENCH_DIR ?? '/tmp/aliyundrive-open-bench'
const only = process.env.BENCH_ONLY?.split(',')
// The source tree's bench/ folder (this file runs from .bench-build/bench/).
const resultsFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'RESULTS.md')

const benches: Array<[string, (dir: string, runs: number) => Promise<BenchResult>]> = [
  ['upload', uploadBench],
  ['hashing', hashingBench],
  ['listing', listingBench],
  ['links', linksBench],
  ['serving', servingBench],
  ['proxy-wire', proxyWireBench],
  ['crosscopy', crossCopyBench],
  ['rapid', rapidBench],
  ['folder-copy', folderCopyBench],
  ['resume', resumeBench],
  ['server-safety', serverSafetyBench],
  ['stranger-bodies', strangerBodiesBench],
  ['archive-safety', archiveSafetyBench],
  ['webdav-bounds', webdavBoundsBench],
  ['startup', startupBench],
  ['small-files', smallFilesBench],
  ['parallel-tree', parallelTreeBench],
]

const t0 = Date.now()
await rm(dir, { recursive: true, force: true })
await mkdir(dir, { recursive: true })
const results: BenchResult[] = []
try {
  for (const [name, bench] of benches) {
    if (only && !only.includes(name)) continue
    const started = Date.now()
    console.log(`[bench] ${name} …`)
    try {
      results.push(await bench(dir, runs))
    } catch (e) {
      console.error(`[bench] ${name} failed:`, e)
      results.push({
        section: name,
        figures: [notMeasured(name, '—', `benchmark failed: ${(e as Error).message.split('\n')[0]}`)],
        peer: [],
      })
    }
    console.log(`[bench] ${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  }
} finally {
  await rm(dir, { recursive: true, force: true })
}
const totalMs = Date.now() - t0
console.log('')
printTable(results)
console.log(`total ${(totalMs / 1000).toFixed(0)} s`)
if (!only) {
  await writeFile(resultsFile, markdown(results, totalMs))
  console.log(`wrote ${resultsFile}`)
} else if (process.env.BENCH_UPDATE === '1') {
  await writeFile(resultsFile, mergeSections(await readFile(resultsFile, 'utf8'), results))
  console.log(`updated ${results.map((r) => r.section).join(', ')} in ${resultsFile}`)
}
