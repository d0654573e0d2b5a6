import { request } from 'node:http'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { instanceId, openDatabase } from './adapters/db/index.ts'
import { MIGRATIONS, createScratchPostgres, postgresUnavailable } from './test/databases.ts'
import { createApp } from './app.ts'
import { loadConfig } from './config.ts'
import { run, start } from './test/process.ts'

const tmp = () => mkdtemp(path.join(tmpdir(), 'slipway-data-'))

describe('startup errors: one clear line, exit 1', () => {
  test.each([
    [{ PORT: 'abc' }, /^slipway: invalid PORT="abc": .+\n$/],
    [{ COEP: 'nope' }, /^slipway: invalid COEP="nope": .+\n$/],
    [{ DATABASE_URL: 'postgres://slipway:secret@127.0.0.1:1/none' }, /^slipway: cannot use the database at DATABASE_URL=postgres:\/\/slipway:\*\*\*@127\.0\.0\.1:1\/none: .+\n$/],
  ])('%o', async (env, expected) => {
    const { output } = run(env)
    const { code, stderr, stdout } = await output
    expect(code).toBe(1)
    expect(stderr).toMatch(expected)
    expect(stderr).not.toContain('secret')
    expect(stdout).toBe('')
  })
})

test('the ready line names the address the server listens on', async () => {
  const s = await start({ SLIPWAY_DATA_DIR: await tmp(), HOST: '127.0.0.1' })
  try {
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(await (await fetch(`${s.url}/api/health`)).json()).toMatchObject({ ok: true })
  } finally {
    s.child.kill('SIGTERM')
    await s.exit
  }
}, 60_000)

describe('embedded PGlite', () => {
  test('serves health, stops cleanly on SIGTERM, and keeps its data across restarts', async () => {
    const dataDir = await tmp()
    const ids: string[] = []
    for (let round = 0; round < 2; round++) {
      const s = await start({ SLIPWAY_DATA_DIR: dataDir })
      const health = await (await fetch(`${s.url}/api/health`)).json()
      expect(health).toMatchObject({ ok: true, db: 'pglite' })
      s.child.kill('SIGTERM')
      expect(await s.exit).toBe(0)
      const db = await openDatabase({ driver: 'pglite', dataDir }, MIGRATIONS)
      ids.push(await instanceId(db.db))
      await db.close()
    }
    expect(ids[0]).toBe(ids[1])
  }, 60_000)

  test('over a real socket every response carries the same security headers as through app.request', async () => {
    const s = await start({ SLIPWAY_DATA_DIR: await tmp() })
    try {
      const database = await openDatabase({ driver: 'pglite', dataDir: undefined }, MIGRATIONS)
      const config = loadConfig({ SLIPWAY_DATA_DIR: '/unused' }, { webDir: '/nonexistent' })
      const app = await createApp({ config, database, logger: { info: () => {}, error: () => {} }, version: 'test' })
      const security = (h: Headers) =>
        Object.fromEntries(
          [...h.entries()].filter(([k]) => /^(content-security-policy|cross-origin-|strict-transport|referrer-policy|x-content-type|x-frame|origin-agent|x-dns|x-download|x-permitted|x-xss)/.test(k)),
        )
      const expectedApi = security((await app.request('/api/health')).headers)
      const expectedDocument = security((await app.request('/nope')).headers)
      expect(expectedApi['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'; sandbox")
      expect(expectedDocument['content-security-policy']).toContain("default-src 'self'")
      for (const expected of [expectedApi, expectedDocument]) expect(expected['cross-origin-embedder-policy']).toBe('require-corp')
      for (const [method, path] of [['GET', '/api/health'], ['GET', '/api/nope'], ['GET', '/api/auth/me'], ['POST', '/api/projects'], ['GET', '/nope']] as const) {
        const res = await fetch(`${s.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : null })
        const expected = path.startsWith('/api/') ? expectedApi : expectedDocument
        expect(security(res.headers), `${method} ${path} → ${res.status}`).toEqual(expected)
        expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/)
      }
      await database.close()
    } finally {
      s.child.kill('SIGTERM')
      await s.exit
    }
  }, 60_000)

  test('SIGTERM lets an in-flight request finish', async () => {
    const s = await start({ SLIPWAY_DATA_DIR: await tmp() })
    const { port } = new URL(s.url)
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/api/slow-upload', headers: { 'content-type': 'application/json' } },
        (res) => {
          let body = ''
          res.on('data', (d: Buffer) => (body += d.toString()))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        },
      )
      req.on('error', reject)
      req.write('{"part":')
      // The body is still arriving when the server is told to stop.
      setTimeout(() => s.child.kill('SIGTERM'), 200)
      setTimeout(() => req.end('1}'), 800)
    })
    const { status, body } = await response
    expect(status).toBe(404)
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'not_found' } })
    expect(await s.exit).toBe(0)
  })
})

const pgSkip = await postgresUnavailable()
describe.skipIf(pgSkip !== undefined)(`DATABASE_URL switches to Postgres${pgSkip ? ` (skipped: ${pgSkip})` : ''}`, () => {
  const drops: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const d of drops) await d()
  })
  test('health reports postgres; data survives a restart', async () => {
    const scratch = await createScratchPostgres()
    drops.push(scratch.drop)
    for (let round = 0; round < 2; round++) {
      const s = await start({ DATABASE_URL: scratch.url })
      expect(await (await fetch(`${s.url}/api/health`)).json()).toMatchObject({ ok: true, db: 'postgres' })
      s.child.kill('SIGTERM')
      expect(await s.exit).toBe(0)
    }
    const db = await openDatabase({ driver: 'postgres', url: scratch.url }, MIGRATIONS)
    expect(await instanceId(db.db)).toMatch(/^[0-9a-f-]{36}$/)
    await db.close()
  })
})
