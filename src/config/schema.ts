/**
 * The storage "addition" of OpenList's AliyundriveOpen driver, byte for byte (docs/contract.md §1, docs/api-notes.md §9.1).
 * This schema is the single source of the config type, its defaults, help text, secret flags and the host form.
 */
import { z } from 'zod'

/** Field metadata, read back by `formMeta` and the README options table. */
export interface FieldMeta {
  label: string
  help: string
  kind: 'string' | 'password' | 'number' | 'boolean' | 'text' | 'select'
  /** Never echoed, logged or printed. */
  secret?: boolean
  /** Not shown in the settings form (OpenList keeps it out of the form too). */
  hidden?: boolean
  required?: boolean
}

const emptyTo =
  <T extends string>(replacement: T) =>
  (v: unknown) =>
    v === '' ? replacement : v
const boolish = (v: unknown) => (v === 'true' ? true : v === 'false' ? false : v)

export const DEFAULT_RENEW_API = 'https://api.oplist.org/alicloud/renewapi'

const httpUrl = z.string().refine(
  (s) => {
    if (s === '') return true // checked against use_online_api below, with a message that says why
    try {
      const u = new URL(s)
      return u.protocol === 'http:' || u.protocol === 'https:'
    } catch {
      return false
    }
  },
  { message: 'must be an http(s) URL' },
)

export const configSchema = z
  .object({
    drive_type: z
      .preprocess(emptyTo('default'), z.enum(['default', 'resource', 'backup']))
      .default('resource')
      .meta({
        label: 'Drive type',
        kind: 'select',
        help: 'Which drive to mount: default, resource (资源库) or backup (备份盘). An empty value means default, as in OpenList.',
      } satisfies FieldMeta),
    root_folder_id: z
      .preprocess(emptyTo('root'), z.string())
      .default('root')
      .meta({
        label: 'Root folder ID',
        kind: 'string',
        help: 'file_id of the folder to mount as /, or "root" for the whole drive.',
      } satisfies FieldMeta),
    refresh_token: z
      .string({ error: 'is required' })
      .min(1, { error: 'is required' })
      .meta({
        label: 'Refresh token',
        kind: 'password',
        secret: true,
        required: true,
        help: 'The AliyunDrive Open refresh token. Rotated on every refresh; the new one is saved through the host.',
      } satisfies FieldMeta),
    order_by: z
      .enum(['', 'name', 'size', 'updated_at', 'created_at'])
      .default('')
      .meta({
        label: 'Order by',
        kind: 'select',
        help: 'Listing order sent to AliyunDrive; empty means the server default.',
      } satisfies FieldMeta),
    order_direction: z
      .enum(['', 'ASC', 'DESC'])
      .default('')
      .meta({
        label: 'Order direction',
        kind: 'select',
        help: 'ASC or DESC; empty means the server default.',
      } satisfies FieldMeta),
    use_online_api: z
      .preprocess(boolish, z.boolean())
      .default(true)
      .meta({
        label: 'Use online API',
        kind: 'boolean',
        help: 'Renew tokens through the online renew API instead of your own client ID and secret.',
      } satisfies FieldMeta),
    alipan_type: z
      // Rows saved before OpenList had this field carry "" (OpenList re-saves the whole struct): "" is the QR app.
      .preprocess(emptyTo('default'), z.enum(['default', 'alipanTV']))
      .default('default')
      .meta({
        label: 'Alipan type',
        kind: 'select',
        help:
          'Which app the refresh token belongs to: default (QR login) or alipanTV (TV login). ' +
          'An empty value means default, as in OpenList.',
      } satisfies FieldMeta),
    api_url_address: httpUrl.default(DEFAULT_RENEW_API).meta({
      label: 'Online API URL',
      kind: 'string',
      help: 'The online renew API (used when "Use online API" is on).',
    } satisfies FieldMeta),
    client_id: z
      .string()
      .default('')
      .meta({
        label: 'Client ID',
        kind: 'string',
        help: 'Your own Open Platform app ID (required when the online API is off).',
      } satisfies FieldMeta),
    client_secret: z
      .string()
      .default('')
      .meta({
        label: 'Client secret',
        kind: 'password',
        secret: true,
        help: 'Your own Open Platform app secret (required when the online API is off).',
      } satisfies FieldMeta),
    remove_way: z
      .preprocess(emptyTo('trash'), z.enum(['trash', 'delete']))
      .default('trash')
      .meta({
        label: 'Remove way',
        kind: 'select',
        help: 'trash moves to the recycle bin (recoverable); delete removes permanently.',
      } satisfies FieldMeta),
    rapid_upload: z
      .preprocess(boolish, z.boolean())
      .default(false)
      .meta({
        label: 'Rapid upload',
        kind: 'boolean',
        help: 'Try SHA-1 instant upload (秒传) for files over 100 KiB before sending bytes.',
      } satisfies FieldMeta),
    internal_upload: z
      .preprocess(boolish, z.boolean())
      .default(false)
      .meta({
        label: 'Internal upload',
        kind: 'boolean',
        help: 'Upload through the Beijing intranet endpoint (only from Aliyun ECS in cn-beijing).',
      } satisfies FieldMeta),
    livp_download_format: z
      .preprocess(emptyTo('jpeg'), z.enum(['jpeg', 'mov']))
      .default('jpeg')
      .meta({
        label: 'livp download format',
        kind: 'select',
        help: 'Which stream of an iOS Live Photo (.livp) to download. An empty value means jpeg, as in OpenList.',
      } satisfies FieldMeta),
    AccessToken: z
      .string()
      .default('')
      .meta({
        label: 'Access token',
        kind: 'password',
        secret: true,
        hidden: true,
        help: 'The current access token, persisted by the host (OpenList stores it under this key).',
      } satisfies FieldMeta),
  })
  .superRefine(
    (parsed, ctx) => {
      // Runs even when other fields failed (`when` below), so one error names every bad field (docs/contract.md §1); the
      // value may then be the raw input, so read it defensively.
      const cfg = parsed as unknown as Record<string, unknown>
      // A use_online_api that is not a boolean has its own error; guessing a side would add errors about fields the
      // user never meant to need (client_id, client_secret).
      if (![undefined, true, false, 'true', 'false'].includes(cfg.use_online_api as string)) return
      const online = cfg.use_online_api === undefined || cfg.use_online_api === true || cfg.use_online_api === 'true'
      // OpenList renews locally when the relay URL is empty, whatever use_online_api says: such a row mounts there
      // when it has its own client ID and secret, so it must here too.
      const ownApp =
        typeof cfg.client_id === 'string' &&
        cfg.client_id !== '' &&
        typeof cfg.client_secret === 'string' &&
        cfg.client_secret !== ''
      if (online) {
        if (cfg.api_url_address === '' && !ownApp) {
          ctx.addIssue({
            code: 'custom',
            path: ['api_url_address'],
            message:
              'is required when use_online_api is true (or set use_online_api to false and give client_id and client_secret)',
          })
        }
        return
      }
      for (const key of ['client_id', 'client_secret']) {
        if (cfg[key] === undefined || cfg[key] === '')
          ctx.addIssue({ code: 'custom', path: [key], message: 'is required when use_online_api is false' })
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )

export type DriverConfig = z.output<typeof configSchema>

/** The keys whose values are secrets (never echoed, logged or printed). */
export const SECRET_KEYS: ReadonlyArray<keyof DriverConfig> = ['refresh_token', 'client_secret', 'AccessToken']
