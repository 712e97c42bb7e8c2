/**
 * Dead properties (RFC 4918 §4: whatever clients PROPPATCH that the server does not compute — Explorer's Win32*
 * times, Finder's metadata, litmus's test values). AliyunDrive cannot hold them, so they live on this server in a
 * SQLite file in the serve state folder (better-sqlite3: a maintained embedded store, synchronous and transactional,
 * so one PROPPATCH is all-or-nothing). They are keyed by the file's id, so renames and moves keep them; deleting
 * the file deletes them. Without a state folder (the demo mount) the store is in memory.
 */
import { closeSync, openSync } from 'node:fs'
import Database from 'better-sqlite3'
import { PropLimitError } from '../server-errors.js'

export interface DeadProp {
  ns: string
  local: string
  /** The value's content as self-contained XML (see serializeContent). */
  xml: string
}

export type PropChange = { op: 'set'; prop: DeadProp } | { op: 'remove'; ns: string; local: string }

/**
 * Bounds on one object's properties, so one client cannot fill the disk through PROPPATCH. A property's size is its
 * namespace, name and value together: a cap on the value alone let 1 MB names through (150 PROPPATCHes → a 306 MB
 * SQLite file, RELIABILITY.md "WebDAV inputs are bounded").
 */
export const MAX_PROPS_PER_OBJECT = 200
export const MAX_PROP_BYTES = 64 * 1024
export const MAX_BYTES_PER_OBJECT = 256 * 1024

const propBytes = (p: DeadProp) => Buffer.byteLength(p.ns) + Buffer.byteLength(p.local) + Buffer.byteLength(p.xml)

export class DeadPropsStore {
  private readonly db: Database.Database
  private readonly selectAll: Database.Statement<[string], { ns: string; local: string; xml: string }>
  private readonly upsert: Database.Statement<[string, string, string, string]>
  private readonly deleteOne: Database.Statement<[string, string, string]>
  private readonly deleteAll: Database.Statement<[string]>
  private readonly count: Database.Statement<[string], { n: number; bytes: number | null }>

  /** `file` is the SQLite file path, or undefined for an in-memory store. */
  constructor(file?: string) {
    // Created private first: property values are the user's data (SQLite gives its -wal/-shm files the same mode).
    if (file) closeSync(openSync(file, 'a', 0o600))
    this.db = new Database(file ?? ':memory:')
    this.db.pragma('journal_mode = WAL')
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS dead_props (file_id TEXT NOT NULL, ns TEXT NOT NULL, local TEXT NOT NULL, xml TEXT NOT NULL, ' +
        'PRIMARY KEY (file_id, ns, local))',
    )
    this.selectAll = this.db.prepare('SELECT ns, local, xml FROM dead_props WHERE file_id = ? ORDER BY rowid')
    this.upsert = this.db.prepare(
      'INSERT INTO dead_props (file_id, ns, local, xml) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (file_id, ns, local) DO UPDATE SET xml = excluded.xml',
    )
    this.deleteOne = this.db.prepare('DELETE FROM dead_props WHERE file_id = ? AND ns = ? AND local = ?')
    this.deleteAll = this.db.prepare('DELETE FROM dead_props WHERE file_id = ?')
    this.count = this.db.prepare(
      'SELECT count(*) AS n, sum(length(CAST(ns AS BLOB)) + length(CAST(local AS BLOB)) + length(CAST(xml AS BLOB))) ' +
        'AS bytes FROM dead_props WHERE file_id = ?',
    )
  }

  list(fileId: string): DeadProp[] {
    return this.selectAll.all(fileId)
  }

  /** Applies every change in order, or none: throws (and rolls back) when a bound would be exceeded. */
  apply(fileId: string, changes: PropChange[]): void {
    this.db.transaction(() => {
      for (const c of changes) {
        if (c.op === 'remove') this.deleteOne.run(fileId, c.ns, c.local)
        else {
          if (propBytes(c.prop) > MAX_PROP_BYTES)
            throw new PropLimitError(`a property (namespace, name and value) exceeds ${MAX_PROP_BYTES} bytes`)
          this.upsert.run(fileId, c.prop.ns, c.prop.local, c.prop.xml)
        }
      }
      const { n, bytes } = this.count.get(fileId)!
      if (n > MAX_PROPS_PER_OBJECT)
        throw new PropLimitError(`more than ${MAX_PROPS_PER_OBJECT} properties on one object`)
      if ((bytes ?? 0) > MAX_BYTES_PER_OBJECT)
        throw new PropLimitError(`the properties of one object exceed ${MAX_BYTES_PER_OBJECT} bytes in all`)
    })()
  }

  /** The object is gone: forget its properties. */
  removeAll(fileId: string): void {
    this.deleteAll.run(fileId)
  }

  /** A COPY duplicates the source's dead properties onto the new object (RFC 4918 §9.8.2). */
  copy(fromId: string, toId: string): void {
    const props = this.list(fromId)
    this.db.transaction(() => {
      this.deleteAll.run(toId)
      for (const p of props) this.upsert.run(toId, p.ns, p.local, p.xml)
    })()
  }

  close(): void {
    this.db.close()
  }
}
