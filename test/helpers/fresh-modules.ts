/**
 * The unit tier runs its files in shared workers without isolation (vitest.config.ts): a worker and its
 * node_modules imports are reused, which is most of what a file used to cost. The project's own modules are loaded
 * afresh for every file, because some hold process-wide state on purpose (the registered secrets of
 * src/errors/redact.ts): without this, one file's secrets would redact another file's expected messages.
 */
import { vi } from 'vitest'

vi.resetModules()
