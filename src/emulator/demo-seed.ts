/**
 * A small demo tree for the standalone emulator and manual testing: folders, a video, an image, a `.livp`, a few
 * MiB of generated files and a folder of 250 entries so listing has to page (the driver asks 200 per page).
 */
import type { SeedEntry } from './types.js'

const MiB = 1024 * 1024

export function demoSeed(): SeedEntry[] {
  const entries: SeedEntry[] = [
    { path: '/Documents', folder: true },
    { path: '/Documents/readme.txt', content: 'Hello from the AliyunDrive Open API emulator.\n' },
    { path: '/Documents/notes.md', content: '# Notes\n\n- first\n- second\n' },
    { path: '/Documents/report.pdf', size: 300 * 1024 },
    { path: '/Videos/sample.mp4', size: 3 * MiB },
    { path: '/Pictures/photo.jpg', size: 180 * 1024 },
    { path: '/Pictures/live.livp', size: 96 * 1024 },
    { path: '/Archives/bundle.zip', size: 2 * MiB + 12345 },
    { path: '/Empty', folder: true },
    { path: '/empty-file.bin', content: '' },
    { path: '/Backup/old-phone.tar', drive: 'backup', size: MiB },
    { path: '/Default/welcome.txt', drive: 'default', content: 'default drive\n' },
  ]
  for (let i = 0; i < 250; i++) {
    entries.push({ path: `/Many/file-${String(i).padStart(3, '0')}.txt`, content: `entry ${i}\n` })
  }
  return entries
}
