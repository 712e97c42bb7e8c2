/** Human and JSON renderings of objects and sizes for the CLI. */
import type { Obj } from '../host/types.js'

export function objJson(o: Obj): Record<string, unknown> {
  return {
    id: o.id,
    path: o.path,
    name: o.name,
    size: o.size,
    is_dir: o.isFolder,
    modified: o.modified.toISOString(),
    created: o.created.toISOString(),
    ...(o.hashes.sha1 ? { sha1: o.hashes.sha1 } : {}),
  }
}

export function humanSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']
  let v = bytes
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const mm = String(m).padStart(h ? 2 : 1, '0')
  const ss = String(s % 60).padStart(2, '0')
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`
}

/** One `ls -l`-style line. */
export function lsLine(o: Obj): string {
  const size = o.isFolder ? '-' : humanSize(o.size)
  return (
    `${o.isFolder ? 'd' : '-'} ${size.padStart(10)}  ${o.modified.toISOString().slice(0, 19).replace('T', ' ')}  ` +
    `${o.name}${o.isFolder ? '/' : ''}`
  )
}
