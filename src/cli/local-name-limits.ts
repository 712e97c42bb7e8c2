/**
 * A remote name the local file system cannot hold (AliyunDrive takes names up to 1024 characters; Linux and macOS
 * file systems take 255 bytes per name, and 4096 per path on Linux) fails with a raw ENAMETOOLONG. Said here
 * instead: which file, how long its name is, and the limit it passed.
 */
import { basename } from 'node:path'

const NAME_MAX_BYTES = 255
const PATH_MAX_BYTES = 4096

export function explainLocalPathError(e: unknown, target: string): unknown {
  if ((e as NodeJS.ErrnoException)?.code !== 'ENAMETOOLONG') return e
  const name = basename(target)
  const nameBytes = Buffer.byteLength(name, 'utf8')
  const why =
    nameBytes > NAME_MAX_BYTES
      ? `its name is ${nameBytes} bytes long, and the local file system allows ${NAME_MAX_BYTES} bytes per name`
      : `its path is ${Buffer.byteLength(target, 'utf8')} bytes long, over the local file system's limit ` +
        `(${PATH_MAX_BYTES} bytes per path on Linux)`
  return new Error(
    `cannot save "${target}" locally: ${why} (ENAMETOOLONG); rename it on the drive or choose a shorter local name`,
    { cause: e },
  )
}
