/**
 * Secret redaction at the source. Two layers, because a token can reach a message by paths we do not control
 * (axios error messages, relay `text`, server echoes):
 * 1. every secret the driver ever holds is registered here and replaced verbatim;
 * 2. anything shaped like a JWT or a bearer credential is replaced even if it was never registered
 *    (AliyunDrive tokens are JWTs: docs/api-notes.md §2.2).
 */
const registered = new Set<string>()

/**
 * JWT-shaped secrets are kept verbatim only while recent: every rotation registers two (docs/api-notes.md §2.1), and a
 * long-running server would otherwise hold every token it ever had. An evicted one is still caught by layer 2.
 * Other secrets (client secrets, passwords, non-JWT tokens) are few and kept for the life of the process.
 */
const MAX_REGISTERED_JWTS = 64
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*$/
const registeredJwts: string[] = []

/** Secrets shorter than this are not replaced verbatim: replacing "a" everywhere would garble messages. */
const MIN_SECRET_LENGTH = 6

export const REDACTED = '[redacted]'

export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_SECRET_LENGTH || registered.has(value)) return
  registered.add(value)
  if (!JWT_SHAPE.test(value)) return
  registeredJwts.push(value)
  if (registeredJwts.length > MAX_REGISTERED_JWTS) registered.delete(registeredJwts.shift()!)
}

/** How many secrets are held verbatim (for the test that shows rotation does not grow it without bound). */
export function registeredSecretCount(): number {
  return registered.size
}

const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g
const BEARER_PATTERN = /\b(Bearer)\s+[^\s"',;]+/gi
const QUERY_SECRET_PATTERN =
  /\b(refresh_ui|refresh_token|access_token|client_secret|client_key|security-token|x-oss-signature)=([^&\s"']+)/gi

export function redact(text: string): string {
  let out = text
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED)
  }
  return out
    .replace(JWT_PATTERN, REDACTED)
    .replace(BEARER_PATTERN, `$1 ${REDACTED}`)
    .replace(QUERY_SECRET_PATTERN, `$1=${REDACTED}`)
}

/** Redacts every string inside a JSON-like value (for log metadata). */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value)
  if (depth > 6 || value === null || typeof value !== 'object') return value
  if (value instanceof Error) return redact(`${value.name}: ${value.message}`)
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      /token|secret|password|authorization/i.test(k) && typeof v === 'string' && v ? REDACTED : redactDeep(v, depth + 1)
  }
  return out
}
