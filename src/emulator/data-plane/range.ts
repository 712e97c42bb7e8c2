/**
 * `Range` header parsing for downloads. One `bytes=` range is honoured (206); a syntactically invalid or
 * multi-range header is ignored and the whole object is sent (200), as OSS does; a range starting at or beyond
 * the end is unsatisfiable (416).
 */
export type RangeResult = { start: number; end: number } | 'unsatisfiable' | undefined

export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return undefined
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return undefined
  if (m[1] === '') {
    // Suffix range: the last n bytes.
    const n = Number(m[2])
    if (n === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - n), end: size }
  }
  const start = Number(m[1])
  if (start >= size) return 'unsatisfiable'
  const last = m[2] === '' ? size - 1 : Number(m[2])
  if (last < start) return undefined
  return { start, end: Math.min(last, size - 1) + 1 }
}
