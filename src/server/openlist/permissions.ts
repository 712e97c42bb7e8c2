/**
 * The permission bits /api/me reports (OpenList's order, docs/host-notes.md §7: 0 see_hides, 1 access_without_password,
 * 2 offline_download, 3 write_content, 4 rename, 5 move, 6 copy, 7 delete, 8 webdav_read, 9 webdav_manage,
 * 10 ftp_read, 11 ftp_manage, 12 read_archives, 13 decompress, 14 share, 15 customize_share_id). OpenList's web UI
 * shows a write action only when its bit is set, so a read-only account (README "Accounts") gets none of them.
 */
import type { Account } from '../auth.js'

const ALL = 0xffff

/** write_content, rename, move, copy, delete, webdav_manage, decompress. */
const WRITE_BITS = [3, 4, 5, 6, 7, 9, 13].reduce((mask, bit) => mask | (1 << bit), 0)

export function withoutWriteBits(permission: number): number {
  return permission & ~WRITE_BITS
}

export function permissionFor(account: Account): number {
  return account.readOnly ? withoutWriteBits(ALL) : ALL
}
