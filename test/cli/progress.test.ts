import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Progress } from '../../src/cli/progress.js'

function fakeTty() {
  const chunks: string[] = []
  const out = { isTTY: true, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream
  return { out, text: () => chunks.join('') }
}

describe('CLI progress line', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('shows phase, percent, bytes, speed and ETA while bytes flow', () => {
    const { out, text } = fakeTty()
    const p = new Progress('f.bin', out)
    p.update('uploading', 0, 100 * 1024 * 1024)
    vi.advanceTimersByTime(1000)
    p.update('uploading', 50 * 1024 * 1024, 100 * 1024 * 1024)
    expect(text()).toMatch(/f\.bin uploading .*\[##########\.{10}\]\s+50% 50\.0 MiB\/100\.0 MiB 50\.0 MiB\/s ETA 0:01/)
  })

  it('shows "instant" instead of an absurd speed when a phase completes at once (rapid-upload hit)', () => {
    const { out, text } = fakeTty()
    const p = new Progress('f.bin', out)
    p.update('hashing', 0, 1024)
    vi.advanceTimersByTime(500)
    p.update('hashing', 1024, 1024)
    p.update('uploading', 1024, 1024)
    p.done()
    expect(text()).toContain('uploading [####################] 100% 1.00 KiB/1.00 KiB instant')
    expect(text()).not.toMatch(/GiB\/s/)
  })

  it('prints one line per phase start and end when not a TTY', () => {
    const chunks: string[] = []
    const out = { isTTY: false, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream
    const p = new Progress('f.bin', out)
    p.update('uploading', 0, 10)
    p.update('uploading', 5, 10)
    p.update('uploading', 10, 10)
    p.done()
    expect(chunks).toEqual(['f.bin: uploading 10 B\n', expect.stringMatching(/^f\.bin: uploading done, 10 B in \d/)])
  })
})
