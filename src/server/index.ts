/** `serve`: the OpenList-compatible API, WebDAV and stable download links over one StorageDriver. */
export { startServer, DAV_PREFIX, type ServeOptions, type RunningServer } from './start-server.js'
export type { Credentials } from './auth.js'
export { decodeFilePath } from './openlist/fs-put.js'
