/**
 * The one byte range a proxied GET asks for (RFC 9110 §14.2). Only a single range is honoured: a multi-range request
 * is answered whole (the RFC lets a server ignore Range), which every player and download tool accepts.
 */

/** Inclusive byte positions. */
export interface ByteRange {
  start: number
  end: number
}

/** undefined = answer the whole file; 'unsatisfiable' = 416. */
export function parseByteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header)
  if (!m || (m[1] === '' && m[2] === '')) return undefined
  if (m[1] === '') {
    // Suffix range: the last N bytes.
    const n = Number(m[2])
    if (n === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - n), end: size - 1 }
  }
  const start = Number(m[1])
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  if (!Number.isSafeInteger(start) || start >= size) return 'unsatisfiable'
  if (end < start) return undefined
  return { start, end }
}
