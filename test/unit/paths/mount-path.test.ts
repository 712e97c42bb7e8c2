import { describe, expect, it } from 'vitest'
import { DriverError } from '../../../src/errors/index.js'
import {
  isWithin,
  joinPath,
  normalizePath,
  parentPath,
  splitPath,
  validateName,
} from '../../../src/paths/mount-path.js'

describe('normalizePath', () => {
  it('maps the root spellings to "/"', () => {
    for (const root of ['', '/', '//', '/./', '.']) expect(normalizePath(root)).toBe('/')
  })

  it('drops empty and "." segments, trailing slashes and turns backslashes into slashes', () => {
    expect(normalizePath('a/b/')).toBe('/a/b')
    expect(normalizePath('//a//./b///')).toBe('/a/b')
    expect(normalizePath('\\a\\b')).toBe('/a/b')
  })

  it('keeps unicode names byte for byte', () => {
    expect(normalizePath('/文档/照片 2024/ü.txt')).toBe('/文档/照片 2024/ü.txt')
  })

  it('refuses ".." anywhere, also behind a backslash, naming the path', () => {
    for (const bad of ['/a/../b', '..', '/a/..', 'a\\..\\b']) {
      expect(() => normalizePath(bad)).toThrow(DriverError)
      expect(() => normalizePath(bad)).toThrow(/contains "\.\."/)
    }
  })

  it('accepts names that only start with dots', () => {
    expect(normalizePath('/...')).toBe('/...')
    expect(normalizePath('/..hidden')).toBe('/..hidden')
  })

  it('refuses NUL bytes and non-strings', () => {
    expect(() => normalizePath('/a\0b')).toThrow(/NUL/)
    expect(() => normalizePath(42 as unknown as string)).toThrow(/must be a string, got number/)
  })
})

describe('splitPath / joinPath / parentPath', () => {
  it('splits into segments, the root into none', () => {
    expect(splitPath('/')).toEqual([])
    expect(splitPath('/a/b/')).toEqual(['a', 'b'])
  })

  it('joins without a double slash at the root', () => {
    expect(joinPath('/', 'x')).toBe('/x')
    expect(joinPath('/a', 'x')).toBe('/a/x')
  })

  it('gives the parent, the root being its own parent', () => {
    expect(parentPath('/a/b/c')).toBe('/a/b')
    expect(parentPath('/a/')).toBe('/')
    expect(parentPath('/')).toBe('/')
  })
})

describe('validateName', () => {
  it('returns a valid name unchanged', () => {
    expect(validateName('report (1).pdf')).toBe('report (1).pdf')
    expect(validateName('é'.repeat(512))).toHaveLength(512)
  })

  it('refuses empty, ".", "..", separators and NUL with a message naming the problem', () => {
    expect(() => validateName('')).toThrow(/must not be empty/)
    expect(() => validateName('.')).toThrow(/"\." is not a valid/)
    expect(() => validateName('..')).toThrow(/"\.\." is not a valid/)
    expect(() => validateName('a/b')).toThrow(/contains "\/"/)
    expect(() => validateName('a\\b')).toThrow(/contains/)
    expect(() => validateName('a\0b')).toThrow(/a\\0b/)
  })

  it('counts the 1024-byte limit in UTF-8 bytes, not characters', () => {
    expect(validateName('a'.repeat(1024))).toHaveLength(1024)
    expect(() => validateName('a'.repeat(1025))).toThrow(/1025 bytes long; AliyunDrive allows at most 1024/)
    // 342 × 3 bytes = 1026 bytes in 342 characters
    expect(() => validateName('文'.repeat(342))).toThrow(/1026 bytes/)
  })

  it('uses the NOT_SUPPORTED code so hosts map it to a client error', () => {
    try {
      validateName('')
      expect.unreachable()
    } catch (e) {
      expect((e as DriverError).code).toBe('NOT_SUPPORTED')
    }
  })
})

describe('isWithin', () => {
  it('is true for the path itself and below, false for a sibling sharing the prefix', () => {
    expect(isWithin('/a', '/a')).toBe(true)
    expect(isWithin('/a/b/c', '/a')).toBe(true)
    expect(isWithin('/ab', '/a')).toBe(false)
    expect(isWithin('/', '/a')).toBe(false)
  })

  it('puts everything within the root', () => {
    expect(isWithin('/', '/')).toBe(true)
    expect(isWithin('/x/y', '/')).toBe(true)
  })
})
