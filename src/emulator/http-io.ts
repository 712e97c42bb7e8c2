/** Reading requests and writing JSON / OSS-XML answers with the exact wire conventions of docs/api-notes.md §1.3 and §4. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ApiError } from './api-error.js'
import { newRequestId } from './ids.js'

/** Control-plane bodies are small JSON; a cap keeps a misbehaving client from filling memory. */
const MAX_JSON_BODY = 1024 * 1024

export async function readSmallBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    total += buf.byteLength
    if (total > MAX_JSON_BODY) throw new ApiError(413, 'PayloadTooLarge', 'Request body too large.')
    chunks.push(buf)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The JSON body as an object. An empty body is `{}`: OpenList sends getDriveInfo/getSpaceInfo with no body at all
 * (docs/api-notes.md §1.2). Form-urlencoded bodies are accepted too (the relay sends the token call that way, docs/api-notes.md §2.1).
 */
export function parseBody(text: string, contentType: string | undefined): Record<string, unknown> {
  if (text.trim() === '') return {}
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text))
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ApiError(400, 'InvalidParameter', 'The request body is not valid JSON.')
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, 'InvalidParameter', 'The request body must be a JSON object.')
  }
  return value as Record<string, unknown>
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

export function sendApiError(res: ServerResponse, err: ApiError): void {
  const requestId = newRequestId()
  sendJson(
    res,
    err.status,
    { code: err.code, message: err.message, requestId, ...err.extra },
    {
      'x-ca-request-id': requestId,
      ...err.headers,
    },
  )
}

/** OSS-style XML error of the data plane (docs/api-notes.md §4.2, data-plane table). */
export function sendOssError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): void {
  const requestId = newRequestId().replace(/-/g, '')
  const fields = Object.entries(extra)
    .map(([k, v]) => `  <${k}>${escapeXml(v)}</${k}>\n`)
    .join('')
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
    `  <Code>${code}</Code>\n  <Message>${escapeXml(message)}</Message>\n  <RequestId>${requestId}</RequestId>\n` +
    `  <HostId>emulator.aliyundrive.net</HostId>\n${fields}</Error>\n`
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(xml),
    'x-oss-request-id': requestId,
  })
  res.end(xml)
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Reads an optional string field; `""`, null and absent all mean "use the default" (docs/api-notes.md §1.2). */
export function optString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key]
  if (v === undefined || v === null || v === '') return undefined
  if (typeof v !== 'string') throw new ApiError(400, `InvalidParameter.${camel(key)}`, `${key} must be a string.`)
  return v
}

export function reqString(body: Record<string, unknown>, key: string): string {
  const v = optString(body, key)
  if (v === undefined)
    throw new ApiError(400, `InvalidParameter.${camel(key)}`, `The input parameter ${key} is not valid.`)
  return v
}

/** Integers may arrive as numbers or numeric strings (form bodies); `""` means absent. */
export function optInt(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key]
  if (v === undefined || v === null || v === '') return undefined
  const n = typeof v === 'string' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new ApiError(400, `InvalidParameter.${camel(key)}`, `${key} must be an integer.`)
  }
  return n
}

export function optBool(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key]
  if (v === undefined || v === null || v === '') return undefined
  if (typeof v === 'boolean') return v
  if (v === 'true') return true
  if (v === 'false') return false
  throw new ApiError(400, `InvalidParameter.${camel(key)}`, `${key} must be a boolean.`)
}

/** `parent_file_id` → `ParentFileId`, the style of the real InvalidParameter.* codes. */
function camel(key: string): string {
  return key.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())
}
