import { describe, expect, it } from 'vitest'
import type { ServerContext } from '../../../src/server/context.js'
import { mapError } from '../../../src/server/error-status.js'
import { fsBatchRename } from '../../../src/server/openlist/fs-batch.js'
import { fsMoveOrCopy, fsRemove, fsRename } from '../../../src/server/openlist/fs-write.js'

/** A context whose every use fails the test: a refused name must be refused before anything is looked up or locked. */
const untouchable = new Proxy({} as ServerContext, {
  get(_t, key) {
    if (key === 'then') return undefined
    throw new Error(`the context was used (${String(key)}) although the name should have been refused`)
  },
})
const folderCtx = {
  fs: { stat: (path: string) => Promise.resolve({ path, isFolder: true }) },
  pathLock: {
    run: () => {
      throw new Error('locked although the name should have been refused')
    },
  },
} as unknown as ServerContext

// Names that are paths in disguise (OpenList's `name`/`names` are single names) and names the driver refuses.
const BAD = ['a/', '/a', './a', 'a/.', 'a/b', '..', '.', '', 'a\\b', 'bad\ud800name', 'n'.repeat(1025)]

async function refusal(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run()
  } catch (e) {
    return e
  }
  throw new Error('not refused')
}

describe('OpenList API single names go through the one name rule', () => {
  it('rename, remove, move, copy and batch rename refuse each bad name with NOT_SUPPORTED, answered as 400', async () => {
    for (const name of BAD) {
      const calls = [
        () => fsRename(untouchable, { path: '/dir/x', name, overwrite: false }),
        () => fsRemove(untouchable, { dir: '/dir', names: [name] }),
        () => fsMoveOrCopy(folderCtx, 'move', { src_dir: '/s', dst_dir: '/d', names: [name] } as never),
        () => fsMoveOrCopy(folderCtx, 'copy', { src_dir: '/s', dst_dir: '/d', names: [name] } as never),
        ...(name === ''
          ? [] // OpenList skips a batch entry with an empty side
          : [() => fsBatchRename(folderCtx, { src_dir: '/dir', rename_objects: [{ src_name: 'x', new_name: name }] })]),
      ]
      for (const call of calls) {
        const e = await refusal(call)
        expect(e, JSON.stringify(name)).toMatchObject({ code: 'NOT_SUPPORTED' })
        expect(mapError(e).api).toBe(400)
      }
    }
  })
})
