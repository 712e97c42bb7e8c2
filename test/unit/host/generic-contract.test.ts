/**
 * The host contract is generic over the config (src/host/types.ts); the package's public names are its instances
 * with DriverConfig (src/driver/host-contract.ts via src/index.ts). These are type checks: `tsc` over test/ (in
 * `npm test`) fails if a public name stops meaning the DriverConfig version or an existing host stops fitting.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expectTypeOf, expect, it } from 'vitest'
import type * as Contract from '../../../src/host/types.js'
import {
  plugin,
  type AliyundriveOpen,
  type DriverConfig,
  type DriverHost,
  type DriverPlugin,
  type StorageDriver,
} from '../../../src/index.js'

describe('the host contract, generic over the config', () => {
  it('exports DriverHost, StorageDriver and DriverPlugin meaning the AliyunDrive-config version', () => {
    expectTypeOf<DriverHost>().toEqualTypeOf<Contract.DriverHost<DriverConfig>>()
    expectTypeOf<Parameters<NonNullable<DriverHost['saveConfig']>>[0]>().toEqualTypeOf<DriverConfig>()
    expectTypeOf<StorageDriver['config']>().toEqualTypeOf<DriverConfig>()
    expectTypeOf<ReturnType<DriverPlugin['create']>>().toEqualTypeOf<StorageDriver<DriverConfig>>()
    expectTypeOf(plugin).toEqualTypeOf<DriverPlugin>()
    expectTypeOf<AliyundriveOpen>().toMatchTypeOf<StorageDriver>()
  })

  it("keeps a host written for DriverConfig assignable, with the callback's parameter typed from it", async () => {
    const saved: string[] = []
    const host: DriverHost = { saveConfig: (c) => void saved.push(c.refresh_token) }
    expectTypeOf(host).toMatchTypeOf<ConstructorParameters<typeof AliyundriveOpen>[1]>()
    expectTypeOf<DriverHost>().toMatchTypeOf<Parameters<typeof plugin.create>[1]>()
    await host.saveConfig?.({ refresh_token: 'r' } as DriverConfig)
    expect(saved).toEqual(['r'])
  })

  it('serves another driver with its own config type', () => {
    type OtherConfig = { bucket: string }
    expectTypeOf<
      Parameters<NonNullable<Contract.DriverHost<OtherConfig>['saveConfig']>>[0]
    >().toEqualTypeOf<OtherConfig>()
    expectTypeOf<Contract.StorageDriver<OtherConfig>['config']>().toEqualTypeOf<OtherConfig>()
    // The server, the CLI and the conformance suite take any driver: the contract's default is "any config".
    expectTypeOf<StorageDriver>().toMatchTypeOf<Contract.StorageDriver>()
  })

  it('src/host imports nothing from src/config (the boundary check holds it; this names the file)', () => {
    const text = readFileSync(join(import.meta.dirname, '../../../src/host/types.ts'), 'utf8')
    expect(text).not.toMatch(/from '\.\.\/config\//)
  })
})
