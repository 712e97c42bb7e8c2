/**
 * The test-registration functions the conformance suite needs, taken from whichever runner the caller uses, so that
 * this package never loads a test runner itself: a host on jest, mocha or node:test must not have to install vitest,
 * and one runner's describe/it only work inside that runner's run. Assertions use node:assert, whose errors every
 * runner reports as failures.
 */
export type TestBody = () => Promise<void>

export interface TestRunner {
  describe(name: string, body: () => void): void
  /** Registers a case; `it.skip` registers one reported as skipped (a capability or backend hook it needs is missing). */
  it: { (name: string, body: TestBody): void; skip(name: string, body: TestBody): void }
  /** Runs once before the cases of the enclosing `describe` (node:test and mocha call it `before`). */
  beforeAll(fn: () => Promise<void>): void
  /** Runs once after them (node:test and mocha: `after`). */
  afterAll(fn: () => Promise<void>): void
}
