/**
 * The ownCloud dialect of WebDAV that rclone's `vendor = owncloud` and the ownCloud/Nextcloud clients speak
 * (docs/host-notes.md §6): checksums as `oc:checksums` and `OC-Checksum`, the file id as `oc:fileid`, and a client's
 * modification time (`X-OC-Mtime`, PROPPATCH of `DAV:lastmodified`). AliyunDrive knows each file's SHA-1 but keeps
 * no client time (docs/api-notes.md §6.7), so the time lives in the dead-property store, keyed by file id like every
 * other dead property. The MD5 of content this server received itself is kept there too, under a namespace no client
 * can read or write, tied to the SHA-1 it was computed with: rclone's owncloud vendor compares MD5 first when both
 * sides have it, and a stale MD5 must never be reported for content that changed elsewhere.
 */
import type { Obj } from '../../host/types.js'
import { DavStatus } from '../server-errors.js'
import type { DeadProp, DeadPropsStore } from './dead-props.js'
import { escapeXml } from './xml-parse.js'

export const OC_NS = 'http://owncloud.org/ns'
const DAV = 'DAV:'
/** Internal facts about a file (its MD5); never listed by PROPFIND and refused by PROPPATCH. */
const INTERNAL_NS = 'urn:x-aliyundrive-open:internal'

export const isInternalNamespace = (ns: string): boolean => ns === INTERNAL_NS

/** `DAV:lastmodified`, ownCloud's settable twin of getlastmodified, holding Unix seconds (rclone's PROPPATCH). */
export const isClientTimeProp = (ns: string, local: string): boolean => ns === DAV && local === 'lastmodified'

/** Unix seconds as sent in `X-OC-Mtime` or a lastmodified PROPPATCH; undefined when it is not such a number. */
export function parseUnixSeconds(text: string): number | undefined {
  const t = text.trim()
  if (!/^\d{1,11}(\.\d+)?$/.test(t)) return undefined
  const seconds = Math.floor(Number(t))
  return Number.isSafeInteger(seconds) && !Number.isNaN(new Date(seconds * 1000).getTime()) ? seconds : undefined
}

/** The client's time for a file, when one was stored. */
export function clientTimeOf(props: DeadProp[]): Date | undefined {
  const stored = props.find((p) => isClientTimeProp(p.ns, p.local))
  const seconds = stored ? parseUnixSeconds(stored.xml) : undefined
  return seconds === undefined ? undefined : new Date(seconds * 1000)
}

/** The object as clients should see it: with the stored client time as its modification time. */
export function withClientTime(obj: Obj, props: DeadProp[]): Obj {
  const time = clientTimeOf(props)
  return time ? { ...obj, modified: time } : obj
}

export function setClientTime(store: DeadPropsStore, fileId: string, seconds: number): void {
  store.apply(fileId, [{ op: 'set', prop: { ns: DAV, local: 'lastmodified', xml: String(seconds) } }])
}

export function forgetClientTime(store: DeadPropsStore, fileId: string): void {
  store.apply(fileId, [{ op: 'remove', ns: DAV, local: 'lastmodified' }])
}

/** Records the MD5 of bytes this server received, valid for as long as the file's SHA-1 is `sha1`. */
export function rememberMd5(store: DeadPropsStore, fileId: string, sha1: string, md5: string): void {
  store.apply(fileId, [{ op: 'set', prop: { ns: INTERNAL_NS, local: 'md5', xml: `${sha1}:${md5}` } }])
}

function md5Of(obj: Obj, props: DeadProp[]): string | undefined {
  const stored = props.find((p) => p.ns === INTERNAL_NS && p.local === 'md5')?.xml.split(':')
  return stored && stored[0] === obj.hashes.sha1 && /^[0-9a-f]{32}$/.test(stored[1] ?? '') ? stored[1] : undefined
}

/** `SHA1:<hex>` (and ` MD5:<hex>` when known), the value of `OC-Checksum` and of `oc:checksum`; undefined for folders. */
export function ocChecksum(obj: Obj, props: DeadProp[]): string | undefined {
  if (obj.isFolder || !obj.hashes.sha1) return undefined
  const md5 = md5Of(obj, props)
  return `SHA1:${obj.hashes.sha1}${md5 ? ` MD5:${md5}` : ''}`
}

/** The live oc: properties of an object, as element contents (undefined = not defined for this object). */
export function ocLiveProps(obj: Obj, props: DeadProp[]): Record<string, string | undefined> {
  const checksum = ocChecksum(obj, props)
  return {
    checksums: checksum === undefined ? undefined : `<oc:checksum>${checksum}</oc:checksum>`,
    fileid: escapeXml(obj.id),
  }
}

export function ocElement(local: string, value?: string): string {
  const open = `oc:${local} xmlns:oc="${OC_NS}"`
  return value ? `<${open}>${value}</oc:${local}>` : `<${open}/>`
}

/** The hashes a PUT announces in `OC-Checksum`, and the tokens of types this server does not check. */
export interface AnnouncedChecksums {
  sha1?: string
  md5?: string
  /** Tokens of other types (ownCloud's ADLER32, ...), not refused: nothing here can check them. */
  ignored: string[]
}

const CHECKED: Record<string, { key: 'sha1' | 'md5'; digits: number }> = {
  sha1: { key: 'sha1', digits: 40 },
  md5: { key: 'md5', digits: 32 },
}

/**
 * `OC-Checksum`: space-separated `TYPE:hex` tokens, the type in any case (docs/host-notes.md §9). SHA1 and MD5 are
 * checked against the bytes received; a malformed value of either, or two different values of one type, is refused.
 */
export function announcedChecksums(header: string | undefined): AnnouncedChecksums {
  const found: AnnouncedChecksums = { ignored: [] }
  for (const token of header?.trim().split(/\s+/) ?? []) {
    if (!token) continue
    const colon = token.indexOf(':')
    const checked = colon > 0 ? CHECKED[token.slice(0, colon).toLowerCase()] : undefined
    if (!checked) {
      found.ignored.push(token)
      continue
    }
    const hex = token.slice(colon + 1).toLowerCase()
    const type = checked.key.toUpperCase()
    if (!new RegExp(`^[0-9a-f]{${checked.digits}}$`).test(hex))
      throw new DavStatus(400, `OC-Checksum: the ${type} value must be ${checked.digits} hex digits`)
    if (found[checked.key] !== undefined && found[checked.key] !== hex)
      throw new DavStatus(400, `OC-Checksum: two different ${type} values`)
    found[checked.key] = hex
  }
  return found
}

/** The client time a PUT carries in `X-OC-Mtime` (Unix seconds). */
export function announcedMtime(header: string | undefined): number | undefined {
  if (header === undefined) return undefined
  const seconds = parseUnixSeconds(header)
  if (seconds === undefined) throw new DavStatus(400, 'X-OC-Mtime must be a Unix time in seconds')
  return seconds
}
