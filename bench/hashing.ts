/**
 * Hashing: SHA-1 of a 1 GiB file through our rapid-upload path against createHash('sha1') fed by a plain read loop,
 * and, when the openssl CLI is present, against `openssl speed -evp sha1` (the library's in-memory ceiling, no I/O).
 * The file is written just before, so every variant reads it from the page cache: the figure is CPU, not disk.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { removeFile, writeRandomFile } from './lib/big-file.js'
import { GiB, median, rate, repeat, secs } from './lib/measure.js'
import { runChild } from './lib/proc.js'
import type { BenchResult } from './lib/report.js'

/** openssl's SHA-1 throughput on 16 KiB blocks, bytes/s; undefined if openssl is missing or its output is unexpected. */
async function opensslSha1(): Promise<number | undefined> {
  try {
    const { stdout } = await promisify(execFile)(
      'openssl',
      ['speed', '-evp', 'sha1', '-seconds', '2', '-bytes', '16384'],
      { timeout: 60_000 },
    )
    // The last line is "sha1   <n>k" in thousands of bytes per second.
    const m = /^sha1\s+([\d.]+)k\s*$/m.exec(stdout)
    return m ? Number(m[1]) * 1000 : undefined
  } catch {
    return undefined
  }
}

export async function hashingBench(dir: string, runs: number): Promise<BenchResult> {
  const file = join(dir, 'hash-1g.bin')
  await writeRandomFile(file, GiB)
  try {
    const pairs = await repeat(runs, async () => ({
      plain: await runChild<{ ms: number; sha1: string }>('hash', { mode: 'plain', file }),
      ours: await runChild<{ ms: number; sha1: string }>('hash', { mode: 'ours', file }),
    }))
    if (pairs.some((p) => p.plain.sha1 !== p.ours.sha1))
      throw new Error('hashing: our SHA-1 differs from the plain one')
    const base = median(pairs.map((p) => p.plain.ms))
    const ours = median(pairs.map((p) => p.ours.ms))
    const result: BenchResult = {
      section: 'Hashing',
      figures: [
        {
          name: 'SHA-1 of 1 GiB, rapid-upload path',
          value: `${secs(ours)} (${rate(GiB, ours)})`,
          baseline: `createHash + read loop ${secs(base)} (${rate(GiB, base)})`,
          ratio: base / ours,
          ratioIs: 'baseline/ours',
          target: '≥ 0.9',
          met: base / ours >= 0.9,
          runs,
        },
      ],
      peer: [],
    }
    const ssl = await opensslSha1()
    if (ssl) {
      const sslMs = (GiB / ssl) * 1000
      result.figures.push({
        name: 'SHA-1 of 1 GiB, rapid-upload path vs openssl',
        value: `${secs(ours)} (${rate(GiB, ours)})`,
        baseline: `openssl speed -evp sha1 (16 KiB blocks, in memory): ${rate(GiB, sslMs)}`,
        ratio: sslMs / ours,
        ratioIs: 'baseline/ours',
        target: '≥ 0.9',
        met: sslMs / ours >= 0.9,
        runs,
        note: 'openssl hashes a buffer already in memory; ours also reads the file',
      })
    }
    return result
  } finally {
    await removeFile(file)
  }
}
