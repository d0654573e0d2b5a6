import { ErrorBodySchema } from '@slipway/shared'
import { eq, sql } from 'drizzle-orm'
import { beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { schema } from '../../adapters/db/index.ts'
import { TestClient, testApp } from '../../test/app.ts'
import { describeEachDb } from '../../test/databases.ts'
import { SyncingDevice, rng } from '../../test/sync-client.ts'

const KiB = 1024

describeEachDb('storage quotas', (ctx) => {
  let app: Awaited<ReturnType<typeof testApp>>
  beforeAll(async () => {
    app = await testApp({
      database: ctx.database,
      quotas: { maxProjectsPerUser: 3, maxProjectHistoryBytes: 64 * KiB, maxUserBytes: 100 * KiB },
    })
  })

  async function account() {
    const http = new TestClient(app)
    const user = await http.signup()
    const project = async () => {
      const { id } = await http.createProject('q')
      return { id, device: () => new SyncingDevice(http, id) }
    }
    return { http, user, project }
  }

  const error = async (res: Response) => ErrorBodySchema.parse(await res.json()).error

  async function logBytes(projectId: string) {
    const rows = await ctx.database.db.select({ b: sql<number>`octet_length(${schema.projectUpdates.update})`.mapWith(Number) }).from(schema.projectUpdates).where(eq(schema.projectUpdates.projectId, projectId))
    return { rows: rows.length, bytes: rows.reduce((n, r) => n + r.b, 0) }
  }
  async function counters(userId: string, projectId?: string) {
    const [u] = await ctx.database.db.select({ b: schema.users.storedBytes }).from(schema.users).where(eq(schema.users.id, userId))
    const [d] = projectId ? await ctx.database.db.select({ b: schema.projectDocs.logBytes }).from(schema.projectDocs).where(eq(schema.projectDocs.projectId, projectId)) : []
    return { user: u!.b, project: d?.b }
  }

  test("a project's history past its quota → 413 quota_exceeded naming it; nothing stored; deleting still works", async () => {
    const { project } = await account()
    const { id, device } = await project()
    const d = device()
    await d.pull()
    d.files.set('a.txt', new Y.Text('a'.repeat(40 * KiB)))
    expect((await d.push()).status).toBe(200)
    const before = await logBytes(id)
    d.files.set('b.txt', new Y.Text('b'.repeat(30 * KiB)))
    const res = await d.push()
    expect(res.status).toBe(413)
    const body = await error(res)
    expect(body.code).toBe('quota_exceeded')
    expect(body.details).toMatchObject({ quota: 'project_history_bytes', max: 64 * KiB })
    expect(body.message).toMatch(/64 MB|limit/)
    expect(body.message).toMatch(/Delete files/)
    // Nothing of it stored (a compaction the refusal asked for may have merged the rows meanwhile).
    const check = device()
    await check.pull()
    expect([...check.files.keys()].sort()).toEqual(['a.txt'])
    expect((await logBytes(id)).bytes).toBeLessThanOrEqual(before.bytes)
    // Deleting a file (what the message asks for) is accepted though the history stays over.
    const fresh = device()
    await fresh.pull()
    fresh.files.delete('a.txt')
    expect((await fresh.push()).status).toBe(200)
  })

  test('history counts every stored byte: many small edits hit the quota as surely as one big file', async () => {
    const { project } = await account()
    const { device } = await project()
    const d = device()
    await d.pull()
    const t = new Y.Text('')
    d.files.set('log.txt', t)
    let refused: Response | undefined
    for (let i = 0; i < 200 && !refused; i++) {
      // Written, synced, then deleted: the file stays small, its history grows (until a compaction).
      t.insert(t.length, 'x'.repeat(KiB))
      let res = await d.push()
      if (res.status === 200) {
        t.delete(0, KiB)
        res = await d.push()
      }
      if (res.status !== 200) refused = res
    }
    expect(refused?.status).toBe(413)
    expect((await error(refused!)).details).toMatchObject({ quota: 'project_history_bytes' })
  })

  test("an account's bytes across its projects past its quota → 413 naming the account's limit", async () => {
    const { project, user } = await account()
    const a = await project()
    const b = await project()
    const da = a.device()
    await da.pull()
    da.files.set('a.txt', new Y.Text('a'.repeat(60 * KiB)))
    expect((await da.push()).status).toBe(200)
    const db = b.device()
    await db.pull()
    db.files.set('b.txt', new Y.Text('b'.repeat(50 * KiB)))
    const res = await db.push()
    expect(res.status).toBe(413)
    expect((await error(res)).details).toMatchObject({ quota: 'user_bytes', max: 100 * KiB })
    // The counters are the logs' bytes exactly.
    const c = await counters(user.id, a.id)
    expect(c.project).toBe((await logBytes(a.id)).bytes)
    expect(c.user).toBe((await logBytes(a.id)).bytes + (await logBytes(b.id)).bytes)
    // Deleting project a frees its bytes for b.
    expect((await da.http.request('DELETE', `/api/projects/${a.id}`)).status).toBe(204)
    expect((await counters(user.id)).user).toBe((await logBytes(b.id)).bytes)
    expect((await db.push()).status).toBe(200)
  })

  test('projects per account past the quota → 413 projects_per_user; deleting one makes room', async () => {
    const { http, project } = await account()
    const ids = [(await project()).id, (await project()).id, (await project()).id]
    const res = await http.post('/api/projects', { name: 'one too many' })
    expect(res.status).toBe(413)
    const body = await error(res)
    expect(body.details).toMatchObject({ quota: 'projects_per_user', max: 3, current: 3 })
    expect(body.message).toMatch(/Delete a project/)
    expect(((await (await http.get('/api/projects')).json()) as { projects: unknown[] }).projects).toHaveLength(3)
    // Racing creates cannot pass the limit together.
    expect((await http.request('DELETE', `/api/projects/${ids[0]}`)).status).toBe(204)
    const raced = await Promise.all([1, 2, 3].map(() => http.post('/api/projects', { name: 'race' })))
    expect(raced.map((r) => r.status).sort()).toEqual([201, 413, 413])
  })

  test('the byte counters follow compaction: they always equal the bytes the logs hold', async () => {
    const { project, user } = await account()
    const { id, device } = await project()
    const d = device()
    await d.pull()
    const r = rng(3)
    const t = new Y.Text('start')
    d.files.set('a.txt', t)
    for (let i = 0; i < 30; i++) {
      t.insert(r.int(t.length + 1), 'abcdefgh'.repeat(1 + r.int(20)))
      if (t.length > 10) t.delete(r.int(t.length - 5), 5)
      expect((await d.push()).status).toBe(200)
    }
    const before = await logBytes(id)
    ctx.database.compactor.request(id)
    await ctx.database.compactor.idle()
    expect((await logBytes(id)).rows).toBeLessThan(before.rows)
    const logs = await logBytes(id)
    expect(await counters(user.id, id)).toEqual({ user: logs.bytes, project: logs.bytes })
  })
})
