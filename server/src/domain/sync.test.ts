import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { Database } from '../adapters/db/index.ts'
import { openDatabase, schema } from '../adapters/db/index.ts'
import { DrizzleAccountRepo, DrizzleProjectRepo } from '../adapters/db/repos.ts'
import type { LogCompactor } from '../ports.ts'
import { systemClock } from '../ports.ts'
import { MIGRATIONS } from '../test/databases.ts'
import { SyncService } from './sync.ts'

let database: Database
beforeAll(async () => {
  database = await openDatabase({ driver: 'pglite', dataDir: undefined }, MIGRATIONS)
})
afterAll(() => database?.close())

/// A compactor that only records what it is asked.
function recordingCompactor(): LogCompactor & { asked: string[] } {
  const asked: string[] = []
  return { asked, request: (id) => void asked.push(id), idle: async () => {}, close: async () => {} }
}

/// A SyncService over a project whose log already holds enough rows to want a compaction.
async function longLoggedProject(compactor: LogCompactor) {
  const { db } = database
  const user = { id: randomUUID(), email: `${randomUUID()}@example.com`, passwordHash: 'x', createdAt: new Date() }
  await new DrizzleAccountRepo(db).createUser(user)
  const repo = new DrizzleProjectRepo(db)
  const now = new Date()
  const project = { id: randomUUID(), ownerId: user.id, name: 'p', template: null, createdAt: now, updatedAt: now }
  await repo.create(project, new Uint8Array([0, 0]), [], () => ({ ok: true }))
  await db.update(schema.projectDocs).set({ updateRows: 200 }).where(eq(schema.projectDocs.projectId, project.id))
  const doc = new Y.Doc()
  doc.getMap('files').set('a.txt', new Y.Text('hello'))
  return { sync: new SyncService(repo, systemClock, compactor), id: project.id, update: Y.encodeStateAsUpdate(doc) }
}

const LULL_AND_MORE_MS = 1300

test('a push to a long log asks for a compaction at the next lull', async () => {
  const compactor = recordingCompactor()
  const { sync, id, update } = await longLoggedProject(compactor)
  await sync.push(id, update)
  expect(compactor.asked).toEqual([])
  await new Promise((r) => setTimeout(r, LULL_AND_MORE_MS))
  expect(compactor.asked).toEqual([id])
  sync.dispose()
})

test('dispose() stops the lull timer: no compaction is asked for afterwards', async () => {
  const compactor = recordingCompactor()
  const { sync, id, update } = await longLoggedProject(compactor)
  await sync.push(id, update)
  sync.dispose()
  await new Promise((r) => setTimeout(r, LULL_AND_MORE_MS))
  expect(compactor.asked).toEqual([])
})
