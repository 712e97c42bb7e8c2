/**
 * Turns a client-supplied path (URL path tail or JSON field) into a mount-relative absolute path, refusing anything
 * that could escape the mount: '..' segments (also when percent-encoded, or hidden behind a backslash), NUL bytes and
 * malformed percent-encoding. Rejection instead of resolution: a client that sends '..' is broken or hostile.
 * Names that are not valid AliyunDrive names (over 1024 UTF-8 bytes; lone UTF-16 surrogates, which have no UTF-8
 * form and were otherwise accepted as a broken name) are refused here too, before any body is read or any call is made.
 */
import { nameProblem } from '../paths/mount-path.js'
import { UnsafePathError } from './server-errors.js'

// The mount-path rules the driver also applies (the name rule, joining, subtree test) live in paths/mount-path.ts;
// this file keeps what is specific to client input: URL decoding and refusing instead of throwing DriverError.
// A single name a client sends (OpenList's `names`, `name`) is checked with `validateName`, whose NOT_SUPPORTED the
// front ends map to their status (src/server/error-status.ts).
export { isIntoItself, isWithin, joinPath as joinTo, validateName } from '../paths/mount-path.js'

/** The path part of a request target, still percent-encoded (query and fragment cut off). */
export function rawPathOf(target: string): string {
  const cut = target.search(/[?#]/)
  return cut < 0 ? target : target.slice(0, cut)
}

/** For URL path tails: percent-decodes each segment, then validates. */
export function pathFromUrl(rawTail: string): string {
  const segments: string[] = []
  for (const raw of rawTail.split('/')) {
    let seg: string
    try {
      seg = decodeURIComponent(raw)
    } catch {
      throw new UnsafePathError('malformed percent-encoding in path')
    }
    segments.push(seg)
  }
  return cleanPath(segments.join('/'))
}

/** For paths already in clear text (OpenList JSON bodies, File-Path after decoding). */
export function cleanPath(input: string): string {
  if (input.includes('\0')) throw new UnsafePathError('path contains a NUL byte')
  const out: string[] = []
  for (const seg of input.split('/')) {
    if (seg === '' || seg === '.') continue
    const problem = nameProblem(seg) // '..', a backslash, over 1024 bytes, a lone surrogate
    if (problem !== undefined) throw new UnsafePathError(problem)
    out.push(seg)
  }
  return `/${out.join('/')}`
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/')
  return i <= 0 ? '/' : path.slice(0, i)
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/** Encodes each segment for use in a URL (hrefs, raw_url). */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}
