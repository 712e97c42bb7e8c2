/**
 * The intent journal of two-step moves (RELIABILITY.md "Files on disk"). The driver moves into a folder keeping the
 * name, or renames in place; a MOVE that changes folder and name is both, in two calls (copy-move.ts). A process
 * killed between them left the object under its old or an auto-renamed name in the target folder, for good. Each
 * such move writes its intent here before the first call and drops it after the second, in the SQLite file of the
 * dead properties (dead-props.ts), so the next start finds what was under way and settles it (move-repair.ts).
 * Paths are the server's own (not an account's view), so the start can repair without knowing who asked.
 */
import Database from 'better-sqlite3'

export interface MoveIntent {
  kind: 'move' | 'copy'
  /** The object being placed: for a move the source's id, for a copy the new copy's id. */
  fileId: string
  srcDir: string
  srcName: string
  dstDir: string
  dstName: string
}

export interface PendingMove extends MoveIntent {
  id: number
  /** The process that wrote it: while that one runs, the move may still be under way (two serve on one config). */
  pid: number
}

/** What copy-move.ts needs: write an intent before the steps, drop it after. */
export interface MoveRecorder {
  begin(intent: MoveIntent): number
  end(id: number): void
}

type Row = {
  id: number
  pid: number
  kind: string
  file_id: string
  src_dir: string
  src_name: string
  dst_dir: string
  dst_name: string
}

export class MoveJournal implements MoveRecorder {
  private readonly db: Database.Database

  /**
   * `file`: the dead-properties SQLite file (already created private by DeadPropsStore); undefined = in memory.
   * `pid`: the process the intents written here belong to (a test gives another).
   */
  constructor(
    file?: string,
    private readonly pid = process.pid,
  ) {
    this.db = new Database(file ?? ':memory:')
    this.db.pragma('journal_mode = WAL')
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS move_intents (id INTEGER PRIMARY KEY AUTOINCREMENT, pid INTEGER NOT NULL, kind TEXT NOT NULL, ' +
        'file_id TEXT NOT NULL, src_dir TEXT NOT NULL, src_name TEXT NOT NULL, dst_dir TEXT NOT NULL, dst_name TEXT NOT NULL)',
    )
  }

  /** Written (and, in WAL mode, durable for a killed process) before the caller takes its first step. */
  begin(i: MoveIntent): number {
    const r = this.db
      .prepare(
        'INSERT INTO move_intents (pid, kind, file_id, src_dir, src_name, dst_dir, dst_name) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(this.pid, i.kind, i.fileId, i.srcDir, i.srcName, i.dstDir, i.dstName)
    return Number(r.lastInsertRowid)
  }

  end(id: number): void {
    this.db.prepare('DELETE FROM move_intents WHERE id = ?').run(id)
  }

  pending(): PendingMove[] {
    return this.db
      .prepare<[], Row>('SELECT * FROM move_intents ORDER BY id')
      .all()
      .map((r) => ({
        id: r.id,
        pid: r.pid,
        kind: r.kind === 'copy' ? 'copy' : 'move',
        fileId: r.file_id,
        srcDir: r.src_dir,
        srcName: r.src_name,
        dstDir: r.dst_dir,
        dstName: r.dst_name,
      }))
  }

  close(): void {
    this.db.close()
  }
}

/** An account's view of the journal: its paths are written as the server paths behind them (account-scope.ts). */
export function recorderWithin(journal: MoveRecorder, real: (path: string) => string): MoveRecorder {
  return {
    begin: (i) => journal.begin({ ...i, srcDir: real(i.srcDir), dstDir: real(i.dstDir) }),
    end: (id) => journal.end(id),
  }
}
