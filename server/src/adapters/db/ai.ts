import { and, eq, sql } from 'drizzle-orm'
import type { SQL } from 'drizzle-orm'
import type { AiBudgetState, AiSettlement, AiUsageRepo } from '../../ports.ts'
import type { Db } from './index.ts'
import { aiStreams, aiUsage } from './schema.ts'

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

/// Rows of a raw statement: postgres.js answers an array, PGlite `{ rows }`.
async function rows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] }
  return Array.isArray(result) ? result : result.rows
}

/// AI budgets and in-flight calls in Postgres (or PGlite), shared by every server process. An admission is four round
/// trips (begin, lock, read, commit) plus the lease; a settlement one statement: both sit on the path of every call.
export class DrizzleAiUsageRepo implements AiUsageRepo {
  constructor(private readonly db: Db) {}

  async admit<D extends { ok: boolean; reserve?: number }>(
    userId: string,
    day: string,
    now: Date,
    lease: { id: string; expiresAt: Date },
    decide: (state: AiBudgetState) => D,
  ): Promise<D> {
    return this.db.transaction(async (tx) => {
      // The user's row for the day, locked first, in a statement of its own: their admissions go one at a time in
      // every process, and the statements after the lock see what the admission before this one committed.
      let [row] = await this.lockDay(tx, userId, day)
      if (!row) {
        await tx.insert(aiUsage).values({ userId, day }).onConflictDoNothing()
        ;[row] = await this.lockDay(tx, userId, day)
      }
      // Expired leases (a process that died mid-call) go; the live ones are counted. The select sees the table as the
      // statement began, so the leases just deleted are left out by hand.
      const [live] = await rows<{ streams: number | string; reserved: number | string }>(
        tx,
        sql`with gone as (
              delete from ${aiStreams} where ${aiStreams.userId} = ${userId} and ${aiStreams.expiresAt} <= ${now.toISOString()}::timestamptz
              returning ${aiStreams.id}
            )
            select count(*) as streams, coalesce(sum(${aiStreams.reserved}) filter (where ${aiStreams.day} = ${day}::date), 0) as reserved
            from ${aiStreams} where ${aiStreams.userId} = ${userId} and ${aiStreams.id} not in (select id from gone)`,
      )
      const decision = decide({ used: row?.used ?? 0, reserved: Number(live?.reserved ?? 0), streams: Number(live?.streams ?? 0) })
      if (decision.ok) await tx.insert(aiStreams).values({ id: lease.id, userId, day, reserved: decision.reserve ?? 0, expiresAt: lease.expiresAt })
      return decision
    })
  }

  private lockDay(tx: Tx, userId: string, day: string) {
    return tx
      .select({ used: aiUsage.used })
      .from(aiUsage)
      .where(and(eq(aiUsage.userId, userId), eq(aiUsage.day, day)))
      .for('update')
  }

  async renew(leaseId: string, expiresAt: Date): Promise<void> {
    await this.db.update(aiStreams).set({ expiresAt }).where(eq(aiStreams.id, leaseId))
  }

  async settle(leaseId: string, userId: string, day: string, u: AiSettlement): Promise<number> {
    // One statement: the lease ends and the tokens are added together, and settlements from any number of processes
    // add up (no read-modify-write).
    const [row] = await rows<{ used: number | string }>(
      this.db,
      sql`with gone as (delete from ${aiStreams} where ${aiStreams.id} = ${leaseId})
          insert into ${aiUsage} (user_id, day, used, calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
          values (${userId}, ${day}::date, ${u.budget}, ${u.budget > 0 ? 1 : 0}, ${u.input}, ${u.output}, ${u.cacheRead}, ${u.cacheWrite})
          on conflict (user_id, day) do update set
            used = ${aiUsage.used} + excluded.used,
            calls = ${aiUsage.calls} + excluded.calls,
            input_tokens = ${aiUsage.inputTokens} + excluded.input_tokens,
            output_tokens = ${aiUsage.outputTokens} + excluded.output_tokens,
            cache_read_tokens = ${aiUsage.cacheReadTokens} + excluded.cache_read_tokens,
            cache_write_tokens = ${aiUsage.cacheWriteTokens} + excluded.cache_write_tokens
          returning used`,
    )
    return Number(row?.used ?? u.budget)
  }

  async used(userId: string, day: string): Promise<number> {
    const [row] = await this.db
      .select({ used: aiUsage.used })
      .from(aiUsage)
      .where(and(eq(aiUsage.userId, userId), eq(aiUsage.day, day)))
    return row?.used ?? 0
  }
}
