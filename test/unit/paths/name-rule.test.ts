import { describe, expect, it } from 'vitest'
import { DriverError } from '../../../src/errors/index.js'
import { nameProblem, validateName } from '../../../src/paths/mount-path.js'
import { mapError } from '../../../src/server/error-status.js'
import { cleanPath } from '../../../src/server/safe-path.js'
import { UnsafePathError } from '../../../src/server/server-errors.js'

/** Every kind of bad name, with what the one rule says of it. */
const BAD: Array<[string, RegExp]> = [
  ['', /must not be empty/],
  ['.', /"\." is not a valid/],
  ['..', /"\.\." is not a valid/],
  ['a/b', /contains "\/", "\\" or NUL/],
  ['a\\b', /contains "\/", "\\" or NUL/],
  ['a\0b', /"a\\0b" contains/],
  ['n'.repeat(1025), /1025 bytes long; AliyunDrive allows at most 1024/],
  ['文'.repeat(342), /1026 bytes long/],
  ['bad\ud800name', /not valid Unicode/],
  ['\udc00', /not valid Unicode/],
]
const GOOD = ['report (1).pdf', '...', '..hidden', '.env', `${'文'.repeat(341)}x`, 'emoji 😀.txt', ' spaced ']

describe('nameProblem: the one name rule', () => {
  it('accepts ordinary names, dot-names and exactly 1024 UTF-8 bytes', () => {
    for (const name of GOOD) expect(nameProblem(name)).toBeUndefined()
  })

  it('names the problem of every bad name', () => {
    for (const [name, problem] of BAD) expect(nameProblem(name)).toMatch(problem)
  })
})

describe('its users', () => {
  it('the driver (validateName) refuses with NOT_SUPPORTED and the same message, lone surrogates included', () => {
    for (const [name, problem] of BAD) {
      const error = (() => {
        try {
          validateName(name)
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(DriverError)
      expect(error).toMatchObject({ code: 'NOT_SUPPORTED', message: nameProblem(name) })
      expect((error as Error).message).toMatch(problem)
    }
  })

  it('the servers refuse a path with a bad segment as UnsafePathError (400) with the same message', () => {
    // Segments cannot hold "/" and NUL is refused for the whole path first; "" and "." are skipped as separators.
    for (const [name] of BAD.filter(([n]) => n !== '' && n !== '.' && !/[/\0]/.test(n))) {
      let error: unknown
      try {
        cleanPath(`/dir/${name}/x`)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(UnsafePathError)
      expect((error as Error).message).toBe(nameProblem(name))
      expect(mapError(error)).toMatchObject({ api: 400, http: 400 })
    }
    for (const name of GOOD) expect(cleanPath(`/dir/${name}`)).toBe(`/dir/${name}`)
  })
})
