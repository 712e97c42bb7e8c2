/** `serve`: the OpenList-compatible API, WebDAV and stable download links over one StorageDriver. */
export { startServer, type ServeOptions, type RunningServer } from './start-server.js'
