import { ErrorBodySchema, ProjectListSchema, ProjectResponseSchema, PublishResponseSchema, SHARE_API, ShareListSchema, ShareManifestSchema, decodePack, toBase64Url } from '@slipway/shared'
import { randomBytes } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { Database } from '../../adapters/db/index.ts'
import { openDatabase, schema } from '../../adapters/db/index.ts'
import { DrizzleRateLimiter } from '../../adapters/db/repos.ts'
import { DrizzleShareRepo } from '../../adapters/db/shares.ts'
import { DomainError } from '../../domain/errors.ts'
import { DEFAULT_QUOTAS } from '../../domain/quotas.ts'
import { LinkSealer, ShareService } from '../../domain/shares.ts'
import type { ShareRepo } from '../../ports.ts'
import { systemClock } from '../../ports.ts'
import { TestClient, makeWebDir, testApp } from '../../test/app.ts'
import { MIGRATIONS, describeEachDb } from '../../test/databases.ts'
import { SyncingDevice } from '../../test/sync-client.ts'

const code = async (res: Response) => ErrorBodySchema.parse(await res.json()).error.code
const sv = (device: SyncingDevice) => toBase64Url(Y.encodeStateVector(device.doc))
// Built at runtime so this file holds nothing a secret scanner would flag.
const fakeKey = ['sk-', 'a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV'].join('')

describeEachDb('share links', (ctx) => {
  type App = Awaited<ReturnType<typeof testApp>>
  let app: App
  let webDir: string
  beforeAll(async () => {
    webDir = await makeWebDir()
    app = await testApp({ database: ctx.database, webDir })
  })

  /// A signed-in owner with a project holding `files`, synced to the server.
  async function owner(files: Record<string, string | Uint8Array>, a: App = app) {
    const http = new TestClient(a)
    const user = await http.signup()
    const project = await http.createProject('Demo')
    const device = new SyncingDevice(http, project.id)
    device.doc.transact(() => {
      for (const [path, content] of Object.entries(files)) device.files.set(path, typeof content === 'string' ? new Y.Text(content) : content)
    })
    await device.sync()
    return { http, user, project, device }
  }

  async function publish(o: { http: TestClient; project: { id: string }; device: SyncingDevice }, linkId?: string) {
    const path = linkId ? SHARE_API.linkVersions(o.project.id, linkId) : SHARE_API.projectShares(o.project.id)
    const res = await o.http.post(path, { stateVector: sv(o.device) })
    if (res.status !== 201) throw new Error(`publish failed: ${res.status} ${await res.text()}`)
    return PublishResponseSchema.parse(await res.json())
  }

  const storedBytes = async (userId: string) =>
    (await ctx.database.db.select({ b: schema.users.storedBytes }).from(schema.users).where(eq(schema.users.id, userId)))[0]!.b
  const blobCount = async (userId: string) =>
    (await ctx.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(schema.shareBlobs).where(eq(schema.shareBlobs.ownerId, userId)))[0]!.n

  test('publish, then anyone reads the manifest, the pack and each blob; the owner lists views', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255])
    const o = await owner({ 'index.js': 'console.log("hi")\n', 'src/é.txt': 'ünïcode', 'logo.png': png })
    const { link, version } = await publish(o)
    expect(link.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(link.url).toBe(`http://localhost/s/${link.id}`)
    expect(version).toMatchObject({ n: 1, fileCount: 3, bytes: 18 + 9 + 8, omitted: [] })

    const viewer = new TestClient(app)
    const res = await viewer.get(SHARE_API.manifest(link.id))
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toMatch(/^".+"$/)
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('x-robots-tag')).toBe('noindex')
    const manifest = ShareManifestSchema.parse(await res.json())
    expect(manifest.link).toEqual({ id: link.id, projectName: 'Demo', owner: null, latest: 1 })
    expect(manifest.version.files.map((f) => [f.path, f.size, f.binary])).toEqual([
      ['index.js', 18, false],
      ['logo.png', 8, true],
      ['src/é.txt', 9, false],
    ])
    expect(JSON.stringify(manifest)).not.toContain(o.user.email)

    const pinned = await viewer.get(SHARE_API.manifest(link.id, 1))
    expect(ShareManifestSchema.parse(await pinned.json()).version.files).toEqual(manifest.version.files)

    const pack = await viewer.get(SHARE_API.pack(link.id, 1))
    expect(pack.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const entries = decodePack(new Uint8Array(await pack.arrayBuffer()))
    const bySha = new Map(entries.map((e) => [e.sha256, e.bytes]))
    const logo = manifest.version.files.find((f) => f.path === 'logo.png')!
    expect([...bySha.get(logo.sha256)!]).toEqual([...png])
    expect(new TextDecoder().decode(bySha.get(manifest.version.files[2]!.sha256))).toBe('ünïcode')

    const blob = await viewer.get(SHARE_API.blob(link.id, logo.sha256))
    expect(blob.status).toBe(200)
    expect(blob.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([...png])

    const listed = ShareListSchema.parse(await (await o.http.get(SHARE_API.projectShares(o.project.id))).json()).links
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({ id: link.id, revokedAt: null, viewCount: 2, versions: [{ n: 1, fileCount: 3 }] })
    expect(listed[0]!.lastViewedAt).not.toBeNull()
  })

  test('ETag: an unchanged manifest answers 304; a new version changes the latest manifest', async () => {
    const o = await owner({ 'a.txt': 'one' })
    const { link } = await publish(o)
    const viewer = new TestClient(app)
    const first = await viewer.get(SHARE_API.manifest(link.id))
    const etag = first.headers.get('etag')!
    const again = await viewer.get(SHARE_API.manifest(link.id), { 'if-none-match': etag })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect(again.headers.get('etag')).toBe(etag)
    // Another server process (its own cache) names the same manifest by the same ETag.
    const other = new TestClient(await testApp({ database: ctx.database, webDir }))
    expect((await other.get(SHARE_API.manifest(link.id), { 'if-none-match': etag })).status).toBe(304)
    expect((await other.get(SHARE_API.manifest(link.id), { 'if-none-match': '"stale"' })).status).toBe(200)

    o.device.files.set('a.txt', new Y.Text('two'))
    await o.device.sync()
    expect((await publish(o, link.id)).version.n).toBe(2)
    const latest = await viewer.get(SHARE_API.manifest(link.id), { 'if-none-match': etag })
    expect(latest.status).toBe(200)
    expect(ShareManifestSchema.parse(await latest.json()).version.n).toBe(2)
    // Version 1 is unchanged but says that 2 is the latest now.
    const v1 = await viewer.get(SHARE_API.manifest(link.id, 1), { 'if-none-match': etag })
    expect(v1.status).toBe(200)
    expect(ShareManifestSchema.parse(await v1.json()).link.latest).toBe(2)
  })

  test("the manifest names the owner by their display name as of now: a rename shows on the next read (new ETag), never the email, never in the share page's tags", async () => {
    const o = await owner({ 'a.txt': 'one' })
    const setName = (displayName: string | null) => o.http.request('PATCH', '/api/auth/me', { json: { displayName } })
    expect((await setName('Ada <b>Lovelace</b>')).status).toBe(200)
    const { link } = await publish(o)
    const viewer = new TestClient(app)
    const first = await viewer.get(SHARE_API.manifest(link.id))
    const etag = first.headers.get('etag')!
    const body = await first.text()
    expect(ShareManifestSchema.parse(JSON.parse(body)).link.owner).toBe('Ada <b>Lovelace</b>')
    expect(body).not.toContain(o.user.email)
    expect((await viewer.get(SHARE_API.manifest(link.id), { 'if-none-match': etag })).status).toBe(304)

    // Renamed: the cached manifest (and the cached link) must not answer with the old name.
    expect((await setName('Ada King')).status).toBe(200)
    const renamed = await viewer.get(SHARE_API.manifest(link.id), { 'if-none-match': etag })
    expect(renamed.status).toBe(200)
    const renamedEtag = renamed.headers.get('etag')!
    expect(renamedEtag).not.toBe(etag)
    expect(ShareManifestSchema.parse(await renamed.json()).link.owner).toBe('Ada King')
    expect((await viewer.get(SHARE_API.manifest(link.id), { 'if-none-match': renamedEtag })).status).toBe(304)
    // Another process (its own response cache) agrees on the name and the ETag.
    const other = new TestClient(await testApp({ database: ctx.database, webDir }))
    expect((await other.get(SHARE_API.manifest(link.id), { 'if-none-match': renamedEtag })).status).toBe(304)

    // A new version, and the pinned old one, both name the owner as they are called now.
    o.device.files.set('a.txt', new Y.Text('two'))
    await o.device.sync()
    await publish(o, link.id)
    expect((await setName('Countess')).status).toBe(200)
    for (const n of [null, 1, 2] as const) {
      expect(ShareManifestSchema.parse(await (await viewer.get(SHARE_API.manifest(link.id, n))).json()).link.owner).toBe('Countess')
    }

    // Cleared: "someone" again.
    expect((await setName('')).status).toBe(200)
    expect(ShareManifestSchema.parse(await (await viewer.get(SHARE_API.manifest(link.id))).json()).link.owner).toBeNull()

    // The unfurl says nothing about the owner.
    expect((await setName('Countess')).status).toBe(200)
    const page = await (await new TestClient(app).get(`/s/${link.id}`)).text()
    expect(page).not.toContain('Countess')
    expect(page).not.toContain(o.user.email)
  })

  test('content addressing: republishing a one-line edit of a 200-file project stores one blob and under 64 KB', async () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 200; i++) files[`src/dir-${i % 10}/file-${i}.js`] = `// file ${i}\n` + `export const v${i} = ${i}\n`.repeat(400)
    const o = await owner(files)
    const { link } = await publish(o)
    const bytesBefore = await storedBytes(o.user.id)
    const blobsBefore = await blobCount(o.user.id)
    expect(blobsBefore).toBe(200)

    const text = o.device.files.get('src/dir-3/file-3.js') as Y.Text
    text.insert(0, 'const edited = true\n')
    await o.device.sync()
    const { version } = await publish(o, link.id)
    expect(version).toMatchObject({ n: 2, fileCount: 200 })
    expect(await blobCount(o.user.id)).toBe(201)
    const added = (await storedBytes(o.user.id)) - bytesBefore
    // The edit's sync update is counted too (tiny); the republish itself: one ~10 KB blob and a ~9 KB manifest.
    expect(added).toBeLessThan(64 * 1024)
  })

  test('secrets: a file holding a key is named and nothing is stored', async () => {
    const o = await owner({ 'README.md': 'Keys start with sk- and live in .env\n', 'src/config.js': `const a = 1\nexport const key = "${fakeKey}"\n` })
    const res = await o.http.post(SHARE_API.projectShares(o.project.id), { stateVector: sv(o.device) })
    expect(res.status).toBe(422)
    const body = ErrorBodySchema.parse(await res.json()).error
    expect(body.code).toBe('secrets_found')
    expect(body.details).toEqual({ files: [{ path: 'src/config.js', line: 2, kind: 'openai_key' }], total: 1 })
    expect(ShareListSchema.parse(await (await o.http.get(SHARE_API.projectShares(o.project.id))).json()).links).toEqual([])
    expect(await blobCount(o.user.id)).toBe(0)
  })

  test('stale publish: an editor holding edits the server lacks gets 409 publish_stale', async () => {
    const o = await owner({ 'a.txt': 'synced' })
    ;(o.device.files.get('a.txt') as Y.Text).insert(0, 'unsynced ')
    const res = await o.http.post(SHARE_API.projectShares(o.project.id), { stateVector: sv(o.device) })
    expect(res.status).toBe(409)
    expect(await code(res)).toBe('publish_stale')
    await o.device.sync()
    const { link } = await publish(o)
    const manifest = ShareManifestSchema.parse(await (await new TestClient(app).get(SHARE_API.manifest(link.id))).json())
    expect(manifest.version.files[0]!.size).toBe('unsynced synced'.length)
  })

  test('bad bodies change nothing: mistyped, extra keys, not base64url, not a state vector, oversized, not JSON', async () => {
    const o = await owner({ 'a.txt': 'x' })
    const path = SHARE_API.projectShares(o.project.id)
    for (const [json, status, expected] of [
      [{ stateVector: 5 }, 400, 'invalid_body'],
      [{}, 400, 'invalid_body'],
      [{ stateVector: '', extra: 1 }, 400, 'invalid_body'],
      [{ stateVector: 'a+b/' }, 400, 'invalid_body'],
      [{ stateVector: '_____' }, 400, 'bad_request'],
      [{ stateVector: 'A'.repeat(70_000) }, 400, 'invalid_body'],
    ] as const) {
      const res = await o.http.post(path, json)
      expect([res.status, await code(res)], JSON.stringify(json).slice(0, 40)).toEqual([status, expected])
    }
    const huge = await o.http.request('POST', path, { body: JSON.stringify({ stateVector: 'A'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } })
    expect(huge.status).toBe(413)
    const text = await o.http.request('POST', path, { body: 'stateVector=AA', headers: { 'content-type': 'text/plain' } })
    expect(text.status).toBe(415)
    const bad = await o.http.request('POST', path, { body: '{', headers: { 'content-type': 'application/json' } })
    expect(await code(bad)).toBe('invalid_json')
    expect(ShareListSchema.parse(await (await o.http.get(path)).json()).links).toEqual([])
  })

  test('malformed or unknown ids, versions and hashes all answer 404 not_found', async () => {
    const o = await owner({ 'a.txt': 'x' })
    const { link } = await publish(o)
    const other = 'A'.repeat(22)
    const viewer = new TestClient(app)
    for (const path of [
      `/api/s/${other}`,
      `/api/s/${link.id.slice(1)}`,
      `/api/s/${link.id}x`,
      `/api/s/${link.id}/v/0`,
      `/api/s/${link.id}/v/2`,
      `/api/s/${link.id}/v/01`,
      `/api/s/${link.id}/v/-1`,
      `/api/s/${link.id}/v/1e3`,
      `/api/s/${link.id}/v/99999999999`,
      `/api/s/${link.id}/v/2/pack`,
      `/api/s/${link.id}/blobs/${'0'.repeat(64)}`,
      `/api/s/${link.id}/blobs/${'A'.repeat(64)}`,
      `/api/s/${link.id}/blobs/xyz`,
      `/api/s/${other}/blobs/${'0'.repeat(64)}`,
    ]) {
      const res = await viewer.get(path)
      expect([path, res.status, await code(res)]).toEqual([path, 404, 'not_found'])
    }
  })

  test("a blob of another link is not served through this one", async () => {
    const a = await owner({ 'secret.txt': 'only in A' })
    const b = await owner({ 'b.txt': 'B' })
    const linkA = await publish(a)
    const linkB = await publish(b)
    const shaA = ShareManifestSchema.parse(await (await new TestClient(app).get(SHARE_API.manifest(linkA.link.id))).json()).version.files[0]!.sha256
    expect((await new TestClient(app).get(SHARE_API.blob(linkB.link.id, shaA))).status).toBe(404)
  })

  test("IDOR: another account cannot list, publish to, publish again, revoke or fork-by-project-id someone's project", async () => {
    const o = await owner({ 'a.txt': 'x' })
    const { link } = await publish(o)
    const mallory = new TestClient(app)
    await mallory.signup()
    for (const res of [
      await mallory.get(SHARE_API.projectShares(o.project.id)),
      await mallory.post(SHARE_API.projectShares(o.project.id), { stateVector: '' }),
      await mallory.post(SHARE_API.linkVersions(o.project.id, link.id), { stateVector: '' }),
      await mallory.request('DELETE', SHARE_API.projectShare(o.project.id, link.id)),
      await mallory.post(SHARE_API.fork(o.project.id, 1)),
    ]) {
      expect([res.status, await code(res)]).toEqual([404, 'not_found'])
    }
    // Their own project with someone else's link id: not found either.
    const own = await mallory.createProject('mine')
    const res = await mallory.post(SHARE_API.linkVersions(own.id, link.id), { stateVector: '' })
    expect(res.status).toBe(404)
    expect((await mallory.request('DELETE', SHARE_API.projectShare(own.id, link.id))).status).toBe(404)
    expect(ShareListSchema.parse(await (await o.http.get(SHARE_API.projectShares(o.project.id))).json()).links[0]!.revokedAt).toBeNull()
    expect((await new TestClient(app).get(SHARE_API.manifest(link.id))).status).toBe(200)
    // Anonymous: 401 on owner routes.
    expect((await new TestClient(app).get(SHARE_API.projectShares(o.project.id))).status).toBe(401)
  })

  test('revocation: 410 link_revoked at once on every route of the link, from a second app instance too', async () => {
    const o = await owner({ 'a.txt': 'x' })
    const { link } = await publish(o)
    const sha = ShareManifestSchema.parse(await (await new TestClient(app).get(SHARE_API.manifest(link.id))).json()).version.files[0]!.sha256
    // A second server on the same database: its own process on Postgres, the same embedded database on PGlite.
    let second: Database | undefined
    if (ctx.target.driver === 'postgres') second = await openDatabase(ctx.target, MIGRATIONS)
    const app2 = await testApp({ database: second ?? ctx.database, webDir })
    try {
      const viewer2 = new TestClient(app2)
      expect((await viewer2.get(SHARE_API.manifest(link.id))).status).toBe(200)
      expect((await viewer2.get(`/s/${link.id}`)).status).toBe(200)

      const revoked = await o.http.request('DELETE', SHARE_API.projectShare(o.project.id, link.id))
      expect(revoked.status).toBe(200)
      expect((await revoked.json()) as { link: { revokedAt: string } }).toMatchObject({ link: { id: link.id, revokedAt: expect.any(String) } })

      // This process at once; the second as soon as the revoke's notification reaches it (lookup-cache.ts: ~1 ms,
      // and never used past its lease of 300 ms without one).
      expect((await new TestClient(app).get(SHARE_API.manifest(link.id))).status).toBe(410)
      await expect.poll(async () => (await viewer2.get(SHARE_API.manifest(link.id))).status, { timeout: 1000, interval: 2 }).toBe(410)
      const forker = new TestClient(app2)
      await forker.signup()
      for (const [client, path, method] of [
        [viewer2, SHARE_API.manifest(link.id), 'GET'],
        [viewer2, SHARE_API.manifest(link.id, 1), 'GET'],
        [viewer2, SHARE_API.pack(link.id, 1), 'GET'],
        [viewer2, SHARE_API.blob(link.id, sha), 'GET'],
        [forker, SHARE_API.fork(link.id, 1), 'POST'],
        [o.http, SHARE_API.linkVersions(o.project.id, link.id), 'POST'],
      ] as const) {
        const res = await client.request(method, path, method === 'POST' ? { json: { stateVector: sv(o.device) } } : {})
        expect([path, res.status, await code(res)]).toEqual([path, 410, 'link_revoked'])
      }
      const page = await viewer2.get(`/s/${link.id}`)
      expect(page.status).toBe(410)
      expect(await page.text()).not.toContain('Demo')
      // Revoking again changes nothing; the list keeps the link with its versions.
      expect((await o.http.request('DELETE', SHARE_API.projectShare(o.project.id, link.id))).status).toBe(200)
      const listed = ShareListSchema.parse(await (await o.http.get(SHARE_API.projectShares(o.project.id))).json()).links
      expect(listed[0]).toMatchObject({ id: link.id, versions: [{ n: 1 }] })
      expect(listed[0]!.revokedAt).not.toBeNull()
    } finally {
      await second?.close()
    }
  })

  test('revoking frees the blobs no live link holds, and gives their bytes back to the quota', async () => {
    const o = await owner({ 'a.txt': 'x'.repeat(5000), 'b.txt': 'y'.repeat(3000) })
    const before = await storedBytes(o.user.id)
    const first = await publish(o)
    const second = await publish(o)
    expect(await blobCount(o.user.id)).toBe(2)
    await o.http.request('DELETE', SHARE_API.projectShare(o.project.id, first.link.id))
    expect(await blobCount(o.user.id)).toBe(2) // the second link still serves them
    await o.http.request('DELETE', SHARE_API.projectShare(o.project.id, second.link.id))
    expect(await blobCount(o.user.id)).toBe(0)
    expect(await storedBytes(o.user.id)).toBe(before)
  })

  test('deleting the project revokes its links: 410 everywhere, page included', async () => {
    const o = await owner({ 'a.txt': 'x' })
    const { link } = await publish(o)
    expect((await o.http.request('DELETE', `/api/projects/${o.project.id}`)).status).toBe(204)
    const viewer = new TestClient(app)
    const res = await viewer.get(SHARE_API.manifest(link.id))
    expect([res.status, await code(res)]).toEqual([410, 'link_revoked'])
    expect((await viewer.get(`/s/${link.id}`)).status).toBe(410)
    await expect.poll(() => blobCount(o.user.id)).toBe(0)
  })

  test('fork: a signed-in viewer gets a project with the same files and forkedFrom; anonymous gets 401', async () => {
    const png = Uint8Array.from([1, 2, 3, 0, 255])
    const o = await owner({ 'index.js': 'console.log(1)\n', 'img/logo.png': png })
    const { link } = await publish(o)
    expect((await new TestClient(app).post(SHARE_API.fork(link.id, 1))).status).toBe(401)

    const viewer = new TestClient(app)
    await viewer.signup()
    const res = await viewer.post(SHARE_API.fork(link.id, 1))
    expect(res.status).toBe(201)
    const fork = ProjectResponseSchema.parse(await res.json()).project
    expect(fork).toMatchObject({ name: 'Demo', forkedFrom: { linkId: link.id, version: 1 } })
    expect(ProjectResponseSchema.parse(await (await viewer.get(`/api/projects/${fork.id}`)).json()).project.forkedFrom).toEqual({ linkId: link.id, version: 1, projectName: 'Demo' })
    expect(await (await viewer.get(`/api/projects/${fork.id}/files/index.js`)).text()).toBe('console.log(1)\n')
    expect([...new Uint8Array(await (await viewer.get(`/api/projects/${fork.id}/files/img/logo.png`)).arrayBuffer())]).toEqual([...png])
    // The original is untouched and still the owner's alone.
    expect((await viewer.get(`/api/projects/${o.project.id}`)).status).toBe(404)
    const theirs = ProjectResponseSchema.parse(await (await o.http.get(`/api/projects/${o.project.id}`)).json()).project
    expect(theirs.forkedFrom).toBeNull()
  })

  test('fork records the source project\'s name: it survives renaming the fork and is listed', async () => {
    const o = await owner({ 'a.txt': 'x' })
    const { link } = await publish(o)
    const viewer = new TestClient(app)
    await viewer.signup()
    const fork = ProjectResponseSchema.parse(await (await viewer.post(SHARE_API.fork(link.id, 1))).json()).project
    expect(fork.forkedFrom).toEqual({ linkId: link.id, version: 1, projectName: 'Demo' })
    expect((await viewer.request('PATCH', `/api/projects/${fork.id}`, { json: { name: 'Mine' } })).status).toBe(200)
    const listed = ProjectListSchema.parse(await (await viewer.get('/api/projects')).json()).projects
    expect(listed.map((p) => [p.name, p.forkedFrom])).toEqual([['Mine', { linkId: link.id, version: 1, projectName: 'Demo' }]])
  })

  test('creating a project (an anonymous fork uploaded at sign-in) keeps forkedFrom only if the link backs it', async () => {
    const o = await owner({ 'a.txt': 'x' })
    const { link } = await publish(o)
    const viewer = new TestClient(app)
    await viewer.signup()
    const create = async (forkedFrom: unknown) => {
      const res = await viewer.post('/api/projects', { name: 'Uploaded', forkedFrom })
      expect(res.status).toBe(201)
      return ProjectResponseSchema.parse(await res.json()).project
    }
    // The name comes from the link, never from the claim.
    const kept = await create({ linkId: link.id, version: 1, projectName: 'Spoofed' })
    expect(kept.forkedFrom).toEqual({ linkId: link.id, version: 1, projectName: 'Demo' })
    expect(ProjectResponseSchema.parse(await (await viewer.get(`/api/projects/${kept.id}`)).json()).project.forkedFrom).toEqual(kept.forkedFrom)
    // No such version, no such link: made without it, no error.
    expect((await create({ linkId: link.id, version: 2 })).forkedFrom).toBeNull()
    expect((await create({ linkId: 'AAAAAAAAAAAAAAAAAAAAAA', version: 1 })).forkedFrom).toBeNull()
    // A revoked link backs nothing.
    expect((await o.http.request('DELETE', SHARE_API.projectShare(o.project.id, link.id))).status).toBe(200)
    expect((await create({ linkId: link.id, version: 1 })).forkedFrom).toBeNull()
    // A malformed claim is a 400 that creates nothing.
    const before = ProjectListSchema.parse(await (await viewer.get('/api/projects')).json()).projects.length
    for (const bad of [{ linkId: 'x', version: 1 }, { linkId: link.id, version: 0 }, { linkId: link.id }, 'AbC']) {
      const res = await viewer.post('/api/projects', { name: 'Bad', forkedFrom: bad })
      expect([res.status, await code(res)]).toEqual([400, 'invalid_body'])
    }
    expect(ProjectListSchema.parse(await (await viewer.get('/api/projects')).json()).projects).toHaveLength(before)
  })

  test('fork counts against the forker\'s quota', async () => {
    const small = await testApp({ database: ctx.database, webDir, quotas: { maxProjectsPerUser: 1 } })
    const o = await owner({ 'a.txt': 'x' }, small)
    const { link } = await publish(o)
    const res = await o.http.post(SHARE_API.fork(link.id, 1)) // the owner already has their one project
    expect([res.status, await code(res)]).toEqual([413, 'quota_exceeded'])
  })

  test('rate limits: reads per client and publishes per account answer 429 with Retry-After', async () => {
    const limited = await testApp({
      database: ctx.database,
      webDir,
      shareRates: { readsPerClient: { limit: 5, windowMs: 60_000 }, publishPerUser: { limit: 2, windowMs: 60_000 } },
    })
    const o = await owner({ 'a.txt': 'x' }, limited)
    const { link } = await publish(o)
    const viewer = new TestClient(limited)
    for (let i = 0; i < 5; i++) expect((await viewer.get(SHARE_API.manifest(link.id))).status).toBe(200)
    const refused = await viewer.get(SHARE_API.manifest(link.id))
    expect([refused.status, await code(refused)]).toEqual([429, 'rate_limited'])
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await viewer.get(SHARE_API.pack(link.id, 1))).status).toBe(429)
    // Another client is not affected.
    expect((await new TestClient(limited).get(SHARE_API.manifest(link.id))).status).toBe(200)

    await publish(o, link.id)
    const third = await o.http.post(SHARE_API.linkVersions(o.project.id, link.id), { stateVector: sv(o.device) })
    expect([third.status, await code(third)]).toEqual([429, 'rate_limited'])
    expect(third.headers.get('retry-after')).not.toBeNull()
  })

  test('reads count bytes: once a client spent its byte budget, manifests, packs and blobs answer 429 with Retry-After; a 304 spends nothing', async () => {
    const limited = await testApp({ database: ctx.database, webDir, shareRates: { readBytesPerClient: { limit: 20_000, windowMs: 60_000 } } })
    const o = await owner({ 'big.txt': 'x'.repeat(9000) }, limited)
    const { link } = await publish(o)
    const viewer = new TestClient(limited)
    const first = await viewer.get(SHARE_API.manifest(link.id))
    expect(first.status).toBe(200)
    const etag = first.headers.get('etag')!
    const sha = ShareManifestSchema.parse(await first.json()).version.files[0]!.sha256
    // Revalidations send no body: they are not counted against the budget.
    for (let i = 0; i < 30; i++) expect((await viewer.get(SHARE_API.manifest(link.id), { 'if-none-match': etag })).status).toBe(304)
    // ~0.3 KB + 9 KB + 9 KB: still under 20 KB when each starts, so each is sent; the blob's 9 KB spends the rest.
    expect((await viewer.get(SHARE_API.pack(link.id, 1))).status).toBe(200)
    expect((await viewer.get(SHARE_API.pack(link.id, 1))).status).toBe(200)
    expect((await viewer.get(SHARE_API.blob(link.id, sha))).status).toBe(200)
    for (const path of [SHARE_API.manifest(link.id), SHARE_API.pack(link.id, 1), SHARE_API.blob(link.id, sha)]) {
      const refused = await viewer.get(path)
      expect([path, refused.status, await code(refused)]).toEqual([path, 429, 'rate_limited'])
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    // Another client is not affected.
    expect((await new TestClient(limited).get(SHARE_API.pack(link.id, 1))).status).toBe(200)
  })

  test('read cache: a version\'s pack is built once, evicted by bytes, streamed past the per-value bound; a revoked link is never served from it', async () => {
    // Incompressible, distinct content per version: each small pack is ~30 KB, the large one ~50 KB.
    const text = (n: number) => randomBytes(n).toString('base64').slice(0, n)
    const o = await owner({ 'a.txt': text(30_000) })
    const { link } = await publish(o)
    for (const size of [30_000, 30_000, 50_000]) {
      o.device.files.set('a.txt', new Y.Text(text(size)))
      await o.device.sync()
      await publish(o, link.id)
    }
    // A second server process reads (on Postgres its own connections and cache, kept in step by notifications).
    let second: Database | undefined
    if (ctx.target.driver === 'postgres') second = await openDatabase(ctx.target, MIGRATIONS)
    const db = second ?? ctx.database
    try {
      let blobReads = 0
      const real = new DrizzleShareRepo(db.db, db.cache)
      const repo = new Proxy(real, {
        get(target, prop, receiver) {
          if (prop === 'readBlobs') blobReads++
          return Reflect.get(target, prop, receiver)
        },
      }) as ShareRepo
      const reader = new ShareService(repo, new DrizzleRateLimiter(db.db), systemClock, new LinkSealer(randomBytes(32)), {} as never, {} as never, {
        quotas: DEFAULT_QUOTAS,
        publicUrl: new URL('http://localhost'),
        cache: { maxBytes: 70_000, maxEntryBytes: 40_000 },
      })
      const client = 'reader-test'
      const bytesOf = async (body: Uint8Array | ReadableStream<Uint8Array>) => new Uint8Array(await new Response(body).arrayBuffer())
      const served = async (n: number) => new Uint8Array(await (await new TestClient(app).get(SHARE_API.pack(link.id, n))).arrayBuffer())

      const v1 = await reader.pack(link.id, '1', client)
      expect(v1.body).toBeInstanceOf(Uint8Array)
      expect(await bytesOf(v1.body)).toEqual(await served(1))
      expect(blobReads).toBe(1)
      await reader.pack(link.id, '1', client)
      expect(blobReads).toBe(1) // cached
      await reader.pack(link.id, '2', client)
      await reader.pack(link.id, '3', client)
      expect(blobReads).toBe(3)
      // Three ~30 KB packs do not fit 70 KB: the least recently used (version 1) went.
      expect(reader.cacheStats().bytes).toBeLessThanOrEqual(70_000)
      await reader.pack(link.id, '3', client)
      expect(blobReads).toBe(3)
      await reader.pack(link.id, '1', client)
      expect(blobReads).toBe(4)

      // Over the per-value bound (40 KB): streamed from the database, the same bytes, never kept.
      const big = await reader.pack(link.id, '4', client)
      expect(big.body).toBeInstanceOf(ReadableStream)
      const streamed = await bytesOf(big.body)
      expect(streamed.length).toBe(big.bytes)
      expect(streamed).toEqual(await served(4))
      await bytesOf((await reader.pack(link.id, '4', client)).body)
      expect(blobReads).toBe(6)

      // Cached now: version 3's pack and the latest manifest. Revoked: neither is served again, in this process
      // or the other one (as soon as the revoke's notification arrives).
      await reader.manifest(link.id, null, client)
      await reader.pack(link.id, '3', client)
      const reads = blobReads
      expect((await o.http.request('DELETE', SHARE_API.projectShare(o.project.id, link.id))).status).toBe(200)
      const refusal = (p: Promise<unknown>) => p.then(() => 'served', (err: unknown) => (err instanceof DomainError ? err.code : String(err)))
      await expect.poll(() => refusal(reader.manifest(link.id, null, client)), { timeout: 1000, interval: 2 }).toBe('link_revoked')
      expect(await refusal(reader.pack(link.id, '3', client))).toBe('link_revoked')
      expect(blobReads).toBe(reads)
      expect((await new TestClient(app).get(SHARE_API.pack(link.id, 3))).status).toBe(410)
    } finally {
      await second?.close()
    }
  })

  test('the share page: the SPA with escaped Open Graph tags, no-referrer, noindex, COOP/COEP; 404 for unknown, and for a version not published', async () => {
    const o = await owner({ 'a.txt': 'x' })
    await o.http.request('PATCH', `/api/projects/${o.project.id}`, { json: { name: `</title><script>alert("x")</script> & 'q'` } })
    const project = ProjectResponseSchema.parse(await (await o.http.get(`/api/projects/${o.project.id}`)).json()).project
    const { link } = await publish({ ...o, project })
    for (const path of [`/s/${link.id}`, `/s/${link.id}@1`]) {
      const res = await new TestClient(app).get(path)
      expect(res.status).toBe(200)
      const html = await res.text()
      expect(html).toContain('<div id="root"></div>')
      expect(html).toContain('<meta property="og:title" content="&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;">')
      expect(html).not.toContain('<script>alert')
      expect(html).toContain(`<meta property="og:url" content="http://localhost${path}">`)
      expect(html).toContain('<meta name="twitter:card" content="summary">')
      expect(html).not.toContain(o.user.email)
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
      expect(res.headers.get('x-robots-tag')).toBe('noindex')
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin')
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp')
      expect(res.headers.get('content-security-policy')).toBeTruthy()
    }
    for (const path of [`/s/${'B'.repeat(22)}`, '/s/short', `/s/${link.id}@0`, `/s/${link.id}@2`]) {
      const res = await new TestClient(app).get(path)
      expect([path, res.status]).toEqual([path, 404])
      expect(await res.text()).toContain('<div id="root"></div>')
    }
  })

})
