import type { DriverProps } from '../host/types.js'

/** As OpenList registers AliyundriveOpen (docs/api-notes.md §9.1): default root "root", NoOverwriteUpload (we overwrite safely). */
export const DRIVER_PROPS: DriverProps = Object.freeze({
  name: 'AliyundriveOpen',
  defaultRoot: 'root',
  noOverwriteUpload: true,
  capabilities: Object.freeze({
    list: true,
    get: true,
    link: true,
    upload: true,
    makeDir: true,
    rename: true,
    move: true,
    copy: true,
    remove: true,
    details: true,
    other: Object.freeze(['video_preview']),
    search: true,
  }),
})
