/** The table of authenticated API routes. */
import { downloadRoutes } from './download.js'
import { fileReadRoutes } from './file-read.js'
import { fileWriteRoutes } from './file-write.js'
import type { ApiRoute } from './route.js'
import { searchRoute } from './search.js'
import { uploadCreateRoute } from './upload-create.js'
import { uploadFinishRoutes } from './upload-finish.js'
import { userRoutes } from './user.js'

export const API_ROUTES: ReadonlyMap<string, ApiRoute> = new Map(
  [
    ...userRoutes,
    ...fileReadRoutes,
    ...fileWriteRoutes,
    uploadCreateRoute,
    ...uploadFinishRoutes,
    ...downloadRoutes,
    searchRoute,
  ].map((r) => [r.path, r]),
)
