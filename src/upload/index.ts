/**
 * The upload engine's public face inside the package: the engine (`uploadToFolder`, upload-to-folder.ts), the sources a
 * caller builds (`fromBuffer`, `fromFile`, `fromStream`), the part plan, the rapid-upload hashes and the API port.
 */
export { uploadToFolder, type UploadDeps } from './upload-to-folder.js'
export { fromBuffer } from './sources/from-buffer.js'
export { fromFile } from './sources/from-file.js'
export { fromStream } from './sources/from-stream.js'
export { planParts, partSizeFor, MAX_PARTS } from './part-plan.js'
export { proofRange, encodeProof, proofCodeOf } from '../util/proof-code.js'
export { apiUploadPort } from './port.js'
export { preHashOf, sha1Hex } from './rapid/hashes.js'
export { announcedHashMismatch, isAnnouncedHashMismatch, mismatchedAlgorithm } from './sources/announced-hash.js'
export type { AnnouncedAlgorithm } from './sources/announced-hash.js'
export type { ProofReader } from './rapid/known-hash-create.js'
