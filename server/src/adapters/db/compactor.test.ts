import { randomUUID } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { describeEachDb } from '../../test/databases.ts'
import { schema } from './index.ts'
import { DrizzleAccountRepo, DrizzleProjectRepo } from './repos.ts'

// The compactor the database hands out: on Postgres a worker thread (compactor.worker.ts) over its own connection,
// on PGlite the same SQL in process.
describeEachDb('log compaction', (ctx) => {
  /// A project whose log holds a doc's first update and then `edits` more rows, one per edit.
  async function projectWithLog(edits: number) {
    const { db } = ctx.database
    const user = { id: randomUUID(), email: `${randomUUID()}@example.com`, passwordHash: 'x', createdAt: new Date() }
    await new DrizzleAccountRepo(db).createUser(user)
    const repo = new DrizzleProjectRepo(db)
    const doc = new Y.Doc()
    const text = new Y.Text('start\n')
    doc.getMap('files').set('a.txt', text)
    const now = new Date()
    const project = { id: randomUUID(), ownerId: user.id, name: 'p', template: null, createdAt: now, updatedAt: now }
    await repo.create(project, Y.encodeStateAsUpdate(doc), [], () => ({ ok: true }))
    for (let i = 0; i < edits; i++) {
      const sv = Y.encodeStateVector(doc)
      text.insert(text.length, `line ${i}\n`)
      if (i % 4 === 0) text.delete(0, 1)
      const update = Y.encodeStateAsUpdate(doc, sv)
      await repo.withDocLock(project.id, async (tx) => tx.append(update, new Date()).done)
    }
    return { id: project.id, text: text.toString() }
  }

  async function log(id: string) {
    const rows = await ctx.database.db.select().from(schema.projectUpdates).where(eq(schema.projectUpdates.projectId, id))
    const doc = new Y.Doc()
    for (const row of rows) Y.applyUpdate(doc, row.update)
    const bytes = rows.reduce((n, r) => n + r.update.byteLength, 0)
    const [counters] = await ctx.database.db.select().from(schema.projectDocs).where(eq(schema.projectDocs.projectId, id))
    return { rows: rows.length, bytes, text: doc.getMap<Y.Text>('files').get('a.txt')!.toString(), counters }
  }

  test('merges a long log into few rows: the same doc, and the counters follow the bytes', async () => {
    const { id, text } = await projectWithLog(140)
    const before = await log(id)
    expect(before.rows).toBe(141)
    ctx.database.compactor.request(id)
    await ctx.database.compactor.idle()
    const after = await log(id)
    expect(after.rows).toBeLessThan(before.rows)
    expect(after.text).toBe(text)
    expect(after.counters).toMatchObject({ updateRows: after.rows, logBytes: after.bytes })
  })

  test('on Postgres the merge runs in the worker thread, over its own connection', async ({ skip }) => {
    if (ctx.target.driver !== 'postgres') skip('PGlite compacts in process')
    const { id } = await projectWithLog(140)
    ctx.database.compactor.request(id)
    await ctx.database.compactor.idle()
    expect((await log(id)).rows).toBeLessThan(141)
    const rows = await ctx.database.db.execute(sql`select count(*)::int as n from pg_stat_activity where application_name = 'slipway-compactor' and datname = current_database()`)
    expect((rows as unknown as Array<{ n: number }>)[0]!.n).toBe(1)
  })
})
