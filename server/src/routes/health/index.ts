import type { Health } from '@slipway/shared'
import { Hono } from 'hono'
import type { Database } from '../../adapters/db/index.ts'
import { AppError } from '../../errors.ts'

/// `GET /api/health`: a real database round trip; 503 `db_unavailable` when it does not answer.
export function healthRoutes(deps: { database: Database; version: string }) {
  return new Hono().get('/', async (c) => {
    try {
      await deps.database.ping()
    } catch (cause) {
      throw new AppError('db_unavailable', 'Database is unavailable', { cause })
    }
    c.header('Cache-Control', 'no-store')
    return c.json({ ok: true, db: deps.database.driver, version: deps.version } satisfies Health)
  })
}
