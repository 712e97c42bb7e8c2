/**
 * HTTP preconditions (RFC 9110 §13.1–13.2): If-Match, If-None-Match (with `*`), If-Unmodified-Since and
 * If-Modified-Since, evaluated in the RFC's order against the resource as it is now (undefined = it does not
 * exist). The caller runs this under the per-path write lock, so "check then write" cannot be split by another
 * writer: a client saying `If-None-Match: *` ("only if nobody else created it") is never clobbered.
 */
import type { IncomingMessage } from 'node:http'
import type { Obj } from '../../host/types.js'
import { headerValue } from '../http-io.js'
import { etagOf } from '../send-file.js'

/** 'proceed', or the status to answer instead of performing the method. */
export type Precondition = 'proceed' | 304 | 412

/** The entity tag of an object as we send it everywhere (GET, HEAD, PUT, PROPFIND); folders have none. */
export function entityTag(obj: Obj | undefined): string | undefined {
  return obj && !obj.isFolder ? etagOf(obj) : undefined
}

export function evaluatePreconditions(req: IncomingMessage, current: Obj | undefined): Precondition {
  const safe = req.method === 'GET' || req.method === 'HEAD'
  const tag = entityTag(current)
  const ifMatch = headerValue(req.headers['if-match'])
  const ifNoneMatch = headerValue(req.headers['if-none-match'])
  // Step 1 and 2: If-Match, else If-Unmodified-Since.
  if (ifMatch !== undefined) {
    if (!matches(ifMatch, current, tag, 'strong')) return 412
  } else {
    const since = httpDate(headerValue(req.headers['if-unmodified-since']))
    if (since !== undefined && current && seconds(current.modified) > since) return 412
  }
  // Step 3 and 4: If-None-Match, else If-Modified-Since (GET/HEAD only).
  if (ifNoneMatch !== undefined) {
    if (matches(ifNoneMatch, current, tag, 'weak')) return safe ? 304 : 412
  } else if (safe && current) {
    const since = httpDate(headerValue(req.headers['if-modified-since']))
    if (since !== undefined && seconds(current.modified) <= since) return 304
  }
  return 'proceed'
}

/**
 * A field value of entity tags or `*` against the current representation (RFC 9110 §13.1.1: strong comparison,
 * RFC 9110 §13.1.2: weak).
 */
function matches(
  field: string,
  current: Obj | undefined,
  tag: string | undefined,
  comparison: 'strong' | 'weak',
): boolean {
  if (field.trim() === '*') return current !== undefined
  if (tag === undefined) return false
  for (const raw of field.split(',')) {
    const candidate = raw.trim()
    if (candidate.startsWith('W/')) {
      if (comparison === 'weak' && candidate.slice(2) === tag) return true
    } else if (candidate === tag) return true
  }
  return false
}

/** HTTP dates have one-second resolution; compare at that resolution. Undefined for an absent or invalid date. */
function httpDate(value: string | undefined): number | undefined {
  if (!value) return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000)
}

function seconds(d: Date): number {
  return Math.floor(d.getTime() / 1000)
}
