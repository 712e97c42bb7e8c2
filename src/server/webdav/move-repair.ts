/**
 * Settles the two-step moves a killed process left under way (move-journal.ts), at the next start and before any
 * request is served. The object is found by its id in the listing of the target folder, then of the source folder,
 * and brought to one of the two clean states: placed under the asked name when that name is free; back where it came
 * from when the name is taken (a move that had not yet replaced its target); left alone when it never left. Nothing
 * is ever deleted: a copy that cannot take its name stays where it is, and the log says where. One line per intent.
 */
import { DriverError } from '../../errors/index.js'
import type { Logger, Obj } from '../../host/types.js'
import type { FsService } from '../fs-service.js'
import { joinTo } from '../safe-path.js'
import { alive } from '../scratch-dir.js'
import type { MoveJournal, PendingMove } from './move-journal.js'

export async function repairMoves(fs: FsService, journal: MoveJournal, logger?: Logger): Promise<void> {
  for (const intent of journal.pending()) {
    // Another serve on the same config may be between its two steps right now: its intents are its own to end.
    if (alive(intent.pid)) continue
    try {
      const outcome = await settle(fs, intent)
      logger?.warn(`interrupted ${intent.kind} of "${joinTo(intent.dstDir, intent.dstName)}": ${outcome}`)
      journal.end(intent.id)
    } catch (e) {
      // The drive could not be asked (offline, token): keep the intent for the next start rather than guess.
      logger?.warn(
        `interrupted ${intent.kind} of "${joinTo(intent.dstDir, intent.dstName)}" not settled yet: ${(e as Error).message}`,
      )
    }
  }
}

async function settle(fs: FsService, i: PendingMove): Promise<string> {
  const inTarget = await childrenOf(fs, i.dstDir)
  const placed = inTarget.find((o) => o.id === i.fileId)
  if (placed) {
    if (placed.name === i.dstName) return 'it had completed'
    if (!inTarget.some((o) => o.name === i.dstName)) {
      await fs.rename(placed, i.dstName, 'refuse')
      return `renamed "${placed.path}" to its target name`
    }
    if (
      i.kind === 'move' &&
      placed.name === i.srcName &&
      !(await childrenOf(fs, i.srcDir)).some((o) => o.name === i.srcName)
    ) {
      const srcDir = await fs.stat(i.srcDir, true)
      await fs.move(placed, srcDir, 'refuse')
      return `the target name is taken; moved "${placed.path}" back to "${joinTo(i.srcDir, i.srcName)}"`
    }
    return `the target name is taken; the object stays at "${placed.path}"`
  }
  if ((await childrenOf(fs, i.srcDir)).some((o) => o.id === i.fileId)) return 'it had not moved; nothing to do'
  return `object ${i.fileId} is in neither folder any more; nothing to do`
}

/** The folder's members as the drive has them now; a folder that is gone has none. */
async function childrenOf(fs: FsService, dir: string): Promise<Obj[]> {
  try {
    return (await fs.list(dir, true)).children
  } catch (e) {
    if (e instanceof DriverError && (e.code === 'NOT_FOUND' || e.code === 'NOT_FOLDER')) return []
    throw e
  }
}
