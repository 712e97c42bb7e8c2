/**
 * Writes a login's tokens into `--config FILE`. A missing file is created (mode 0600) holding the tokens and the
 * renewal settings of the route used; an existing one is updated in place — other keys, the addition's form (text or
 * object) and the file's shape stay — and written atomically under the config-file lock token rotation uses.
 * With `mount`, the file is a list of storages and the row at that mount path is refreshed, or added.
 */
import { readFile } from 'node:fs/promises'
import { additionOf, DRIVER_NAME, mountPathOf, setAddition, storageRowsOf, type Json } from '../persist/storage-rows.js'
import { formMeta } from '../config/index.js'
import { DriverError } from '../errors/index.js'
import { normalizePath } from '../paths/mount-path.js'
import { rewriteConfigFile } from './config-update.js'
import type { LoginTokens, RenewalSettings } from './types.js'

export interface SaveRequest {
  path: string
  mount?: string
  driveType?: 'default' | 'resource' | 'backup'
  tokens: LoginTokens
  renewal: RenewalSettings
}

export interface SaveOutcome {
  created: boolean
  /** The mount path of the row written, for a file of storages. */
  mountPath?: string
  addedRow: boolean
}

export async function saveLoginTokens(req: SaveRequest): Promise<SaveOutcome> {
  let outcome: SaveOutcome = { created: false, addedRow: false }
  await rewriteConfigFile(req.path, (text) => {
    const planned = applyLoginToText(text, req)
    outcome = planned.outcome
    return planned.text
  })
  return outcome
}

/**
 * Checks, before any QR code is shown, that the tokens could be written (the file is JSON, and with several storages
 * it is clear which row to update), so a user never scans only to be told the file is wrong.
 */
export async function checkLoginTarget(path: string, mount: string | undefined): Promise<void> {
  applyLoginToText(await readIfExists(path), {
    path,
    ...(mount !== undefined ? { mount } : {}),
    tokens: { refreshToken: '', accessToken: '' },
    renewal: { use_online_api: true },
  })
}

/** The new file text with the login applied, and what was done. Pure: no I/O. */
export function applyLoginToText(text: string | undefined, req: SaveRequest): { text: string; outcome: SaveOutcome } {
  const mount = req.mount === undefined ? undefined : normalizePath(req.mount)
  const serialize = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`
  if (text === undefined) {
    const addition = applyLogin({}, req)
    const doc = mount ? [newRow(mount, 0, addition, true)] : addition
    return {
      text: serialize(doc),
      outcome: { created: true, addedRow: mount !== undefined, ...(mount ? { mountPath: mount } : {}) },
    }
  }
  const doc = parseDoc(req.path, text)
  const rows = storageRowsOf(doc)
  if (!rows) {
    if (mount)
      throw new DriverError(
        'INVALID_CONFIG',
        `--mount needs a file of storages (a JSON array of OpenList storage rows, or {"storages": [...]}); ` +
          `${req.path} holds a single storage`,
      )
    const single = doc as Json
    const isRow = 'addition' in single && !('refresh_token' in single)
    if (isRow) setAddition(single, applyLogin(additionOf(single, req.path), req))
    else Object.assign(single, applyLogin(single, req))
    return { text: serialize(doc), outcome: { created: false, addedRow: false } }
  }
  const index = pickRow(req.path, rows, mount)
  if (index === undefined) {
    const textForm = rows.length === 0 || typeof rows[0]!.addition === 'string'
    const order = Math.max(-1, ...rows.map((r) => Number(r.order) || 0)) + 1
    rows.push(newRow(mount!, order, applyLogin({}, req), textForm))
    return { text: serialize(doc), outcome: { created: false, addedRow: true, mountPath: mount! } }
  }
  const row = rows[index]!
  setAddition(row, applyLogin(additionOf(row, `storage ${String(row.mount_path)}`), req))
  return { text: serialize(doc), outcome: { created: false, addedRow: false, mountPath: mountPathOf(row, index) } }
}

function parseDoc(path: string, text: string): unknown {
  try {
    const doc: unknown = JSON.parse(text)
    if (doc && typeof doc === 'object') return doc
  } catch {
    /* reported below */
  }
  throw new DriverError(
    'INVALID_CONFIG',
    `the config file ${path} is not a JSON object or array; fix or move it, then log in again`,
  )
}

/** The row to refresh: the one at `mount`, or the only AliyundriveOpen row; undefined = add a row at `mount`. */
function pickRow(path: string, rows: Json[], mount: string | undefined): number | undefined {
  if (mount) {
    const i = rows.findIndex((r, idx) => typeof r.mount_path === 'string' && mountPathOf(r, idx) === mount)
    return i < 0 ? undefined : i
  }
  const ours = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.driver === undefined || r.driver === DRIVER_NAME)
  if (ours.length === 1) return ours[0]!.i
  throw new DriverError(
    'INVALID_CONFIG',
    `${path} holds ${ours.length} AliyundriveOpen storages; say which one to log in with --mount /path (a new path adds a storage)`,
  )
}

/**
 * Every key of the addition, each missing one at our default: OpenList reads a missing key as Go's zero value,
 * which for `use_online_api` (false) and `drive_type` ("" = default drive) is not what we would use
 * (docs/host-notes.md §8), so a row login writes means the same to both.
 */
function everyKey(): Json {
  return Object.fromEntries(formMeta.flatMap((f) => (f.default === undefined ? [] : [[f.name, f.default]])))
}

function applyLogin(addition: Json, req: SaveRequest): Json {
  const out: Json = {
    ...everyKey(),
    ...addition,
    refresh_token: req.tokens.refreshToken,
    AccessToken: req.tokens.accessToken,
  }
  if ('access_token' in addition) out.access_token = req.tokens.accessToken
  for (const [k, v] of Object.entries(req.renewal)) if (v !== undefined) out[k] = v
  if (req.driveType) out.drive_type = req.driveType
  return out
}

function newRow(mountPath: string, order: number, addition: Json, textForm: boolean): Json {
  return {
    mount_path: mountPath,
    order,
    driver: DRIVER_NAME,
    remark: '',
    disabled: false,
    addition: textForm ? JSON.stringify(addition) : addition,
  }
}

/** For tests and callers that only need to know whether the file exists yet. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
}
