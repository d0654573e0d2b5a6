import { ErrorBodySchema, JSON_CONTENT_TYPE, YJS_UPDATE_CONTENT_TYPE } from '@slipway/shared'
import { Hono } from 'hono'
import { expect, test } from 'vitest'
import { errorHandler } from '../errors/index.ts'
import { ownOrigins } from '../host-guard/index.ts'
import { requestGuard } from './index.ts'

function app(publicUrl = 'https://ide.example.com') {
  const reached: string[] = []
  const a = new Hono()
  a.use(requestGuard({ allowedOrigins: ownOrigins(new URL(publicUrl)), contentTypes: [JSON_CONTENT_TYPE, YJS_UPDATE_CONTENT_TYPE] }))
  a.all('*', (c) => {
    reached.push(`${c.req.method} ${c.req.path}`)
    return c.body(null, 204)
  })
  a.onError(errorHandler({ info: () => {}, error: () => {} }))
  return { a, reached }
}

const code = async (res: Response) => ErrorBodySchema.parse(await res.json()).error.code

test.each([
  // [request URL, Origin, expected]
  ['http://ide.example.com/api/x', 'https://ide.example.com', 204],
  // The request's own origin (from its Host and the socket's scheme) is not PUBLIC_URL's: refused.
  ['http://ide.example.com/api/x', 'http://ide.example.com', 403],
  ['http://evil.example/api/x', 'http://evil.example', 403],
  ['http://ide.example.com/api/x', 'https://ide.example.com:8443', 403],
  ['http://ide.example.com/api/x', 'https://evil.example', 403],
  ['http://ide.example.com/api/x', 'null', 403],
])('%s with Origin %s → %i', async (url, origin, status) => {
  const { a, reached } = app()
  const res = await a.request(url, { method: 'PATCH', headers: { origin, 'content-type': 'application/json' }, body: '{}' })
  expect(res.status).toBe(status)
  if (status === 403) {
    expect(await code(res)).toBe('forbidden')
    expect(reached).toEqual([])
  }
})

test('with a loopback PUBLIC_URL, each loopback name on its port is an allowed Origin; other ports are not', async () => {
  const { a } = app('http://localhost:3000')
  for (const origin of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
    const res = await a.request('http://localhost:3000/api/x', { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{}' })
    expect(res.status, origin).toBe(204)
  }
  for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3001', 'https://localhost:3000']) {
    const res = await a.request('http://localhost:3000/api/x', { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{}' })
    expect(res.status, origin).toBe(403)
  }
})

test.each([
  // [method, headers, expected]
  ['DELETE', {}, 204],
  ['POST', {}, 204],
  ['DELETE', { 'content-length': '0' }, 204],
  ['POST', { 'content-length': '0', origin: 'https://ide.example.com' }, 204],
  // A bodyless request is still checked for its Origin...
  ['DELETE', { origin: 'https://evil.example' }, 403],
  ['DELETE', { 'sec-fetch-site': 'cross-site' }, 403],
  // ...and for a type it sends anyway.
  ['DELETE', { 'content-type': 'text/plain' }, 415],
  ['POST', { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' }, 415],
  // A body needs its type.
  ['POST', { 'content-length': '2' }, 415],
  ['DELETE', { 'content-length': '2' }, 415],
  ['POST', { 'transfer-encoding': 'chunked' }, 415],
] as const)('%s without a body, headers %j → %i', async (method, headers, status) => {
  const { a, reached } = app()
  const res = await a.request('http://ide.example.com/api/x', { method, headers })
  expect(res.status).toBe(status)
  expect(reached).toEqual(status === 204 ? [`${method} /api/x`] : [])
})
