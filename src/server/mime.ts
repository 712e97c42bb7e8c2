/**
 * File-name → media type (WebDAV getcontenttype, proxied downloads) and → OpenList's object type
 * (utils.GetObjType: 0 other, 1 folder, 2 video, 3 audio, 4 text, 5 image), so OpenList's UI picks the right preview.
 */
const TYPES: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  csv: 'text/csv',
  js: 'text/javascript',
  json: 'application/json',
  xml: 'application/xml',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  '7z': 'application/x-7z-compressed',
  rar: 'application/vnd.rar',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  heic: 'image/heic',
  livp: 'image/jpeg',
  mp4: 'video/mp4',
  mkv: 'video/x-matroska',
  webm: 'video/webm',
  mov: 'video/quicktime',
  avi: 'video/x-msvideo',
  ts: 'video/mp2t',
  m3u8: 'application/vnd.apple.mpegurl',
  flv: 'video/x-flv',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  aac: 'audio/aac',
  srt: 'text/plain',
  ass: 'text/plain',
  vtt: 'text/vtt',
}

function ext(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase()
}

export function contentTypeOf(name: string): string {
  return TYPES[ext(name)] ?? 'application/octet-stream'
}

/** The type of an object's delivered bytes: what the driver says when it knows better than the name (a .livp). */
export function contentTypeOfObj(obj: { name: string; mimeType?: string | undefined }): string {
  return obj.mimeType ?? contentTypeOf(obj.name)
}

export function openListType(name: string, isFolder: boolean, mimeType?: string): number {
  if (isFolder) return 1
  const type = mimeType ?? TYPES[ext(name)]
  if (!type) return 0
  if (type.startsWith('video/') || ext(name) === 'm3u8') return 2
  if (type.startsWith('audio/')) return 3
  if (type.startsWith('text/') || type === 'application/json' || type === 'application/xml') return 4
  if (type.startsWith('image/')) return 5
  return 0
}
