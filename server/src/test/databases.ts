import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { afterAll, beforeAll, describe } from 'vitest'
import type { Database, DatabaseTarget } from '../adapters/db/index.ts'
import { openDatabase } from '../adapters/db/index.ts'

export const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url))

/// The Postgres server tests create their databases on: TEST_DATABASE_URL, else the local default.
export const ADMIN_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'

let availability: Promise<string | undefined> | undefined
/// `undefined` when Postgres answers, otherwise the reason it was skipped. In CI an unreachable Postgres is an error.
export function postgresUnavailable(): Promise<string | undefined> {
  availability ??= (async () => {
    const sql = postgres(ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} })
    try {
      await sql`select 1`
      return undefined
    } catch (err) {
      const reason = `no Postgres at ${redact(ADMIN_URL)} (${err instanceof Error ? err.message : String(err)})`
      if (process.env.CI) throw new Error(`CI requires Postgres: ${reason}`)
      return reason
    } finally {
      await sql.end({ timeout: 1 })
    }
  })()
  return availability
}

function redact(url: string) {
  const u = new URL(url)
  if (u.password) u.password = '***'
  return u.toString()
}

/// A fresh, uniquely named Postgres database; `drop()` removes it.
export async function createScratchPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `slipway_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  await admin.end()
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
      await a.unsafe(`drop database if exists "${name}" with (force)`)
      await a.end()
    },
  }
}

export interface DbContext {
  /// The open, migrated database of the current suite.
  readonly database: Database
  readonly target: DatabaseTarget
}

const pgSkip = await postgresUnavailable()

/// Runs the same suite against embedded PGlite (in memory) and a freshly created Postgres database. When Postgres
/// is unreachable outside CI, its half is registered as skipped with the reason in its name.
export function describeEachDb(name: string, suite: (ctx: DbContext) => void): void {
  for (const driver of ['pglite', 'postgres'] as const) {
    const skip = driver === 'postgres' ? pgSkip : undefined
    const title = skip ? `${name} [postgres] (skipped: ${skip})` : `${name} [${driver}]`
    describe.skipIf(skip !== undefined)(title, () => {
      const ctx = {} as { database: Database; target: DatabaseTarget }
      let drop: (() => Promise<void>) | undefined
      beforeAll(async () => {
        if (driver === 'postgres') {
          const scratch = await createScratchPostgres()
          drop = scratch.drop
          ctx.target = { driver, url: scratch.url }
        } else {
          ctx.target = { driver, dataDir: undefined }
        }
        ctx.database = await openDatabase(ctx.target, MIGRATIONS)
      })
      afterAll(async () => {
        await ctx.database?.close()
        await drop?.()
      })
      suite(ctx)
    })
  }
}
