/**
 * The pieces a driver instance talks to AliyunDrive with, wired in one place:
 * - `SessionStarter` (built with the driver) holds the token manager, the user's rate limiter and the API client.
 *   Built early on purpose: the token manager joins the account's rotation chain when the driver is created, and it
 *   survives a failed `init` (tokens rotated but not yet saved are saved before the next request).
 *   It can make one call only, `getDriveInfo`.
 * - `DriveSession` is what `init` makes from it: the same client plus the resolved drive and the calls on that drive.
 *   Every operation works on a session, so none can run before `init` by accident, and no field of a session is
 *   ever set after it is built.
 */
import { FilesApi, getDriveInfo } from '../api/files.js'
import { jwtSubject } from '../auth/jwt.js'
import { renewalHttp } from '../auth/renewal.js'
import { TokenManager } from '../auth/token-manager.js'
import { parseConfig } from '../config/parse-config.js'
import type { DriverConfig } from '../config/schema.js'
import type { CallOptions, DriverHost, Logger } from '../host/types.js'
import { ApiClient, type RetryPolicy } from '../http/api-client.js'
import { takeUserLimiter, type LimitClass, type UserLimiter } from '../http/rate-limiter.js'
import { resolveDrive, type ResolvedDrive } from '../paths/root-resolver.js'

export const DEFAULT_API_BASE_URL = 'https://openapi.alipan.com'

/** Extra knobs for tests and benchmarks; not part of the host contract. */
export interface DriverTuning {
  retry?: Partial<RetryPolicy>
  /** Smaller upload parts, so multi-part uploads can be exercised with small files. */
  partSizeOverride?: number
}

export interface SessionOptions {
  /** The parsed config; the token manager takes its tokens from it once and owns them from then on. */
  config: DriverConfig
  host: DriverHost
  logger: Logger | undefined
  retry?: Partial<RetryPolicy>
}

/** One mounted drive: read-only once built. */
export class DriveSession {
  constructor(
    readonly api: ApiClient,
    readonly tokens: TokenManager,
    readonly limiter: UserLimiter,
    readonly drive: ResolvedDrive,
    readonly files: FilesApi,
  ) {}

  get driveId(): string {
    return this.drive.driveId
  }
}

export class SessionStarter {
  readonly api: ApiClient
  readonly tokens: TokenManager
  private limiter: UserLimiter
  private limiterKey: string

  constructor(private readonly options: SessionOptions) {
    const { config, host, logger } = options
    const baseUrl = (host.apiBaseUrl ?? DEFAULT_API_BASE_URL).replace(/\/+$/, '')
    // The refresh token's JWT `sub` is the user id (docs/api-notes.md), so even init's calls can share the user's
    // limiter with the other instances of that user; OpenList uses a process-wide set '' until getDriveInfo answers,
    // and two uncoordinated streams then reach the server's per-user bucket (seen as 429s in the conformance run).
    this.limiterKey = jwtSubject(config.refresh_token) ?? jwtSubject(config.AccessToken) ?? ''
    this.limiter = takeUserLimiter(this.limiterKey, host.limits)
    const acquire = (cls: LimitClass, signal?: AbortSignal) => this.limiter.acquire(cls, signal)
    this.tokens = new TokenManager({
      config,
      http: renewalHttp(),
      apiBaseUrl: baseUrl,
      ...(host.saveConfig ? { saveConfig: (c: DriverConfig) => host.saveConfig!(c) } : {}),
      ...(host.loadConfig
        ? { loadConfig: () => host.loadConfig!().then((c) => (c === undefined ? undefined : parseConfig(c))) }
        : {}),
      ...(host.withTokenLock ? { withTokenLock: <T>(fn: () => Promise<T>) => host.withTokenLock!(fn) } : {}),
      acquire,
      ...(logger ? { logger } : {}),
      ...(host.relayUserAgent ? { relayUserAgent: host.relayUserAgent } : {}),
    })
    this.api = new ApiClient({
      baseUrl,
      tokens: this.tokens,
      acquire,
      ...(logger ? { logger } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    })
  }

  /** Resolves the configured drive and returns the session on it. */
  async open(opts: CallOptions): Promise<DriveSession> {
    const { config, host, logger } = this.options
    const drive = resolveDrive(await getDriveInfo(this.api, opts), config.drive_type)
    if (drive.userId !== this.limiterKey) {
      // From now on this instance shares the limiter of its AliyunDrive user with every other instance of that user.
      const shared = takeUserLimiter(drive.userId, host.limits)
      this.limiter.release()
      this.limiter = shared
      this.limiterKey = drive.userId
    }
    return new DriveSession(this.api, this.tokens, this.limiter, drive, new FilesApi(this.api, drive.driveId, logger))
  }

  /** Gives back the limiter and leaves the token chain (driver drop). */
  close(): void {
    this.limiter.release()
    this.tokens.release()
  }
}
