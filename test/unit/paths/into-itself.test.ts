import { describe, expect, it } from 'vitest'
import { isIntoItself } from '../../../src/paths/mount-path.js'

const folder = (path: string) => ({ path, isFolder: true })
const file = (path: string) => ({ path, isFolder: false })

describe('isIntoItself: the one decision for move/copy into itself (driver, WebDAV)', () => {
  it('is true for the object itself, file or folder', () => {
    expect(isIntoItself(folder('/a'), '/a')).toBe(true)
    expect(isIntoItself(file('/a.txt'), '/a.txt')).toBe(true)
  })

  it('is true for any depth below a folder, the root included', () => {
    expect(isIntoItself(folder('/a'), '/a/b')).toBe(true)
    expect(isIntoItself(folder('/a'), '/a/b/c/d')).toBe(true)
    expect(isIntoItself(folder('/'), '/x')).toBe(true)
  })

  it('is false for a sibling that shares the prefix, the parent and elsewhere', () => {
    expect(isIntoItself(folder('/a'), '/ab')).toBe(false)
    expect(isIntoItself(folder('/a'), '/a b/c')).toBe(false)
    expect(isIntoItself(folder('/a/b'), '/a')).toBe(false)
    expect(isIntoItself(folder('/a/b'), '/')).toBe(false)
    expect(isIntoItself(folder('/a'), '/c/a')).toBe(false)
  })

  it('a file has nothing below it: a path under it is not "into itself" (WebDAV answers 409 for its missing parent)', () => {
    expect(isIntoItself(file('/a.txt'), '/a.txt/b')).toBe(false)
  })
})
