import assert from 'node:assert/strict'

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype

/** The part of `actual` that `expected` speaks about: its keys only, at every depth of plain objects. */
function projection(actual: unknown, expected: unknown): unknown {
  if (!isPlainObject(expected) || typeof actual !== 'object' || actual === null) return actual
  const source = actual as Record<string, unknown>
  return Object.fromEntries(Object.keys(expected).map((key) => [key, projection(source[key], expected[key])]))
}

/**
 * Asserts that `actual` has every field of `expected` with a deep-equal value; other fields are not looked at (a
 * driver may report more, e.g. more hashes than sha1). Fails with node:assert's diff of the compared fields.
 */
export function assertMatch(actual: unknown, expected: Record<string, unknown>, message?: string): void {
  assert.deepStrictEqual(projection(actual, expected), expected, message)
}
