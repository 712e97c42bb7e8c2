/** `serve`: the OpenList-compatible API, WebDAV and stable download links over one StorageDriver. */
export { startServer, type ServeOptions, type RunningServer } from './start-server.js'
export { parseUsers, readUsersFile, UsersFileError, type UserEntry } from './users-file.js'
export { TrustedProxies } from './request-origin.js'
