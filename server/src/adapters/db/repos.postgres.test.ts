import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { MIGRATIONS, createScratchPostgres, postgresUnavailable } from '../../test/databases.ts'
import type { Database } from './index.ts'
import { openDatabase, schema } from './index.ts'
import { DrizzleAccountRepo, DrizzleProjectRepo } from './repos.ts'

const skip = await postgresUnavailable()

// Row locks between concurrent transactions only exist on a real Postgres (PGlite runs one transaction at a time).
describe.skipIf(skip !== undefined)('project repo under concurrency [postgres]', () => {
  let drop: () => Promise<void>
  let database: Database
  beforeAll(async () => {
    const scratch = await createScratchPostgres()
    drop = scratch.drop
    database = await openDatabase({ driver: 'postgres', url: scratch.url }, MIGRATIONS)
  })
  afterAll(async () => {
    await database?.close()
    await drop?.()
  })

  async function projectOfNewUser() {
    const accounts = new DrizzleAccountRepo(database.db)
    const user = { id: randomUUID(), email: `${randomUUID()}@example.com`, passwordHash: 'x', createdAt: new Date() }
    await accounts.createUser(user)
    const repo = new DrizzleProjectRepo(database.db)
    const now = new Date()
    const project = { id: randomUUID(), ownerId: user.id, name: 'p', template: null, createdAt: now, updatedAt: now }
    await repo.create(project, new Uint8Array([0, 0]), [{ path: 'a.txt', size: 1, sha256: 'x'.repeat(64), content: new Uint8Array([97]) }], () => ({ ok: true }))
    return { repo, project }
  }

  test('deleting a project while a sync holds its doc lock waits for the sync, then deletes (no deadlock)', async () => {
    const { repo, project } = await projectOfNewUser()
    let locked!: () => void
    const holding = new Promise<void>((r) => (locked = r))
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    // A push: takes the doc lock, then (after the delete has started) appends, which also writes the project row.
    const push = repo.withDocLock(project.id, async (tx) => {
      locked()
      await gate
      const appended = tx.append(new Uint8Array([0, 0]), new Date())
      await appended.done
      await tx.writeFiles([{ path: 'b.txt', size: 2 }], [])
      return appended.seq
    })
    await holding
    const deleted = repo.delete(project.ownerId, project.id)
    // Long enough for the delete to reach its first lock.
    await new Promise((r) => setTimeout(r, 200))
    release()
    const [pushed, gone] = await Promise.allSettled([push, deleted])
    expect(pushed).toEqual({ status: 'fulfilled', value: 2 })
    expect(gone).toEqual({ status: 'fulfilled', value: true })
    expect(await database.db.select().from(schema.projectDocs).where(eq(schema.projectDocs.projectId, project.id))).toEqual([])
    expect(await database.db.select().from(schema.projectFiles).where(eq(schema.projectFiles.projectId, project.id))).toEqual([])
  })

  test('a sync that gets the doc lock after the delete finds the project gone: not_found', async () => {
    const { repo, project } = await projectOfNewUser()
    expect(await repo.delete(project.ownerId, project.id)).toBe(true)
    await expect(repo.withDocLock(project.id, async () => 1)).rejects.toMatchObject({ name: 'DomainError', code: 'not_found' })
  })
})
