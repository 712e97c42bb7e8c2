/**
 * Chaos run (RELIABILITY.md, section "Summary"): the driver's operations against an emulator that fails ~10 % of API
 * calls (5xx or a dropped
 * connection), throws 429 bursts, expires access tokens every few seconds and upload URLs mid-upload. The oracle is
 * the emulator's own tree, never the driver's view:
 * - every operation succeeds or fails with a typed DriverError (never anything else, never a hang);
 * - every completed upload has the SHA-1 of its source;
 * - nothing that should exist is lost: a file the model holds is always there with its content, including after a
 *   failed overwrite, a failed rename or move, and a failed remove of *another* file.
 * Deterministic: the emulator's faults and the operation mix are seeded.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AliyundriveOpen } from '../../src/driver/aliyundrive-open.js'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { mulberry32 } from '../../src/emulator/prng.js'
import { ERROR_CODES, isDriverError } from '../../src/errors/index.js'
import type { Obj } from '../../src/host/types.js'
import { fromBuffer } from '../../src/upload/index.js'
import { capturingLogger, leakedSecrets } from '../helpers/leaks.js'

const OPERATIONS = Number(process.env.CHAOS_OPERATIONS ?? 120)
const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex')

describe('chaos: faults, 429 bursts, expiring tokens and URLs', () => {
  let emu: EmulatorHandle
  let driver: AliyundriveOpen
  const outcomes = { ok: 0, typedErrors: new Map<string, number>(), untyped: [] as string[] }
  // Secrets grep (RELIABILITY.md, section "Secrets"): every log line and error message of the run, against every token the run ever held.
  const logger = capturingLogger()
  const secrets = new Set<string>()
  const messages: string[] = []

  beforeAll(async () => {
    emu = await startEmulator({
      port: 0,
      accessTokenTtlSec: 3,
      accessTokenGraceSec: 0,
      uploadUrlTtlSec: 2,
      faults: { seed: 7, errorRate: 0.06, dropRate: 0.04, partFailRate: 0.1, latencyMs: 2 },
    })
    const config = emu.driverConfig()
    secrets.add(config.refresh_token).add(emu.clientSecret)
    driver = new AliyundriveOpen(
      config,
      {
        apiBaseUrl: emu.apiUrl,
        logger,
        saveConfig: (c) => void secrets.add(c.AccessToken).add(c.refresh_token),
      },
      // Short back-off keeps the run in CI time; the budget (3 repeats) is the production one.
      { retry: { minDelayMs: 20, maxDelayMs: 200 }, partSizeOverride: 64 * 1024 },
    )
    await driver.init()
  }, 60_000)

  afterAll(async () => {
    await driver?.drop()
    await emu?.close()
  })

  it(`${OPERATIONS} seeded operations: typed outcomes, right bytes, nothing lost`, async () => {
    const random = mulberry32(42)
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!
    /** path → SHA-1 of every file that must exist. */
    const model = new Map<string, string>()
    const folders: Obj[] = []
    const root = driver.getRoot()

    const attempt = async (what: string, op: () => Promise<void>) => {
      try {
        await op()
        outcomes.ok++
      } catch (e) {
        messages.push(String((e as Error)?.stack ?? e))
        if (isDriverError(e) && (ERROR_CODES as readonly string[]).includes(e.code)) {
          outcomes.typedErrors.set(e.code, (outcomes.typedErrors.get(e.code) ?? 0) + 1)
        } else {
          outcomes.untyped.push(`${what}: ${(e as Error)?.stack ?? String(e)}`)
        }
      }
    }
    const contentAt = async (path: string) => {
      const entry = emu.findByPath('resource', path)
      return entry && !entry.trashed && entry.type === 'file' ? entry.content_hash?.toLowerCase() : undefined
    }
    const bytesFor = (i: number) => {
      const size = pick([0, 1, 1000, 70_000, 200_000])
      const b = Buffer.alloc(size)
      for (let j = 0; j < size; j++) b[j] = (i * 31 + j * 7) & 0xff
      return b
    }
    const folderFor = async () => (folders.length && random() < 0.7 ? pick(folders) : root)

    for (let i = 0; i < OPERATIONS; i++) {
      if (i % 25 === 10)
        emu.setFaults({ seed: 7 + i, errorRate: 0.06, dropRate: 0.04, partFailRate: 0.1, rateLimitBurst: 3 })
      const kind =
        model.size < 3
          ? 'upload'
          : pick(['upload', 'upload', 'overwrite', 'mkdir', 'rename', 'move', 'copy', 'remove', 'list', 'link'])
      const files = [...model.keys()]
      switch (kind) {
        case 'mkdir':
          await attempt(kind, async () => {
            folders.push(await driver.makeDir(root, `dir-${i}`))
          })
          break
        case 'upload': {
          const dir = await folderFor()
          const bytes = bytesFor(i)
          await attempt(kind, async () => {
            const obj = await driver.upload(dir, fromBuffer(bytes, `file-${i}.bin`), { conflict: 'refuse' })
            expect(obj.hashes.sha1 ?? sha1(bytes)).toBe(sha1(bytes))
            expect(await contentAt(obj.path)).toBe(sha1(bytes))
            model.set(obj.path, sha1(bytes))
          })
          break
        }
        case 'overwrite': {
          const path = pick(files)
          const dir = await driver.get(path.slice(0, path.lastIndexOf('/')) || '/').catch(() => undefined)
          if (!dir) break
          const bytes = bytesFor(i)
          await attempt(kind, async () => {
            await driver.upload(dir, fromBuffer(bytes, path.slice(path.lastIndexOf('/') + 1)), {
              conflict: 'overwrite',
            })
            model.set(path, sha1(bytes))
          })
          break
        }
        case 'rename':
        case 'move': {
          const path = pick(files)
          const before = model.get(path)!
          let target = ''
          await attempt(kind, async () => {
            const obj = await driver.get(path)
            const moved =
              kind === 'rename'
                ? await driver.rename(obj, `renamed-${i}.bin`)
                : await driver.move(obj, await folderFor())
            target = moved.path
          })
          // Succeeded or not, the content lives at exactly one of the two places.
          const now =
            (await contentAt(path)) === before
              ? path
              : target && (await contentAt(target)) === before
                ? target
                : undefined
          expect(now, `${kind} of ${path} lost the file`).toBeDefined()
          model.delete(path)
          model.set(now!, before)
          break
        }
        case 'copy': {
          const path = pick(files)
          await attempt(kind, async () => {
            const copy = await driver.copy(await driver.get(path), await folderFor(), { conflict: 'rename' })
            model.set(copy.path, model.get(path)!)
          })
          break
        }
        case 'remove': {
          const path = pick(files)
          await attempt(kind, async () => {
            await driver.remove(await driver.get(path))
          })
          model.delete(path) // removed, or maybe removed: no longer promised
          break
        }
        case 'list':
          await attempt(kind, async () => {
            const dir = await folderFor()
            const listed = await driver.list(dir)
            expect(new Set(listed.map((o) => o.id)).size).toBe(listed.length)
          })
          break
        case 'link': {
          const path = pick(files)
          await attempt(kind, async () => {
            const link = await driver.link(await driver.get(path))
            const res = await fetch(link.url)
            if (res.ok) expect(sha1(Buffer.from(await res.arrayBuffer()))).toBe(model.get(path))
          })
          break
        }
      }
      // Nothing lost, after every single operation.
      for (const [path, hash] of model) expect(await contentAt(path), `lost ${path} after op ${i} (${kind})`).toBe(hash)
    }

    const stats = emu.stats()
    console.log(
      `chaos: ${OPERATIONS} ops, ${outcomes.ok} ok, typed errors ${JSON.stringify(Object.fromEntries(outcomes.typedErrors))}, ` +
        `driver ${JSON.stringify(driver.stats)}, emulator 429s ${stats.rateLimited}, dropped ${stats.statuses[0] ?? 0}, ` +
        `5xx ${(stats.statuses[500] ?? 0) + (stats.statuses[503] ?? 0)}, refreshes ${stats.refreshes}`,
    )
    expect(outcomes.untyped).toEqual([])
    expect(logger.lines.length).toBeGreaterThan(0)
    expect(
      leakedSecrets([...logger.lines, ...messages].join('\n'), secrets),
      `${secrets.size} secrets grepped`,
    ).toEqual([])
    // The faults really happened, and the driver got through most of them.
    expect((stats.statuses[0] ?? 0) + (stats.statuses[500] ?? 0) + (stats.statuses[503] ?? 0)).toBeGreaterThan(0)
    expect(stats.refreshes).toBeGreaterThan(1)
    expect(outcomes.ok).toBeGreaterThan(OPERATIONS * 0.6)
  }, 300_000)
})
