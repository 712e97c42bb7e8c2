/**
 * The permission bits `/api/me` answers. OpenList's web UI shows a toolbar or context-menu action only when its bit
 * is set (`UserMethods.can`: `(permission >> bit) & 1`), so the bits say what this server really does; an action
 * whose endpoints we do not serve (offline download, FTP, shares) stays hidden instead of answering 404.
 * Bit order is OpenList's (model/user.go; the UI's `UserPermissions`).
 */
import type { Account } from '../auth.js'

export const PERMISSION_BITS = {
  see_hides: 0,
  access_without_password: 1,
  offline_download: 2,
  write_content: 3,
  rename: 4,
  move: 5,
  copy: 6,
  delete: 7,
  webdav_read: 8,
  webdav_manage: 9,
  ftp_read: 10,
  ftp_manage: 11,
  read_archives: 12,
  decompress: 13,
  share: 14,
  customize_share_id: 15,
} as const
export type Permission = keyof typeof PERMISSION_BITS

/** Served for every account: nothing is hidden, no folder has a password, WebDAV reads, archives are listed. */
const READ: Permission[] = ['see_hides', 'access_without_password', 'webdav_read', 'read_archives']
/** Served for an account that may write: /api/fs/{put,form,mkdir,rename,move,copy,remove,archive/decompress}, WebDAV writes. */
const WRITE: Permission[] = ['write_content', 'rename', 'move', 'copy', 'delete', 'webdav_manage', 'decompress']
// Not served, so never set: offline_download, ftp_read, ftp_manage, share, customize_share_id.

/** The bits for one account; `canWrite: false` (a read-only account) keeps only the reading ones. */
export function permissionBits(account: { canWrite: boolean } = { canWrite: true }): number {
  const granted = account.canWrite ? [...READ, ...WRITE] : READ
  return granted.reduce((bits, p) => bits | (1 << PERMISSION_BITS[p]), 0)
}

/** The bits of an account of `serve --users` (README "Accounts"): a read-only one keeps only the reading bits. */
export function permissionFor(account: Pick<Account, 'readOnly'>): number {
  return permissionBits({ canWrite: !account.readOnly })
}
