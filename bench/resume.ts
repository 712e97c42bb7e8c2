/**
 * Resume: a 1 GiB upload killed with SIGKILL once half its parts are stored, then the same upload again. Ours (with
 * the CLI's session store) continues the reservation; the baseline is the same second run without a store, which
 * starts over — both measured as bytes the emulator received in the second run (stats.partBytes).
 */
import { join } from 'node:path'
import { startEmulatorProc, type EmulatorProc } from './lib/emulator-proc.js'
import { removeFile, writeRandomFile } from './lib/big-file.js'
import { GiB } from './lib/measure.js'
import { runChild } from './lib/proc.js'
import type { BenchResult } from './lib/report.js'

interface Outcome {
  size: number
  sha1?: string
  resumedAt: number
}

/** Kills a first run at `share`, then returns the bytes the second run sent. */
async function secondRunBytes(
  emu: EmulatorProc,
  file: string,
  stateDir: string,
  resume: boolean,
): Promise<{ bytes: number; out: Outcome }> {
  await runChild('upload-resume', {
    info: emu.info,
    refreshToken: await emu.refreshToken(),
    file,
    stateDir,
    killAtShare: 0.5,
  }).catch((e: Error) => {
    if (!/exited \(null\) without a result/.test(e.message)) throw e // the expected SIGKILL
  })
  await emu.resetStats()
  const out = await runChild<Outcome>('upload-resume', {
    info: emu.info,
    refreshToken: await emu.refreshToken(),
    file,
    ...(resume ? { stateDir } : {}),
  })
  if (out.size !== GiB) throw new Error(`stored ${out.size} bytes, expected ${GiB}`)
  return { bytes: (await emu.stats()).partBytes, out }
}

export async function resumeBench(dir: string): Promise<BenchResult> {
  const result: BenchResult = { section: 'Resume', figures: [], peer: [] }
  const file = join(dir, 'resume-1g.bin')
  await writeRandomFile(file, GiB)
  try {
    const emu = await startEmulatorProc({ limits: false, storageDir: join(dir, 'emu') })
    try {
      const ours = await secondRunBytes(emu, file, join(dir, 'state-ours'), true)
      const base = await secondRunBytes(emu, file, join(dir, 'state-base'), false)
      const gib = (n: number) => `${(n / GiB).toFixed(3)} GiB`
      result.figures.push({
        name: 'resume a 1 GiB upload killed at 50 %: bytes sent by the second run',
        value: `${gib(ours.bytes)} (resumed at ${((ours.out.resumedAt / GiB) * 100).toFixed(1)} %)`,
        baseline: `second run without a session store ${gib(base.bytes)}`,
        ratio: ours.bytes / GiB,
        ratioIs: 'ours/file size',
        target: '≤ 0.55',
        met: ours.bytes / GiB <= 0.55,
        runs: 1,
        note: 'killed with SIGKILL once the store recorded 26 of 52 parts; bytes counted by the emulator (stats.partBytes)',
      })
    } finally {
      await emu.close()
    }
  } finally {
    await removeFile(file)
  }
  return result
}
