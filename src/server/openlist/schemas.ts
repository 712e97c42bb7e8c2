/**
 * Request bodies of the OpenList endpoints we serve, as OpenList's server binds them (server/handles/*.go). Loose
 * where Go is loose: missing numbers are 0, missing strings '', unknown keys ignored.
 */
import { z } from 'zod'

const str = z.string().default('')
const path = z.string().default('/')

export const loginReq = z.object({ username: str, password: str, otp_code: str.optional() })

export const listReq = z.object({
  path,
  password: str,
  page: z.number().int().default(1),
  per_page: z.number().int().default(0),
  refresh: z.boolean().default(false),
})

export const getReq = z.object({ path, password: str })

export const dirsReq = z.object({ path, password: str, force_root: z.boolean().default(false) })

export const mkdirReq = z.object({ path: z.string().min(1) })

export const renameReq = z.object({
  path: z.string().min(1),
  name: z.string().min(1),
  overwrite: z.boolean().default(false),
})

export const moveCopyReq = z.object({
  src_dir: z.string().min(1),
  dst_dir: z.string().min(1),
  names: z.array(z.string().min(1)).min(1),
  overwrite: z.boolean().default(false),
  /** A taken target name is left alone and the source kept; the request succeeds (OpenList's "skip existing"). */
  skip_existing: z.boolean().default(false),
  /** copy only: a folder whose name is taken gets the source's new members; existing files stay. */
  merge: z.boolean().default(false),
})

export const removeReq = z.object({ dir: z.string().min(1), names: z.array(z.string().min(1)).min(1) })
