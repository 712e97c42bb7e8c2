/** The README's usage example is run for real, and its options table must match the schema. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { optionsTableMarkdown } from '../../src/config/options-table.js'

const root = resolve(import.meta.dirname, '../..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

describe('README', () => {
  it('shows the two commands', () => {
    expect(readme).toContain('npm ci && npm start')
    expect(readme).toContain('npm ci && npm test')
  })

  it('has the options table generated from the schema', () => {
    const between = readme.split('<!-- options-table -->')[1]?.split('<!-- /options-table -->')[0]?.trim()
    expect(between).toBe(optionsTableMarkdown())
  })

  it('runs the usage example and prints what it says', async () => {
    const block = /<!-- example:usage[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(block).toBeTruthy()
    const expected = /\/\/ → (.*)/.exec(block!)?.[1]
    const source = block!
      .replace(`from 'aliyundrive-open/emulator'`, `from '${join(root, 'src/emulator/index.js')}'`)
      .replace(`from 'aliyundrive-open'`, `from '${join(root, 'src/index.js')}'`)
    const dir = join(root, 'test/.tmp')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `readme-example-${process.pid}.ts`)
    writeFileSync(file, source)
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    try {
      await import(file)
      const { inspect } = await import('node:util')
      const printed = log.mock.calls.map((args) => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '))
      expect(printed).toEqual([expected])
    } finally {
      log.mockRestore()
      rmSync(file, { force: true })
    }
  })
})
