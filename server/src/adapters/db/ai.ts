import { and, eq, lte, sql } from 'drizzle-orm'
import type { AiBudgetState, AiSettlement, AiUsageRepo } from '../../ports.ts'
import type { Db } from './index.ts'
import { aiStreams, aiUsage } from './schema.ts'

/// AI budgets and in-flight calls in Postgres (or PGlite), shared by every server process.
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
      await tx.insert(aiUsage).values({ userId, day }).onConflictDoNothing()
      // The user's row for the day, locked: their admissions go one at a time, in every process, so two calls can
      // never both take the last of the budget or the last stream slot.
      const [row] = await tx
        .select({ used: aiUsage.used })
        .from(aiUsage)
        .where(and(eq(aiUsage.userId, userId), eq(aiUsage.day, day)))
        .for('update')
      await tx.delete(aiStreams).where(and(eq(aiStreams.userId, userId), lte(aiStreams.expiresAt, now)))
      const [live] = await tx
        .select({
          streams: sql<number>`count(*)`.mapWith(Number),
          reserved: sql<number>`coalesce(sum(${aiStreams.reserved}) filter (where ${aiStreams.day} = ${day}), 0)`.mapWith(Number),
        })
        .from(aiStreams)
        .where(eq(aiStreams.userId, userId))
      const decision = decide({ used: row?.used ?? 0, reserved: live?.reserved ?? 0, streams: live?.streams ?? 0 })
      if (decision.ok) await tx.insert(aiStreams).values({ id: lease.id, userId, day, reserved: decision.reserve ?? 0, expiresAt: lease.expiresAt })
      return decision
    })
  }

  async renew(leaseId: string, expiresAt: Date): Promise<void> {
    await this.db.update(aiStreams).set({ expiresAt }).where(eq(aiStreams.id, leaseId))
  }

  async settle(leaseId: string, userId: string, day: string, u: AiSettlement): Promise<number> {
    if (u.budget === 0 && u.input + u.output + u.cacheRead + u.cacheWrite === 0) {
      // A call that never started (refused or overloaded upstream) costs nothing.
      await this.db.delete(aiStreams).where(eq(aiStreams.id, leaseId))
      return this.used(userId, day)
    }
    return this.db.transaction(async (tx) => {
      await tx.delete(aiStreams).where(eq(aiStreams.id, leaseId))
      // One statement, so settlements from any number of processes add up (no read-modify-write).
      const [row] = await tx
        .insert(aiUsage)
        .values({ userId, day, used: u.budget, calls: 1, inputTokens: u.input, outputTokens: u.output, cacheReadTokens: u.cacheRead, cacheWriteTokens: u.cacheWrite })
        .onConflictDoUpdate({
          target: [aiUsage.userId, aiUsage.day],
          set: {
            used: sql`${aiUsage.used} + ${u.budget}`,
            calls: sql`${aiUsage.calls} + 1`,
            inputTokens: sql`${aiUsage.inputTokens} + ${u.input}`,
            outputTokens: sql`${aiUsage.outputTokens} + ${u.output}`,
            cacheReadTokens: sql`${aiUsage.cacheReadTokens} + ${u.cacheRead}`,
            cacheWriteTokens: sql`${aiUsage.cacheWriteTokens} + ${u.cacheWrite}`,
          },
        })
        .returning({ used: aiUsage.used })
      return row?.used ?? u.budget
    })
  }

  async used(userId: string, day: string): Promise<number> {
    const [row] = await this.db
      .select({ used: aiUsage.used })
      .from(aiUsage)
      .where(and(eq(aiUsage.userId, userId), eq(aiUsage.day, day)))
    return row?.used ?? 0
  }
}
