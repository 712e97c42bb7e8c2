/** Who logged in and which drives the authorization can see (`user/getDriveInfo` with the new access token). */
import { requestJson } from './http.js'

export interface AccountInfo {
  userId: string
  name: string
  drives: Array<{ type: 'default' | 'resource' | 'backup'; driveId: string }>
}

export async function fetchAccountInfo(
  apiBaseUrl: string,
  accessToken: string,
  signal: AbortSignal,
): Promise<AccountInfo> {
  const answer = await requestJson('getDriveInfo', `${apiBaseUrl.replace(/\/+$/, '')}/adrive/v1.0/user/getDriveInfo`, {
    method: 'POST',
    signal,
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: '{}',
  })
  const b = answer.body
  if (answer.status !== 200)
    throw new Error(`getDriveInfo answered HTTP ${answer.status} ${textOf(b.code)} ${textOf(b.message)}`.trim())
  const drives: AccountInfo['drives'] = []
  for (const type of ['resource', 'backup', 'default'] as const) {
    const id = b[`${type}_drive_id`]
    if (typeof id === 'string' && id) drives.push({ type, driveId: id })
  }
  const name: unknown = b.nick_name || b.name || b.user_name || ''
  return { userId: textOf(b.user_id), name: String(name), drives }
}

/** A JSON field as text, '' when absent (an object or array shows as JSON, not as "[object Object]"). */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}
