import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { ErrorBodySchema } from '@slipway/shared'
import { beforeAll, expect, test } from 'vitest'
import { TestClient, testApp } from './test/app.ts'
import { describeEachDb } from './test/databases.ts'

// Issue 15, item 4: the Host must be the app's own, the Origin is compared with PUBLIC_URL's (never with one built
// from the Host), and an unsafe request without a body needs no Content-Type.

const code = async (res: Response) => ErrorBodySchema.parse(await res.json()).error.code

/// One HTTP/1.1 request written by hand, the way `curl -X DELETE` sends it: no Content-Type, no Content-Length.
function rawRequest(port: number, lines: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    // write, not end: a half-closed socket may be closed by the server before it answers.
    const socket = connect(port, '127.0.0.1', () => socket.write(`${lines.join('\r\n')}\r\nConnection: close\r\n\r\n`))
    let out = ''
    socket.on('data', (d: Buffer) => (out += d.toString('latin1')))
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0)))
    socket.on('error', reject)
  })
}

describeEachDb('Host and Origin', (ctx) => {
  let app: Awaited<ReturnType<typeof testApp>>
  beforeAll(async () => {
    app = await testApp({ database: ctx.database, publicUrl: 'https://ide.example.com' })
  })
  const at = (path: string) => `https://ide.example.com${path}`

  async function ownerWithProject(a = app, base = 'https://ide.example.com') {
    const owner = new TestClient(a)
    const res = await owner.request('POST', `${base}/api/auth/signup`, {
      json: { email: `h${Math.random().toString(36).slice(2)}@example.com`, password: 'long enough pw' },
    })
    expect(res.status).toBe(201)
    const created = await owner.request('POST', `${base}/api/projects`, { json: { name: 'mine' } })
    expect(created.status).toBe(201)
    const { project } = (await created.json()) as { project: { id: string } }
    return { owner, id: project.id }
  }

  test('a DNS-rebinding PATCH (Host: evil.example, Origin: http://evil.example) is refused and renames nothing', async () => {
    const { owner, id } = await ownerWithProject()
    const res = await owner.request('PATCH', `http://evil.example/api/projects/${id}`, {
      json: { name: 'pwned' },
      headers: { host: 'evil.example', origin: 'http://evil.example' },
    })
    expect(res.status).toBe(421)
    expect(await code(res)).toBe('misdirected_request')
    // The public host with a foreign Origin, and the public host with the Origin its own Host would make over plain
    // http (behind a TLS proxy, the socket's scheme): both refused too.
    for (const origin of ['http://evil.example', 'http://ide.example.com']) {
      const cross = await owner.request('PATCH', `http://ide.example.com/api/projects/${id}`, { json: { name: 'pwned' }, headers: { host: 'ide.example.com', origin } })
      expect(cross.status, origin).toBe(403)
    }
    const project = await owner.request('GET', at(`/api/projects/${id}`))
    expect(((await project.json()) as { project: { name: string } }).project.name).toBe('mine')
    // PUBLIC_URL's own origin passes.
    const own = await owner.request('PATCH', at(`/api/projects/${id}`), { json: { name: 'renamed' }, headers: { origin: 'https://ide.example.com' } })
    expect(own.status).toBe(200)
  })

  test('a Host that is not the public host → 421 on every route, except /api/health', async () => {
    const c = new TestClient(app)
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/assets/index.js'],
      ['GET', '/api/auth/me'],
      ['GET', '/api/projects'],
      ['POST', '/api/auth/login'],
      ['POST', '/api/auth/signup'],
    ] as const) {
      const res = await c.request(method, `http://evil.example${path}`, {
        headers: { host: 'evil.example' },
        ...(method === 'POST' ? { json: { email: 'a@example.com', password: 'long enough pw' } } : {}),
      })
      expect(res.status, `${method} ${path}`).toBe(421)
      expect(await code(res)).toBe('misdirected_request')
      expect(res.headers.get('x-content-type-options'), 'security headers on the 421 too').toBe('nosniff')
    }
    const health = await c.request('GET', 'http://10.0.0.3:3000/api/health', { headers: { host: '10.0.0.3:3000' } })
    expect(health.status).toBe(200)
    expect((await c.request('GET', at('/api/auth/me'))).status).toBe(401)
  })

  test("with the default local PUBLIC_URL, localhost, 127.0.0.1 and [::1] on its port are all the app's own", async () => {
    const local = await testApp({ database: ctx.database, publicUrl: 'http://localhost:3000' })
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000']) {
      const base = `http://${host}`
      const c = new TestClient(local)
      const signup = await c.request('POST', `${base}/api/auth/signup`, {
        json: { email: `l${Math.random().toString(36).slice(2)}@example.com`, password: 'long enough pw' },
        headers: { host, origin: base },
      })
      expect(signup.status, host).toBe(201)
      expect((await c.request('GET', `${base}/api/auth/me`, { headers: { host } })).status, host).toBe(200)
      // An Origin on another loopback port (a dev server's, say) is not the app's.
      const other = await c.request('POST', `${base}/api/projects`, { json: { name: 'x' }, headers: { host, origin: 'http://localhost:5173' } })
      expect(other.status, host).toBe(403)
    }
    expect((await new TestClient(local).request('GET', 'http://localhost:3001/api/auth/me', { headers: { host: 'localhost:3001' } })).status).toBe(421)
  })

  test('a bodyless DELETE and logout with a valid session and no Content-Type → 204; the Origin is still checked', async () => {
    const { owner, id } = await ownerWithProject()
    const bare = (method: string, path: string, headers: Record<string, string> = {}) =>
      app.request(at(path), { method, headers: { cookie: owner.cookie!, ...headers } }, { incoming: { socket: { remoteAddress: owner.ip } } })
    const cross = await bare('DELETE', `/api/projects/${id}`, { origin: 'https://evil.example' })
    expect(cross.status).toBe(403)
    expect((await owner.request('GET', at(`/api/projects/${id}`))).status).toBe(200)
    expect((await bare('DELETE', `/api/projects/${id}`)).status).toBe(204)
    expect((await owner.request('GET', at(`/api/projects/${id}`))).status).toBe(404)
    expect((await bare('POST', '/api/auth/logout', { origin: 'https://ide.example.com' })).status).toBe(204)
    expect((await owner.request('GET', at('/api/auth/me'))).status).toBe(401)
  })

  test('over a real socket, `curl -X DELETE` with a session cookie → 204', async () => {
    let handler: ((req: Request, env: unknown) => Response | Promise<Response>) | undefined
    const server = createAdaptorServer({ fetch: (req: Request, env: unknown) => handler!(req, env) })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const local = await testApp({ database: ctx.database, publicUrl: `http://localhost:${port}` })
      handler = (req, env) => local.fetch(req, env as never)
      const base = `http://127.0.0.1:${port}`
      const signup = await fetch(`${base}/api/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `s${Math.random().toString(36).slice(2)}@example.com`, password: 'long enough pw' }),
      })
      expect(signup.status).toBe(201)
      const cookie = signup.headers.get('set-cookie')!.split(';')[0]!
      const created = await fetch(`${base}/api/projects`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: '{"name":"p"}' })
      const { project } = (await created.json()) as { project: { id: string } }
      const status = await rawRequest(port, [`DELETE /api/projects/${project.id} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'User-Agent: curl/8.5.0', 'Accept: */*', `Cookie: ${cookie}`])
      expect(status).toBe(204)
      const misdirected = await rawRequest(port, [`GET /api/auth/me HTTP/1.1`, `Host: evil.example:${port}`, `Cookie: ${cookie}`])
      expect(misdirected).toBe(421)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
