import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hashToken } from '../../domain/auth.ts'
import { TestClient, testApp } from '../../test/app.ts'
import { MIGRATIONS, createScratchPostgres, postgresUnavailable } from '../../test/databases.ts'
import type { Database } from './index.ts'
import { openDatabase } from './index.ts'
import { projectKey, sessionKey, shareLinkKey } from './lookup-cache.ts'
import { hashLinkId } from '../../domain/shares.ts'

const skip = await postgresUnavailable()

/// Polls `fn` until it returns true; resolves with the milliseconds it took.
async function within(ms: number, fn: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now()
  while (!(await fn())) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 5))
  }
  return Date.now() - t0
}

// Two server processes on one Postgres, each with its own lookup cache: a change made through one is seen by the
// other at once (the notification), never later than the cache lease.
describe.skipIf(skip !== undefined)('lookup cache across server processes [postgres]', () => {
  let drop: () => Promise<void>
  let first: Database
  let second: Database
  let a: Awaited<ReturnType<typeof testApp>>
  let b: Awaited<ReturnType<typeof testApp>>
  beforeAll(async () => {
    const scratch = await createScratchPostgres()
    drop = scratch.drop
    first = await openDatabase({ driver: 'postgres', url: scratch.url }, MIGRATIONS)
    second = await openDatabase({ driver: 'postgres', url: scratch.url }, MIGRATIONS)
    a = await testApp({ database: first })
    b = await testApp({ database: second })
    await within(5000, async () => first.cache.live && second.cache.live)
  })
  afterAll(async () => {
    await first?.close()
    await second?.close()
    await drop?.()
  })

  async function signedInOnBoth() {
    const viaA = new TestClient(a)
    await viaA.signup()
    const { id } = await viaA.createProject('cached')
    const viaB = new TestClient(b)
    viaB.cookie = viaA.cookie
    const token = viaA.cookie!.slice(viaA.cookie!.indexOf('=') + 1)
    // Served once from the database, then from B's cache.
    expect((await viaB.get(`/api/projects/${id}`)).status).toBe(200)
    expect(second.cache.get(sessionKey(hashToken(token)))).toBeDefined()
    expect(second.cache.get(projectKey(id))).toBeDefined()
    expect((await viaB.get(`/api/projects/${id}`)).status).toBe(200)
    return { viaA, viaB, id, token }
  }

  test('logout in one process: 401 at once there, and in the other as soon as the notification lands', async () => {
    const { viaA, viaB, id } = await signedInOnBoth()
    const cookie = viaA.cookie
    expect((await viaA.post('/api/auth/logout', {})).status).toBe(204)
    const replay = new TestClient(a)
    replay.cookie = cookie
    expect((await replay.get(`/api/projects/${id}`)).status).toBe(401)
    const ms = await within(1000, async () => (await viaB.get(`/api/projects/${id}`)).status === 401)
    expect(ms).toBeLessThan(1000)
  })

  test('a rename and a delete in one process reach the other', async () => {
    const { viaA, viaB, id } = await signedInOnBoth()
    expect((await viaA.request('PATCH', `/api/projects/${id}`, { json: { name: 'renamed' } })).status).toBe(200)
    await within(1000, async () => ((await (await viaB.get(`/api/projects/${id}`)).json()) as { project: { name: string } }).project.name === 'renamed')
    expect((await viaA.request('DELETE', `/api/projects/${id}`)).status).toBe(204)
    await within(1000, async () => (await viaB.get(`/api/projects/${id}`)).status === 404)
  })

  test('a sync in one process moves updatedAt in the other', async () => {
    const { viaA, viaB, id } = await signedInOnBoth()
    const before = ((await (await viaB.get(`/api/projects/${id}`)).json()) as { project: { updatedAt: string } }).project.updatedAt
    await new Promise((r) => setTimeout(r, 5))
    const doc = await pushFile(viaA, id)
    await within(1000, async () => ((await (await viaB.get(`/api/projects/${id}`)).json()) as { project: { updatedAt: string } }).project.updatedAt !== before)
  })

  test('a delete in one process closes the project to sync in the other', async () => {
    const { viaA, viaB, id } = await signedInOnBoth()
    const pull = () => viaB.get(`/api/projects/${id}/sync`)
    expect((await pull()).status).toBe(200)
    expect((await pull()).status).toBe(200)
    expect((await viaA.request('DELETE', `/api/projects/${id}`)).status).toBe(204)
    await within(1000, async () => (await pull()).status === 404)
  })

  test("a display name set in one process reaches the other's cached sessions and share links", async () => {
    const { viaA, viaB, id } = await signedInOnBoth()
    const doc = await pushFile(viaA, id)
    const published = await viaA.post(`/api/projects/${id}/shares`, { stateVector: Buffer.from((await import('yjs')).encodeStateVector(doc)).toString('base64url') })
    expect(published.status).toBe(201)
    const linkId = ((await published.json()) as { link: { id: string } }).link.id
    const owner = async () => ((await (await new TestClient(b).get(`/api/s/${linkId}`)).json()) as { link: { owner: string | null } }).link.owner
    const myName = async () => ((await (await viaB.get('/api/auth/me')).json()) as { user: { displayName: string | null } }).user.displayName
    expect(await owner()).toBeNull()
    expect(await myName()).toBeNull()
    expect(second.cache.get(shareLinkKey(hashLinkId(linkId)))).toBeDefined()

    expect((await viaA.request('PATCH', '/api/auth/me', { json: { displayName: 'Grace' } })).status).toBe(200)
    await within(1000, async () => (await owner()) === 'Grace')
    await within(1000, async () => (await myName()) === 'Grace')
  })

  test('without a fresh lease the cache is not used', async () => {
    const { viaB, id } = await signedInOnBoth()
    second.cache.dropLease()
    expect(second.cache.live).toBe(false)
    expect(second.cache.get(projectKey(id))).toBeUndefined()
    expect((await viaB.get(`/api/projects/${id}`)).status).toBe(200)
    // The listener's next ping brings it back.
    await within(2000, async () => second.cache.live)
  })
})

/// Pushes a project doc holding one file through `via`'s sync route; answers the doc.
async function pushFile(via: { request: (method: string, url: string, init: { body: Uint8Array; headers: Record<string, string> }) => Promise<Response> }, id: string) {
  const Y = await import('yjs')
  const doc = new Y.Doc()
  doc.getMap('files').set('x.txt', new Y.Text('x'))
  const pushed = await via.request('POST', `/api/projects/${id}/sync`, {
    body: Y.encodeStateAsUpdate(doc),
    headers: { 'content-type': 'application/vnd.slipway.yjs-update' },
  })
  expect(pushed.status).toBe(200)
  return doc
}
