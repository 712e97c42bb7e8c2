/** The plugin descriptor hosts load drivers by (OpenList's op.RegisterDriver equivalent, docs/contract.md §2). */
import { configSchema } from './config/schema.js'
import { formMeta } from './config/form-meta.js'
import { AliyundriveOpen } from './driver/aliyundrive-open.js'
import { DRIVER_PROPS } from './driver/driver-props.js'
import type { DriverHost, DriverPlugin } from './driver/host-contract.js'

export const plugin: DriverPlugin = {
  name: 'AliyundriveOpen',
  props: DRIVER_PROPS,
  formMeta,
  configSchema,
  create: (config: unknown, host?: DriverHost) => new AliyundriveOpen(config, host),
}
