/**
 * Response shapes of OpenList's HTTP API as its "OpenList" driver decodes them, transcribed from
 * docs/host-notes.md §1 (drivers/openlist/types.go, server/handles/*). Strict where the driver is
 * (types of the fields it reads, RFC 3339 times, `hashinfo` a JSON string), loose about extra fields.
 */
import { z } from 'zod'

const rfc3339 = z.iso.datetime({ offset: true })

export const envelope = <T extends z.ZodType>(data: T) =>
  z.object({ code: z.literal(200), message: z.literal('success'), data })
export const errorEnvelope = z.object({
  code: z
    .number()
    .int()
    .refine((c) => c !== 200),
  message: z.string().min(1),
  data: z.null(),
})

export const meResp = z.object({
  id: z.number().int(),
  username: z.string(),
  password: z.string(),
  base_path: z.string(),
  role: z.union([z.literal(0), z.literal(2)]), // never GUEST (1): that sends the driver to /api/public/settings
  disabled: z.boolean(),
  permission: z.number().int(),
  sso_id: z.string(),
  otp: z.boolean(),
})

export const loginResp = z.object({ token: z.string().min(1) })

export const objResp = z.object({
  name: z.string(),
  size: z.number().int().nonnegative(),
  is_dir: z.boolean(),
  modified: rfc3339,
  created: rfc3339,
  sign: z.string(),
  thumb: z.string(),
  type: z.number().int().min(0).max(7),
  hashinfo: z.string().refine((s) => {
    try {
      const v: unknown = JSON.parse(s)
      return v === null || (typeof v === 'object' && Object.values(v).every((h) => typeof h === 'string'))
    } catch {
      return false
    }
  }, 'hashinfo must be a JSON string of {hashName: hex}'),
})

export const fsListResp = z.object({
  content: z.array(objResp),
  total: z.number().int(),
  readme: z.string(),
  write: z.boolean(),
  provider: z.string(),
})

export const fsGetResp = objResp.extend({
  raw_url: z.string(),
  readme: z.string(),
  provider: z.string(),
  related: z.array(objResp).nullable(),
})
