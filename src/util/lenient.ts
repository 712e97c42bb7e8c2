/**
 * Field readers that parse like OpenList's Go structs do: a field the driver does not rely on never fails an answer.
 * An optional field of an unexpected type reads as absent (AliyunDrive has varied some types: OpenList even types
 * some as interface{}); numbers sent as strings are read as numbers; only what the driver uses is required.
 */
import { z } from 'zod'

/** A string, or absent when missing, null or of another type. */
export const optString = z
  .unknown()
  .transform((v): string | undefined => (typeof v === 'string' ? v : undefined))
  .optional()

/** A finite number (also from a numeric string), or absent. */
export const optNumber = z
  .unknown()
  .transform((v): number | undefined => toNumber(v))
  .optional()

/** A boolean (also "true"/"false"), or absent. */
export const optBool = z
  .unknown()
  .transform((v): boolean | undefined =>
    typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined,
  )
  .optional()

/** A required identifier: a non-empty string (a number is read as its decimal text, as ids are opaque). */
export const idString = z.union([z.string().min(1), z.number().transform(String)])

/** A required number; a numeric string is accepted. */
export const reqNumber = z.unknown().transform((v, ctx): number => {
  const n = toNumber(v)
  if (n === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a number, got ${v === null ? 'null' : typeof v}` })
    return z.NEVER
  }
  return n
})

/** A map of string values (other values dropped), or absent when not an object. */
export const optStringMap = z
  .unknown()
  .transform((v): Record<string, string> | undefined => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'))
  })
  .optional()

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v)
  return undefined
}
