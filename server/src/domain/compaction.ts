import * as Y from 'yjs'

/// Compaction of a project's update log (`project_updates`): rows `from..to` are replaced by one row at `to` that
/// holds their merge. Yjs updates commute and are idempotent, so the doc built from the log is the same before and
/// after, whichever rows a compaction picks; and pushes, which only ever append rows after the doc head, never touch
/// the rows a compaction rewrites. So a compaction needs no doc lock and never sits on a push's path.
///
/// This is the pure part: which rows to merge, and their merge. Reading and rewriting the log is the database
/// adapter's (adapters/db/compact-log.ts).

/// A push asks for a compaction once the log holds this many rows; it is also the row count past which the tail is
/// merged (`planCompaction`).
export const COMPACT_AFTER_ROWS = 128

export interface LogRow {
  seq: number
  bytes: number
}

export interface CompactionPlan {
  from: number
  to: number
  /// Rebuild the doc and encode it (drops deleted content) rather than merge the updates as they are.
  full: boolean
}

/// Which rows to merge, or `undefined` when the log is fine as it is. `rows` in seq order; the first is the base
/// (the last full compaction).
/// - Full compaction once the rows after the base hold as many bytes as the base: geometric, so the bytes a project
///   ever rewrites stay within a small multiple of the bytes it was sent.
/// - Otherwise, past `maxRows`, only a suffix of the tail is merged, made of rows each no bigger than all rows after
///   it together (so big merged rows are not rewritten for small ones): the row count stays bounded and each byte is
///   merged O(log n) times.
export function planCompaction(rows: readonly LogRow[], maxRows: number): CompactionPlan | undefined {
  if (rows.length < 2) return undefined
  let tailBytes = 0
  for (let i = 1; i < rows.length; i++) tailBytes += rows[i]!.bytes
  const last = rows[rows.length - 1]!.seq
  if (tailBytes >= rows[0]!.bytes) return { from: rows[0]!.seq, to: last, full: true }
  if (rows.length <= maxRows) return undefined
  let from = rows.length - 1
  let suffix = rows[from]!.bytes
  while (from > 1 && rows[from - 1]!.bytes <= suffix) {
    from--
    suffix += rows[from]!.bytes
  }
  // Always merge at least two rows, or the row count would not go down.
  if (from === rows.length - 1) from--
  return { from: rows[from]!.seq, to: last, full: false }
}

/// The one update that replaces `updates`: their merge as they are, or (`full`) the doc they build, encoded again,
/// which drops deleted content.
export function mergeRows(updates: Uint8Array[], full: boolean): Uint8Array {
  if (!full) return Y.mergeUpdates(updates)
  const doc = new Y.Doc({ gc: true })
  Y.transact(doc, () => {
    for (const u of updates) Y.applyUpdate(doc, u)
  })
  const merged = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return merged
}
