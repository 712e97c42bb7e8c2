/**
 * What the request path needs to know of an endpoint: where it is, which rate-limit class it spends, and whether
 * repeating it after an unknown outcome is safe. The table of AliyunDrive's endpoints is src/api/endpoints.ts.
 */
import type { LimitClass } from './rate-limiter.js'

export interface Endpoint {
  path: string
  cls: LimitClass
  idempotent: boolean
  /**
   * Error codes that, on a repeat after an unknown outcome (lost answer, 5xx), mean the first attempt did the job:
   * trashing again meets the item in the recycle bin, deleting again meets nothing.
   */
  doneOnRepeat?: ReadonlySet<string>
}

/** A short name for messages: 'openFile/list'. */
export function endpointLabel(endpoint: Endpoint): string {
  return endpoint.path.replace('/adrive/v1.0/', '')
}
