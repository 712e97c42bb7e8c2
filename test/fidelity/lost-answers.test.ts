/**
 * Steps that cannot simply be repeated: a trash or delete whose answer was lost is repeated, and the repeat meets
 * the first attempt's effect (the item in the recycle bin, or nothing at all). That is success, not a failure.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { AliyundriveOpen } from '../../src/driver/aliyundrive-open.js'
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js'
import { OpenListClient } from '../helpers/openlist-client.js'
import { startStack, type Stack } from '../helpers/stack.js'

let emu: EmulatorHandle | undefined
let stack: Stack | undefined
let driver: AliyundriveOpen | undefined
afterEach(async () => {
  await driver?.drop()
  await emu?.close()
  await stack?.close()
  emu = undefined
  stack = undefined
  driver = undefined
})

async function setup(removeWay: 'trash' | 'delete') {
  emu = await startEmulator({ limits: false, seed: [{ path: '/gone.txt', content: 'bytes' }] })
  driver = new AliyundriveOpen(
    emu.driverConfig({ remove_way: removeWay }),
    { apiBaseUrl: emu.apiUrl },
    { retry: { minDelayMs: 1, maxDelayMs: 5 } },
  )
  const obj = await driver.get('/gone.txt')
  return { emu, driver, obj }
}

describe('remove after a lost answer', () => {
  it.each(['trash', 'delete'] as const)('%s: the repeat meets the done job and reports success', async (way) => {
    const { emu, driver, obj } = await setup(way)
    emu.setFaults({ lostAnswerRate: 1 }) // every applied call loses its answer; errors still get through
    await expect(driver.remove(obj)).resolves.toBeUndefined()
    emu.setFaults({})
    expect(emu.findByPath('resource', '/gone.txt')).toBeUndefined()
    const calls =
      emu.stats().calls[way === 'trash' ? '/adrive/v1.0/openFile/recyclebin/trash' : '/adrive/v1.0/openFile/delete']
    expect(calls).toBe(2)
  })

  it('a first attempt that meets the recycle bin is still an error (nothing says we did it)', async () => {
    const { emu, driver, obj } = await setup('trash')
    await driver.remove(obj)
    emu.setFaults({})
    await expect(driver.remove(obj)).rejects.toMatchObject({ apiCode: 'ForbiddenFileInTheRecycleBin' })
  })
})

describe('/api/fs/remove', () => {
  it('answers success for a name that is already gone, as OpenList op.Remove does', async () => {
    stack = await startStack({ seed: [{ path: '/docs/a.txt', content: 'a' }] })
    const api = new OpenListClient(stack.server.url, stack.server.token)
    expect((await api.post('/fs/remove', { dir: '/docs', names: ['a.txt'] })).json.code).toBe(200)
    expect((await api.post('/fs/remove', { dir: '/docs', names: ['a.txt', 'never-was.txt'] })).json.code).toBe(200)
  })
})
