/** `serve`: the OpenList-compatible API, WebDAV and stable download links over one StorageDriver. */
export { startServer, DAV_PREFIX, type ServeOptions, type RunningServer } from './start-server.js'
export type { Account, Credentials } from './auth.js'
export { parseUsers, readUsersFile, UsersFileError, type UserEntry } from './users-file.js'
export { decodeFilePath } from './openlist/fs-put.js'
export { TrustedProxies } from './request-origin.js'
