/**
 * Builds zip files in memory for the archive tests and benchmarks, hostile ones included: thousands of folders, deep
 * chains, central records that share one entry's data, entries that lie about their size. Plain APPNOTE layout: local
 * header + data per entry, then the central directory and its end record; no zip64, no data descriptors.
 */
import { crc32, deflateRawSync } from 'node:zlib'

export interface ZipItem {
  /** Path inside the zip; a folder ends with '/'. */
  name: string
  data?: Buffer
  deflate?: boolean
  /** Uncompressed size written in the headers instead of the real one (a lying entry). */
  declaredSize?: number
}

export interface ZipOptions {
  /** Extra central records pointing at item 0's data (named `<name>.<i>`): the overlapping-records bomb. */
  aliasesOfFirst?: number
}

const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1
const UTF8_NAMES = 0x0800

export function buildZip(items: readonly ZipItem[], opts: ZipOptions = {}): Buffer {
  const parts: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  const record = (
    name: Buffer,
    folder: boolean,
    method: number,
    crc: number,
    csize: number,
    usize: number,
    at: number,
  ) => {
    const c = Buffer.alloc(46)
    c.writeUInt32LE(0x02014b50, 0)
    c.writeUInt16LE(20, 4)
    c.writeUInt16LE(20, 6)
    c.writeUInt16LE(UTF8_NAMES, 8)
    c.writeUInt16LE(method, 10)
    c.writeUInt16LE(0, 12)
    c.writeUInt16LE(DOS_DATE, 14)
    c.writeUInt32LE(crc, 16)
    c.writeUInt32LE(csize, 20)
    c.writeUInt32LE(usize, 24)
    c.writeUInt16LE(name.length, 28)
    c.writeUInt32LE(folder ? 0x10 : 0, 38)
    c.writeUInt32LE(at, 42)
    central.push(c, name)
  }
  let first: { method: number; crc: number; csize: number; usize: number; at: number; name: string } | undefined
  for (const item of items) {
    const name = Buffer.from(item.name, 'utf8')
    const raw = item.data ?? Buffer.alloc(0)
    const method = item.deflate ? 8 : 0
    const body = item.deflate ? deflateRawSync(raw) : raw
    const crc = crc32(raw)
    const usize = item.declaredSize ?? raw.length
    const h = Buffer.alloc(30)
    h.writeUInt32LE(0x04034b50, 0)
    h.writeUInt16LE(20, 4)
    h.writeUInt16LE(UTF8_NAMES, 6)
    h.writeUInt16LE(method, 8)
    h.writeUInt16LE(DOS_DATE, 12)
    h.writeUInt32LE(crc, 14)
    h.writeUInt32LE(body.length, 18)
    h.writeUInt32LE(usize, 22)
    h.writeUInt16LE(name.length, 26)
    parts.push(h, name, body)
    record(name, item.name.endsWith('/'), method, crc, body.length, usize, offset)
    first ??= { method, crc, csize: body.length, usize, at: offset, name: item.name }
    offset += 30 + name.length + body.length
  }
  for (let i = 1; first && i <= (opts.aliasesOfFirst ?? 0); i++) {
    record(Buffer.from(`${first.name}.${i}`), false, first.method, first.crc, first.csize, first.usize, first.at)
  }
  const cd = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  const count = central.length / 2
  end.writeUInt16LE(count, 8)
  end.writeUInt16LE(count, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...parts, cd, end])
}

/** `n` folders, 100 to a parent folder, and one small file: the wide-tree zip. */
export function manyFoldersZip(n: number): Buffer {
  const items: ZipItem[] = []
  for (let i = 0; i < n; i++) items.push({ name: `top${Math.floor(i / 100)}/f${i}/` })
  items.push({ name: 'top0/f0/x.txt', data: Buffer.from('first\n') })
  return buildZip(items)
}

/** A chain of `depth` nested folders, each listed, with one file at the bottom. */
export function deepChainZip(depth: number): Buffer {
  const items: ZipItem[] = []
  let path = ''
  for (let i = 0; i < depth; i++) items.push({ name: (path += 'd/') })
  items.push({ name: `${path}bottom.txt`, data: Buffer.from('bottom\n') })
  return buildZip(items)
}

/** One deflated entry of `mib` MiB of zeros plus `aliases` central records pointing at its data. */
export function overlappingZip(mib: number, aliases: number): Buffer {
  return buildZip([{ name: 'zeros.bin', data: Buffer.alloc(mib * 1024 * 1024), deflate: true }], {
    aliasesOfFirst: aliases,
  })
}
