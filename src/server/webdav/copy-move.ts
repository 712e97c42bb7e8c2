/**
 * COPY and MOVE (RFC 4918 §9.8–9.9) mapped onto the driver, which only copies/moves *into a folder keeping the name*
 * and renames in place. A change of folder and name is two steps: into the folder with server auto-rename (so a
 * sibling that holds the old name is never touched), then a rename. Overwrite: T replaces a same-kind target safely
 * (the driver completes the operation, then removes the old target by id); a target of the other kind (file over
 * folder) is deleted first, as the RFC prescribes. Overwrite: F on an existing target is 412.
 */
import { DriverError } from '../../errors/index.js'
import type { Obj } from '../../host/types.js'
import type { FsService } from '../fs-service.js'
import { isIntoItself, nameOf, parentOf } from '../safe-path.js'
import { DavStatus } from '../server-errors.js'
import type { MoveIntent, MoveRecorder } from './move-journal.js'

export interface TransferRequest {
  kind: 'copy' | 'move'
  src: string
  dst: string
  overwrite: boolean
  /** COPY of a collection with Depth: 0 copies the collection only, not its members. */
  shallow: boolean
}

/** Returns 201 (created) or 204 (replaced an existing target). */
export async function transfer(fs: FsService, t: TransferRequest, journal?: MoveRecorder): Promise<number> {
  if (t.src === '/') throw new DavStatus(403, 'the mount root cannot be copied or moved')
  const src = await fs.stat(t.src)
  if (t.dst === '/') throw new DavStatus(403, 'source and destination are the same')
  // 403 for a resource onto itself or a collection into itself (RFC 4918 §9.8.5, §9.9.4); the rule is the driver's.
  if (isIntoItself({ path: t.src, isFolder: src.isFolder }, t.dst))
    throw new DavStatus(
      403,
      t.dst === t.src ? 'source and destination are the same' : 'cannot copy or move a collection into itself',
    )
  const dstParent = await fs.tryStat(parentOf(t.dst))
  if (!dstParent || !dstParent.isFolder) throw new DavStatus(409, 'the destination folder does not exist')
  let existing = await fs.tryStat(t.dst)
  if (existing && !t.overwrite) throw new DavStatus(412, 'the destination exists and Overwrite is F')
  const replaced = existing !== undefined
  if (existing && (existing.isFolder !== src.isFolder || (t.kind === 'copy' && t.shallow && src.isFolder))) {
    await fs.remove(existing)
    existing = undefined
  }
  const name = nameOf(t.dst)
  if (t.kind === 'copy' && t.shallow && src.isFolder) {
    await fs.mkdirStrict(dstParent, name)
    return replaced ? 204 : 201
  }
  const conflict = existing ? 'overwrite' : 'refuse'
  try {
    await place(fs, t.kind, src, dstParent, name, conflict, journal)
  } catch (e) {
    // The name was taken behind our cached listing; the driver refused it (RFC 4918 §9.9.3: 412 for Overwrite: F).
    if (!t.overwrite && e instanceof DriverError && e.code === 'ALREADY_EXISTS')
      throw new DavStatus(412, `the destination exists and Overwrite is F (${e.message})`)
    throw e
  }
  return replaced ? 204 : 201
}

async function place(
  fs: FsService,
  kind: 'copy' | 'move',
  src: Obj,
  dstParent: Obj,
  name: string,
  conflict: 'overwrite' | 'refuse',
  journal: MoveRecorder | undefined,
): Promise<void> {
  const sameDir = parentOf(src.path) === dstParent.path
  // Both steps of a change of folder and name run under an intent in the journal, so a process killed between them
  // is settled at the next start (move-journal.ts). A copy's intent names the copy, known after its first step.
  const intent = (fileId: string): MoveIntent => {
    const where = { srcDir: parentOf(src.path), srcName: src.name, dstDir: dstParent.path, dstName: name }
    return { kind, fileId, ...where }
  }
  if (kind === 'move') {
    if (sameDir) await fs.rename(src, name, conflict)
    else if (src.name === name) await fs.move(src, dstParent, conflict)
    else
      await journaled(journal, intent(src.id), async () =>
        renameTo(fs, await fs.move(src, dstParent, 'rename'), name, conflict),
      )
  } else if (!sameDir && src.name === name) {
    await fs.copy(src, dstParent, conflict)
  } else {
    const copied = await fs.copy(src, dstParent, 'rename')
    if (copied.name !== name) await journaled(journal, intent(copied.id), () => renameTo(fs, copied, name, conflict))
  }
}

/** A failure that returns here is answered to the client (renameTo says where the object is); only a kill is left. */
async function journaled(journal: MoveRecorder | undefined, i: MoveIntent, steps: () => Promise<void>): Promise<void> {
  const id = journal?.begin(i)
  try {
    await steps()
  } finally {
    if (id !== undefined) journal!.end(id)
  }
}

async function renameTo(fs: FsService, obj: Obj, name: string, conflict: 'overwrite' | 'refuse'): Promise<void> {
  if (obj.name === name) return
  try {
    await fs.rename(obj, name, conflict)
  } catch (e) {
    // The first step succeeded; say plainly where the object is now rather than leaving the client guessing.
    if (e instanceof DriverError) throw new DriverError(e.code, `${e.message} (the object is now at "${obj.path}")`)
    throw e
  }
}
