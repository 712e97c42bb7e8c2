import { defineConfig } from 'vitest/config'

// The soak (`npm run soak`): minutes long and load-heavy, so it lives outside `npm test`'s include on purpose.
export default defineConfig({
  test: {
    include: ['soak/**/*.soak.ts'],
    maxWorkers: 1,
    // A forced GC before each RSS sample, so the trend shows retained memory rather than when V8 chose to collect.
    execArgv: ['--expose-gc'],
    testTimeout: 900_000,
    hookTimeout: 60_000,
  },
})
