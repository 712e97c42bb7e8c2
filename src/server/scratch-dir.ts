/**
 * Where request bodies are spooled (`put-*`/`form-*` folders holding `body`): one folder we own,
 * `<tmpdir>/aliyundrive-open-<uid>/<pid>/`, so a start can remove what a killed process left (20 MB bodies used to stay
 * in TMPDIR for ever after a SIGKILL; RELIABILITY.md "Files on disk"). The root must be a real folder owned by us and
 * closed to others (0700), so no other user can plant or read our scratch.
 */
import { lstat, mkdir, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const uid = () => process.getuid?.() ?? 0

export function scratchRoot(): string {
  return join(tmpdir(), `aliyundrive-open-${uid()}`)
}

async function ownedRoot(): Promise<string> {
  const root = scratchRoot()
  await mkdir(root, { recursive: true, mode: 0o700 })
  const st = await lstat(root)
  if (!st.isDirectory() || (process.getuid && st.uid !== uid()) || (st.mode & 0o077) !== 0)
    throw new Error(`the scratch folder ${root} is not a private folder of this user (expected mode 0700)`)
  return root
}

let mine: Promise<string> | undefined

/** This process's scratch folder, created on first use. */
export function scratchDir(): Promise<string> {
  mine ??= ownedRoot().then(async (root) => {
    const dir = join(root, String(process.pid))
    await mkdir(dir, { recursive: true, mode: 0o700 })
    return dir
  })
  return mine
}

/** Whether a process with this id runs (EPERM: it does, as another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Removes the scratch folders of processes that are gone; returns how many. Never throws. */
export async function removeDeadScratch(): Promise<number> {
  let removed = 0
  try {
    const root = await ownedRoot()
    for (const name of await readdir(root)) {
      const pid = Number(name)
      if (!/^\d+$/.test(name) || pid === process.pid || alive(pid)) continue
      await rm(join(root, name), { recursive: true, force: true })
      removed++
    }
  } catch {
    /* best effort: a scratch folder we cannot read is reported when a body is spooled */
  }
  return removed
}
