import { and, eq, sql } from 'drizzle-orm'
import type { SQL } from 'drizzle-orm'
import type { AiBudgetState, AiSettlement, AiUsageRepo } from '../../ports.ts'
import type { Db } from './index.ts'
import { aiStreams, aiUsage } from './schema.ts'

/// Rows of a raw statement: postgres.js answers an array, PGlite `{ rows }`. Parameters carry explicit casts: two
/// untyped parameters compared with each other would be compared as text.
async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] }
  return Array.isArray(result) ? result : result.rows
}

const n = (v: number | string | null | undefined) => Number(v ?? 0)

/// AI budgets and in-flight calls in Postgres (or PGlite), shared by every server process. Admission and settlement
/// are one statement each (they sit on the path of every call): the user's row for the day carries the calls in
/// flight and the tokens they reserve, and a conditional upsert of that row takes a slot only while the limits hold.
/// Postgres re-checks the condition on the row's latest version when another process changed it meanwhile, so no
/// two admissions can both take the last slot or the last of the budget.
export class DrizzleAiUsageRepo implements AiUsageRepo {
  constructor(private readonly db: Db) {}

  async reserve(
    userId: string,
    day: string,
    now: Date,
    lease: { id: string; expiresAt: Date; reserve: number },
    guard: { limit: number; maxStreams: number },
  ): Promise<{ ok: true; used: number } | { ok: false; state: AiBudgetState }> {
    // Calls admitted yesterday and still streaming count against the slots too (read as the statement began: at
    // midnight two processes could each miss the other's, for a moment).
    const [taken] = await rows<{ used: number | string }>(
      this.db,
      sql`with yesterday as (
            select coalesce(sum(streams), 0) as streams from ${aiUsage} where user_id = ${userId} and day = ${day}::date - 1
          ),
          day as (
            insert into ${aiUsage} (user_id, day, streams, reserved)
            select ${userId}::uuid, ${day}::date, 1, ${lease.reserve}::bigint from yesterday
            where yesterday.streams + 1 <= ${guard.maxStreams}::bigint and ${lease.reserve}::bigint <= ${guard.limit}::bigint
            on conflict (user_id, day) do update set streams = ${aiUsage.streams} + 1, reserved = ${aiUsage.reserved} + excluded.reserved
            where ${aiUsage.streams} + 1 + (select streams from yesterday) <= ${guard.maxStreams}::bigint
              and ${aiUsage.used} + ${aiUsage.reserved} + excluded.reserved <= ${guard.limit}::bigint
            returning used
          ),
          lease as (
            insert into ${aiStreams} (id, user_id, day, reserved, expires_at)
            select ${lease.id}::uuid, ${userId}::uuid, ${day}::date, ${lease.reserve}::bigint, ${lease.expiresAt.toISOString()}::timestamptz from day
          )
          select used from day`,
    )
    if (taken) return { ok: true, used: n(taken.used) }
    // Refused. Leases whose process stopped renewing them give back their slot and reservation (one statement: the
    // leases this one deletes, and only those, are taken off their days' counts), then the state is read afresh.
    await this.db.execute(
      sql`with gone as (
            delete from ${aiStreams} where ${aiStreams.userId} = ${userId} and ${aiStreams.expiresAt} <= ${now.toISOString()}::timestamptz
            returning ${aiStreams.day}, ${aiStreams.reserved}
          ),
          freed as (select day, count(*) as streams, sum(reserved) as reserved from gone group by day)
          update ${aiUsage} set streams = greatest(0, ${aiUsage.streams} - freed.streams), reserved = greatest(0, ${aiUsage.reserved} - freed.reserved)
          from freed where ${aiUsage.userId} = ${userId} and ${aiUsage.day} = freed.day`,
    )
    const [state] = await rows<{ used: number | string; reserved: number | string; streams: number | string }>(
      this.db,
      sql`select t.used, t.reserved, t.streams + coalesce(y.streams, 0) as streams
          from ${aiUsage} t left join ${aiUsage} y on y.user_id = t.user_id and y.day = t.day - 1
          where t.user_id = ${userId} and t.day = ${day}::date`,
    )
    return { ok: false, state: { used: n(state?.used), reserved: n(state?.reserved), streams: n(state?.streams) } }
  }

  async renew(leaseId: string, expiresAt: Date): Promise<void> {
    await this.db.update(aiStreams).set({ expiresAt }).where(eq(aiStreams.id, leaseId))
  }

  async settle(leaseId: string, userId: string, day: string, u: AiSettlement): Promise<number> {
    // One statement: the lease ends, its slot and reservation are given back (unless a cleanup already did, when the
    // lease had run out), and the tokens are added; settlements from any number of processes add up.
    const [row] = await rows<{ used: number | string }>(
      this.db,
      sql`with gone as (delete from ${aiStreams} where ${aiStreams.id} = ${leaseId} returning ${aiStreams.reserved})
          insert into ${aiUsage} (user_id, day, used, calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
          values (${userId}::uuid, ${day}::date, ${u.budget}::bigint, ${u.budget > 0 ? 1 : 0}::int, ${u.input}::bigint, ${u.output}::bigint, ${u.cacheRead}::bigint, ${u.cacheWrite}::bigint)
          on conflict (user_id, day) do update set
            used = ${aiUsage.used} + excluded.used,
            streams = greatest(0, ${aiUsage.streams} - (select count(*) from gone)),
            reserved = greatest(0, ${aiUsage.reserved} - coalesce((select sum(reserved) from gone), 0)),
            calls = ${aiUsage.calls} + excluded.calls,
            input_tokens = ${aiUsage.inputTokens} + excluded.input_tokens,
            output_tokens = ${aiUsage.outputTokens} + excluded.output_tokens,
            cache_read_tokens = ${aiUsage.cacheReadTokens} + excluded.cache_read_tokens,
            cache_write_tokens = ${aiUsage.cacheWriteTokens} + excluded.cache_write_tokens
          returning used`,
    )
    return n(row?.used ?? u.budget)
  }

  async used(userId: string, day: string): Promise<number> {
    const [row] = await this.db
      .select({ used: aiUsage.used })
      .from(aiUsage)
      .where(and(eq(aiUsage.userId, userId), eq(aiUsage.day, day)))
    return row?.used ?? 0
  }
}
