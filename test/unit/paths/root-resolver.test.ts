import { describe, expect, it } from 'vitest'
import type { DriveInfo } from '../../../src/api/wire.js'
import { DriverError } from '../../../src/errors/index.js'
import { resolveDrive } from '../../../src/paths/root-resolver.js'

const info = (over: Partial<DriveInfo> = {}): DriveInfo => ({
  user_id: 'u1',
  name: 'n',
  avatar: undefined,
  default_drive_id: 'd-default',
  resource_drive_id: 'd-resource',
  backup_drive_id: undefined,
  ...over,
})

describe('resolveDrive', () => {
  it('picks the id of the requested drive type and lists the available ones', () => {
    expect(resolveDrive(info(), 'resource')).toEqual({
      driveId: 'd-resource',
      userId: 'u1',
      driveType: 'resource',
      available: ['default', 'resource'],
    })
    expect(resolveDrive(info(), 'default').driveId).toBe('d-default')
  })

  it('fails with FORBIDDEN naming the missing type instead of falling back to another drive', () => {
    let err: unknown
    try {
      resolveDrive(info(), 'backup')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(DriverError)
    expect((err as DriverError).code).toBe('FORBIDDEN')
    expect((err as DriverError).message).toMatch(/drive_type "backup" is not available/)
    expect((err as DriverError).message).toMatch(/available: default, resource/)
  })

  it('treats an empty id as missing', () => {
    expect(() => resolveDrive(info({ resource_drive_id: '' }), 'resource')).toThrow(/available: default\)/)
  })
})
