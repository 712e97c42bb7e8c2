/** `serve`: the OpenList-compatible API, WebDAV and stable download links over one StorageDriver. */
export { startServer, type ServeOptions, type RunningServer } from './start-server.js'
export { parseUsers, readUsersFile, type UserEntry } from './users-file.js'
export { UsersFileError } from './server-errors.js'
export { TrustedProxies } from './request-origin.js'
