import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { COMPACT_AFTER_ROWS } from '../../domain/compaction.ts'
import type { LogCompactor } from '../../ports.ts'
import { PgCacheListener } from './cache-listener.ts'
import { PgliteLogCompactor, WorkerLogCompactor } from './compactor.ts'
import { LookupCache } from './lookup-cache.ts'
import { singleConnectionPool } from './pool.ts'
import * as schema from './schema.ts'

export { schema }

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>
export type DbDriver = 'pglite' | 'postgres'

/// An open database: drizzle over postgres.js or PGlite, same schema, migrated.
export interface Database {
  readonly db: Db
  readonly driver: DbDriver
  /// Compacts projects' update logs in the background.
  readonly compactor: LogCompactor
  /// Sessions and projects as last read, kept in step across processes (lookup-cache.ts).
  readonly cache: LookupCache
  /// One real round trip; rejects when the database does not answer within `timeoutMs`.
  ping(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

/// Cached lookups serve at most this long without a notification; a process that has not heard its own ping back
/// for `CACHE_LEASE_MS` stops using its cache (the most a revoked token can outlive its revocation in another
/// process when the notification path stalls).
const CACHE_LIMITS = { ttlMs: 30_000, maxEntries: 10_000 }
const CACHE_PING_MS = 100
const CACHE_LEASE_MS = 300

export type DatabaseTarget = { driver: 'postgres'; url: string } | { driver: 'pglite'; dataDir: string | undefined }

/// Opens the database and applies the committed migrations (idempotent; serialized across processes on Postgres by
/// an advisory lock). `dataDir: undefined` keeps PGlite in memory (tests).
export async function openDatabase(target: DatabaseTarget, migrationsFolder: string): Promise<Database> {
  return target.driver === 'postgres' ? openPostgres(target.url, migrationsFolder) : openPglite(target.dataDir, migrationsFolder)
}

async function openPostgres(url: string, migrationsFolder: string): Promise<Database> {
  const options = { connect_timeout: 5, onnotice: () => {}, connection: { application_name: 'slipway' } }
  // Migrations run on their own single connection so the advisory lock and the DDL share a session.
  const admin = postgres(url, { ...options, max: 1 })
  try {
    await admin`select pg_advisory_lock(4242001)`
    await migratePostgres(drizzlePostgres(admin), { migrationsFolder })
    await admin`select pg_advisory_unlock(4242001)`
  } finally {
    await admin.end({ timeout: 5 })
  }
  const client = singleConnectionPool(url, { ...options, idle_timeout: 30 }, 10)
  const db = drizzlePostgres(alwaysPrepared(client), { schema })
  await ensureInstanceId(db)
  const compactor = new WorkerLogCompactor(url, COMPACT_AFTER_ROWS)
  const cache = new LookupCache({ ...CACHE_LIMITS, leaseMs: CACHE_LEASE_MS })
  const listener = new PgCacheListener(url, cache, { pingMs: CACHE_PING_MS, restartAfterMs: 5000 })
  return {
    db,
    driver: 'postgres',
    compactor,
    cache,
    ping: async (timeoutMs = 2000) => {
      await withTimeout(db.execute(sql`select 1`), timeoutMs)
    },
    close: async () => {
      await listener.close()
      await compactor.close()
      await client.end({ timeout: 10 })
    },
  }
}

/// drizzle runs unnamed queries with `prepare: false`, and postgres.js then spends a round trip describing each one
/// before running it. Named server-side statements (cached per connection by query text) take one round trip. Our
/// queries are parameterized, so the set of texts stays small.
function alwaysPrepared<T extends postgres.Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, key, receiver) {
      if (key === 'unsafe') {
        return (query: string, params?: unknown[], opts?: { prepare?: boolean }) =>
          target.unsafe(query, params as never, { ...opts, prepare: true })
      }
      if (key === 'begin' || key === 'savepoint') {
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: postgres.Sql) => unknown
          const method = (target as unknown as Record<string, (...a: unknown[]) => unknown>)[key]!
          return method.call(target, ...args, (tx: postgres.Sql) => fn(alwaysPrepared(tx)))
        }
      }
      const value = Reflect.get(target, key, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

async function openPglite(dataDir: string | undefined, migrationsFolder: string): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true })
  const client = dataDir ? new PGlite(dataDir) : new PGlite()
  await client.waitReady
  const db = drizzlePglite(client, { schema })
  await migratePglite(db, { migrationsFolder })
  await ensureInstanceId(db)
  const compactor = new PgliteLogCompactor(client, COMPACT_AFTER_ROWS)
  let closed = false
  return {
    db,
    driver: 'pglite',
    compactor,
    // One process owns an embedded database: local invalidation is all there is, no lease needed.
    cache: new LookupCache(CACHE_LIMITS),
    ping: async (timeoutMs = 2000) => {
      if (closed) throw new Error('database is closed')
      await withTimeout(db.execute(sql`select 1`), timeoutMs)
    },
    close: async () => {
      if (closed) return
      closed = true
      await compactor.close()
      await client.close()
    },
  }
}

async function ensureInstanceId(db: Db): Promise<void> {
  await db.insert(schema.serverMeta).values({ key: 'instance_id', value: randomUUID() }).onConflictDoNothing()
}

/// The id written at this database's first start; survives restarts on the same data.
export async function instanceId(db: Db): Promise<string> {
  const rows = await db.select().from(schema.serverMeta).where(sql`${schema.serverMeta.key} = 'instance_id'`)
  const row = rows[0]
  if (!row) throw new Error('server_meta has no instance_id: migrations did not run')
  return row.value
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms)
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    )
  })
}
