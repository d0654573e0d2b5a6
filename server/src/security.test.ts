import { ErrorBodySchema, YJS_UPDATE_CONTENT_TYPE } from '@slipway/shared'
import { beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { TestClient, testApp } from './test/app.ts'
import { describeEachDb } from './test/databases.ts'

/// One syncable update that adds a file.
function anUpdate(): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('files').set('added.txt', new Y.Text('hello'))
  return Y.encodeStateAsUpdate(doc)
}

interface Route {
  method: string
  path: (id: string) => string
  body?: () => { json: unknown } | { body: Uint8Array; type: string }
  ok: number
}

const PROJECT_ROUTES: Route[] = [
  { method: 'GET', path: (id) => `/api/projects/${id}`, ok: 200 },
  { method: 'PATCH', path: (id) => `/api/projects/${id}`, body: () => ({ json: { name: 'renamed' } }), ok: 200 },
  { method: 'DELETE', path: (id) => `/api/projects/${id}`, ok: 204 },
  { method: 'GET', path: (id) => `/api/projects/${id}/files`, ok: 200 },
  { method: 'GET', path: (id) => `/api/projects/${id}/files/index.js`, ok: 200 },
  { method: 'POST', path: (id) => `/api/projects/${id}/sync`, body: () => ({ body: anUpdate(), type: YJS_UPDATE_CONTENT_TYPE }), ok: 200 },
  { method: 'GET', path: (id) => `/api/projects/${id}/sync?sv=`, ok: 200 },
]

const ACCOUNT_ROUTES: Route[] = [
  { method: 'GET', path: () => '/api/auth/me', ok: 200 },
  { method: 'POST', path: () => '/api/auth/logout', body: () => ({ json: {} }), ok: 204 },
  { method: 'GET', path: () => '/api/projects', ok: 200 },
  { method: 'POST', path: () => '/api/projects', body: () => ({ json: { name: 'new' } }), ok: 201 },
]

const label = (r: Route) => `${r.method} ${r.path(':id')}`

function send(c: TestClient, r: Route, id: string, extraHeaders: Record<string, string> = {}, typeOverride?: string) {
  const b = r.body?.()
  const headers: Record<string, string> = { ...extraHeaders }
  if (b && 'json' in b) {
    headers['content-type'] = typeOverride ?? 'application/json'
    return c.request(r.method, r.path(id), { body: JSON.stringify(b.json), headers })
  }
  if (b) {
    headers['content-type'] = typeOverride ?? b.type
    return c.request(r.method, r.path(id), { body: b.body, headers })
  }
  if (typeOverride) headers['content-type'] = typeOverride
  return c.request(r.method, r.path(id), { headers })
}

describeEachDb('security', (ctx) => {
  let app: Awaited<ReturnType<typeof testApp>>
  beforeAll(async () => {
    app = await testApp({ database: ctx.database })
  })

  async function ownerWithProject() {
    const owner = new TestClient(app)
    await owner.signup()
    const { id } = await owner.createProject('mine', 'node-script')
    return { owner, id }
  }

  test.each(PROJECT_ROUTES.map((r) => [label(r), r] as const))('IDOR %s: anonymous 401, other user 404, owner 2xx', async (_l, route) => {
    const { owner, id } = await ownerWithProject()
    const other = new TestClient(app)
    await other.signup()
    const anon = await send(new TestClient(app), route, id)
    expect(anon.status).toBe(401)
    const stranger = await send(other, route, id)
    expect(stranger.status).toBe(404)
    const strangerBody = await stranger.text()
    expect(ErrorBodySchema.parse(JSON.parse(strangerBody)).error.code).toBe('not_found')
    // A malformed id and a deleted project look exactly like someone else's project.
    expect(await (await send(other, route, 'not-a-uuid')).text()).toBe(strangerBody)
    const gone = await other.createProject('gone')
    await other.request('DELETE', `/api/projects/${gone.id}`)
    expect(await (await send(other, route, gone.id)).text()).toBe(strangerBody)
    // The owner's project is untouched by all of that.
    expect((await owner.get(`/api/projects/${id}`)).status).toBe(200)
    expect((await send(owner, route, id)).status).toBe(route.ok)
  })

  test.each(ACCOUNT_ROUTES.map((r) => [label(r), r] as const))('%s: anonymous 401, signed in 2xx', async (_l, route) => {
    expect((await send(new TestClient(app), route, '')).status).toBe(401)
    const c = new TestClient(app)
    await c.signup()
    expect((await send(c, route, '')).status).toBe(route.ok)
  })

  const UNSAFE: Route[] = [
    { method: 'POST', path: () => '/api/auth/signup', body: () => ({ json: { email: `c${Math.random().toString(36).slice(2)}@x.io`, password: 'long enough pw' } }), ok: 201 },
    { method: 'POST', path: () => '/api/auth/login', body: () => ({ json: { email: 'nobody@x.io', password: 'long enough pw' } }), ok: 401 },
    ...ACCOUNT_ROUTES.filter((r) => r.method !== 'GET'),
    ...PROJECT_ROUTES.filter((r) => r.method !== 'GET'),
  ]
  const ORIGINS = [
    ['same origin', { origin: 'http://localhost' }],
    ['cross origin', { origin: 'https://evil.example' }],
    ['no Origin', {}],
  ] as const
  const TYPES = ['own type', 'text/plain', 'application/x-www-form-urlencoded'] as const

  test.each(UNSAFE.map((r) => [label(r), r] as const))('CSRF %s: only its own type from an allowed origin gets through', async (_l, route) => {
    for (const [originName, originHeaders] of ORIGINS) {
      for (const type of TYPES) {
        const { owner, id } = await ownerWithProject()
        const before = await (await owner.get('/api/projects')).text()
        const res = await send(owner, route, id, originHeaders, type === 'own type' ? undefined : type)
        const what = `${type} / ${originName}`
        if (originName === 'cross origin') expect(res.status, what).toBe(403)
        else if (type !== 'own type') expect(res.status, what).toBe(415)
        else expect(res.status, what).toBe(route.ok)
        if (res.status >= 400) {
          expect((await owner.get('/api/auth/me')).status, `session survives ${what}`).toBe(200)
          expect(await (await owner.get('/api/projects')).text(), `nothing changed by ${what}`).toBe(before)
        }
      }
    }
  })

  test('bad input never answers 500 or leaks a stack, and changes nothing', async () => {
    const { owner, id } = await ownerWithProject()
    const before = await (await owner.get(`/api/projects/${id}/files`)).text()
    const cases: Array<[string, string, string | Uint8Array, Record<string, string>]> = [
      ['POST', '/api/projects', '{"name":', { 'content-type': 'application/json' }],
      ['POST', '/api/projects', 'null', { 'content-type': 'application/json' }],
      ['POST', '/api/projects', '"just a string"', { 'content-type': 'application/json' }],
      ['POST', '/api/projects', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), { 'content-type': 'application/json' }],
      ['PATCH', `/api/projects/${id}`, '{"name":{"$gt":""}}', { 'content-type': 'application/json' }],
      ['PATCH', `/api/projects/${id}`, '{}', { 'content-type': 'application/json' }],
      ['POST', `/api/projects/${id}/sync`, new Uint8Array([0xff, 0x00, 0x13]), { 'content-type': YJS_UPDATE_CONTENT_TYPE }],
      ['POST', `/api/projects/${id}/sync`, '{"not":"yjs"}', { 'content-type': 'application/json' }],
      ['GET', `/api/projects/${id}/sync?sv=!!`, '', {}],
      ['GET', `/api/projects/${id}/sync?sv=BQ`, '', {}],
      ['POST', '/api/auth/login', '{"email":"a@b.c","password":"x","extra":1}', { 'content-type': 'application/json' }],
      ['POST', '/api/auth/signup', '[1,2,3]', { 'content-type': 'application/json; charset=utf-8' }],
      ['GET', `/api/projects/${id}/files/${'a/'.repeat(300)}x`, '', {}],
    ]
    for (const [method, path, body, headers] of cases) {
      const res = await owner.request(method, path, { ...(method === 'GET' ? {} : { body }), headers })
      const text = await res.text()
      expect(res.status, `${method} ${path.slice(0, 60)}`).toBeGreaterThanOrEqual(400)
      expect(res.status, `${method} ${path.slice(0, 60)}: ${text.slice(0, 200)}`).toBeLessThan(500)
      expect(() => ErrorBodySchema.parse(JSON.parse(text))).not.toThrow()
      expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/)
    }
    expect(await (await owner.get(`/api/projects/${id}/files`)).text()).toBe(before)
    expect(JSON.parse(await (await owner.get('/api/projects')).text()).projects).toHaveLength(1)
  })
})
