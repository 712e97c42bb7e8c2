/** Request bodies of the endpoints the web UI adds (search, other, archive), bound as OpenList binds them. */
import { z } from 'zod'

const str = z.string().default('')
const path = z.string().default('/')

export const searchReq = z.object({
  parent: path,
  keywords: z.string().min(1, 'keywords must not be empty'),
  /** 0 all, 1 folders only, 2 files only (OpenList's SearchReq.Scope). */
  scope: z.number().int().min(0).max(2).default(0),
  page: z.number().int().default(1),
  per_page: z.number().int().default(100),
  password: str,
})

export const otherReq = z.object({
  path: z.string().min(1),
  method: z.string().min(1),
  password: str,
  data: z.unknown().optional(),
})

export const archiveMetaReq = z.object({ path, password: str, refresh: z.boolean().default(false), archive_pass: str })

export const archiveListReq = archiveMetaReq.extend({
  inner_path: z.string().default('/'),
  page: z.number().int().default(1),
  per_page: z.number().int().default(0),
})

export const archiveDecompressReq = z.object({
  src_dir: z.string().min(1),
  dst_dir: z.string().min(1),
  name: z.array(z.string().min(1)).min(1),
  archive_pass: str,
  inner_path: z.string().default('/'),
  cache_full: z.boolean().default(false),
  put_into_new_dir: z.boolean().default(false),
  overwrite: z.boolean().default(false),
})

export const batchRenameReq = z.object({
  src_dir: z.string().min(1),
  rename_objects: z.array(z.object({ src_name: str, new_name: str })).min(1),
})

export const removeEmptyReq = z.object({ src_dir: z.string().min(1) })

export const recursiveMoveReq = z.object({
  src_dir: z.string().min(1),
  dst_dir: z.string().min(1),
  conflict_policy: z.enum(['cancel', 'skip', 'overwrite']),
})
