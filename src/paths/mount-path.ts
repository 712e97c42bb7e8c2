/**
 * Mount-relative absolute paths ('/a/b.txt'). Normalisation rejects what could escape or confuse a lookup, so every
 * layer above (servers, CLI) can trust a path it got back from here.
 */
import { DriverError } from '../errors/index.js'

/** AliyunDrive names: UTF-8, at most 1024 bytes, no '/' (docs/api-notes.md §3.7). */
export const MAX_NAME_BYTES = 1024

export function normalizePath(input: string): string {
  if (typeof input !== 'string') throw new DriverError('NOT_FOUND', `path must be a string, got ${typeof input}`)
  if (input.includes('\0')) throw new DriverError('NOT_FOUND', 'path contains a NUL character')
  const segments: string[] = []
  for (const segment of input.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..')
      throw new DriverError('NOT_FOUND', `path "${input}" contains "..": paths are absolute within the mount`)
    segments.push(segment)
  }
  return `/${segments.join('/')}`
}

export function splitPath(path: string): string[] {
  return normalizePath(path).split('/').filter(Boolean)
}

export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`
}

/** True if `path` is `ancestor` or below it ('/ab' is not below '/a'); both already normalised. */
export function isWithin(path: string, ancestor: string): boolean {
  return ancestor === '/' || path === ancestor || path.startsWith(`${ancestor}/`)
}

export function parentPath(path: string): string {
  const segments = splitPath(path)
  segments.pop()
  return `/${segments.join('/')}`
}

/** Validates a single object name before it is sent; the message names the problem. */
export function validateName(name: string): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new DriverError('NOT_SUPPORTED', 'a file or folder name must not be empty')
  if (name === '.' || name === '..')
    throw new DriverError('NOT_SUPPORTED', `"${name}" is not a valid file or folder name`)
  if (/[/\\\0]/.test(name))
    throw new DriverError(
      'NOT_SUPPORTED',
      `the name "${name.replace(/\0/g, '\\0')}" contains "/", "\\" or NUL, which AliyunDrive does not allow`,
    )
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES)
    throw new DriverError(
      'NOT_SUPPORTED',
      `the name is ${Buffer.byteLength(name, 'utf8')} bytes long; AliyunDrive allows at most ${MAX_NAME_BYTES}`,
    )
  return name
}
