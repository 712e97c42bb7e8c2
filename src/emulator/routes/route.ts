/** The shape of an authenticated `/adrive/v1.0/...` route handler. */
import type { EmulatorState } from '../state/emulator-state.js'
import type { RateClass } from '../state/rate-limiter.js'
import type { AccessGrant } from '../state/token-store.js'

export interface RouteContext {
  state: EmulatorState
  auth: AccessGrant
  body: Record<string, unknown>
}

export interface ApiRoute {
  path: string
  cls: RateClass
  handle(ctx: RouteContext): unknown
}
