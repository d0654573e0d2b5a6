import { ErrorBodySchema, ProjectListSchema, ProjectResponseSchema, TEMPLATES } from '@slipway/shared'
import { eq } from 'drizzle-orm'
import { beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { schema } from '../../adapters/db/index.ts'
import { ManualClock, TestClient, testApp } from '../../test/app.ts'
import { describeEachDb } from '../../test/databases.ts'
import { SyncingDevice } from '../../test/sync-client.ts'

const code = async (res: Response) => ErrorBodySchema.parse(await res.json()).error.code

describeEachDb('projects', (ctx) => {
  let app: Awaited<ReturnType<typeof testApp>>
  const clock = new ManualClock()
  beforeAll(async () => {
    app = await testApp({ database: ctx.database, clock })
  })

  test('create, get, rename, list (most recently updated first), delete', async () => {
    const c = new TestClient(app)
    await c.signup()
    expect(ProjectListSchema.parse(await (await c.get('/api/projects')).json()).projects).toEqual([])

    const created = await c.post('/api/projects', { name: '  First  ' })
    expect(created.status).toBe(201)
    const first = ProjectResponseSchema.parse(await created.json()).project
    expect(first).toMatchObject({ name: 'First', template: null })
    clock.advance(1000)
    const second = await c.createProject('Second', 'vite-react')
    clock.advance(1000)

    const got = ProjectResponseSchema.parse(await (await c.get(`/api/projects/${first.id}`)).json()).project
    expect(got).toEqual(first)

    const renamed = await c.request('PATCH', `/api/projects/${first.id}`, { json: { name: 'Renamed' } })
    expect(renamed.status).toBe(200)
    expect(ProjectResponseSchema.parse(await renamed.json()).project.name).toBe('Renamed')

    const list = ProjectListSchema.parse(await (await c.get('/api/projects')).json()).projects
    expect(list.map((p) => p.name)).toEqual(['Renamed', 'Second'])
    expect(list[1]!.id).toBe(second.id)

    expect((await c.request('DELETE', `/api/projects/${first.id}`)).status).toBe(204)
    expect((await c.get(`/api/projects/${first.id}`)).status).toBe(404)
    expect(ProjectListSchema.parse(await (await c.get('/api/projects')).json()).projects.map((p) => p.name)).toEqual(['Second'])
  })

  test('every template seeds its files', async () => {
    const c = new TestClient(app)
    await c.signup()
    for (const [id, t] of Object.entries(TEMPLATES)) {
      const p = await c.createProject(id, id)
      const { files } = (await (await c.get(`/api/projects/${p.id}/files`)).json()) as { files: Array<{ path: string; size: number }> }
      expect(files.map((f) => f.path).sort()).toEqual(Object.keys(t.files).sort())
      const pkg = await c.get(`/api/projects/${p.id}/files/package.json`)
      expect(pkg.headers.get('content-type')).toMatch(/^application\/json/)
      expect(await pkg.text()).toBe(t.files['package.json'])
    }
  })

  test('delete removes the doc, its update log and its files', async () => {
    const c = new TestClient(app)
    await c.signup()
    const p = await c.createProject('doomed', 'node-server')
    await c.request('DELETE', `/api/projects/${p.id}`)
    const db = ctx.database.db
    expect(await db.select().from(schema.projectDocs).where(eq(schema.projectDocs.projectId, p.id))).toEqual([])
    expect(await db.select().from(schema.projectUpdates).where(eq(schema.projectUpdates.projectId, p.id))).toEqual([])
    expect(await db.select().from(schema.projectFiles).where(eq(schema.projectFiles.projectId, p.id))).toEqual([])
  })

  test.each([
    ['empty name', { name: '   ' }],
    ['long name', { name: 'x'.repeat(101) }],
    ['unknown template', { name: 'x', template: 'cobol' }],
    ['name of the wrong type', { name: 42 }],
    ['unknown field', { name: 'x', owner: 'someone' }],
  ])('create with %s → 400 invalid_body, nothing created', async (_n, body) => {
    const c = new TestClient(app)
    await c.signup()
    const res = await c.post('/api/projects', body)
    expect(res.status).toBe(400)
    expect(await code(res)).toBe('invalid_body')
    expect(ProjectListSchema.parse(await (await c.get('/api/projects')).json()).projects).toEqual([])
  })

  test('file paths that break the rules → 400; missing files → 404', async () => {
    const c = new TestClient(app)
    await c.signup()
    const p = await c.createProject('x', 'node-script')
    expect((await c.get(`/api/projects/${p.id}/files/..%2F..%2Fetc%2Fpasswd`)).status).toBe(400)
    expect((await c.get(`/api/projects/${p.id}/files/node_modules/x.js`)).status).toBe(400)
    expect((await c.get(`/api/projects/${p.id}/files/a%00b`)).status).toBe(400)
    expect((await c.get(`/api/projects/${p.id}/files/nope.txt`)).status).toBe(404)
  })

  test('raw files: a PDF downloads instead of opening on our origin, TypeScript is text, images and text show inline', async () => {
    const c = new TestClient(app)
    await c.signup()
    const p = await c.createProject('raw', 'node-script')
    const d = new SyncingDevice(c, p.id)
    await d.pull()
    d.files.set('docs/spec.pdf', new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'))
    d.files.set('src/main.ts', new Y.Text('export const answer: number = 42\n'))
    d.files.set('src/App.tsx', new Y.Text('export default () => <p/>\n'))
    d.files.set('logo.png', new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]))
    d.files.set('page.html', new Y.Text('<script>alert(1)</script>'))
    expect((await d.push()).status).toBe(200)

    const raw = async (path: string) => {
      const res = await c.get(`/api/projects/${p.id}/files/${path}`)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      return { type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body: await res.text() }
    }
    expect(await raw('docs/spec.pdf')).toMatchObject({ type: 'application/pdf', disposition: 'attachment; filename="spec.pdf"' })
    expect(await raw('src/main.ts')).toEqual({ type: 'text/plain; charset=utf-8', disposition: 'inline; filename="main.ts"', body: 'export const answer: number = 42\n' })
    expect(await raw('src/App.tsx')).toMatchObject({ type: 'text/plain; charset=utf-8', disposition: 'inline; filename="App.tsx"' })
    expect(await raw('logo.png')).toMatchObject({ type: 'image/png', disposition: 'inline; filename="logo.png"' })
    expect(await raw('page.html')).toMatchObject({ type: 'text/plain; charset=utf-8', disposition: 'inline; filename="page.html"' })
    expect(await raw('package.json')).toMatchObject({ type: 'application/json', disposition: 'attachment; filename="package.json"' })
  })
})
