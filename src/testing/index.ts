/**
 * The conformance suite for storage drivers (package subpath `aliyundrive-open/testing`): the contract of
 * `StorageDriver` as test cases a host or another driver can run with its own test runner (README.md, "Testing a host
 * or another driver").
 */
export { conformanceSuite } from './conformance-suite.js'
export type { ConformanceTarget } from './target.js'
export type { TestBody, TestRunner } from './runner.js'
