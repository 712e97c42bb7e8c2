/**
 * OpenList storage rows in a config file: a JSON array of rows, or an object with a `storages` array. A row is
 * `{mount_path, driver: "AliyundriveOpen", addition, disabled, order, remark, …}` where `addition` is JSON text (as
 * OpenList stores it) or an object. Reading and writing go through here so a row keeps the form it came in.
 */
import { jsonSyntaxMessage } from '../config/index.js'
import { DriverError } from '../errors/index.js'
import { normalizePath } from '../paths/mount-path.js'

export type Json = Record<string, unknown>

export const DRIVER_NAME = 'AliyundriveOpen'

/** The rows of a multi-storage document, or undefined when the document is a single addition or storage row. */
export function storageRowsOf(doc: unknown): Json[] | undefined {
  if (Array.isArray(doc)) return doc as Json[]
  if (doc && typeof doc === 'object' && Array.isArray((doc as Json).storages)) return (doc as Json).storages as Json[]
  return undefined
}

export function mountPathOf(row: Json, index: number): string {
  if (typeof row.mount_path !== 'string' || row.mount_path.trim() === '') {
    throw new DriverError('INVALID_CONFIG', `storage #${index + 1} has no mount_path`)
  }
  return normalizePath(row.mount_path)
}

/** The row's addition as an object (a copy when it is stored as text). */
export function additionOf(row: Json, label: string): Json {
  const a = row.addition
  if (a && typeof a === 'object' && !Array.isArray(a)) return a as Json
  if (typeof a === 'string') {
    let parsed: unknown
    try {
      parsed = JSON.parse(a)
    } catch (e) {
      throw new DriverError('INVALID_CONFIG', `${label}: addition is not valid JSON: ${jsonSyntaxMessage(a, e)}`)
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Json
  }
  throw new DriverError('INVALID_CONFIG', `${label}: addition must be a JSON object or JSON text of one`)
}

/** Stores `addition` back in the form the row had (text stays text). */
export function setAddition(row: Json, addition: Json): void {
  row.addition = typeof row.addition === 'string' ? JSON.stringify(addition) : addition
}

function isOtherDriver(row: Json): boolean {
  return row.driver !== undefined && row.driver !== DRIVER_NAME
}

/** One line per row of another driver, naming it: `serve` mounts none of them. */
export function otherDriverRows(rows: Json[]): string[] {
  return rows.flatMap((row, index) =>
    row && typeof row === 'object' && !Array.isArray(row) && isOtherDriver(row)
      ? [
          `storage #${index + 1} (${String(row.mount_path)}) skipped: driver ${JSON.stringify(row.driver)} ` +
            `is not ${DRIVER_NAME}`,
        ]
      : [],
  )
}

/** Rows this package serves: AliyundriveOpen rows (the driver field may be omitted), enabled, in OpenList's order. */
export function activeRows(rows: Json[]): Array<{ row: Json; index: number; mountPath: string }> {
  const out: Array<{ row: Json; index: number; mountPath: string }> = []
  rows.forEach((row, index) => {
    if (!row || typeof row !== 'object' || Array.isArray(row))
      throw new DriverError('INVALID_CONFIG', `storage #${index + 1} is not a JSON object`)
    // A storages file exported from OpenList holds other drivers' rows too: those are skipped (otherDriverRows).
    if (isOtherDriver(row)) return
    if (row.disabled === true) return
    out.push({ row, index, mountPath: mountPathOf(row, index) })
  })
  const seen = new Set<string>()
  for (const r of out) {
    if (seen.has(r.mountPath)) throw new DriverError('INVALID_CONFIG', `two storages are mounted at ${r.mountPath}`)
    seen.add(r.mountPath)
  }
  return out.sort((a, b) => (Number(a.row.order) || 0) - (Number(b.row.order) || 0))
}
