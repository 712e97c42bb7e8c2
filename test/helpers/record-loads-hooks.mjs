// Module-resolution hook for test/cli/lazy-load.test.ts: appends every URL the process resolves (ESM imports, static
// and dynamic) to the file named by RECORD_LOADS_FILE, one per line. Registered with `node --import` (see the test).
import { appendFileSync } from 'node:fs'

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context)
  appendFileSync(process.env.RECORD_LOADS_FILE, `${result.url}\n`)
  return result
}
