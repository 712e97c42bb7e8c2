/**
 * Reading requests and writing plain answers over node:http, for the three front ends (OpenList API, WebDAV, /d
 * links): small bodies, their headers, the base URL a client used, JSON and text answers.
 * node:http instead of a framework: every route here must control status codes and headers exactly
 * (WebDAV 207/412/405, OpenList's always-200 envelope), which frameworks tend to get in the way of.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { originOf } from './request-origin.js'
import { BodyTooLargeError } from './server-errors.js'

/** Request bodies we parse (JSON, PROPFIND XML) are small; uploads are streamed and never go through here. */
export const MAX_SMALL_BODY = 1024 * 1024

export async function readSmallBody(req: IncomingMessage, limit = MAX_SMALL_BODY): Promise<Buffer> {
  // An announced size over the cap is refused before a byte is read (the stalled-login attack sent 1 MB headers first).
  const announced = contentLength(req)
  if (announced !== undefined && announced > limit) throw new BodyTooLargeError(`request body exceeds ${limit} bytes`)
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    total += buf.byteLength
    if (total > limit) throw new BodyTooLargeError(`request body exceeds ${limit} bytes`)
    chunks.push(buf)
  }
  return Buffer.concat(chunks)
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string | number> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** True when the request announces a body (Content-Length > 0 or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  const len = req.headers['content-length']
  if (len !== undefined) return Number(len) > 0
  return req.headers['transfer-encoding'] !== undefined
}

/** Content-Length as a number, or undefined when absent or malformed. */
export function contentLength(req: IncomingMessage): number | undefined {
  const raw = req.headers['content-length']
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined
  const n = Number(raw)
  return Number.isSafeInteger(n) ? n : undefined
}

/** Drains an unread body so keep-alive connections stay usable after an early error answer. */
export function drain(req: IncomingMessage): void {
  if (!req.readableEnded) req.resume()
}

/**
 * The base URL a client used to reach us, for absolute links (raw_url). `publicUrl` wins when configured; forwarded
 * host and scheme count only from a trusted proxy (request-origin.ts).
 */
export function requestBaseUrl(req: IncomingMessage, publicUrl?: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '')
  const origin = originOf(req)
  return `${origin.proto}://${origin.host}`
}

export function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h
}
