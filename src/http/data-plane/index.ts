/** The data-plane client: every request to a download or part-upload URL goes through here (transport.ts says how). */
export { dataGet, readAll, type DataResponse } from './get.js'
export { dataPut } from './put.js'
export { describeUrl } from './transport.js'
