/**
 * One file download for `get`, checked against the remote SHA-1 after every download, resumed or not. Sizes alone
 * lie: a same-size local file with other bytes is not "done", and a shorter local file that is not a prefix of the
 * remote one, continued with a Range request, matches neither. So: a same-size file is skipped only when its SHA-1
 * matches; a resumed download that does not verify is restarted from zero once; a fresh one that does not verify
 * fails.
 */
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { DriverError } from '../errors/index.js'
import type { Obj, StorageDriver } from '../host/types.js'
import { dataGet } from '../http/data-plane/index.js'
import { explainLocalPathError } from './local-name-limits.js'

export interface DownloadOptions {
  resume: boolean
  onProgress(loaded: number, total: number): void
  /** One human line about what happened (skipped, resumed, restarted). */
  say(message: string): void
  /** Ends the transfer (ABORTED); the partial file stays for a later resume. */
  signal?: AbortSignal
}

export interface DownloadResult {
  /** The byte the download continued from, when it resumed a partial file. */
  resumedFrom?: number
  /** The local file already had these exact bytes. */
  skipped?: boolean
}

export async function downloadFile(
  d: StorageDriver,
  obj: Obj,
  target: string,
  opts: DownloadOptions,
): Promise<DownloadResult> {
  try {
    return await download(d, obj, target, opts)
  } catch (e) {
    throw explainLocalPathError(e, target)
  }
}

async function download(d: StorageDriver, obj: Obj, target: string, opts: DownloadOptions): Promise<DownloadResult> {
  const remoteSha1 = obj.hashes.sha1?.toLowerCase()
  const local = opts.resume ? await localSize(target) : undefined
  if (local === obj.size && remoteSha1 && (await sha1OfFile(target)) === remoteSha1) {
    opts.say(`${target} already has the same bytes (SHA-1 ${remoteSha1}); nothing downloaded`)
    return { skipped: true }
  }
  const offset = local !== undefined && local < obj.size ? local : 0
  // A whole download whose bytes can be checked may use the URL the listing carried (no link call, which AliyunDrive
  // allows about once a second); when it fails or other bytes arrive, getDownloadUrl's link is used below.
  if (offset === 0 && remoteSha1) {
    const problem = await fetchInto(d, obj, target, 0, opts, true).then(
      () => verify(obj, target, remoteSha1),
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    )
    if (!problem) return {}
  }
  const started = await fetchInto(d, obj, target, offset, opts)
  if (started > 0) opts.say(`resumed ${target} at byte ${started} of ${obj.size}`)
  const problem = await verify(obj, target, remoteSha1)
  if (!problem) return started > 0 ? { resumedFrom: started } : {}
  if (started === 0) throw mismatch(obj, problem, false)
  // The partial file was not a prefix of the remote one: start over, once.
  opts.say(`${target} did not verify after resuming (${problem}); downloading it again from the start`)
  await fetchInto(d, obj, target, 0, opts)
  const again = await verify(obj, target, remoteSha1)
  if (again) throw mismatch(obj, again, true)
  return {}
}

/** Downloads from `offset` (appending) or from zero; returns where it really started (0 when Range was ignored). */
async function fetchInto(
  d: StorageDriver,
  obj: Obj,
  target: string,
  offset: number,
  opts: DownloadOptions,
  listedUrl = false,
): Promise<number> {
  const link = await d.link(obj, listedUrl ? { listedUrl } : {})
  const res = await dataGet(link.url, {
    headers: link.headers ?? {},
    ...(offset > 0 ? { range: { start: offset } } : {}),
    signal: opts.signal,
    label: `download of "${obj.path}"`,
  })
  let start = offset
  if (res.statusCode === 200)
    start = 0 // the server ignored Range: rewrite from the start
  else if (res.statusCode !== 206) {
    res.resume()
    throw new DriverError('UPSTREAM', `download of "${obj.path}" failed with HTTP ${res.statusCode}`)
  }
  let loaded = start
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      loaded += chunk.byteLength
      opts.onProgress(loaded, obj.size)
      cb(null, chunk)
    },
  })
  await pipeline(res, counter, createWriteStream(target, { flags: start > 0 ? 'a' : 'w' }))
  // A connection cut short ends the body without an error; the SHA-1 check would catch it, but say what happened.
  if (!res.complete) throw new DriverError('NETWORK', `download of "${obj.path}" was cut short at byte ${loaded}`)
  return start
}

/** What is wrong with the local file, or undefined when it is the remote file. */
async function verify(obj: Obj, target: string, remoteSha1: string | undefined): Promise<string | undefined> {
  const size = await localSize(target)
  if (size !== obj.size) return `${size ?? 0} of ${obj.size} bytes`
  if (!remoteSha1) return undefined // AliyunDrive reported no SHA-1 for this file: the size is all there is to check
  const local = await sha1OfFile(target)
  return local === remoteSha1 ? undefined : `SHA-1 ${local}, expected ${remoteSha1}`
}

function mismatch(obj: Obj, problem: string, restarted: boolean): DriverError {
  return new DriverError(
    'UPSTREAM',
    `download of "${obj.path}" does not match the remote file (${problem})${restarted ? ' even after starting over' : ''}; ` +
      `the local file is left as it is, run the command again`,
  )
}

async function localSize(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path)
    return s.isFile() ? s.size : undefined
  } catch {
    return undefined
  }
}

async function sha1OfFile(path: string): Promise<string> {
  const hash = createHash('sha1')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
