import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { FILES_MAP, YJS_UPDATE_CONTENT_TYPE } from '@slipway/shared'
import postgres from 'postgres'
import { afterAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { createScratchPostgres, postgresUnavailable } from '../src/test/databases.ts'
import type { Running } from '../src/test/process.ts'
import { start } from '../src/test/process.ts'

// The production server runs from the bundle (`node server/dist/main.js`): build it the way `pnpm build` does and
// check that the bundled entry point finds and starts its compaction worker, which only runs on Postgres.
const serverDir = fileURLToPath(new URL('..', import.meta.url))
const outdir = `dist-test-${process.pid}`
const pgSkip = await postgresUnavailable()

describe.skipIf(pgSkip !== undefined)(`the server bundle [postgres]${pgSkip ? ` (skipped: ${pgSkip})` : ''}`, () => {
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>> | undefined
  let server: Running | undefined
  afterAll(async () => {
    server?.child.kill('SIGTERM')
    await server?.exit
    await scratch?.drop()
    await rm(`${serverDir}/${outdir}`, { recursive: true, force: true })
  })

  test('holds main.js and compactor.worker.js; run from it, a long edit log is compacted by the worker', { timeout: 120_000 }, async () => {
    const built = spawnSync(process.execPath, ['scripts/build.mjs', '--outdir', outdir], { cwd: serverDir, encoding: 'utf8' })
    expect(built.status, built.stderr).toBe(0)
    expect(existsSync(`${serverDir}/${outdir}/main.js`)).toBe(true)
    expect(existsSync(`${serverDir}/${outdir}/compactor.worker.js`)).toBe(true)

    scratch = await createScratchPostgres()
    server = await start({ DATABASE_URL: scratch.url }, `${outdir}/main.js`)
    const origin = new URL(server.url).origin
    let cookie = ''
    const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
      const res = await fetch(`${server!.url}${path}`, {
        method,
        headers: { origin, 'content-type': type, ...(cookie ? { cookie } : {}) },
        body: body === undefined ? undefined : body instanceof Uint8Array ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body),
      })
      cookie = res.headers.get('set-cookie')?.split(';')[0] ?? cookie
      return res
    }
    expect((await call('POST', '/api/auth/signup', { email: 'bundle@example.com', password: 'correct horse battery' })).status).toBe(201)
    const created = await call('POST', '/api/projects', { name: 'p' })
    expect(created.status).toBe(201)
    const { project } = (await created.json()) as { project: { id: string } }

    const doc = new Y.Doc()
    const text = new Y.Text()
    for (let i = 0; i < 140; i++) {
      const sv = Y.encodeStateVector(doc)
      if (i === 0) doc.getMap(FILES_MAP).set('a.txt', text)
      text.insert(text.length, `line ${i}\n`)
      const res = await call('POST', `/api/projects/${project.id}/sync`, Y.encodeStateAsUpdate(doc, sv), YJS_UPDATE_CONTENT_TYPE)
      expect(res.status).toBe(200)
    }
    // The pushes stop: the compaction they asked for runs at the next lull (a second), in the worker thread.
    const sql = postgres(scratch.url, { max: 1, onnotice: () => {} })
    try {
      const rows = async () => (await sql`select count(*)::int as n from project_updates where project_id = ${project.id}::uuid`)[0]!.n as number
      await expect.poll(rows, { timeout: 20_000, interval: 200 }).toBeLessThan(20)
      const [worker] = await sql`select count(*)::int as n from pg_stat_activity where application_name = 'slipway-compactor' and datname = current_database()`
      expect(worker!.n).toBe(1)
    } finally {
      await sql.end()
    }
    expect(server.stderr()).not.toMatch(/compaction|Error/)
  })
})
