import { defineConfig } from 'vitest/config'

/**
 * The fast tier (`npm run test:unit`): pure and nock tests; no emulator, no child process, no browser, no system
 * tool. Everything else is the integration tier. `npm test` runs both.
 */
const UNIT = [
  'test/unit/**/*.test.ts',
  'test/upload/{part-plan,rapid-vectors,sources,upload-sequences}.test.ts',
  'test/cli/{config-file,progress,stale-temp-files,upload-state-dir}.test.ts',
  'test/fidelity/{lenient-parsing,openlist-rows}.test.ts',
  'test/conformance/registration.test.ts',
  'test/login/run-login.test.ts',
  'test/server/units.test.ts',
]
/** Files under test/unit/ that start the (in-process) emulator: integration tier. */
const UNIT_WITH_EMULATOR = ['test/unit/auth/shared-token.test.ts', 'test/unit/driver/config-view.test.ts']

export default defineConfig({
  test: {
    // Two cores, but most integration files wait (on child processes, timers, sockets): at 2 workers the cores were
    // busy half the time. 3 keeps them busy without starving the timing-sensitive emulator tests (CONTRIBUTING.md).
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT,
          exclude: UNIT_WITH_EMULATOR,
          // Isolation (a fresh worker per file) cost three quarters of this tier's CPU, re-importing the same
          // dependencies 46 times. Workers are shared; the set-up file reloads the project's own modules per file.
          isolate: false,
          setupFiles: ['test/helpers/fresh-modules.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: UNIT.filter((g) => g !== 'test/unit/**/*.test.ts').concat(
            'test/unit/**/!(shared-token|config-view).test.ts',
          ),
          // dist/ once per run, before any file: the CLI and package tests run what it holds.
          globalSetup: ['test/helpers/build-dist.ts'],
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/emulator/**'],
      // A report even when a test failed: the figures are still worth reading.
      reportOnFailure: true,
      // The full run's figures (CONTRIBUTING.md, section "Coverage"), rounded down. In-process only: what the CLI and
      // login tests run in child processes (dist/) is not counted, which is why src/cli and src/login read low.
      thresholds: { lines: 83, statements: 81, functions: 83, branches: 73 },
    },
  },
})
