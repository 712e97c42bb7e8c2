/** SHA-1 as AliyunDrive names content: lower-case hex of the whole byte sequence. */
import { createHash } from 'node:crypto'

export function sha1Hex(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex')
}

export function isSha1Hex(value: string): boolean {
  return /^[0-9a-fA-F]{40}$/.test(value)
}
