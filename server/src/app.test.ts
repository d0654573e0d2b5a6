import { brotliDecompressSync } from 'node:zlib'
import { ErrorBodySchema, HealthSchema } from '@slipway/shared'
import { beforeAll, describe, expect, test } from 'vitest'
import { openDatabase } from './adapters/db/index.ts'
import { FIXTURE_SCRIPT, makeWebDir, testApp } from './test/app.ts'
import { MIGRATIONS, describeEachDb } from './test/databases.ts'

const REQUIRED_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
}

/// The SPA's documents get the CSP Monaco and WebContainer work under; API responses (JSON, sync bytes, raw files)
/// one that lets nothing load, run or frame them.
function expectSecurityHeaders(res: Response, kind: 'document' | 'api') {
  for (const [name, value] of Object.entries(REQUIRED_HEADERS)) expect(res.headers.get(name), name).toBe(value)
  expect(res.headers.get('x-frame-options')).toBe('DENY')
  const csp = res.headers.get('content-security-policy') ?? ''
  expect(res.headers.get('x-permitted-cross-domain-policies')).toBe('none')
  expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin')
  const documentOnly = ['origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-xss-protection']
  if (kind === 'api') {
    expect(csp).toBe("default-src 'none'; frame-ancestors 'none'; sandbox")
    for (const name of documentOnly) expect(res.headers.get(name), name).toBeNull()
    return
  }
  for (const name of documentOnly) expect(res.headers.get(name), name).not.toBeNull()
  for (const directive of [
    "script-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "style-src 'self' 'unsafe-inline'",
  ]) {
    expect(csp, directive).toContain(directive)
  }
  expect(csp).not.toContain('unsafe-eval')
  expect(csp).toMatch(/frame-src [^;]*https:\/\/stackblitz\.com/)
  expect(csp).toMatch(/frame-src [^;]*https:\/\/\*\.webcontainer-api\.io/)
}

describeEachDb('app', (ctx) => {
  let webDir: string
  beforeAll(async () => {
    webDir = await makeWebDir()
  })

  test('GET /api/health answers after a real database round trip', async () => {
    const app = await testApp({ database: ctx.database })
    const res = await app.request('/api/health')
    expect(res.status).toBe(200)
    expect(HealthSchema.parse(await res.json())).toEqual({ ok: true, db: ctx.target.driver, version: '9.9.9-test' })
    expectSecurityHeaders(res, 'api')
  })

  test('security headers are on the SPA, assets, errors and 404s', async () => {
    const app = await testApp({ database: ctx.database, webDir })
    for (const path of ['/', '/assets/index-AbC123.js', '/projects/abc', '/assets/gone-123.js', '/apix']) {
      expectSecurityHeaders(await app.request(path), 'document')
    }
    for (const path of ['/api/nope', '/api/auth/me', '/api', '/api/projects/abc/sync']) {
      expectSecurityHeaders(await app.request(path), 'api')
    }
    const post = await app.request('/api/projects', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })
    expect(post.status).toBe(415)
    expectSecurityHeaders(post, 'api')
    expect((await app.request('/')).headers.get('strict-transport-security')).toBeNull()
  })

  test('HSTS of at least a year when PUBLIC_URL is https', async () => {
    const app = await testApp({ database: ctx.database, publicUrl: 'https://ide.example.com' })
    const hsts = (await app.request('/api/health')).headers.get('strict-transport-security') ?? ''
    expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(31_536_000)
  })

  test('COEP is configurable and index.html tells the web app the same value', async () => {
    const app = await testApp({ database: ctx.database, webDir, coep: 'credentialless' })
    const res = await app.request('/')
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('credentialless')
    expect(await res.text()).toContain('<meta name="slipway:coep" content="credentialless">')
  })

  test('hashed assets are immutable, the shell revalidates, client routes get the shell', async () => {
    const app = await testApp({ database: ctx.database, webDir })
    const asset = await app.request('/assets/index-AbC123.js')
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(asset.headers.get('content-type')).toMatch(/javascript/)
    expect(await asset.text()).toBe(FIXTURE_SCRIPT)

    const shell = await app.request('/')
    expect(shell.headers.get('cache-control')).toBe('no-cache')
    expect(shell.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await shell.text()
    expect(html).toContain('<div id="root">')

    const route = await app.request('/p/some-project/src/App.tsx?x=1')
    expect(route.status).toBe(200)
    expect(await route.text()).toBe(html)

    const revalidated = await app.request('/', { headers: { 'if-none-match': shell.headers.get('etag')! } })
    expect(revalidated.status).toBe(304)
  })

  test('precompressed assets are picked by Accept-Encoding', async () => {
    const app = await testApp({ database: ctx.database, webDir })
    const br = await app.request('/assets/index-AbC123.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toContain('Accept-Encoding')
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(FIXTURE_SCRIPT)
    const gz = await app.request('/assets/index-AbC123.js', { headers: { 'accept-encoding': 'gzip' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
  })

  test('missing files and unknown API routes are 404, API ones as JSON', async () => {
    const app = await testApp({ database: ctx.database, webDir })
    expect((await app.request('/assets/gone-123.js')).status).toBe(404)
    const api = await app.request('/api/does-not-exist')
    expect(api.status).toBe(404)
    expect(ErrorBodySchema.parse(await api.json()).error.code).toBe('not_found')
    const apiPost = await app.request('/api/health', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(apiPost.status).toBe(404)
  })
})

describe('health when the database is gone', () => {
  test('answers 503 db_unavailable', async () => {
    const database = await openDatabase({ driver: 'pglite', dataDir: undefined }, MIGRATIONS)
    const app = await testApp({ database })
    await database.close()
    const res = await app.request('/api/health')
    expect(res.status).toBe(503)
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('db_unavailable')
  })
})
