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

/**
 * Whether moving or copying `src` to `dst` (the folder it goes into, or its new path) would put it into itself: `dst`
 * is `src`, or `src` is a folder and `dst` lies below it. The one place this is decided; the driver refuses it as
 * NOT_SUPPORTED, WebDAV as 403 (RFC 4918 §9.8.5, §9.9.4), each in its own words. Both paths already normalised.
 */
export function isIntoItself(src: { path: string; isFolder: boolean }, dst: string): boolean {
  return dst === src.path || (src.isFolder && isWithin(dst, src.path))
}

export function parentPath(path: string): string {
  const segments = splitPath(path)
  segments.pop()
  return `/${segments.join('/')}`
}

/** A UTF-16 surrogate with no partner: it has no UTF-8 form, so the API would store a replacement character instead. */
const LONE_SURROGATE = /\p{Cs}/u

/**
 * Why `name` cannot be a file or folder name, or undefined when it can: the one rule for the driver, the OpenList API
 * and WebDAV (src/server/safe-path.ts checks every path segment with it; the emulator keeps its own on purpose, as it
 * stands in for AliyunDrive). Not empty, not "." or "..", no "/", "\\" or NUL, at most 1024 UTF-8 bytes (docs/api-notes.md
 * §3.7), and valid Unicode. Each caller turns the answer into its own error.
 */
export function nameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'a file or folder name must not be empty'
  if (name === '.' || name === '..') return `"${name}" is not a valid file or folder name`
  if (/[/\\\0]/.test(name))
    return `the name "${name.replace(/\0/g, '\\0')}" contains "/", "\\" or NUL, which AliyunDrive does not allow`
  const bytes = Buffer.byteLength(name, 'utf8')
  if (bytes > MAX_NAME_BYTES) return `the name is ${bytes} bytes long; AliyunDrive allows at most ${MAX_NAME_BYTES}`
  if (LONE_SURROGATE.test(name)) return 'the name is not valid Unicode (it holds a lone UTF-16 surrogate)'
  return undefined
}

/** Validates a single object name before it is sent; NOT_SUPPORTED with a message naming the problem. */
export function validateName(name: string): string {
  const problem = nameProblem(name)
  if (problem !== undefined) throw new DriverError('NOT_SUPPORTED', problem)
  return name
}
