/** The flags `serve` is given, parsed (serve.ts registers them; serve-run.ts acts on them). */
/** Next to OpenList's 5244; taken, the default (only) falls back to a free port. */
export const DEFAULT_PORT = 5245

export interface ServeFlags {
  host: string
  port?: number
  user: string
  password?: string
  secret?: string
  proxy?: boolean
  davRedirect?: boolean
  linkTtl: number
  publicUrl?: string
  listTtl: number
  proxyConcurrency: number
  tokenExpiresIn: number
  archiveExtractLimit: number
  /** commander's negated flag: false with --no-ui. */
  ui: boolean
  fresh?: boolean
  tlsCert?: string
  tlsKey?: string
  users?: string
  readOnly?: boolean
  trustProxy?: string
  maxConnections: number
  maxConnectionsPerAddress: number
}
