import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScratchPostgres, postgresUnavailable } from '../../test/databases.ts'
import { singleConnectionPool } from './pool.ts'

const skip = await postgresUnavailable()

describe.skipIf(skip !== undefined)('singleConnectionPool [postgres]', () => {
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>>
  beforeAll(async () => {
    scratch = await createScratchPostgres()
  })
  afterAll(async () => {
    await scratch?.drop()
  })

  it('runs queries as rows or values, on several connections, and transactions on one', async () => {
    const sql = singleConnectionPool(scratch.url, { onnotice: () => {} }, 3)
    try {
      const rows = await sql.unsafe('select $1::int as n', [7])
      expect(rows[0]).toEqual({ n: 7 })
      expect(await sql.unsafe('select $1::int as n', [8]).values()).toEqual([[8]])

      const pids = await Promise.all(Array.from({ length: 12 }, () => sql.unsafe('select pg_backend_pid() as pid, pg_sleep(0.05)')))
      expect(new Set(pids.map((r) => r[0]!.pid)).size).toBe(3)

      await sql.unsafe('create table t (v int)')
      // A failed transaction rolls back; a good one commits; queries meanwhile are not stuck behind either.
      await expect(
        sql.begin(async (tx) => {
          await tx.unsafe('insert into t values (1)')
          throw new Error('boom')
        }),
      ).rejects.toThrow('boom')
      const [inTx, outside] = await Promise.all([
        sql.begin(async (tx) => {
          await tx.unsafe('insert into t values (2)')
          await tx.unsafe('select pg_sleep(0.1)')
          return (await tx.unsafe('select pg_backend_pid() as pid'))[0]!.pid
        }),
        (async () => {
          await new Promise((r) => setTimeout(r, 20))
          return (await sql.unsafe('select pg_backend_pid() as pid'))[0]!.pid
        })(),
      ])
      expect(outside).not.toBe(inTx)
      expect(await sql.unsafe('select v from t order by v').values()).toEqual([[2]])
    } finally {
      await sql.end({ timeout: 5 })
    }
  })

  it('gives every client the parsers set on the shared options', async () => {
    const sql = singleConnectionPool(scratch.url, { onnotice: () => {} }, 2)
    try {
      sql.options.parsers[1184] = (v: string) => `raw:${v}`
      const results = await Promise.all(Array.from({ length: 6 }, () => sql.unsafe(`select '2026-01-01T00:00:00Z'::timestamptz as t, pg_sleep(0.02)`)))
      for (const r of results) expect(String(r[0]!.t)).toMatch(/^raw:2026-01-01/)
    } finally {
      await sql.end({ timeout: 5 })
    }
  })
})
