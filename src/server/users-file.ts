/**
 * The accounts of `serve --users FILE` beside the admin (README "Accounts"): a JSON array of
 * `{ "username", "password" | "password_sha256", "read_only", "base_path" }`. Read at start and on SIGHUP; every bad
 * entry is named (its index and user name) and the whole file refused, so a typo never opens or closes an account
 * silently. `password_sha256` is the hex SHA-256 of the password followed by OpenList's static salt — the value
 * OpenList's web UI sends to `/api/auth/login/hash` (docs/host-notes.md §7) — so the UI logs such an account in
 * without the plain password.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { cleanPath } from './safe-path.js'
import { UsersFileError } from './server-errors.js'

export interface UserEntry {
  username: string
  /** Exactly one of the two is set. */
  password?: string
  /** Lower-case hex of sha256(password + OpenList's static salt). */
  passwordSha256?: string
  readOnly: boolean
  /** Normalised, absolute; '/' = the whole drive. */
  basePath: string
}

const entrySchema = z
  .object({
    username: z.string().min(1, 'username must not be empty'),
    password: z.string().min(1, 'password must not be empty').optional(),
    password_sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'password_sha256 must be 64 hex digits')
      .optional(),
    read_only: z.boolean().optional(),
    base_path: z.string().optional(),
  })
  .strict()

export async function readUsersFile(file: string, adminUser: string): Promise<UserEntry[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    throw new UsersFileError(`--users ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
  return parseUsers(text, file, adminUser)
}

export function parseUsers(text: string, file: string, adminUser: string): UserEntry[] {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new UsersFileError(`--users ${file}: not valid JSON (${(e as Error).message})`)
  }
  if (!Array.isArray(json)) throw new UsersFileError(`--users ${file}: must be a JSON array of accounts`)
  const problems: string[] = []
  const out: UserEntry[] = []
  const seen = new Set<string>([adminUser])
  json.forEach((raw: unknown, i) => {
    const name =
      typeof (raw as { username?: unknown })?.username === 'string' ? (raw as { username: string }).username : '?'
    const where = `entry ${i} ("${name}")`
    const parsed = entrySchema.safeParse(raw)
    if (!parsed.success)
      return void problems.push(`${where}: ${z.prettifyError(parsed.error).replace(/\s*\n\s*/g, '; ')}`)
    const e = parsed.data
    if ((e.password === undefined) === (e.password_sha256 === undefined))
      return void problems.push(`${where}: give exactly one of "password" and "password_sha256"`)
    if (seen.has(e.username))
      return void problems.push(
        `${where}: the user name is already taken (${e.username === adminUser ? 'by the admin of --user' : 'above'})`,
      )
    seen.add(e.username)
    let basePath = '/'
    if (e.base_path !== undefined) {
      if (!e.base_path.startsWith('/'))
        return void problems.push(`${where}: base_path must start with "/", got "${e.base_path}"`)
      try {
        basePath = cleanPath(e.base_path)
      } catch (err) {
        return void problems.push(`${where}: base_path ${(err as Error).message}`)
      }
    }
    out.push({
      username: e.username,
      ...(e.password !== undefined ? { password: e.password } : {}),
      ...(e.password_sha256 !== undefined ? { passwordSha256: e.password_sha256.toLowerCase() } : {}),
      readOnly: e.read_only ?? false,
      basePath,
    })
  })
  if (problems.length > 0) throw new UsersFileError(`--users ${file}: ${problems.join('; ')}`)
  return out
}
