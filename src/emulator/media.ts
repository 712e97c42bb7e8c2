/** File categories and MIME types by extension (docs/api-notes.md §3.0 `category`: video, doc, audio, zip, others, image, app). */

const CATEGORY: Record<string, string[]> = {
  video: ['mp4', 'mkv', 'mov', 'avi', 'flv', 'wmv', 'm4v', 'webm', 'ts', 'rmvb', 'm2ts'],
  image: ['jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp', 'heic', 'livp', 'tiff'],
  audio: ['mp3', 'flac', 'wav', 'aac', 'm4a', 'ogg', 'ape'],
  doc: ['txt', 'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'md', 'epub', 'csv', 'json'],
  zip: ['zip', 'rar', '7z', 'tar', 'gz', 'bz2', 'xz'],
  app: ['apk', 'exe', 'dmg', 'ipa', 'msi'],
}

const MIME: Record<string, string> = {
  mp4: 'video/mp4',
  mkv: 'video/x-matroska',
  mov: 'video/quicktime',
  webm: 'video/webm',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  livp: 'image/livp',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  txt: 'text/plain',
  md: 'text/markdown',
  pdf: 'application/pdf',
  json: 'application/json',
  zip: 'application/zip',
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

export function categoryOf(name: string): string {
  const ext = extensionOf(name)
  for (const [cat, exts] of Object.entries(CATEGORY)) if (exts.includes(ext)) return cat
  return 'others'
}

export function mimeOf(name: string): string {
  return MIME[extensionOf(name)] ?? 'application/octet-stream'
}
