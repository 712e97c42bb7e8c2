/**
 * One token rotation shared by every caller of an account (src/auth/token-chain.ts), and the callers waiting for it.
 * A caller that gives up (its signal fires) stops waiting at once but does not cancel the rotation: the others, and
 * every member's saved config, depend on it. When the last waiting caller has gone, the rotation is told to stop
 * (`stop` fires): it then ends at its next wait instead of sleeping on for nobody. A caller arriving while it ends
 * waits for the end and then looks again (the rotation may still have succeeded: an exchange once sent is heard out),
 * rather than joining it and inheriting an abort that was not its own, or starting a second exchange beside it.
 */
import { abortable } from '../util/sleep.js'

export interface Rotation {
  /** The rotation's outcome, or ABORTED as soon as `signal` fires. */
  wait(signal?: AbortSignal): Promise<string>
  /** Told to stop (nobody waited any more): a caller arriving now must not join it, only let it end. */
  readonly stopping: boolean
  /** Resolves when the rotation has ended, whatever its outcome (or ABORTED as soon as `signal` fires). */
  ended(signal?: AbortSignal): Promise<void>
}

export function startRotation(run: (stop: AbortSignal) => Promise<string>, done: () => void): Rotation {
  const stop = new AbortController()
  let waiting = 0
  const outcome = run(stop.signal).finally(done)
  // Every outcome reaches the callers through wait(); a rotation nobody waits for any more must not be unhandled.
  outcome.catch(() => undefined)
  const settled = outcome.then(
    () => undefined,
    () => undefined,
  )
  return {
    get stopping() {
      return stop.signal.aborted
    },
    ended: (signal) => abortable(settled, signal),
    async wait(signal) {
      waiting++
      try {
        return await abortable(outcome, signal)
      } finally {
        // After the outcome is in, this is a no-op; before, it means nobody is left to hand the token to.
        if (--waiting === 0) stop.abort(new Error('no caller waits for this token renewal any more'))
      }
    },
  }
}
