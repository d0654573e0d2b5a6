import type { CompactionPlan } from '../../domain/compaction.ts'
import { mergeRows, planCompaction } from '../../domain/compaction.ts'

/// The advisory lock class of log compactions (`pg_try_advisory_xact_lock(COMPACTION_LOCK, hashtext(project id))`);
/// migrations hold 4242001.
export const COMPACTION_LOCK = 4242002

/// Runs a query with positional parameters and returns its rows.
export type Exec = (text: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>

/// What a compaction did: how many rows went away, and which it merged.
export interface CompactionResult {
  removed: number
  plan?: CompactionPlan
}

/// The database a compaction runs on: raw SQL through a driver (postgres.js in the worker, PGlite in process).
export interface CompactLogDeps {
  /// Runs `fn` in one transaction.
  transaction<T>(fn: (exec: Exec) => Promise<T>): Promise<T>
  exec: Exec
  /// Turns bytes into what the driver sends as `bytea`.
  toBytea(bytes: Uint8Array): unknown
}

/// One compaction of one project's log (`domain/compaction.ts` plans it and merges the rows), in one transaction. A
/// transaction-scoped advisory lock keeps compactions of one project (from any server process) from overlapping; a
/// busy lock means another one is at work: skip.
export async function compactLog(deps: CompactLogDeps, projectId: string, maxRows: number): Promise<CompactionResult> {
  const { exec } = deps
  const done = await deps.transaction(async (q) => {
    const [lock] = await q(`select pg_try_advisory_xact_lock(${COMPACTION_LOCK}, hashtext($1)) as ok`, [projectId])
    if (!lock || lock.ok !== true) return { removed: 0 }
    const rows = (
      await q('select seq, octet_length("update") as bytes from project_updates where project_id = $1::uuid order by seq', [projectId])
    ).map((r) => ({ seq: Number(r.seq), bytes: Number(r.bytes) }))
    const plan = planCompaction(rows, maxRows)
    if (!plan) return { removed: 0, rows: rows.length }
    const updates = (
      await q('select "update" from project_updates where project_id = $1::uuid and seq >= $2 and seq <= $3 order by seq', [
        projectId,
        plan.from,
        plan.to,
      ])
    ).map((r) => r.update as Uint8Array)
    const merged = mergeRows(updates, plan.full)
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
