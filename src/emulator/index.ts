/** The AliyunDrive Open API emulator (package subpath `aliyundrive-open/emulator`, docs/contract.md §5). */
export { startEmulator } from './emulator.js'
export { demoSeed } from './demo-seed.js'
export { runStandaloneEmulator } from './standalone.js'
export { livpStreamBytes } from './livp.js'
export type {
  DriveType,
  EmulatorDriverConfig,
  EmulatorEntry,
  EmulatorHandle,
  EmulatorOptions,
  EmulatorStats,
  EmulatorUser,
  FaultOptions,
  RateLimits,
  SeedEntry,
  TokenApp,
} from './types.js'
