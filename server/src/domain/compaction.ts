import type * as Y from 'yjs'

/// Compaction of a project's update log (`project_updates`): rows `from..to` are replaced by one row at `to` that
/// holds their merge. Yjs updates commute and are idempotent, so the doc built from the log is the same before and
/// after, whichever rows a compaction picks; and pushes, which only ever append rows after the doc head, never touch
/// the rows a compaction rewrites. So a compaction needs no doc lock and never sits on a push's path.
///
/// The functions below are self-contained (no imports at run time, no outer names): the Postgres adapter runs them in
/// a worker thread from their source text.

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

/// The one update that replaces `updates`.
export function mergeRows(Yjs: typeof Y, updates: Uint8Array[], full: boolean): Uint8Array {
  if (!full) return Yjs.mergeUpdates(updates)
  const doc = new Yjs.Doc({ gc: true })
  Yjs.transact(doc, () => {
    for (const u of updates) Yjs.applyUpdate(doc, u)
  })
  const merged = Yjs.encodeStateAsUpdate(doc)
  doc.destroy()
  return merged
}

/// Runs a query with positional parameters and returns its rows.
export type Exec = (text: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>

export interface CompactLogDeps {
  Y: typeof Y
  /// Runs `fn` in one transaction.
  transaction<T>(fn: (exec: Exec) => Promise<T>): Promise<T>
  exec: Exec
  plan: typeof planCompaction
  merge: typeof mergeRows
  /// Turns bytes into what the driver sends as `bytea`.
  toBytea(bytes: Uint8Array): unknown
}

/// One compaction of one project's log, in one transaction. A transaction-scoped advisory lock keeps compactions of
/// one project (from any server process) from overlapping; a busy lock means another one is at work: skip. Returns
/// how many rows went away.
export async function compactLog(deps: CompactLogDeps, projectId: string, maxRows: number): Promise<{ removed: number; plan?: CompactionPlan }> {
  const { Y: Yjs, exec } = deps
  const done = await deps.transaction(async (q) => {
    const [lock] = await q('select pg_try_advisory_xact_lock(4242002, hashtext($1)) as ok', [projectId])
    if (!lock || lock.ok !== true) return { removed: 0 }
    const rows = (
      await q('select seq, octet_length("update") as bytes from project_updates where project_id = $1::uuid order by seq', [projectId])
    ).map((r) => ({ seq: Number(r.seq), bytes: Number(r.bytes) }))
    const plan = deps.plan(rows, maxRows)
    if (!plan) return { removed: 0, rows: rows.length }
    const updates = (
      await q('select "update" from project_updates where project_id = $1::uuid and seq >= $2 and seq <= $3 order by seq', [
        projectId,
        plan.from,
        plan.to,
      ])
    ).map((r) => r.update as Uint8Array)
    const merged = deps.merge(Yjs, updates, plan.full)
    let before = 0
    for (const r of rows) if (r.seq >= plan.from && r.seq <= plan.to) before += r.bytes
    const saved = before - merged.byteLength
    await q('update project_updates set "update" = $3 where project_id = $1::uuid and seq = $2', [projectId, plan.to, deps.toBytea(merged)])
    const deleted = await q('delete from project_updates where project_id = $1::uuid and seq >= $2 and seq < $3 returning seq', [
      projectId,
      plan.from,
      plan.to,
    ])
    return { removed: deleted.length, plan, saved }
  })
  // The row counter is only a hint for when to compact next, kept out of the transaction above so that the lock on
  // the doc row (which every push takes) is never held while a large merged row commits.
  // The byte counters the quotas read go the same way (the doc row first, then its owner's, as a push takes them).
  // A crash between the two transactions leaves them high, which only errs on the safe side.
  if (done.removed > 0) {
    const saved = 'saved' in done ? Number(done.saved) : 0
    await exec('update project_docs set update_rows = greatest(1, update_rows - $2), log_bytes = greatest(0, log_bytes - $3) where project_id = $1::uuid', [
      projectId,
      done.removed,
      saved,
    ])
    await exec('update users set stored_bytes = greatest(0, stored_bytes - $2) where id = (select owner_id from projects where id = $1::uuid)', [
      projectId,
      saved,
    ])
  } else if ('rows' in done && done.rows !== undefined) {
    // Nothing to merge, yet a push asked: the hint drifted (e.g. a crash between the two transactions). Reset it.
    await exec('update project_docs set update_rows = $2 where project_id = $1::uuid and update_rows > $2', [projectId, done.rows])
  }
  return done.plan ? { removed: done.removed, plan: done.plan } : { removed: done.removed }
}
