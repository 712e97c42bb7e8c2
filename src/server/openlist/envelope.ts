/**
 * OpenList's response envelope: always HTTP 200, `{code, message, data}`; success is code 200 "success"
 * (server/common/resp.go). Its client reads `code`, not the HTTP status.
 */
import type { ServerResponse } from 'node:http'
import { mapError } from '../error-status.js'
import { sendJson } from '../http-io.js'

export function ok(res: ServerResponse, data: unknown = null): void {
  sendJson(res, 200, { code: 200, message: 'success', data })
}

export function fail(res: ServerResponse, code: number, message: string): void {
  sendJson(res, 200, { code, message, data: null })
}

export function failWith(res: ServerResponse, e: unknown): void {
  const m = mapError(e)
  fail(res, m.api, m.message)
}
