/**
 * The archive types we can open, as OpenList's `/api/public/archive_extensions` lists the extensions it has a tool
 * for: the web UI offers archive preview for names ending in one of these. Zip only: its central directory can be
 * read with a few Range requests, which is what makes preview through a download link cheap.
 */
export const ARCHIVE_EXTENSIONS: readonly string[] = Object.freeze(['.zip'])

export function isSupportedArchive(name: string): boolean {
  const lower = name.toLowerCase()
  return ARCHIVE_EXTENSIONS.some((ext) => lower.endsWith(ext))
}
