/**
 * TempSpool's queued appends (src/upload/sources/temp-spool.ts): a spooled body is read on while earlier chunks are
 * written, so bytes are only read back after `flush`, a read before it is refused rather than answered short, and a
 * failed write is reported, never dropped.
 */
import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { TempSpool } from '../../../src/upload/sources/temp-spool.js'

const spools: TempSpool[] = []
afterEach(async () => {
  for (const s of spools.splice(0)) await s.dispose()
})
const make = async () => {
  const s = await TempSpool.create()
  spools.push(s)
  return s
}

describe('TempSpool.queue', () => {
  it('queued chunks are all on the file, in order, after flush; read() flushes first', async () => {
    const spool = await make()
    const chunks = Array.from({ length: 300 }, (_, i) => Buffer.alloc(97 * 1024, i % 251))
    for (const c of chunks) await spool.queue(c)
    expect(spool.written).toBe(300 * 97 * 1024)
    const read: Buffer[] = []
    for await (const c of spool.read(0, spool.written)) read.push(Buffer.from(c))
    expect(Buffer.concat(read).equals(Buffer.concat(chunks))).toBe(true)
    expect(Buffer.from(spool.readSync(97 * 1024 * 5, 97 * 1024 * 5 + 3))).toEqual(Buffer.from([5, 5, 5]))
  })

  it('readSync with writes still queued is refused, not answered with what happens to be on disk', async () => {
    const spool = await make()
    await spool.queue(Buffer.alloc(1024 * 1024, 1))
    expect(() => spool.readSync(0, 8)).toThrow(/before flush/)
    await spool.flush()
    expect(Buffer.from(spool.readSync(0, 2))).toEqual(Buffer.from([1, 1]))
  })

  it('a write that fails is reported by flush and by the next queue', async () => {
    const spool = await make()
    await spool.queue(Buffer.alloc(16))
    await spool.flush()
    // Closing the file under the spool makes every later write fail.
    await (spool as unknown as { handle: { close(): Promise<void> } }).handle.close()
    await spool.queue(Buffer.alloc(16)).catch(() => {})
    await expect(spool.flush()).rejects.toThrow()
    await expect(spool.queue(Buffer.alloc(16))).rejects.toThrow()
    await spool.dispose()
    expect(existsSync(spool.dir)).toBe(false)
  })
})
